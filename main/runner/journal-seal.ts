/**
 * Journals are bound to a key only this app can use: every journal the engine's definitions write
 * (install, WinRE repair, Fix-it repair) carries `seal`, an HMAC-SHA256 over its kind, its id and its canonical
 * JSON, under the app's journal key. A journal whose seal is missing or differs was not written by this copy of
 * Servicing Desk (planted, edited, or left by an older version): it is read as history when it has ended, and
 * nothing in it ever runs when it has not.
 *
 * The key: `<dataDir>/keys/journal.key`, 32 random bytes, created whole (a temp file written with mode 0600, then
 * linked to its name: a racing process finds either no file or the whole one, never half). Elsewhere than Windows
 * the file's mode (0600) keeps other users out; a key file that others can read is refused. On Windows the bytes
 * are protected by DPAPI for the machine (Windows PowerShell's [Security.Cryptography.ProtectedData], run by full
 * path): a copy of the data folder is useless elsewhere. The protector is injected, so both are tested here.
 *
 * Mutation score (Stryker, `npm run mutate -- main/runner/journal-seal.ts`, tests: test/unit/runner/journal-seal.test.ts and
 * journal-key.test.ts): 86.2% (150 killed, 13 survived, 11 not reached, 2026-11-23; not reached: the Windows-only default
 * DPAPI call and the link race; survivors: fsync/close calls and equivalent regex anchors).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { canonicalJson, canonicalJsonOfData } from './canonical-json.ts'
import type { RunJournalKind } from '../../preload/model/run-journal.ts'

/** What the key file holds, protected; how it is turned back into the key. */
export interface KeyProtector {
  readonly kind: 'file-0600' | 'dpapi'
  protect(raw: Buffer): Buffer
  unprotect(stored: Buffer): Buffer
}

export class JournalKeyError extends Error {}

/** Elsewhere than Windows: the bytes as they are, kept by the file's 0600 mode. */
export const fileProtector: KeyProtector = {
  kind: 'file-0600',
  protect: (b) => Buffer.from(b),
  unprotect: (b) => Buffer.from(b),
}

/** Windows PowerShell by full path (never a bare name). */
export const WINDOWS_POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'

/** The script that (un)protects base64 bytes read from standard input with DPAPI, for the local machine. */
export function dpapiScript(op: 'Protect' | 'Unprotect'): string {
  return [
    'Add-Type -AssemblyName System.Security',
    '$in = [Convert]::FromBase64String([Console]::In.ReadToEnd().Trim())',
    `$out = [Security.Cryptography.ProtectedData]::${op}($in, [Text.Encoding]::UTF8.GetBytes('ServicingDesk journal key'), [Security.Cryptography.DataProtectionScope]::LocalMachine)`,
    '[Console]::Out.Write([Convert]::ToBase64String($out))',
  ].join('; ')
}

/** argv for one DPAPI call (the bytes go through standard input, never the command line). */
export function dpapiArgv(op: 'Protect' | 'Unprotect'): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', dpapiScript(op)]
}

/** A DPAPI protector; `exec` runs powershell.exe with argv and standard input and returns standard output. */
export function dpapiProtector(
  exec: (file: string, argv: string[], input: string) => string = (file, argv, input) =>
    execFileSync(file, argv, { input, encoding: 'utf8', windowsHide: true, timeout: 60_000 }),
): KeyProtector {
  const call = (op: 'Protect' | 'Unprotect', b: Buffer) =>
    Buffer.from(exec(WINDOWS_POWERSHELL, dpapiArgv(op), b.toString('base64')).trim(), 'base64')
  return { kind: 'dpapi', protect: (b) => call('Protect', b), unprotect: (b) => call('Unprotect', b) }
}

export function protectorFor(platform: NodeJS.Platform = process.platform): KeyProtector {
  return platform === 'win32' ? dpapiProtector() : fileProtector
}

export function keyFile(dataDir: string): string {
  return join(dataDir, 'keys', 'journal.key')
}

/** The key file's content: which protector made it, and the protected bytes. */
function encode(p: KeyProtector, raw: Buffer): string {
  return `${JSON.stringify({ format: 1, protector: p.kind, key: p.protect(raw).toString('base64') })}\n`
}

/** Unprotected keys by data folder and protector (a DPAPI call costs a process start). */
const cache = new Map<string, Buffer>()

