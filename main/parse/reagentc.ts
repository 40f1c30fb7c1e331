/**
 * Parses what `reagentc.exe` prints: the `/info` report (Windows 10/11 format in any display language,
 * and the older "Extended configuration for the Recovery Environment" format of Windows 7 / 8 previews),
 * and the one-line answers of `/enable`, `/disable`, `/mountre`, `/unmountre` (success, "already
 * disabled", "image not found", BCD update failures…).
 *
 * Why structure before labels: reagentc's labels are localised ("Status der Windows RE", "Windows RE 状态",
 * "État de Windows RE") and even the status word is sometimes left in English (zh-CN prints `Disabled`).
 * What never changes is the shape: the WinRE location is `\\?\GLOBALROOT\device\harddisk<N>\partition<M>\…`
 * (reagentc-command-line-options, learn.microsoft.com), the BCD id is a bare GUID, the version a dotted
 * quad. Labels are used only to break ties. Total: never throws.
 */

export interface WinreLocation {
  disk: number
  partition: number
  /** The location exactly as reagentc printed it, e.g. `\\?\GLOBALROOT\device\harddisk0\partition4\Recovery\WindowsRE`. */
  path: string
}

export interface ReagentcInfo {
  status: 'enabled' | 'disabled' | 'unknown'
  location: WinreLocation | null
  /** Lower-case GUID without braces; null when all-zero, redacted (`####…`, `xxxx…`) or absent. */
  bcdId: string | null
  /** `Windows RE Version` (printed by 24H2-era reagentc), e.g. `10.0.26100.8235`; null when not printed. */
  version: string | null
  /** `windows-10` = the Windows 8.1+ layout; `legacy` = "Windows RE enabled: 1" (Windows 7 / Windows 8 previews). */
  format: 'windows-10' | 'legacy'
}

export type ReagentcOutcome =
  | 'info'
  | 'success'
  | 'already-enabled'
  | 'already-disabled'
  | 'image-not-found'
  | 'bcd-update-failed'
  | 'target-not-found'
  | 'failed'
  | 'unknown'

export interface ReagentcResult {
  outcome: ReagentcOutcome
  info: ReagentcInfo | null
  /** The `REAGENTC.EXE: …` line (or the last meaningful line), verbatim. */
  message: string | null
  /** True when reagentc said the operation succeeded, false when it said it failed, null when it said neither. */
  succeeded: boolean | null
  warnings: string[]
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const GLOBALROOT = /\\\\\?\\GLOBALROOT\\device\\harddisk(\d+)\\partition(\d+)(\\[^\r\n]*)?/i
const VERSION = /^\d+\.\d+\.\d+\.\d+$/

/** Words reagentc uses for "enabled" / "disabled" (English is also printed untranslated on some locales). */
const ENABLED =
  /^(enabled|aktiviert|activé|habilitado|activado|abilitato|ingeschakeld|включено|включена|etkin|activat|włączone|ativado|habilitada|已启用|启用|已啟用|啟用|有効|사용)$/i
const DISABLED =
  /^(disabled|deaktiviert|désactivé|deshabilitado|desactivado|disabilitato|uitgeschakeld|отключено|отключена|devre dışı|dezactivat|wyłączone|desativado|deshabilitada|已禁用|禁用|已停用|停用|無効|사용 안 함)$/i
/** Labels of the status line: "Windows RE status", "Status der Windows RE", "État de Windows RE", "Estado de Windows RE", "Windows RE 状态". */
const STATUS_LABEL = /(status|état|etat|estado|stato|状态|狀態|状態|состояние|durumu|stare|stan)/i
const VERSION_LABEL = /(version|versión|versione|版本|バージョン|версия|sürüm)/i
const BCD_LABEL = /(bcd)/i

/** Success lines in the languages we have seen, plus the legacy lower-case form. */
const SUCCESS =
  /(operation successful|opération réussie|operación correcta|vorgang erfolgreich|操作成功|operazione riuscita|işlem başarılı|операция выполнена успешно)/i

/** Reads `\\?\GLOBALROOT\device\harddisk<N>\partition<M>\…` into numbers and the verbatim path. */
export function parseGlobalrootPath(text: string): WinreLocation | null {
  if (typeof text !== 'string') return null
  const m = GLOBALROOT.exec(text)
  if (!m) return null
  const disk = Number(m[1])
  const partition = Number(m[2])
  if (!Number.isSafeInteger(disk) || !Number.isSafeInteger(partition)) return null
  return { disk, partition, path: stripTrailingComment(m[0]).trim() }
}

/** A BCD id as a lower-case GUID without braces, or null for all-zero, redacted, `{current}`-style or missing ids. */
export function normalizeBcdId(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null
  const m = GUID.exec(value)
  if (!m) return null
  const g = m[0].toLowerCase()
  return /^[0-]+$/.test(g) ? null : g
}

interface Field {
  label: string
  value: string
  line: string
}

/**
 * Splits `label: value` lines at the first colon (ASCII or full-width; French puts a space before it).
 * The GLOBALROOT path's own `\\?\` has no colon. Index-based, not a regex: a lazy label group next to
 * `\s*` backtracks cubically on long runs of Unicode spaces (found by fuzzing).
 */
/** Drops ` // …` or ` # …` after a value (two spaces or more before it, as people align their notes). */
export function stripTrailingComment(value: string): string {
  const at = commentStart(value, 2, true)
  const m = at >= 0 ? at : commentStart(value, 1, false)
  return m >= 0 ? value.slice(0, m) : value
}

/** What `\s` matches (ECMAScript WhiteSpace and LineTerminator), by code unit. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}
const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029

/**
 * Where a trailing note starts: the first run of at least `minBlanks` blanks followed by `//` (or, with `hash`, `#`), a
 * blank, and nothing but one line after it — what `\s{2,}(?:\/\/|#)\s.*$` (or `\s+\/\/\s.*$`) finds, in one pass.
 * The patterns themselves are quadratic: each start inside a long blank run scans the rest of it (a
 * pasted status line with 100,000 blanks after it took 8 s). -1 when there is none.
 */
function commentStart(value: string, minBlanks: number, hash: boolean): number {
  let lastLineEnd = -1
  for (let i = value.length - 1; i >= 0; i--)
    if (isLineEnd(value.charCodeAt(i))) {
      lastLineEnd = i
      break
    }
  let run = -1
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (isSpace(c)) {
      if (run < 0) run = i
      continue
    }
    if (run >= 0 && i - run >= minBlanks) {
      const marker = c === 0x2f && value.charCodeAt(i + 1) === 0x2f ? 2 : hash && c === 0x23 ? 1 : 0
      const blank = i + marker
      if (marker > 0 && blank < value.length && isSpace(value.charCodeAt(blank)) && blank + 1 > lastLineEnd) return run
    }
    run = -1
  }
  return -1
}

