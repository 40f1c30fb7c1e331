/**
 * Truly atomic writes: the previous file stays intact on a full disk, a read-only drive or
 * a short write, and the person reads one plain sentence — from the helper, the CLI and through IPC. A
 * damaged journal is reported, never skipped. The full disk is real where the test may mount a 64 KiB
 * tmpfs (root on Linux, as in this project's CI container); the same failures are also injected through
 * the helper's fs seam so they run everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as fs from 'node:fs'
import { execFileSync } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { join } from 'node:path'
import { writeFileAtomic, writeFileAtomicSync, WriteFailure, type SyncFs } from '../../../main/atomic-write.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { runCli } from '../../../main/cli/run-cli.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { tempDirSync } from '../temp-dirs.ts'

const home = tempDirSync('sd-atomic-')
const OLD = JSON.stringify({ journal: 'old', steps: [1, 2, 3] })
const NEW = JSON.stringify({ journal: 'new', pad: 'x'.repeat(20_000) })
const oneSentence = (s: string) => {
  expect(s.split(/(?<=\.)\s+(?=[A-Z])/)).toHaveLength(1)
  expect(s).toMatch(/\.$/)
  expect(s).not.toMatch(/\n|at .*\.ts:\d+/)
}
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))

/** The real fs, with one call replaced. */
function fsWith(over: Partial<SyncFs>): SyncFs {
  return {
    openSync: fs.openSync,
    writeSync: fs.writeSync,
    fsyncSync: fs.fsyncSync,
    fstatSync: fs.fstatSync,
    closeSync: fs.closeSync,
    renameSync: fs.renameSync,
    unlinkSync: fs.unlinkSync,
    ...over,
  } as SyncFs
}

