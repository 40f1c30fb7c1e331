/**
 * The journal seal (main/runner/journal-seal.ts) alone: the key file's every refusal, the cache that still checks
 * the file, the seal over a journal as written, and the exact text of the DPAPI call. No services.
 */
import { describe, expect, it, vi } from 'vitest'
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import {
  JournalKeyError,
  WINDOWS_POWERSHELL,
  dpapiArgv,
  dpapiProtector,
  dpapiScript,
  fileProtector,
  journalKey,
  keyFile,
  protectorFor,
  sealOf,
  sealProblem,
  sealed,
  unseal,
} from '../../../main/runner/journal-seal.ts'
import { canonicalJson } from '../../../main/runner/canonical-json.ts'

const home = () => tempDirSync('sd-seal-')
function keyText(format: unknown, protector: unknown, key: unknown): string {
  return `${JSON.stringify({ format, protector, key })}\n`
}
function plant(dir: string, text: string, mode = 0o600): string {
  mkdirSync(join(dir, 'keys'), { recursive: true })
  writeFileSync(keyFile(dir), text, { mode })
  chmodSync(keyFile(dir), mode)
  return keyFile(dir)
}

describe('the key file', () => {
  it("is <data>/keys/journal.key, format 1, the protector's name and 32 bytes in base64; the folder is 0700", () => {
    const dir = home()
    expect(keyFile(dir)).toBe(join(dir, 'keys', 'journal.key'))
    const k = journalKey(dir)
    const text = readFileSync(keyFile(dir), 'utf8')
    expect(text).toBe(keyText(1, 'file-0600', k.toString('base64')))
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700)
  })

  it('refuses a damaged or foreign key file, each with its reason', () => {
    const cases: Array<[string, string]> = [
      ['not json', 'is damaged (not JSON); remove it (unfinished runs then cannot be resumed, only redone).'],
      [
        keyText(2, 'file-0600', Buffer.alloc(32).toString('base64')),
        'was not made here (file-0600); remove it to make a new one.',
      ],
      [
        keyText(1, 'dpapi', Buffer.alloc(32).toString('base64')),
        'was not made here (dpapi); remove it to make a new one.',
      ],
      [keyText(1, 'file-0600', 5), 'was not made here (file-0600); remove it to make a new one.'],
      [keyText(1, 'file-0600', Buffer.alloc(31).toString('base64')), 'is damaged (its key is 31 bytes, not 32).'],
    ]
    for (const [text, says] of cases) {
      const dir = home()
      const file = plant(dir, text)
      let err: unknown = null
      try {
        journalKey(dir)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(JournalKeyError)
      expect((err as Error).message).toBe(`The journal key ${file} ${says}`)
      expect(sealProblem(dir, 'repair', 'r', {}, 'a'.repeat(64))).toBe(`The journal key ${file} ${says}`)
    }
  })

  it('a key file that cannot be read (a folder in its place) is refused with the reason', () => {
    const dir = home()
    mkdirSync(keyFile(dir), { recursive: true })
    expect(() => journalKey(dir)).toThrow(
      new JournalKeyError(`The journal key ${keyFile(dir)} cannot be read (EISDIR).`),
    )
  })

  it('a key file others can read proves nothing, read fresh or from the cache; one made afresh after a reset is a new key', () => {
    const dir = home()
    const k = journalKey(dir)
    chmodSync(keyFile(dir), 0o640)
    expect(() => journalKey(dir)).toThrow(
      new JournalKeyError(
        `The journal key ${keyFile(dir)} can be read by other users (mode 640), so a journal sealed with it proves nothing; nothing is resumed until it is removed (a new key is made).`,
      ),
    )
    chmodSync(keyFile(dir), 0o600)
    expect(journalKey(dir).equals(k)).toBe(true)
    // The data folder reset: the cached key is not used, a new one is made.
    rmSync(join(dir, 'keys'), { recursive: true })
    const again = journalKey(dir)
    expect(again.equals(k)).toBe(false)
    expect(readFileSync(keyFile(dir), 'utf8')).toContain(again.toString('base64'))
    // Fresh (no cache) and open to others.
    const fresh = home()
    plant(fresh, keyText(1, 'file-0600', Buffer.alloc(32, 7).toString('base64')), 0o604)
    expect(() => journalKey(fresh)).toThrow(/can be read by other users \(mode 604\)/)
    chmodSync(keyFile(fresh), 0o600)
    expect(journalKey(fresh).equals(Buffer.alloc(32, 7))).toBe(true)
  })

  it('the key is unprotected once per data folder (a DPAPI call starts a process): created with one Protect, read back with one Unprotect, then kept', () => {
    const calls: string[] = []
    const p = dpapiProtector((_f, argv, input) => {
      calls.push(argv.at(-1)!.includes('::Protect(') ? 'Protect' : 'Unprotect')
      return input
    })
    const dir = home()
    const k = journalKey(dir, p)
    expect(calls).toEqual(['Protect', 'Unprotect'])
    expect(journalKey(dir, p).equals(k)).toBe(true)
    expect(calls).toEqual(['Protect', 'Unprotect'])
    // The same key file in another data folder: read, never made again.
    const copy = home()
    plant(copy, readFileSync(keyFile(dir), 'utf8'))
    calls.length = 0
    expect(journalKey(copy, p).equals(k)).toBe(true)
    expect(calls).toEqual(['Unprotect'])
    // The key file removed (a data folder reset): the kept key is dropped and a new one made.
    rmSync(keyFile(dir))
    calls.length = 0
    expect(journalKey(dir, p).equals(k)).toBe(false)
    expect(calls).toEqual(['Protect', 'Unprotect'])
  })

  it('a data folder that does not exist yet gets its key; nothing but the key is left in keys/', () => {
    const dir = join(home(), 'not', 'yet')
    expect(journalKey(dir).length).toBe(32)
    expect(readdirSync(join(dir, 'keys'))).toEqual(['journal.key'])
  })

  it("a DPAPI key file is not checked by its mode (Windows' ACLs and DPAPI protect it)", () => {
    const dir = home()
    const p = dpapiProtector((_f, _a, input) => input)
    const k = journalKey(dir, p)
    chmodSync(keyFile(dir), 0o644)
    expect(journalKey(dir, p).equals(k)).toBe(true)
  })
})