function fields(lines: string[]): Field[] {
  const out: Field[] = []
  for (const line of lines) {
    const a = line.indexOf(':')
    const b = line.indexOf('：')
    const i = a < 0 ? b : b < 0 ? a : Math.min(a, b)
    if (i <= 0) continue
    const label = line.slice(0, i).trim()
    if (label === '') continue
    // A comment a person added after the value (`Enabled   // WinRE is on`, `Enabled  # note`) is not part of it.
    out.push({ label, value: stripTrailingComment(line.slice(i + 1)).trim(), line })
  }
  return out
}

function statusWord(value: string): 'enabled' | 'disabled' | null {
  // French prints "Activé(e)" / "Désactivé(e)".
  const v = value
    .trim()
    .replace(/[.。]$/, '')
    .replace(/\((e|s|es)\)$/i, '')
  if (ENABLED.test(v)) return 'enabled'
  if (DISABLED.test(v)) return 'disabled'
  return null
}

/** The REAGENTC.EXE line, which carries the verdict of every reagentc command. */
function reagentcMessage(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim()
    if (/^REAGENTC(\.EXE)?\s*[:：]/i.test(l)) return l
  }
  return null
}

function classifyMessage(message: string): { outcome: ReagentcOutcome; succeeded: boolean | null } {
  const body = message.replace(/^REAGENTC(\.EXE)?\s*[:：]\s*/i, '')
  if (/already\s+disabled|bereits\s+deaktiviert|déjà\s+désactivé|ya\s+está\s+deshabilitado|已禁用|已经禁用/i.test(body))
    return { outcome: 'already-disabled', succeeded: false }
  if (/already\s+enabled|bereits\s+aktiviert|déjà\s+activé|ya\s+está\s+habilitado|已启用|已经启用/i.test(body))
    return { outcome: 'already-enabled', succeeded: false }
  if (
    /Windows RE image was not found|Windows RE-Image wurde nicht gefunden|image de Windows RE est introuvable|未找到 Windows RE 映像|找不到 Windows RE 映像/i.test(
      body,
    )
  )
    return { outcome: 'image-not-found', succeeded: false }
  if (
    /Boot Configuration Data|Startkonfigurationsdaten|données de configuration de démarrage|引导配置数据/i.test(body) &&
    /unable|cannot|failed|impossible|nicht|无法/i.test(body)
  )
    return { outcome: 'bcd-update-failed', succeeded: false }
  if (/target Windows installation was not found|未找到目标 Windows 安装/i.test(body))
    return { outcome: 'target-not-found', succeeded: false }
  if (SUCCESS.test(body)) return { outcome: 'success', succeeded: true }
  return { outcome: 'failed', succeeded: false }
}

/** The Windows 7 / Windows 8 preview layout: `Windows RE enabled: 1`, `Recovery Environment: \\?\…`, `BCD Id: …`. */
function parseLegacy(fs: Field[], text: string): ReagentcInfo {
  const get = (re: RegExp) => fs.find((f) => re.test(f.label))?.value ?? null
  const enabled = get(/^Windows RE\s+enabled$/i)
  return {
    status: enabled === '1' ? 'enabled' : enabled === '0' ? 'disabled' : 'unknown',
    location: parseGlobalrootPath(get(/^Recovery Environment$/i) ?? text),
    bcdId: normalizeBcdId(get(/^BCD Id$/i)),
    version: null,
    format: 'legacy',
  }
}