describe('writeFileAtomicSync with injected failures', () => {
  const file = join(home, 'seam', 'journal.json')
  beforeAll(() => {
    fs.mkdirSync(join(home, 'seam'))
    fs.writeFileSync(file, OLD)
  })

  it('short writes (a few bytes at a time) still give the whole file', () => {
    let calls = 0
    const short = fsWith({
      writeSync: ((fd: number, b: Uint8Array, off: number, len: number) => {
        calls++
        return fs.writeSync(fd, b, off, Math.min(len, 777))
      }) as SyncFs['writeSync'],
    })
    writeFileAtomicSync(file, NEW, { fs: short })
    expect(fs.readFileSync(file, 'utf8')).toBe(NEW)
    expect(calls).toBe(Math.ceil(Buffer.byteLength(NEW) / 777))
    fs.writeFileSync(file, OLD)
  })

  it('Windows: a rename refused for a moment (a scanner holding the file) is retried; a lasting refusal is a failure', () => {
    let tries = 0
    const busy = (n: number) =>
      fsWith({
        renameSync: ((a: string, b: string) => {
          if (++tries <= n) throw Object.assign(new Error('EPERM'), { code: 'EPERM' })
          fs.renameSync(a, b)
        }) as SyncFs['renameSync'],
      })
    writeFileAtomicSync(file, NEW, { fs: busy(2), platform: 'win32' })
    expect(fs.readFileSync(file, 'utf8')).toBe(NEW)
    expect(tries).toBe(3)
    fs.writeFileSync(file, OLD)
    tries = 0
    expect(() => writeFileAtomicSync(file, NEW, { fs: busy(2), platform: 'linux' })).toThrow(/may not write to/)
    expect(tries).toBe(1)
    tries = 0
    expect(() => writeFileAtomicSync(file, NEW, { fs: busy(99), platform: 'win32' })).toThrow(/may not write to/)
    expect(tries).toBe(10)
    expect(fs.readFileSync(file, 'utf8')).toBe(OLD)
    expect(leftovers(join(home, 'seam'))).toEqual([])
  })

  it.each([
    [
      'a write that makes no progress (a full disk returning 0)',
      { writeSync: (() => 0) as unknown as SyncFs['writeSync'] },
      /the disk is full — free some space on that drive/,
    ],
    [
      'ENOSPC half-way',
      {
        writeSync: ((fd: number, b: Uint8Array, off: number, len: number) => {
          if (off > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
          return fs.writeSync(fd, b, off, Math.min(len, 4096))
        }) as SyncFs['writeSync'],
      },
      /the disk is full/,
    ],
    [
      'EIO at fsync',
      {
        fsyncSync: (() => {
          throw Object.assign(new Error('EIO'), { code: 'EIO' })
        }) as SyncFs['fsyncSync'],
      },
      /: EIO; the previous version is unchanged\.$/,
    ],
    [
      'EACCES at open',
      {
        openSync: (() => {
          throw Object.assign(new Error('EACCES'), { code: 'EACCES' })
        }) as unknown as SyncFs['openSync'],
      },
      /may not write to .* — run as administrator or give it write access/,
    ],
    [
      'EROFS at rename',
      {
        renameSync: (() => {
          throw Object.assign(new Error('EROFS'), { code: 'EROFS' })
        }) as SyncFs['renameSync'],
      },
      /the drive is read-only/,
    ],
  ] as const)('%s: the previous file is intact, no temp file is left, one plain sentence', (_name, over, message) => {
    let err: unknown
    try {
      writeFileAtomicSync(file, NEW, { fs: fsWith(over as Partial<SyncFs>), what: 'the installation journal' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WriteFailure)
    const m = (err as Error).message
    expect(m).toMatch(/^Could not save the installation journal \(/)
    expect(m).toMatch(message)
    oneSentence(m)
    expect(fs.readFileSync(file, 'utf8')).toBe(OLD)
    expect(leftovers(join(home, 'seam'))).toEqual([])
  })
})

/** Mounts a tmpfs at `dir` (true), or only creates the folder when this process may not mount (false). */
function mountTmpfs(dir: string, opts: string): boolean {
  fs.mkdirSync(dir, { recursive: true })
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const umount = (dir: string) => {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' })
  } catch {
    /* not mounted */
  }
}

describe('a real full disk and a read-only drive', () => {
  const full = join(home, 'full')
  const ro = join(home, 'ro')
  let mounted = false
  beforeAll(() => {
    mounted = mountTmpfs(full, 'size=64k')
    if (mountTmpfs(ro, 'size=64k')) {
      fs.writeFileSync(join(ro, 'state.json'), OLD)
      execFileSync('mount', ['-o', 'remount,ro', ro], { stdio: 'ignore' })
    } else {
      // Not root: a folder this account may not write to gives EACCES, the same path through the helper.
      fs.writeFileSync(join(ro, 'state.json'), OLD)
      fs.chmodSync(ro, 0o500)
    }
  })
  afterAll(() => {
    umount(full)
    umount(ro)
    try {
      fs.chmodSync(ro, 0o700)
    } catch {
      /* gone */
    }
  })

  it('full disk: the journal, the plan, a kit file — each keeps its previous version and says so plainly', async () => {
    if (!mounted) {
      // Without a mount the same failure is injected above; say why this one did not run instead of passing silently.
      expect(process.getuid?.()).not.toBe(0)
      return
    }
    const file = join(full, 'journal.json')
    writeFileAtomicSync(file, OLD)
    // Fill the disk to the last block.
    try {
      fs.writeFileSync(join(full, 'filler'), Buffer.alloc(64 * 1024))
    } catch {
      /* full now */
    }
    expect(() => writeFileAtomicSync(file, NEW, { what: 'the installation journal' })).toThrow(
      /^Could not save the installation journal \(.*\): the disk is full — free some space on that drive and try again; the previous version is unchanged\.$/,
    )
    await expect(writeFileAtomic(file, NEW, { what: "the kit's manifest.json" })).rejects.toThrow(/the disk is full/)
    expect(fs.readFileSync(file, 'utf8')).toBe(OLD)
    expect(leftovers(full)).toEqual([])
  })

  it('read-only: the previous file stays, the sentence names the fix', () => {
    const file = join(ro, 'state.json')
    let err: unknown
    try {
      writeFileAtomicSync(file, NEW, { what: 'the state of training machine x' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WriteFailure)
    expect((err as Error).message).toMatch(
      process.getuid?.() === 0 ? /the drive is read-only — make .* writable or use another drive/ : /may not write to/,
    )
    oneSentence((err as Error).message)
    expect(fs.readFileSync(file, 'utf8')).toBe(OLD)
  })
})

async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const old = process.env.SERVICING_DESK_HOME
  process.env.SERVICING_DESK_HOME = dataDir
  const out = new PassThrough()
  const err = new PassThrough()
  let o = '',
    e = ''
  out.on('data', (c) => {
    o += c
  })
  err.on('data', (c) => {
    e += c
  })
  process.exitCode = undefined
  try {
    return { code: await runCli(argv, createOutput(out, err)), out: o, err: e }
  } finally {
    process.exitCode = undefined
    // Assigning undefined would store the string "undefined": a data folder named so in the working folder.
    if (old === undefined) delete process.env.SERVICING_DESK_HOME
    else process.env.SERVICING_DESK_HOME = old
  }
}

describe('the person reads one sentence: CLI and IPC', () => {
  it('a full data drive during plan: CLI exit 1 with the sentence; IPC {failed, sentence}; nothing half-written', async () => {
    const data = join(home, 'cli-data')
    // Root: a real 128 MiB tmpfs (the plan downloads ~67 MB of training packages), filled after the first plan. Otherwise: the data folder made read-only (EACCES).
    // mode=0700: a data folder others may write is refused at start (main/security/data-dir-guard.ts); a tmpfs root is 1777 by default.
    const real = mountTmpfs(data, 'size=128m,mode=0700')
    try {
      expect((await cli(data, 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint')).code).toBe(0)
      const before = new Map(
        fs
          .readdirSync(data, { recursive: true })
          .map(String)
          .filter((n) => n.endsWith('.json'))
          .map((n) => [n, fs.readFileSync(join(data, n), 'utf8')]),
      )
      if (real) {
        try {
          fs.writeFileSync(join(data, 'filler'), Buffer.alloc(128 * 1024 * 1024))
        } catch {
          /* full now */
        }
      } else
        for (const d of [
          data,
          ...fs
            .readdirSync(data, { recursive: true })
            .map((n) => join(data, String(n)))
            .filter((p) => fs.statSync(p).isDirectory()),
        ])
          fs.chmodSync(d, 0o500)
      const why = real
        ? 'the disk is full — free some space on that drive and try again'
        : 'this account may not write to .* — run as administrator or give it write access'
      const r = await cli(data, 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint')
      expect(r.code).toBe(1)
      expect(r.err.trim()).toMatch(
        new RegExp(
          `^servicing-desk: Could not save [^\\n]*: ${why}; (the previous version is unchanged|nothing else was changed)\\.$`,
        ),
      )
      const handlers = createHandlers(createServices({ dataDir: data, platform: 'linux' }))
      const ipc = await invokeCall(handlers, 'plan', {
        machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
        kbs: ['KB5086672'],
      })
      expect(ipc).toMatchObject({
        ok: false,
        error: { code: 'failed', message: expect.stringMatching(new RegExp(`^Could not save .*: ${why}`)) },
      })
      // Every JSON file that was there is still there, whole; no temporary file is left.
      for (const [n, text] of before) expect(fs.readFileSync(join(data, n), 'utf8'), n).toBe(text)
      expect(
        fs
          .readdirSync(data, { recursive: true })
          .map(String)
          .filter((n) => n.endsWith('.tmp')),
      ).toEqual([])
    } finally {
      if (real) umount(data)
      else
        for (const d of fs.readdirSync(data, { recursive: true }).map((n) => join(data, String(n))))
          try {
            fs.chmodSync(d, 0o700)
          } catch {
            /* a file */
          }
    }
  })

  it('a kit written to a full (or read-only) drive: CLI exit 1 with one sentence, no partial package left', async () => {
    const out = join(home, 'usb')
    const real = mountTmpfs(out, 'size=128k')
    if (!real) fs.chmodSync(out, 0o500)
    try {
      const r = await cli(
        join(home, 'kit-data'),
        'kit',
        'build',
        '--kb',
        'KB5086672',
        '--arch',
        'arm64',
        '--machine',
        'arm64-missing-checkpoint',
        '--out',
        out,
      )
      expect(r.code).toBe(1)
      const why = real
        ? 'the disk is full — free some space on that drive and try again'
        : 'this account may not write to .* — run as administrator or give it write access'
      expect(r.err.trim().split('\n').pop()).toMatch(
        new RegExp(
          `^servicing-desk: Could not save windows11\\.0-kb5043080-arm64_[0-9a-f]{40}\\.msu in the kit \\(.*\\): ${why}; nothing else was changed\\.$`,
        ),
      )
      expect(fs.readdirSync(out)).toEqual([])
    } finally {
      if (real) umount(out)
      else fs.chmodSync(out, 0o700)
    }
  })

  it('a damaged journal is reported and stops a new install (CLI and IPC), it is not skipped', async () => {
    const data = join(home, 'damaged')
    fs.mkdirSync(join(data, 'journals'), { recursive: true })
    fs.writeFileSync(
      join(data, 'journals', '20261122T000000-arm64-missing-checkpoint-KB5086672.json'),
      '{"schemaVersion":1,"planId":"2026'.padEnd(4096, ' '),
    )
    const r = await cli(data, 'install', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--yes')
    expect(r.code).not.toBe(0)
    expect(r.err).toMatch(
      /The journal of plan 20261122T000000-arm64-missing-checkpoint-KB5086672 \(.*\) is damaged: it is not JSON .* nothing new is installed until it is looked at/,
    )
    const handlers = createHandlers(createServices({ dataDir: data, platform: 'linux' }))
    const plan = await invokeCall(handlers, 'plan', {
      machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
      kbs: ['KB5086672'],
    })
    if (!plan.ok) throw new Error(plan.error.message)
    const run = await invokeCall(handlers, 'install', {
      machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
      planId: plan.value.id,
      operationId: 'd1',
    })
    expect(run).toMatchObject({ ok: false, error: { message: expect.stringMatching(/is damaged/) } })
    expect(fs.readdirSync(join(data, 'journals'))).toHaveLength(1)
  })
})