/** The app's journal key for this data folder: read, or created whole the first time. */
export function journalKey(dataDir: string, protector: KeyProtector = protectorFor()): Buffer {
  const file = keyFile(dataDir)
  const cacheKey = `${protector.kind}\u0000${file}`
  const cached = cache.get(cacheKey)
  if (cached) {
    // The file must still be there (a data folder reset removes it) and still be the app's alone.
    let st: ReturnType<typeof statSync> | null = null
    try {
      st = statSync(file)
    } catch {
      cache.delete(cacheKey)
    }
    if (st) {
      openToOthers(file, protector, Number(st.mode))
      return cached
    }
  }
  let text: string | null = null
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new JournalKeyError(
        `The journal key ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      )
  }
  if (text === null) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 })
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
    const fd = openSync(tmp, 'wx', 0o600)
    try {
      writeSync(fd, encode(protector, randomBytes(32)))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    try {
      linkSync(tmp, file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        try {
          unlinkSync(tmp)
        } catch {
          /* gone */
        }
        throw err
      }
    } finally {
      try {
        unlinkSync(tmp)
      } catch {
        /* gone */
      }
    }
    text = readFileSync(file, 'utf8')
  }
  openToOthers(file, protector, statSync(file).mode)
  let parsed: { format?: unknown; protector?: unknown; key?: unknown }
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new JournalKeyError(
      `The journal key ${file} is damaged (not JSON); remove it (unfinished runs then cannot be resumed, only redone).`,
    )
  }
  if (parsed.format !== 1 || parsed.protector !== protector.kind || typeof parsed.key !== 'string')
    throw new JournalKeyError(
      `The journal key ${file} was not made here (${String(parsed.protector)}); remove it to make a new one.`,
    )
  const key = protector.unprotect(Buffer.from(parsed.key, 'base64'))
  if (key.length !== 32)
    throw new JournalKeyError(`The journal key ${file} is damaged (its key is ${key.length} bytes, not 32).`)
  cache.set(cacheKey, key)
  return key
}

/** Elsewhere than Windows the file's mode is the key's only protection: a key others can read proves nothing. */
function openToOthers(file: string, protector: KeyProtector, mode: number): void {
  if (process.platform === 'win32' || protector.kind !== 'file-0600' || !(mode & 0o077)) return
  throw new JournalKeyError(
    `The journal key ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}), so a journal sealed with it proves nothing; nothing is resumed until it is removed (a new key is made).`,
  )
}

/** Every kind of run journal (preload/model/run-journal.ts): a new kind is sealed the same way. */
export type SealedKind = RunJournalKind

/** The seal of a journal (without its `seal` field). */
export function sealOf(key: Buffer, kind: SealedKind, id: string, journal: unknown): string {
  return sealOver(key, kind, id, canonicalJson(journal))
}

/** The HMAC over a journal's canonical JSON. */
function sealOver(key: Buffer, kind: SealedKind, id: string, canonical: string): string {
  return createHmac('sha256', key).update(`servicing-desk-journal\n${kind}\n${id}\n${canonical}`).digest('hex')
}

/**
 * sealOf for a journal that is plain JSON data (parsed from its file, or its text as written parsed back): the same
 * seal, its unchanged plan's canonical form taken from memory (main/runner/canonical-json.ts canonicalJsonOfData).
 */
function sealOfData(key: Buffer, kind: SealedKind, id: string, journal: unknown): string {
  return sealOver(key, kind, id, canonicalJsonOfData(journal))
}

/** The journal as written to disk: its fields and its seal. */
export function sealed<T extends object>(
  dataDir: string,
  kind: SealedKind,
  id: string,
  journal: T,
): T & { seal: string } {
  // Over the JSON as it is written (what a load reads back), so a field left undefined is the same both ways.
  const { seal: _old, ...body } = journal as T & { seal?: unknown }
  return { ...body, seal: sealOfData(journalKey(dataDir), kind, id, JSON.parse(JSON.stringify(body))) } as T & {
    seal: string
  }
}

/** Splits a journal read from disk into its fields and its seal (undefined when it has none). */
export function unseal(json: unknown): { body: unknown; seal: string | undefined } {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { body: json, seal: undefined }
  const { seal, ...body } = json as Record<string, unknown>
  return { body, seal: typeof seal === 'string' ? seal : undefined }
}

/** Null when the seal is this app's for this journal (plain JSON data: what its file holds, parsed), else why not (a plain clause). */
export function sealProblem(
  dataDir: string,
  kind: SealedKind,
  id: string,
  journal: unknown,
  seal: string | undefined,
): string | null {
  if (seal === undefined)
    return 'it carries no seal of this copy of Servicing Desk (it was written by an earlier version, or not by the app)'
  let key: Buffer
  try {
    key = journalKey(dataDir)
  } catch (err) {
    return (err as Error).message
  }
  const want = Buffer.from(sealOfData(key, kind, id, journal), 'hex')
  const got = /^[0-9a-f]{64}$/.test(seal) ? Buffer.from(seal, 'hex') : Buffer.alloc(0)
  return got.length === want.length && timingSafeEqual(got, want)
    ? null
    : "its seal is not this copy of Servicing Desk's for what it holds (it was changed, or written elsewhere)"
}
