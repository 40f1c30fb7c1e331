/**
 * Parses installed-package lists: `DISM /Get-Packages` (list and `/Format:Table`), `Get-WindowsPackage`
 * (list, and JSON from `ConvertTo-Json`), in any display language, hard-wrapped or flattened.
 *
 * Records are found by their package identity (language independent), and each record's state, release
 * type and install time are read from the text between one identity and the next: a list puts them on
 * the following `label : value` lines, a table in `|` cells, a flattened paste in one run of words.
 * States are recognised in English, German, French, Spanish and Chinese (DISM's localized output).
 */
import type { InstalledPackage, PackageState } from '../../preload/model/snapshot.ts'
import { PACKAGE_IDENTITY_PATTERN, parsePackageIdentity, compareVersions } from './package-identity.ts'
import { unwrapConsoleLines, lostNewlines } from './console-text.ts'
import { inferDayMonthOrder, readDate, ambiguousDateWarning } from './date-text.ts'

/**
 * The script the packages probe runs: Get-WindowsPackage as JSON with enum names as strings (5.1 would
 * print numbers) and InstallTime as sortable local time (`s`), so no display culture is involved.
 */
export const WINDOWS_PACKAGE_SCRIPT = [
  '$rows = @(Get-WindowsPackage -Online | Select-Object PackageName,',
  "  @{n='PackageState';e={[string]$_.PackageState}}, @{n='ReleaseType';e={[string]$_.ReleaseType}},",
  "  @{n='InstallTime';e={if ($_.InstallTime) { $_.InstallTime.ToString('s') }}})",
  'ConvertTo-Json -InputObject $rows -Compress',
].join('\n')

export type DismPackagesFormat = 'dism-list' | 'dism-table' | 'get-windowspackage' | 'json' | 'flattened' | 'none'

export interface DismPackagesResult {
  packages: InstalledPackage[]
  format: DismPackagesFormat
  /** `Image Version:` from DISM's header (the image's, not DISM's own `Version:`). */
  imageVersion: string | null
  /** DISM's `Error: N` line when the command failed. */
  error: string | null
  warnings: string[]
}

/** States by DISM's numeric DismPackageFeatureState (Get-WindowsPackage JSON) and their names. */
const STATE_BY_NUMBER: Record<number, PackageState> = {
  0: 'absent', 1: 'uninstall-pending', 2: 'staged', 3: 'absent', 4: 'installed', 5: 'install-pending', 6: 'superseded', 7: 'other',
}

/** Localized state words, most specific first (`Uninstall Pending` before `Install Pending` before `Installed`). */
const STATE_WORDS: Array<[RegExp, PackageState]> = [
  [/uninstall\s*pending|deinstallation\s+ausstehend|d[ée]sinstallation\s+en\s+attente|desinstalaci[óo]n\s+pendiente|卸载挂起|挂起卸载|卸载暂挂/iu, 'uninstall-pending'],
  [/install\s*pending|installation\s+ausstehend|installation\s+en\s+attente|instalaci[óo]n\s+pendiente|安装挂起|挂起安装|安装暂挂/iu, 'install-pending'],
  [/partially\s*installed|teilweise\s+installiert|partiellement\s+install|部分安装/iu, 'other'],
  [/(?<!\p{L})(?:installed|installiert|install[ée]e?|instalado)(?!\p{L})|已安装/iu, 'installed'],
  [/(?<!\p{L})(?:staged|bereitgestellt|pr[ée]par[ée]e?|indexé|almacenado)(?!\p{L})|已暂存|已暂留/iu, 'staged'],
  [/(?<!\p{L})(?:superseded|ersetzt|remplac[ée]e?|reemplazado)(?!\p{L})|已被取代|已取代|已替代/iu, 'superseded'],
  [/not\s*present|nicht\s+vorhanden|non\s+pr[ée]sent|no\s+presente|不存在|(?<!\p{L})(?:resolved|removed)(?!\p{L})/iu, 'absent'],
]

const RELEASE_BY_NUMBER = ['Critical Update', 'Driver', 'Feature Pack', 'Hotfix', 'Security Update', 'Software Update',
  'Update', 'Update Rollup', 'Language Pack', 'Foundation', 'Service Pack', 'Product', 'Local Pack', 'Other', 'OnDemand Pack']