describe('the seal', () => {
  it('is HMAC-SHA256 over the kind, the id and the canonical JSON, under the key', () => {
    const key = Buffer.alloc(32, 1)
    const j = { b: 1, a: [1, { d: 2, c: 3 }] }
    expect(sealOf(key, 'install', 'p1', j)).toBe(
      createHmac('sha256', key)
        .update(`servicing-desk-journal\ninstall\np1\n${canonicalJson(j)}`)
        .digest('hex'),
    )
  })

  it('sealed: the journal as written, an old seal replaced, undefined fields left out', () => {
    const dir = home()
    const s = sealed(dir, 'repair', 'r1', { a: 1, u: undefined, seal: 'old' } as {
      a: number
      u?: number
      seal?: string
    })
    expect(Object.keys(s)).toEqual(['a', 'u', 'seal'])
    expect(s.seal).toBe(sealOf(journalKey(dir), 'repair', 'r1', { a: 1 }))
    expect(sealProblem(dir, 'repair', 'r1', JSON.parse(JSON.stringify({ ...s, seal: undefined })), s.seal)).toBeNull()
  })

  it('unseal splits off a string seal; anything else has none', () => {
    expect(unseal({ a: 1, seal: 'x' })).toEqual({ body: { a: 1 }, seal: 'x' })
    expect(unseal({ a: 1, seal: 5 })).toEqual({ body: { a: 1 }, seal: undefined })
    expect(unseal([1])).toEqual({ body: [1], seal: undefined })
    expect(unseal(null)).toEqual({ body: null, seal: undefined })
    expect(unseal('s')).toEqual({ body: 's', seal: undefined })
  })

  it("sealProblem: a seal that is not 64 hex digits, or one digit off, is not this copy's", () => {
    const dir = home()
    const good = sealOf(journalKey(dir), 'repair', 'r1', { a: 1 })
    expect(sealProblem(dir, 'repair', 'r1', { a: 1 }, good)).toBeNull()
    const flip = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`
    for (const bad of [flip, good.toUpperCase(), good.slice(2), `${good}00`, `x${good.slice(1)}`, '']) {
      expect(sealProblem(dir, 'repair', 'r1', { a: 1 }, bad)).toBe(
        "its seal is not this copy of Servicing Desk's for what it holds (it was changed, or written elsewhere)",
      )
    }
  })
})

describe('the protectors', () => {
  it("the module's constants, as a fresh load of it has them", async () => {
    // A module-level constant is evaluated once, when the module loads: read from a fresh load of it.
    vi.resetModules()
    const fresh = await import('../../../main/runner/journal-seal.ts')
    expect(fresh.WINDOWS_POWERSHELL).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')
    expect(fresh.fileProtector.kind).toBe('file-0600')
    expect(fresh.fileProtector.protect(Buffer.from([4, 5])).equals(Buffer.from([4, 5]))).toBe(true)
    expect(fresh.fileProtector.unprotect(Buffer.from([6])).equals(Buffer.from([6]))).toBe(true)
  })

  it('the file protector keeps the bytes as they are, in a copy', () => {
    const b = Buffer.from([1, 2, 3])
    const p = fileProtector.protect(b)
    expect(p.equals(b)).toBe(true)
    p[0] = 9
    expect(b[0]).toBe(1)
    const u = fileProtector.unprotect(b)
    u[0] = 9
    expect(b[0]).toBe(1)
    expect(fileProtector.kind).toBe('file-0600')
  })

  it('protectorFor: DPAPI on Windows, the file elsewhere', () => {
    expect(protectorFor('win32').kind).toBe('dpapi')
    expect(protectorFor('linux')).toBe(fileProtector)
    expect(protectorFor('darwin')).toBe(fileProtector)
  })

  it('DPAPI: Windows PowerShell by full path, the script word for word, the bytes in and out as base64 on standard input/output', () => {
    expect(WINDOWS_POWERSHELL).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')
    expect(dpapiScript('Unprotect')).toBe(
      [
        'Add-Type -AssemblyName System.Security',
        '$in = [Convert]::FromBase64String([Console]::In.ReadToEnd().Trim())',
        "$out = [Security.Cryptography.ProtectedData]::Unprotect($in, [Text.Encoding]::UTF8.GetBytes('ServicingDesk journal key'), [Security.Cryptography.DataProtectionScope]::LocalMachine)",
        '[Console]::Out.Write([Convert]::ToBase64String($out))',
      ].join('; '),
    )
    expect(dpapiArgv('Protect')).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-Command',
      dpapiScript('Protect'),
    ])
    const calls: string[][] = []
    const p = dpapiProtector((file, argv, input) => {
      calls.push([file, argv.at(-1)!, input])
      return ` ${Buffer.from('out').toString('base64')}\n`
    })
    expect(p.kind).toBe('dpapi')
    expect(p.unprotect(Buffer.from('in')).toString()).toBe('out')
    expect(calls).toEqual([[WINDOWS_POWERSHELL, dpapiScript('Unprotect'), Buffer.from('in').toString('base64')]])
  })
})
