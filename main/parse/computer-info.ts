/**
 * Parses `Get-ComputerInfo` output (Format-List text or ConvertTo-Json). Its property names are the
 * same in every display language (only values are translated).
 */
import { consoleLines } from './console-text.ts'
import { readFormatTables } from './format-table.ts'
import { archFromText, editionFromProductName, isPlaceholder, EMPTY_OS_TEXT, type OsTextFacts } from './os-text.ts'

export interface ComputerInfoResult {
  os: OsTextFacts
  /** Number of Get-ComputerInfo properties recognised (detection uses it). */
  recognised: number
  /** True when the build came from a property only Get-ComputerInfo / Win32_OperatingSystem prints. */
  buildNamed: boolean
  warnings: string[]
}

const KNOWN = [
  'WindowsProductName',
  'WindowsEditionId',
  'WindowsVersion',
  'WindowsBuildLabEx',
  'OsName',
  'OsVersion',
  'OsBuildNumber',
  'OSDisplayVersion',
  'OsArchitecture',
  'CsSystemType',
  'CsName',
  'WindowsUBR',
  'OsHardwareAbstractionLayer',
  'CsDNSHostName',
  // Win32_OperatingSystem (Get-WmiObject / Get-CimInstance / wmic os), the class Get-ComputerInfo reads.
  'BuildNumber',
  'Caption',
  'OSArchitecture',
  'SystemDirectory',
  'RegisteredUser',
  'SerialNumber',
  'CSDVersion',
]

export function parseComputerInfo(input: string): ComputerInfoResult {
  const text = typeof input === 'string' ? input : ''
  const props = new Map<string, string>()
  const t = text.trim()
  let parsedJson = false
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>
      for (const [k, v] of Object.entries(o))
        if (v != null && typeof v !== 'object') props.set(k.toLowerCase(), String(v))
      parsedJson = true
    } catch {
      /* fall through to text */
    }
  }
  if (!parsedJson) {
    for (const line of consoleLines(text)) {
      const m = /^\s*([A-Za-z][A-Za-z0-9]+)\s*:\s?(.*)$/.exec(line)
      if (m && !props.has(m[1].toLowerCase())) props.set(m[1].toLowerCase(), m[2].trim())
    }
    // Format-Table (`Get-ComputerInfo | Select-Object WindowsVersion, OsBuildNumber`): the first row of a table
    // whose columns are these properties, in whatever order.
    for (const t of readFormatTables(text)) {
      if (t.rows.length === 0 || !t.headers.some((h) => KNOWN.some((k) => k.toLowerCase() === h.toLowerCase())))
        continue
      for (const h of t.headers) if (!props.has(h.toLowerCase())) props.set(h.toLowerCase(), t.rows[0]![h] ?? '')
    }
    // Flattened paste: `WindowsBuildLabEx : 22621.1... WindowsCurrentVersion : 6.3 ...`
    if (props.size < 3) {
      for (const k of KNOWN) {
        const v = flattenedValue(text, k)
        if (v !== null) props.set(k.toLowerCase(), v.trim())
      }
    }
  }
  const get = (k: string) => {
    const v = props.get(k.toLowerCase())
    return v === undefined || isPlaceholder(v) ? null : v
  }
  const recognised = KNOWN.filter((k) => props.has(k.toLowerCase())).length
  const os: OsTextFacts = { ...EMPTY_OS_TEXT }
  os.productName =
    get('OsName') ?? get('WindowsProductName') ?? (/windows/i.test(get('Caption') ?? '') ? get('Caption') : null)
  os.edition = get('WindowsEditionId') ?? editionFromProductName(os.productName)
  os.displayVersion = get('OSDisplayVersion')
  const build =
    get('OsBuildNumber') ??
    get('BuildNumber') ??
    /^\d+\.\d+\.(\d+)/.exec(get('OsVersion') ?? get('Version') ?? '')?.[1] ??
    /^(\d{4,5})\./.exec(get('WindowsBuildLabEx') ?? '')?.[1]
  os.build = build && /^\d+$/.test(build) ? Number(build) : null
  const ubr = get('WindowsUBR')
  os.ubr = ubr && /^\d+$/.test(ubr) ? Number(ubr) : null
  os.arch =
    archFromText(get('CsSystemType')) ??
    archFromText(get('OSArchitecture')) ??
    bitness(get('OSArchitecture')) ??
    archFromText(/(\w+)fre/.exec(get('WindowsBuildLabEx') ?? '')?.[1]) ??
    null
  os.computerName = get('CsName') ?? get('CsDNSHostName')
  const warnings: string[] = []
  if (os.build !== null && os.ubr === null)
    warnings.push('Get-ComputerInfo does not show the UBR; the registry value CurrentVersion\\UBR has it.')
  /** A build number under a property only this kind of output has (`OsBuildNumber`, Win32_OperatingSystem's `BuildNumber`). */
  const buildNamed = os.build !== null && (props.has('osbuildnumber') || props.has('buildnumber'))
  return { os, recognised, buildNamed, warnings }
}