const RELEASE_WORDS = /\b(Security\s*Update|Critical\s*Update|Update\s*Rollup|Software\s*Update|Feature\s*Pack|Language\s*Pack|OnDemand\s*Pack|On\s*Demand\s*Pack|Service\s*Pack|Local\s*Pack|Foundation|Hotfix|Driver|Product|Update|Other)\b/i

const DATE_IN_TEXT = /\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,?\s*-?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|am|pm))?)?/

export function parseDismPackages(input: string): DismPackagesResult {
  const text = typeof input === 'string' ? input : ''
  const trimmed = text.trim()
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const fromJson = parseJson(trimmed)
    if (fromJson) return fromJson
  }
  const lines = unwrapConsoleLines(text, (l) => /^\s*(Package\s*Identity|PackageName|State|PackageState|Release\s*Type|ReleaseType|Install\s*Time|InstallTime)\s*:/i.test(l))
  const joined = lines.join('\n')
  const warnings: string[] = []
  const error = /^\s*(?:Error|Fehler|Erreur|错误)\s*:\s*(0x[0-9a-fA-F]+|\d+)\s*$/m.exec(joined)?.[1] ?? null
  if (error) warnings.push(`DISM reported error ${error}; the list may be empty or incomplete.`)
  const imageVersion = /Image\s*Version\s*:\s*(\d+\.\d+\.\d+\.\d+)/i.exec(joined)?.[1] ?? null

  const matches = [...joined.matchAll(PACKAGE_IDENTITY_PATTERN)]
  const flattened = lostNewlines(text)
  const isTable = /^[^\n]*\|[^\n]*\|/m.test(joined) && /Package\s*Identity\s*\|/i.test(joined) || /^\S+~[0-9a-f]{16}~\S*\s*\|/im.test(joined)
  const format: DismPackagesFormat = matches.length === 0 ? 'none'
    : flattened ? 'flattened'
      : isTable ? 'dism-table'
        : /PackageName\s*:/.test(joined) ? 'get-windowspackage' : 'dism-list'

  const raws: Array<{ identity: string; stateText: string; releaseText: string | null; timeText: string | null }> = []
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]
    const start = (m.index ?? 0) + m[0].length
    const end = i + 1 < matches.length ? (matches[i + 1].index ?? joined.length) : joined.length
    const segment = joined.slice(start, end)
    raws.push({ identity: m[0], ...readSegment(segment, format) })
  }

  const order = inferDayMonthOrder(raws.map((r) => r.timeText ?? ''))
  let ambiguous = 0
  let ambiguousExample = ''
  const packages: InstalledPackage[] = raws.map((r) => {
    const id = parsePackageIdentity(r.identity)
    const when = readDate(r.timeText, order)
    if (when.ambiguous) { ambiguous++; ambiguousExample ||= when.value ?? '' }
    return {
      identity: r.identity,
      kb: id?.kb ?? null,
      arch: id?.arch ?? null,
      version: id?.version ?? null,
      state: stateFromText(r.stateText),
      releaseType: normalizeReleaseType(r.releaseText),
      installTime: when.value,
    }
  })
  if (ambiguous > 0) warnings.push(ambiguousDateWarning(ambiguous, ambiguousExample))
  if (flattened && packages.length > 0) warnings.push('The text lost its line breaks; packages were read by their identities.')
  return { packages, format, imageVersion, error, warnings }
}

function readSegment(segment: string, format: DismPackagesFormat): { stateText: string; releaseText: string | null; timeText: string | null } {
  if (format === 'dism-table') {
    const row = segment.split('\n')[0]
    const cells = row.split('|').map((c) => c.trim())
    // cells[0] is what follows the identity in its own cell (usually empty).
    return { stateText: cells[1] ?? '', releaseText: cells[2] || null, timeText: cells[3] || null }
  }
  if (format !== 'flattened') {
    const values: string[] = []
    for (const line of segment.split('\n').slice(1)) {
      if (line.trim() === '') { if (values.length > 0) break; else continue }
      const colon = line.search(/\s:\s|\s:$|[:：]\s/)
      if (colon < 0) break
      values.push(line.slice(colon).replace(/^\s*[:：]\s*/, '').trim())
      if (values.length === 3) break
    }
    if (values.length >= 1) {
      const timeText = values[2] ? (DATE_IN_TEXT.exec(values[2])?.[0] ?? values[2]) : null
      return { stateText: values[0], releaseText: values[1] || null, timeText }
    }
  }
  const time = DATE_IN_TEXT.exec(segment)?.[0] ?? null
  const rel = RELEASE_WORDS.exec(segment.replace(/Install\s*Time|InstallTime/gi, ''))?.[1] ?? null
  return { stateText: segment, releaseText: rel, timeText: time }
}

