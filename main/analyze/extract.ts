/**
 * Nothing is lost: whatever kind a pasted text is (or when no kind fits), every error code in any form,
 * every KB number, Windows build number and package identity in it is read, each with the line it came
 * from (issue 17 §1).
 *
 * Code forms: `0x800f0922`, bare `800f0922` (8 hex digits starting 8 or C, not part of a GUID),
 * signed decimal `-2146498270`, unsigned decimal `2148469026` (in the failure range 0x80000000–0xFFFFFFFE),
 * Win32 numbers where the words around them say so (`Error: 14098`, `error code 5`, `System error 5`,
 * `Win32 error 2`), and symbolic names the knowledge data knows (`CBS_E_INVALID_PACKAGE`). Only failure
 * codes (severity bit set) are kept: `0x00000000` and flags are not errors.
 *
 * Bounded: lines are iterated with indexOf (no split of the whole text), each category keeps at most
 * MAX_ITEMS distinct items (the count of all is kept), excerpts are at most 240 characters.
 */
import { formatCode, hresultFromWin32 } from '../knowledge/error-normalize.ts'
import { codeForName, nameOfCode } from '../knowledge/error-codes.ts'
import { PACKAGE_IDENTITY_PATTERN } from '../parse/package-identity.ts'
import { forEachLine } from '../parse/lines.ts'

export interface ExtractedCode {
  /** `0x` + 8 upper-case hex digits. */
  code: string
  name: string | null
  /** The forms it was written in (up to 5), e.g. `800f0922`, `-2146498270`. */
  forms: string[]
  /** First line (1-based) it appears on, and that line (or a window of it). */
  line: number
  text: string
  /** The last line it appears on. */
  lastLine: number
  count: number
  /** Set when the line says the code was only logged on an Info line of a CBS/DISM log. */
  infoOnly: boolean
}

export interface ExtractedKb { kb: string; line: number; text: string; count: number }
export interface ExtractedBuild {
  /** `10.0.26100.1742` when the text gave four parts, else `26100.1742`. */
  version: string
  build: number
  ubr: number | null
  line: number
  text: string
  count: number
  /** What the number describes when the text says so: DISM's own version is not the image's. */
  role: 'dism-tool' | 'image' | null
}
export interface ExtractedPackage { identity: string; kb: string | null; line: number; text: string }

export interface TextFacts {
  codes: ExtractedCode[]
  kbs: ExtractedKb[]
  builds: ExtractedBuild[]
  packages: ExtractedPackage[]
  /** Lines read (including empty ones). */
  lines: number
  /** True when a category hit MAX_ITEMS and later distinct items were only counted. */
  capped: boolean
}

export const MAX_ITEMS = 200
const MAX_EXCERPT = 240
/** Longer lines are scanned in windows of this size (a flattened paste is one huge line). */
const WINDOW = 64 * 1024