/** Win32_OperatingSystem.OSArchitecture as printed: `64-bit`, `32-bit`, `64 bits`, `64 ビット` (ARM is named, and read above). */
function bitness(value: string | null): 'x64' | 'x86' | null {
  if (!value) return null
  return /^\s*64\b/.test(value) ? 'x64' : /^\s*32\b/.test(value) ? 'x86' : null
}

/** What `\s` matches, by code unit. */
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
const isUpper = (c: number) => c >= 65 && c <= 90
const isWord = (c: number) => isUpper(c) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)

/**
 * The value after `key :` in a flattened paste, up to the next `Name :` (blanks before it) or the end of the text;
 * null when the line ends first. What `\bkey\s*:\s*(.*?)(?=\s+[A-Z][A-Za-z0-9]+\s*:|$)` finds, in linear time: that
 * pattern tries the whole blank run ahead at every character of the value (34 lines with 30,000
 * blanks each took 3 s). Each run of blanks is judged once: is it followed by `Name` and a colon?
 */
export function flattenedValue(text: string, key: string): string | null {
  const head = new RegExp(`\\b${key}\\s*:`, 'g')
  const judged = new Map<number, boolean>()
  /** Does the blank run that starts at `a` lead to `Name\s*:`? */
  const nameAfter = (a: number): boolean => {
    const hit = judged.get(a)
    if (hit !== undefined) return hit
    let i = a
    while (i < text.length && isSpace(text.charCodeAt(i))) i++
    let ok = false
    if (i < text.length && isUpper(text.charCodeAt(i)) && i + 1 < text.length && isWord(text.charCodeAt(i + 1))) {
      i++
      while (i < text.length && isWord(text.charCodeAt(i))) i++
      while (i < text.length && isSpace(text.charCodeAt(i))) i++
      ok = text.charCodeAt(i) === 0x3a
    }
    judged.set(a, ok)
    return ok
  }
  /** The start of the blank run that holds `p`. */
  const runStart = (p: number, floor: number) => {
    let a = p
    while (a > floor && isSpace(text.charCodeAt(a - 1))) a--
    return a
  }
  for (let m = head.exec(text); m !== null; m = head.exec(text)) {
    const colon = m.index + m[0].length
    let start = colon
    while (start < text.length && isSpace(text.charCodeAt(start))) start++
    let runAt = -1
    for (let p = start; ; p++) {
      if (p === text.length) return text.slice(start, p)
      const c = text.charCodeAt(p)
      if (isSpace(c)) {
        if (runAt < 0) runAt = runStart(p, start)
        if (nameAfter(runAt)) return text.slice(start, p)
      } else runAt = -1
      if (isLineEnd(c)) break
    }
    // The line ended first: with fewer blanks taken after the colon, the next name may follow them (an empty value).
    if (start > colon && nameAfter(colon)) return ''
    head.lastIndex = m.index + 1
  }
  return null
}