function parseModern(fs: Field[], text: string, warnings: string[]): ReagentcInfo {
  // Status: a line whose value is a status word; prefer one whose label reads like "status".
  const statusFields = fs.filter((f) => statusWord(f.value) !== null)
  const labelled = statusFields.filter((f) => STATUS_LABEL.test(f.label))
  const distinct = new Set((labelled.length > 0 ? labelled : statusFields).map((f) => statusWord(f.value)))
  let status: ReagentcInfo['status'] = 'unknown'
  if (distinct.size === 1) status = [...distinct][0]!
  else if (distinct.size > 1) warnings.push('The text says both "enabled" and "disabled"; status left unknown.')

  const location = parseGlobalrootPath(text)

  // BCD id: the value of the line labelled "…(BCD)…", else the first key-value line whose whole value is a GUID.
  const guidValue = (f: Field) => /^\{?[0-9a-f#x-]{36}\}?$/i.test(f.value)
  const bcdField = fs.find((f) => BCD_LABEL.test(f.label) && f.value !== '') ?? fs.find(guidValue)
  const bcdId = bcdField ? normalizeBcdId(bcdField.value) : null

  const versionField =
    fs.find((f) => VERSION_LABEL.test(f.label) && VERSION.test(f.value)) ??
    fs.find((f) => /windows re/i.test(f.label) && VERSION.test(f.value))
  // A disabled WinRE reports "Windows RE Version: 0.0.0.0" (seen in a German 24H2-era report): no version.
  const version = versionField && !/^0+\.0+\.0+\.0+$/.test(versionField.value) ? versionField.value : null
  return { status, location, bcdId, version, format: 'windows-10' }
}

export function parseReagentc(input: string): ReagentcResult {
  const text = typeof input === 'string' ? input : ''
  // Own split with trimEnd (linear): a trailing-space regex is quadratic on long runs of spaces (found by fuzzing).
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/).map((l) => l.trimEnd())
  const warnings: string[] = []
  const message = reagentcMessage(lines)
  const verdict = message ? classifyMessage(message) : null
  const fs = fields(lines)

  const legacy =
    fs.some((f) => /^Windows RE\s+enabled$/i.test(f.label)) ||
    /Extended configuration for the Recovery Environment/i.test(text)
  // '/setreimage' answers 'Directory set to: \\?\GLOBALROOT\…' — a path that is not an info report.
  const looksLikeInfo =
    legacy ||
    parseGlobalrootPath(lines.filter((l) => !/^\s*Directory set to\s*:/i.test(l)).join('\n')) !== null ||
    fs.some((f) => statusWord(f.value) !== null && /windows\s*re/i.test(f.label)) ||
    (/\(Windows RE\)/.test(text) && fs.some((f) => BCD_LABEL.test(f.label)))

  if (looksLikeInfo) {
    const info = legacy ? parseLegacy(fs, text) : parseModern(fs, text, warnings)
    if (info.status === 'unknown')
      warnings.push('No status line was recognised (is this a display language we do not know yet?).')
    if (info.status === 'enabled' && !info.location)
      warnings.push('WinRE is enabled but no \\\\?\\GLOBALROOT location was found.')
    if (!message) warnings.push('The closing "REAGENTC.EXE: …" line is missing; the text may be cut off.')
    const failed = verdict && verdict.succeeded === false ? verdict : null
    return {
      outcome: failed ? failed.outcome : 'info',
      info,
      message,
      succeeded: verdict?.succeeded ?? null,
      warnings,
    }
  }
  if (verdict && message)
    return { outcome: verdict.outcome, info: null, message, succeeded: verdict.succeeded, warnings }
  const last =
    lines
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? null
  if (last && SUCCESS.test(last)) return { outcome: 'success', info: null, message: last, succeeded: true, warnings }
  warnings.push(text.trim() === '' ? 'The text is empty.' : 'This is not reagentc output.')
  return { outcome: 'unknown', info: null, message: null, succeeded: null, warnings }
}

/** Cheap recogniser for the analyze registry: 0 … 1. */
export function looksLikeReagentc(text: string): number {
  if (typeof text !== 'string' || text === '') return 0
  const head = text.slice(0, 20_000)
  let score = 0
  if (/REAGENTC(\.EXE)?\s*[:：]/i.test(head)) score += 0.6
  if (
    /\(Windows RE\)|Windows RE\s+(status|location)|Windows RE\s*(状态|位置)|Status der Windows RE|de Windows RE\s*:/i.test(
      head,
    )
  )
    score += 0.3
  if (GLOBALROOT.test(head)) score += 0.2
  if (/Extended configuration for the Recovery Environment/i.test(head)) score += 0.4
  return Math.min(1, score)
}