const HEX_0X = /(?<![0-9A-Za-z])0x([0-9a-f]{8})(?![0-9a-z])/gi
const HEX_BARE = /(?<![0-9A-Za-z{\-_.:\\/])([8c][0-9a-f]{7})(?![0-9a-z_\-])/gi
const DEC_NEG = /(?<![\w.\-])-(2\d{9})(?![\w,:/]|\.\d)/g
const DEC_POS = /(?<![\w.\-,:/])([234]\d{9})(?![\w,:/]|\.\d)/g
const WIN32_CTX = /(?:\b(?:System error|Win32 error|error code|error|Fehler|erreur|Código de error)|код ошибки|ошибка|エラー|错误)\s*[:=]?\s*(\d{1,5})(?![\d.,:/])/gi
const SYMBOL = /\b(?:CBS_E|CBS_S|PSFX_E|SPAPI_E|WU_E|DISM_E|ERROR|E|STATUS)_[A-Z0-9_]{2,80}\b/g
const KB = /(?<![A-Za-z0-9])KB\s?(\d{6,8})(?!\d)/gi
const BUILD4 = /(?<![\d.])(?:6\.[0-3]|10\.0)\.(\d{4,5})\.(\d{1,5})(?![\d.])/g
const BUILD2 = /(?<![\d.])(1\d{4}|2\d{4})\.(\d{1,5})(?![\d.])/g

function window(line: string, index: number): string {
  if (line.length <= MAX_EXCERPT) return line.trim()
  const start = Math.max(0, index - 80)
  return `${start > 0 ? '…' : ''}${line.slice(start, start + MAX_EXCERPT).trim()}…`
}

const INFO_LINE = /^\s*(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\s*)?Info\s/

export function createFactExtractor() {
  const codes = new Map<string, ExtractedCode>()
  const kbs = new Map<string, ExtractedKb>()
  const builds = new Map<string, ExtractedBuild>()
  const packages = new Map<string, ExtractedPackage>()
  let lines = 0
  let capped = false
  let prevLine = ''

  function addCode(n: number, form: string, lineNo: number, line: string, index: number): void {
    if (!Number.isFinite(n)) return
    const u = n >>> 0
    if (u < 0x80000000 || u === 0xffffffff) return
    const code = formatCode(u)
    const info = INFO_LINE.test(line)
    const e = codes.get(code)
    if (e) {
      e.count++
      e.lastLine = lineNo
      if (!info) e.infoOnly = false
      if (e.forms.length < 5 && !e.forms.includes(form)) e.forms.push(form)
      return
    }
    if (codes.size >= MAX_ITEMS) { capped = true; return }
    codes.set(code, { code, name: nameOfCode(code), forms: [form], line: lineNo, text: window(line, index), lastLine: lineNo, count: 1, infoOnly: info })
  }

  function scan(line: string, lineNo: number): void {
    if (!/\d|_E_|ERROR_/.test(line)) return
    for (const m of line.matchAll(HEX_0X)) addCode(parseInt(m[1]!, 16), m[0], lineNo, line, m.index)
    for (const m of line.matchAll(HEX_BARE)) addCode(parseInt(m[1]!, 16), m[0], lineNo, line, m.index)
    for (const m of line.matchAll(DEC_NEG)) { const v = -Number(m[1]); if (v >= -0x80000000) addCode(v, m[0], lineNo, line, m.index) }
    for (const m of line.matchAll(DEC_POS)) { const v = Number(m[1]); if (v >= 0x80000000 && v < 0xffffffff) addCode(v, m[0], lineNo, line, m.index) }
    for (const m of line.matchAll(WIN32_CTX)) {
      const v = Number(m[1])
      if (v > 0 && v <= 0xffff) addCode(hresultFromWin32(v), m[0], lineNo, line, m.index)
    }
    for (const m of line.matchAll(SYMBOL)) {
      const c = codeForName(m[0])
      if (c) addCode(parseInt(c.slice(2), 16), m[0], lineNo, line, m.index)
    }
    for (const m of line.matchAll(KB)) {
      const kb = `KB${m[1]}`
      const e = kbs.get(kb)
      if (e) { e.count++; continue }
      if (kbs.size >= MAX_ITEMS) { capped = true; continue }
      kbs.set(kb, { kb, line: lineNo, text: window(line, m.index), count: 1 })
    }
    const role: ExtractedBuild['role'] = /Deployment Image Servicing and Management|Abbildverwaltung|Gestion et maintenance des images|Administración y mantenimiento de imágenes|DISM\b.*(?:tool|Tool)/i.test(prevLine) && /^\s*(?:Version|Versión|バージョン|版本|Версия)\s*[:：]/i.test(line)
      ? 'dism-tool'
      : /Image Version|Abbildversion|Version de l.image|Versión de imagen|映像版本|Версия образа|イメージのバージョン/i.test(line) ? 'image' : null
    const addBuild = (version: string, build: number, ubr: number | null, index: number) => {
      const e = builds.get(version)
      if (e) { e.count++; if (!e.role && role) e.role = role; return }
      if (builds.size >= MAX_ITEMS) { capped = true; return }
      builds.set(version, { version, build, ubr, line: lineNo, text: window(line, index), count: 1, role })
    }
    let four = false
    for (const m of line.matchAll(BUILD4)) { four = true; addBuild(m[0], Number(m[1]), Number(m[2]), m.index) }
    if (!four || line.length > 400) {
      for (const m of line.matchAll(BUILD2)) {
        const b = Number(m[1])
        if (b < 10240 || b > 29999) continue
        // Part of a four-part version already counted (10.0.26100.1742)?
        if (m.index >= 5 && /10\.0\.$/.test(line.slice(m.index - 5, m.index))) continue
        addBuild(m[0], b, Number(m[2]), m.index)
      }
    }
    if (line.includes('~')) {
      for (const m of line.matchAll(PACKAGE_IDENTITY_PATTERN)) {
        const id = m[0]
        if (packages.has(id)) continue
        if (packages.size >= MAX_ITEMS) { capped = true; continue }
        packages.set(id, { identity: id, kb: /KB\d{6,8}/i.exec(id)?.[0].toUpperCase() ?? null, line: lineNo, text: window(line, m.index) })
      }
    }
  }

  return {
    line(line: string, lineNo: number): void {
      lines = lineNo
      if (line.length <= WINDOW) { scan(line, lineNo); prevLine = line; return }
      // A huge line (a flattened paste): scan overlapping windows so a token cut at a window edge is still seen.
      for (let i = 0; i < line.length; i += WINDOW - 256) scan(line.slice(i, i + WINDOW), lineNo)
      prevLine = line.slice(-512)
    },
    finish(): TextFacts {
      return { codes: [...codes.values()], kbs: [...kbs.values()], builds: [...builds.values()], packages: [...packages.values()], lines, capped }
    },
  }
}

export function extractTextFacts(text: string): TextFacts {
  const x = createFactExtractor()
  forEachLine(text, (l, n) => x.line(l, n))
  return x.finish()
}
