/**
 * Normalises every form an error code takes in logs, tools and user input to `0x` + 8 upper-case hex.
 *
 * Forms (servicing-facts §1.3): `0x800F0922`, `800f0922`, a code wrapped across lines (`0x80` + newline +
 * `0f0922`), signed and unsigned 32-bit decimal (`-2146498270`, `2148469026`), Win32 codes (`740`, `0x3`,
 * `Error: 14098`) via HRESULT_FROM_WIN32, event-style `0x00000014`, setup pairs `0xC1900208 - 0x4000C`,
 * CBS's `[HRESULT = 0x… - NAME]`, DISM's `hr:0x…`, and symbolic names (`CBS_E_INSTALLERS_FAILED`,
 * `HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`). Total: never throws; null when nothing looks like a code.
 */

/**
 * How to read a small number (1..0xFFFF):
 * - `hresult`: as written (`0x00000014` stays `0x00000014`), for values that are HRESULTs by construction;
 * - `win32`: as a Win32 error, lifted with HRESULT_FROM_WIN32 (DISM "Error: 14098", CSI "error code 2");
 * - `auto` (default): like `win32`, because a person typing `740` or `0x3` means the Win32 error.
 */
export type CodeContext = 'hresult' | 'win32' | 'auto'

export interface NormalizedCode {
  /** `0x` + 8 upper-case hex digits. */
  code: string
  /** The extend code of a setup result pair (`0x4000C`), else null. */
  extend: string | null
  /** The number as read before any Win32 lifting, unsigned. */
  raw: number
  /** True when HRESULT_FROM_WIN32 was applied. */
  liftedFromWin32: boolean
}

/** HRESULT_FROM_WIN32 (winerror.h): `x <= 0 ? x : (x & 0xFFFF) | (7 << 16) | 0x80000000`. */
export function hresultFromWin32(x: number): number {
  if (x <= 0) return x >>> 0
  return ((x & 0xffff) | (7 << 16) | 0x80000000) >>> 0
}

/**
 * Windows Installer's results, which it numbers as Win32 system error codes ("MsiExec.exe and InstMsi.exe error
 * messages", learn.microsoft.com/windows/win32/msi/error-codes): 1601-1650 (1603 ERROR_INSTALL_FAILURE, 1618
 * ERROR_INSTALL_ALREADY_RUNNING, …), 1641 and 3010 (a restart initiated, or required).
 */
export function isInstallerExitCode(v: number): boolean {
  return (v >= 1601 && v <= 1650) || v === 1641 || v === 3010
}

