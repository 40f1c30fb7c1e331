/**
 * Input is bounded at the boundary (main/bounded-input.ts): `analyze -` stops reading standard
 * input the moment it passes 64 MB and refuses (it no longer reads 400 MB and then refuses); a redirected file
 * over the limit is refused from its size; a file is read into one buffer of its size. Memory and time are
 * measured by test/bench/input-bounds.bench.ts (no timed assertions here).
 */
import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { InputTooLarge, readFileBounded, readStdinBounded, readStreamBounded } from '../../../main/bounded-input.ts'
import { normalizePastedText } from '../../../main/analyze/normalize-text.ts'
import { ANALYZE_MAX_BYTES } from '../../../main/analyze/analyze.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'

const ROOT = join(import.meta.dirname, '../../..')
const MB = 1024 * 1024

describe('bounded readers', () => {
  it('a stream is read whole under the limit, and refused (and destroyed) as soon as it passes it', async () => {
    expect((await readStreamBounded(Readable.from([Buffer.from('abc'), Buffer.from('def')]), 6)).toString()).toBe(
      'abcdef',
    )
    let pulled = 0
    const endless = new Readable({
      read() {
        pulled++
        this.push(Buffer.alloc(1024, 97))
      },
    })
    const err = await readStreamBounded(endless, 10 * 1024).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputTooLarge)
    expect((err as Error).message).toMatch(/^Standard input is larger than 0 MB; at most 0 MB is analysed/)
    expect(endless.destroyed).toBe(true)
    expect(pulled).toBeLessThan(20)
  })

  it('a file over the limit is refused from its size (a sparse 1 GB file: nothing read), one under it read exactly', () => {
    const dir = tempDirSync('sd-bounded-')
    const big = join(dir, 'big.txt')
    closeSync(openSync(big, 'w'))
    truncateSync(big, 1024 * MB)
    const err = (() => {
      try {
        readFileBounded(big, ANALYZE_MAX_BYTES)
        return null
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(InputTooLarge)
    expect((err as InputTooLarge).bytes).toBe(1024 * MB)
    const small = join(dir, 'small.txt')
    writeFileSync(small, 'Package Identity : x')
    expect(readFileBounded(small, 20).toString()).toBe('Package Identity : x')
    expect(() => readFileBounded(small, 19)).toThrow(InputTooLarge)
  })

  it('standard input redirected from a file over the limit is refused from its size', () => {
    const dir = tempDirSync('sd-bounded-')
    const big = join(dir, 'big.txt')
    closeSync(openSync(big, 'w'))
    truncateSync(big, 400 * MB)
    const fd = openSync(big, 'r')
    try {
      const err = (() => {
        try {
          readStdinBounded(
            ANALYZE_MAX_BYTES,
            () => {
              throw new Error('no fallback')
            },
            fd,
          )
          return null
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(InputTooLarge)
      expect((err as Error).message).toMatch(/^Standard input is 400\.0 MB; at most 64 MB is analysed/)
    } finally {
      closeSync(fd)
    }
  })
})

describe('standard input read into one buffer, decoded once', () => {
  it('gives the same bytes, hence the same text as a file, in every encoding the analysis reads (6 encodings of a real capture)', () => {
    const real = readFileSync(join(ROOT, 'test/fixtures/dism-packages/en-gb-list-fod-dismtools220.txt'), 'utf8')
      .split('\n')
      .slice(1)
      .join('\n')
    const text = real.repeat(40) // ~ 100 KB: several 64 KB reads, a character cut between two of them
    const be = (s: string) => {
      const b = Buffer.from(s, 'utf16le')
      for (let i = 0; i < b.length; i += 2) {
        const t = b[i]!
        b[i] = b[i + 1]!
        b[i + 1] = t
      }
      return b
    }
    const cases: Array<[string, Buffer]> = [
      ['utf-8', Buffer.from(text)],
      [
        'utf-8 with BOM, CRLF',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]),
      ],
      ['utf-16le with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['utf-16le without BOM', Buffer.from(text, 'utf16le')],
      ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be(text)])],
      ['short utf-8 (under 512 bytes, non-ASCII)', Buffer.from('Zustand : Installiert — ü')],
    ]
    const dir = tempDirSync('sd-bounded-')
    let ran = 0
    for (const [what, bytes] of cases) {
      const f = join(dir, `${ran}.txt`)
      writeFileSync(f, bytes)
      const fd = openSync(f, 'r')
      try {
        const got = readStdinBounded(
          ANALYZE_MAX_BYTES,
          () => {
            throw new Error('no fallback')
          },
          fd,
        ) as Buffer
        expect(got.equals(bytes), what).toBe(true)
        expect(normalizePastedText(got), what).toBe(normalizePastedText(bytes))
      } finally {
        closeSync(fd)
      }
      ran++
    }
    expect(ran).toBe(6)
  })

  it('refuses standard input redirected from a file over the limit, from its size', () => {
    const dir = tempDirSync('sd-bounded-')
    const f = join(dir, 'x.txt')
    writeFileSync(f, 'a'.repeat(200_000))
    const fd = openSync(f, 'r')
    try {
      expect(() =>
        readStdinBounded(
          100_000,
          () => {
            throw new Error('no fallback')
          },
          fd,
        ),
      ).toThrow(/^Standard input is 0\.2 MB; at most 0 MB is analysed/)
    } finally {
      closeSync(fd)
    }
  })
})

describe('analyze - with endless standard input', () => {
  it('refuses once 64 MB have arrived, without waiting for the end (exit 2, one sentence)', async () => {
    const child = spawn(process.execPath, [CLI, 'analyze', '-'], {
      cwd: ROOT,
      env: { ...process.env, SERVICING_DESK_HOME: tempDirSync('sd-bounded-home-') },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c) => {
      stderr += c
    })
    child.stdin.on('error', () => {}) // EPIPE once the CLI stops reading
    const chunk = Buffer.alloc(MB, 'a')
    let written = 0
    let exited = false
    const exit = new Promise<number | null>((ok) =>
      child.on('exit', (code) => {
        exited = true
        ok(code)
      }),
    )
    // Keeps writing until the CLI exits (at most 300 MB, so today's read-everything CLI ends too).
    while (!exited && written < 300 * MB) {
      if (!child.stdin.write(chunk))
        await new Promise((ok) => {
          child.stdin.once('drain', ok)
          child.once('exit', ok)
        })
      written += MB
    }
    child.stdin.end()
    expect(await exit).toBe(2)
    expect(stderr).toMatch(/^servicing-desk: Standard input is larger than 64 MB; at most 64 MB is analysed/)
    expect(written).toBeLessThan(100 * MB)
  })
})

describe('analyze - prints what analyze FILE prints', () => {
  it('for a real capture saved as UTF-16LE with CRLF, piped through several 64 KB reads (same JSON, byte for byte)', async () => {
    const real = readFileSync(join(ROOT, 'test/fixtures/dism-packages/en-gb-list-fod-dismtools220.txt'), 'utf8')
      .split('\n')
      .slice(1)
      .join('\n')
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(real.repeat(100).replace(/\n/g, '\r\n'), 'utf16le'),
    ])
    const dir = tempDirSync('sd-bounded-')
    const f = join(dir, 'packages.txt')
    writeFileSync(f, bytes)
    const env = { ...process.env, SERVICING_DESK_HOME: join(dir, 'home') }
    const run = (args: string[], input?: Buffer) =>
      new Promise<{ code: number | null; out: string }>((ok) => {
        const child = spawn(process.execPath, [CLI, 'analyze', ...args, '--json'], {
          cwd: ROOT,
          env,
          stdio: ['pipe', 'pipe', 'inherit'],
        })
        let out = ''
        child.stdout.on('data', (c) => {
          out += c
        })
        child.on('close', (code) => ok({ code, out }))
        child.stdin.end(input)
      })
    const [fromFile, fromPipe] = await Promise.all([run([f]), run(['-'], bytes)])
    expect(fromFile.code).toBe(0)
    expect(JSON.parse(fromFile.out).kind).toBe('dism-packages')
    expect(bytes.length).toBeGreaterThan(3 * 64 * 1024)
    expect(fromPipe).toEqual(fromFile)
  })
})
