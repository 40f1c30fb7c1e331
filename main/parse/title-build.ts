/**
 * The build a Catalog title names. Since 2026 the Catalog appends the resulting OS build to cumulative-update
 * titles: "2026-09 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5129195) (26100.9457)"
 * (real titles: centauri/wimforge tests/Test-ReleaseKind.ps1, test/fixtures/catalog/titles-24h2-2026-wimforge.txt).
 * The earliest real title seen with the build is March 2026's ("… Version 24H2 for x64-based Systems (KB5085516)
 * (26100.8039)"); from May 2026 "Version" became ", version". Older titles ("… (KB5043080)", the 2022 captures)
 * carry none. Both forms are read; a title without the build yields null, never a guess.
 */
export interface TitleBuild {
  build: number
  ubr: number
}

/** `(26100.9457)` at the end of a title (after the KB), or null when the title has no build. */
export function buildFromTitle(title: string | null | undefined): TitleBuild | null {
  if (typeof title !== 'string') return null
  const m = /\(KB\d{6,8}\)\s*\((\d{5})\.(\d{1,6})\)\s*$/i.exec(title.trim())
  if (!m) return null
  const build = Number(m[1])
  const ubr = Number(m[2])
  return build >= 10000 && Number.isSafeInteger(ubr) ? { build, ubr } : null
}

/** The KB a title names (`(KB5129195)`), upper-case, or null. */
export function kbFromTitle(title: string | null | undefined): string | null {
  if (typeof title !== 'string') return null
  const m = /\(KB(\d{6,8})\)/i.exec(title)
  return m ? `KB${m[1]}` : null
}

/** The display version a title names, in either form: "Version 24H2" (until 2026-04) or ", version 24H2" (since). */
export function versionFromTitle(title: string | null | undefined): string | null {
  if (typeof title !== 'string') return null
  return /\bversion\s+(\d{2}H\d|\d{4})\b/i.exec(title)?.[1]?.toUpperCase() ?? null
}