function stateFromText(text: string): PackageState {
  const compact = text.trim()
  if (/^\d+$/.test(compact)) return STATE_BY_NUMBER[Number(compact)] ?? 'other'
  let best: { at: number; state: PackageState } | null = null
  for (const [re, state] of STATE_WORDS) {
    const m = re.exec(compact)
    if (m && (best === null || m.index < best.at)) best = { at: m.index, state }
  }
  return best?.state ?? 'other'
}

function normalizeReleaseType(text: string | null | undefined): string | null {
  if (text == null) return null
  const t = String(text).trim()
  if (t === '') return null
  if (/^\d+$/.test(t)) return RELEASE_BY_NUMBER[Number(t)] ?? t
  // PowerShell enum names (`SecurityUpdate`, `OnDemandPack`) read as DISM prints them.
  const spaced = t.replace(/([a-z])([A-Z])/g, '$1 $2')
  const known = RELEASE_BY_NUMBER.find((r) => r.toLowerCase().replace(/\s/g, '') === t.toLowerCase().replace(/\s/g, ''))
  return known ?? (spaced === t ? t : spaced)
}

function parseJson(text: string): DismPackagesResult | null {
  let data: unknown
  try { data = JSON.parse(text) } catch { return null }
  const items = Array.isArray(data) ? data : [data]
  const rows = items.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
  const times = rows.map((r) => jsonDateText(r.InstallTime) ?? '')
  const order = inferDayMonthOrder(times)
  const packages: InstalledPackage[] = []
  const warnings: string[] = []
  for (const r of rows) {
    const identity = typeof r.PackageName === 'string' ? r.PackageName : typeof r.PackageIdentity === 'string' ? r.PackageIdentity : null
    if (!identity) continue
    const id = parsePackageIdentity(identity)
    const stateRaw = r.PackageState ?? r.State
    const state = typeof stateRaw === 'number' ? (STATE_BY_NUMBER[stateRaw] ?? 'other') : stateFromText(String(stateRaw ?? '').replace(/([a-z])([A-Z])/g, '$1 $2'))
    const when = readDate(jsonDateText(r.InstallTime), order)
    packages.push({
      identity, kb: id?.kb ?? null, arch: id?.arch ?? null, version: id?.version ?? null, state,
      releaseType: normalizeReleaseType(r.ReleaseType == null ? null : String(r.ReleaseType)),
      installTime: when.value,
    })
  }
  if (rows.length > 0 && packages.length === 0) warnings.push('The JSON has no PackageName fields; is it Get-WindowsPackage output?')
  return { packages, format: 'json', imageVersion: null, error: null, warnings }
}

/** PowerShell serialises DateTime as `/Date(ms)/` (5.1), ISO (7), or `{value, DateTime}` (ScriptProperty). */
export function jsonDateText(v: unknown): string | null {
  if (v == null) return null
  if (typeof v === 'string') return v
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>
    if (typeof o.value === 'string') return o.value
    if (typeof o.DateTime === 'string') return o.DateTime
  }
  return null
}

/** The effective LCU: the highest installed Package_for_RollupFix (its version is build.UBR.x.y). */
export function effectiveLcu(packages: readonly InstalledPackage[]): { identity: string; version: string; build: number; ubr: number } | null {
  let best: { identity: string; version: string; build: number; ubr: number } | null = null
  for (const p of packages) {
    if (p.state !== 'installed') continue
    const id = parsePackageIdentity(p.identity)
    if (!id || id.role !== 'lcu') continue
    const [build, ubr] = id.version.split('.').map(Number)
    if (!best || compareVersions(id.version, best.version) > 0) best = { identity: p.identity, version: id.version, build, ubr }
  }
  return best
}

/** The highest installed servicing stack (Package_for_ServicingStack_*) version, or null. */
export function servicingStackVersion(packages: readonly InstalledPackage[]): string | null {
  let best: string | null = null
  for (const p of packages) {
    const id = p.state === 'installed' ? parsePackageIdentity(p.identity) : null
    if (id?.role === 'ssu' && (best === null || compareVersions(id.version, best) > 0)) best = id.version
  }
  return best
}
