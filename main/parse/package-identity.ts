/**
 * Parses a CBS package identity: `name~publicKeyToken~arch~language~version`.
 *
 * e.g. `Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10` is the LCU at 26100.1742
 * (checkpoint KB5043080, servicing-facts §3). DISM names architectures `amd64`, `x86`, `arm64`,
 * `wow64`, `msil`/empty (neutral) and `arm64.x86`/`arm64.arm` for the 32-bit halves on ARM64.
 */
import type { PackageArch } from '../../preload/model/common.ts'

export interface PackageIdentity {
  identity: string
  name: string
  publicKeyToken: string
  arch: PackageArch | null
  /** The arch as written, e.g. `amd64`. */
  rawArch: string
  language: string
  /** The version part, e.g. `26100.1742.1.10`. */
  version: string
  /** `KB5043080` when the name carries it (`Package_for_KB5043080`), else null. */
  kb: string | null
  /** What the name says the package is. */
  role: 'lcu' | 'ssu' | 'kb' | 'feature' | 'other'
}

/**
 * Matches one identity anywhere in text (token 16 hex digits; version dotted numbers, not a placeholder's prefix).
 * The name starts only at the first letter/digit of a run of name characters and is at most 256 characters:
 * without that, a long run of word characters with no `~` made every position rescan the run (quadratic;
 * an 80 KB line took 16 s). The leftmost match in a run always starts there, so results are unchanged.
 * The leading (?=[A-Za-z0-9]) skips the look-behinds where no name can start (a run of dots took 2 s).
 */
export const PACKAGE_IDENTITY_PATTERN =
  /(?=[A-Za-z0-9])(?:(?<![\w.-])|(?<=(?<![\w.-])[_.-]{1,255}))[A-Za-z0-9][\w.-]{0,255}~[0-9a-fA-F]{16}~[\w.-]*~[\w-]*~\d+(?:\.\d+){1,3}(?![\w.#])/g

export function parsePackageIdentity(text: string): PackageIdentity | null {
  if (typeof text !== 'string') return null
  const t = text.trim()
  const m = /^([A-Za-z0-9][\w.-]*)~([0-9a-fA-F]{16})~([\w.-]*)~([\w-]*)~(\d+(?:\.\d+){1,3})$/.exec(t)
  if (!m) return null
  const [, name, token, rawArch, language, version] = m
  const kbm = /(?:^|_)KB(\d{6,8})(?:_|$)/i.exec(name)
  let role: PackageIdentity['role'] = 'other'
  if (/^Package_for_RollupFix$/i.test(name)) role = 'lcu'
  else if (/^Package_for_ServicingStack/i.test(name)) role = 'ssu'
  else if (kbm) role = 'kb'
  else if (/FoD|Feature|OnDemand|LanguageFeatures/i.test(name)) role = 'feature'
  return {
    identity: t,
    name,
    publicKeyToken: token.toLowerCase(),
    arch: normalizePackageArch(rawArch),
    rawArch,
    language,
    version,
    kb: kbm ? `KB${kbm[1]}` : null,
    role,
  }
}

/** `amd64` → `x64`; the 32-bit halves on ARM64 (`arm64.x86`, `arm64.arm`) count as `wow64`. */
export function normalizePackageArch(raw: string): PackageArch | null {
  const a = raw.toLowerCase()
  if (a === 'amd64' || a === 'x64') return 'x64'
  if (a === 'x86') return 'x86'
  if (a === 'arm64') return 'arm64'
  if (a === 'arm') return 'arm'
  if (a === 'wow64' || a.startsWith('arm64.')) return 'wow64'
  if (a === '' || a === 'msil' || a === 'neutral') return 'neutral'
  return null
}

/** Compares dotted versions numerically (`26100.8655.1.7` > `26100.1742.1.10`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Whether the token `31bf3856ad364e35` follows a name character ([\w.-]) somewhere: where the tildes were kept (`~` before
 * every token, a whole identity list) the pattern below cannot match and is not run, nor compiled.
 */
function tokenAfterNameChar(text: string): boolean {
  for (let i = text.indexOf('31bf3856ad364e35', 1); i > 0; i = text.indexOf('31bf3856ad364e35', i + 16)) {
    const c = text.charCodeAt(i - 1)
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45)
      return true
  }
  return false
}

/**
 * Markdown renders `~text~` as strike-through and drops the tildes, so a pasted identity can arrive as
 * `Package_for_KB272945231bf3856ad364e35amd646.1.1.0` (a real paste). The public key token is
 * always 16 hex digits and Windows' is `31bf3856ad364e35`; the architecture and version follow it, so the
 * tildes can be put back: `Package_for_KB2729452~31bf3856ad364e35~amd64~~6.1.1.0`. Text with tildes is
 * left as it is. Pure, never throws.
 */
export function restoreStrippedTildes(text: string): string {
  if (typeof text !== 'string' || !tokenAfterNameChar(text)) return text
  return text.replace(
    /(?<![\w~])([A-Za-z][\w.-]*?)31bf3856ad364e35(amd64|wow64|x86|arm64|msil|arm)((?:[a-z]{2,3}-[A-Za-z]{2,4})?)(\d+(?:\.\d+){1,3})(?![\w.])/g,
    (_m, name: string, arch: string, lang: string, ver: string) => `${name}~31bf3856ad364e35~${arch}~${lang}~${ver}`,
  )
}