/** Renders an unsigned 32-bit value as `0x` + 8 upper-case hex digits. */
export function formatCode(n: number): string {
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`
}

/** Optional lookup of symbolic names (`CBS_E_PENDING` → `0x800F0806`), injected by the knowledge layer. */
export type NameLookup = (name: string) => string | null

const MAX_SCAN = 10_000

export function normalizeErrorCode(
  text: unknown,
  context: CodeContext = 'auto',
  lookupName?: NameLookup,
): NormalizedCode | null {
  if (typeof text === 'number') return fromNumber(text, context, false)
  if (typeof text !== 'string') return null
  let s = text.slice(0, MAX_SCAN).trim()
  if (s === '') return null
  // The usual form (`0x80073712`, as typed, as the knowledge and most logs write it) read as the steps below read it,
  // none of which changes it, without their patterns: each is compiled on its first use (the built CLI, cachegrind:
  // diagnose --code 247.0 -> 244.9 M instructions, explain 197.6 -> 196.5).
  const usual = /^0x([0-9a-f]{1,8})$/i.exec(s)
  if (usual) return fromHex(usual[1]!, context)

  // Setup pair: 0xC1900208 - 0x4000C (the extend code gives phase/operation), in every written form: the extend
  // code without 0x (`C1900101 - 4000D`), glued (`0xC1900101-0x4001E`), inside SetupDiag's `Error = …`.
  const pair =
    /^(?:0x)?([0-9a-f]{8})\s*-\s*0x([0-9a-f]{1,8})$/i.exec(s) ??
    /(?:^|[^0-9a-z_])((?:0x[0-9a-f]{8})|(?:[8c][0-9a-f]{7}))\s*-\s*(?:0x)?([0-9a-f]{1,6})(?![0-9a-z_])/i.exec(s)
  if (pair) {
    const result = pair[1]!.replace(/^0x/i, '')
    return {
      code: formatCode(parseInt(result, 16)),
      extend: `0x${pair[2]!.toUpperCase().replace(/^0+(?=.)/, '')}`,
      raw: parseInt(result, 16) >>> 0,
      liftedFromWin32: false,
    }
  }

  // Strip the wrappers logs put around a code.
  s = s
    .replace(/^\[?\s*HRESULT\s*=\s*/i, '')
    .replace(/^\(?\s*hr\s*[:=]\s*/i, '')
    // Longest words first, and whole words only: `error code 5`, `errorlevel 5`, but not the `hresult` of HRESULT_FROM_WIN32(…).
    .replace(/^(?:error code|exit code|errorlevel|error|code|status|result|hresult)(?![a-z0-9_])\s*[:=]?\s*/i, '')
    .replace(/[\])]+$/, '')
    .trim()
  // `0x800f0922 - CBS_E_INSTALLERS_FAILED` (the name part of a CBS [HRESULT = …] wrapper).
  s = s.replace(/^((?:0x)?[0-9a-f]{1,8})\s*-\s*[A-Z][A-Z0-9_]+$/i, '$1')

  // A hex code wrapped across lines or split by spaces: `0x80` + newline + `0f0922`.
  const wrapped = /^0x([0-9a-f]+)(?:\s+([0-9a-f]+))+$/i.exec(s)
  if (wrapped) {
    const joined = s.slice(2).replace(/\s+/g, '')
    if (joined.length <= 8 && /^[0-9a-f]+$/i.test(joined)) return fromHex(joined, context)
  }

  let m = /^0x([0-9a-f]{1,8})$/i.exec(s)
  if (m) return fromHex(m[1]!, context)
  // Bare 8-digit hex: `800f0922`. Only 8 digits with a letter or a leading 8/C is unambiguous vs decimal.
  m = /^([0-9a-f]{8})$/i.exec(s)
  // A zero-padded 8-digit number with a facility (`00240005`: facility 0x24, WU_S_REBOOT_REQUIRED) is an HRESULT
  // printed as %08X, hex; `0000xxxx` (no facility) stays decimal.
  if (m && (/[a-f]/i.test(m[1]!) || /^[8c]/i.test(m[1]!) || /^00(?!00)/.test(m[1]!))) return fromHex(m[1]!, context)
  m = /^[-+]?\d{1,11}$/.exec(s)
  if (m) return fromNumber(Number(s), context, true)

  // Symbolic forms.
  const sym = /^(?:HRESULT_FROM_WIN32\(\s*)?([A-Z][A-Z0-9_]{2,80})\s*\)?$/i.exec(s)
  if (sym && lookupName) {
    const hit = lookupName(sym[1]!.toUpperCase())
    if (hit) return normalizeErrorCode(hit, 'hresult')
  }

  // Longer text: take the first code-like token (hex with 0x, or an 8-digit hex with a letter).
  const tokens = /0x[0-9a-f]{1,8}(?![0-9a-z])|\b[0-9a-f]{8}\b/gi
  for (const t of text.slice(0, MAX_SCAN).matchAll(tokens)) {
    const tok = t[0]
    if (!tok.toLowerCase().startsWith('0x') && !/[a-f]/i.test(tok) && !/^[8c]/i.test(tok)) continue
    // The first group of a GUID (8-4-4-4-12 hex digits: an update id, a download address, a job id) is no code.
    if (
      !tok.toLowerCase().startsWith('0x') &&
      /^-[0-9a-f]{4}-[0-9a-f]{4}-/i.test(text.slice(t.index + 8, t.index + 19))
    )
      continue
    const r = normalizeErrorCode(tok, context)
    if (r) return r
  }
  if (lookupName) {
    for (const t of text.slice(0, MAX_SCAN).matchAll(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,80}\b/g)) {
      const hit = lookupName(t[0])
      if (hit) return normalizeErrorCode(hit, 'hresult')
    }
  }
  return null
}

function fromHex(hex: string, context: CodeContext): NormalizedCode | null {
  const n = parseInt(hex, 16)
  if (!Number.isFinite(n)) return null
  return fromNumber(n, context, false)
}

function fromNumber(n: number, context: CodeContext, decimal: boolean): NormalizedCode | null {
  if (!Number.isInteger(n)) return null
  if (n < -0x80000000 || n > 0xffffffff) return null
  const raw = n < 0 ? n + 0x1_0000_0000 : n
  if (context !== 'hresult' && raw > 0 && raw <= 0xffff) {
    return { code: formatCode(hresultFromWin32(raw)), extend: null, raw, liftedFromWin32: true }
  }
  void decimal
  return { code: formatCode(raw), extend: null, raw, liftedFromWin32: false }
}
