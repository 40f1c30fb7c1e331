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
 * Bounded and fast: ONE combined regular expression runs over the whole text (no split into lines, no
 * per-line callback: 50 MB of newlines costs one native scan); line numbers are counted incrementally
 * between matches; each category keeps at most MAX_ITEMS distinct items (the count of all is kept);
 * excerpts are at most 240 characters of the match's line.
 */
import { formatCode, hresultFromWin32 } from '../knowledge/error-normalize.ts'
import { codeForName, nameOfCode } from '../knowledge/error-codes.ts'
import { PACKAGE_IDENTITY_PATTERN } from '../parse/package-identity.ts'

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

// Each form, checked on one "run" of token characters (the tokenizer below cuts the text into runs).
const HEX_0X = /^0[xX]([0-9a-fA-F]{8})$/
const HEX_BARE = /^[8cC][0-9a-fA-F]{7}$/
const DEC_NEG = /^-(2\d{9})$/
const DEC_POS = /^[234]\d{9}$/
const SYMBOL = /^(?:CBS_E|CBS_S|PSFX_E|SPAPI_E|WU_E|DISM_E|ERROR|E|STATUS)_[A-Z0-9_]{2,80}$/
const KB_IN = /(?<![A-Za-z0-9])[Kk][Bb](\d{6,8})(?!\d)/g
const BUILD4 = /(?<![\d.])(?:6\.[0-3]|10\.0)\.(\d{4,5})\.(\d{1,5})(?![\d.])/g
const BUILD2 = /(?<![\d.])([12]\d{4})\.(\d{1,5})(?![\d.])/g
/** Words before a Win32 number that make it an error code (`Error: 14098`, `System error 5`, `Fehler 5`). */
const WIN32_BEFORE = /(?:\b(?:[Ss]ystem error|[Ww]in32 error|[Ee]rror code|[Ee]rror|ERROR|[Ff]ehler|[Ee]rreur|[Cc]ódigo de error)|код ошибки|[Оо]шибка|エラー|错误)[^\S\n]*[:=：]?[^\S\n]*$/
/** Token characters: ASCII letters, digits, `_ ~ . - +`. Everything else (space, `[]():=,"'`, non-ASCII) cuts a run. */
const TOKEN_CHAR = new Uint8Array(128)
for (let c = 48; c <= 57; c++) TOKEN_CHAR[c] = 2 // digits
for (let c = 65; c <= 90; c++) TOKEN_CHAR[c] = 1
for (let c = 97; c <= 122; c++) TOKEN_CHAR[c] = 1
for (const ch of '_~.-+') TOKEN_CHAR[ch.charCodeAt(0)] = 1

const INFO_LINE = /^\s*(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\s*)?Info\s/
const DISM_TOOL = /Deployment Image Servicing and Management|Abbildverwaltung|Gestion et maintenance des images|Administración y mantenimiento de imágenes|Обслуживание образов|展開イメージのサービスと管理|部署映像服务和管理/i
const VERSION_LINE = /^\s*(?:Version|Versión|バージョン|版本|Версия)\s*[:：]/i
const IMAGE_VERSION = /Image Version|Abbildversion|Version de l.image|Versión de imagen|映像版本|Версия образа|イメージのバージョン/i

/** Start of the line holding `pos`, looking back at most `max` characters (then the window's start). */
function lineStart(text: string, pos: number, max = 2000): number {
  const stop = Math.max(0, pos - max)
  for (let i = pos - 1; i >= stop; i--) if (text.charCodeAt(i) === 10) return i + 1
  return stop
}
function lineEnd(text: string, pos: number, max = 2000): number {
  const stop = Math.min(text.length, pos + max)
  for (let i = pos; i < stop; i++) if (text.charCodeAt(i) === 10) return i
  return stop
}

/** Can a run with digits (no '.', 'B', '_' or '~') be a code, a Win32 number or a bare KB number? */
function worthClassifying(text: string, start: number, len: number, digits: number): boolean {
  if (digits === len) return len <= 5 || (len >= 6 && len <= 8) || (len === 10 && text.charCodeAt(start) >= 50 && text.charCodeAt(start) <= 52)
  const f = text.charCodeAt(start)
  if (len === 10) return f === 48 // 0x…
  if (len === 8) return f === 56 || f === 99 || f === 67 // 8…, c…, C…
  if (len === 11) return f === 45 // -2…
  return false
}

/** `8e73986c` followed by `-289e-…`: the first part of a GUID, not a code. */
function isGuidPart(text: string, start: number, end: number): boolean {
  return text.charCodeAt(end) === 45 || text.charCodeAt(start - 1) === 123 || text.charCodeAt(start - 1) === 45
}

function isInfoLine(text: string, pos: number): boolean {
  const ls = lineStart(text, pos)
  return INFO_LINE.test(text.slice(ls, ls + 80))
}

function excerptAt(text: string, pos: number): string {
  const s = lineStart(text, pos, 120)
  const e = lineEnd(text, pos, MAX_EXCERPT)
  const from = Math.max(s, e - MAX_EXCERPT)
  const cutStart = from > 0 && text.charCodeAt(from - 1) !== 10
  const cutEnd = e < text.length && text.charCodeAt(e) !== 10
  return `${cutStart ? '…' : ''}${text.slice(from, e).trim()}${cutEnd ? '…' : ''}`
}

export interface FactExtractor {
  /** Feeds one line (streaming use); `lineNo` is 1-based. */
  line(line: string, lineNo: number): void
  /** Feeds a whole text whose first line is `firstLine`. */
  text(text: string, firstLine?: number): void
  finish(): TextFacts
}

export function createFactExtractor(): FactExtractor {
  const codes = new Map<string, ExtractedCode>()
  const kbs = new Map<string, ExtractedKb>()
  const builds = new Map<string, ExtractedBuild>()
  const packages = new Map<string, ExtractedPackage>()
  let lines = 0
  let capped = false

  const codeText = new Map<number, string>()
  function addCode(n: number, form: string, lineNo: number, text: string, pos: number): void {
    if (!Number.isFinite(n)) return
    const u = n >>> 0
    if (u < 0x80000000 || u === 0xffffffff) return
    let code = codeText.get(u)
    if (code === undefined) { code = formatCode(u); codeText.set(u, code) }
    const e = codes.get(code)
    if (e) {
      e.count++
      e.lastLine = lineNo
      if (e.infoOnly && !isInfoLine(text, pos)) e.infoOnly = false
      if (e.forms.length < 5 && !e.forms.includes(form)) e.forms.push(form)
      return
    }
    if (codes.size >= MAX_ITEMS) { capped = true; return }
    codes.set(code, { code, name: nameOfCode(code), forms: [form], line: lineNo, text: excerptAt(text, pos), lastLine: lineNo, count: 1, infoOnly: isInfoLine(text, pos) })
  }

  function addBuild(version: string, build: number, ubr: number, lineNo: number, text: string, pos: number): void {
    const ls = lineStart(text, pos, 400)
    const lineText = text.slice(ls, pos)
    let role: ExtractedBuild['role'] = null
    if (IMAGE_VERSION.test(lineText)) role = 'image'
    else if (VERSION_LINE.test(lineText) && ls > 0) {
      const prev = text.slice(lineStart(text, ls - 1, 400), ls - 1)
      if (DISM_TOOL.test(prev)) role = 'dism-tool'
    }
    const e = builds.get(version)
    if (e) { e.count++; if (!e.role && role) e.role = role; return }
    if (builds.size >= MAX_ITEMS) { capped = true; return }
    builds.set(version, { version, build, ubr, line: lineNo, text: excerptAt(text, pos), count: 1, role })
  }

  function addPackages(run: string, pos: number, lineNo: number, text: string): void {
    if (packages.has(run)) return
    for (const m of run.matchAll(PACKAGE_IDENTITY_PATTERN)) {
      const id = m[0]
      if (packages.has(id)) continue
      if (packages.size >= MAX_ITEMS) { capped = true; continue }
      packages.set(id, { identity: id, kb: /KB\d{6,8}/i.exec(id)?.[0].toUpperCase() ?? null, line: lineNo, text: excerptAt(text, pos + (m.index ?? 0)) })
    }
  }

  /** Classifies one run text[start, end) (already trimmed of trailing `.`/`-`). */
  function classify(text: string, start: number, end: number, lineNo: number, digits: number, tilde: boolean): void {
    const run = text.slice(start, end)
    if (tilde) addPackages(run, start, lineNo, text)
    const len = run.length
    if (digits === 0) {
      if (len >= 5 && run.includes('_')) {
        const core = run.replace(/^[^A-Z]+/, '')
        if (SYMBOL.test(core)) { const c = codeForName(core); if (c) addCode(parseInt(c.slice(2), 16), core, lineNo, text, start) }
      }
      return
    }
    if (len <= 5 && digits === len) {
      // A Win32 number only where the words before it say it is an error.
      const v = Number(run)
      if (v > 0 && v <= 0xffff) {
        let i = start - 1
        while (i >= 0 && i > start - 4) { const c = text.charCodeAt(i); if (c === 32 || c === 9 || c === 58 || c === 61 || c === 0xff1a) i--; else break }
        const c = text.charCodeAt(i)
        if (c === 114 || c === 82 || c === 101 || c === 69 || c === 0x430 || c === 0x30fc || c === 0x8bef) {
          const before = text.slice(Math.max(0, start - 24), start)
          if (WIN32_BEFORE.test(before)) addCode(hresultFromWin32(v), `${before.trim()} ${run}`.trim(), lineNo, text, start)
        }
      }
      return
    }
    if (len < 6) return
    let m: RegExpExecArray | null
    if (len === 10 && (m = HEX_0X.exec(run))) addCode(parseInt(m[1]!, 16), run, lineNo, text, start)
    else if (len === 8 && HEX_BARE.test(run) && !isGuidPart(text, start, end)) addCode(parseInt(run, 16), run, lineNo, text, start)
    else if (len === 11 && (m = DEC_NEG.exec(run))) { const v = -Number(m[1]); if (v >= -0x80000000) addCode(v, run, lineNo, text, start) }
    else if (len === 10 && DEC_POS.test(run)) { const v = Number(run); if (v >= 0x80000000 && v < 0xffffffff) addCode(v, run, lineNo, text, start) }
    if (run.includes('B') || run.includes('b')) {
      for (const k of run.matchAll(KB_IN)) {
        const kb = `KB${k[1]}`
        const e = kbs.get(kb)
        if (e) e.count++
        else if (kbs.size >= MAX_ITEMS) capped = true
        else kbs.set(kb, { kb, line: lineNo, text: excerptAt(text, start), count: 1 })
      }
      // `KB 5034441` (a space after KB): the run is the number, the `KB` is the run before it.
    } else if (digits >= 6 && digits === len && len <= 8 && start >= 3 && /[Kk][Bb] $/.test(text.slice(start - 3, start)) && (start === 3 || !/[A-Za-z0-9]/.test(text[start - 4]!))) {
      const kb = `KB${run}`
      const e = kbs.get(kb)
      if (e) e.count++
      else if (kbs.size >= MAX_ITEMS) capped = true
      else kbs.set(kb, { kb, line: lineNo, text: excerptAt(text, start), count: 1 })
    }
    if (run.includes('.')) {
      let four = false
      for (const b of run.matchAll(BUILD4)) { four = true; addBuild(b[0], Number(b[1]), Number(b[2]), lineNo, text, start + b.index) }
      if (!four) {
        for (const b of run.matchAll(BUILD2)) {
          const n = Number(b[1])
          if (n >= 10240 && n <= 29999) addBuild(b[0], n, Number(b[2]), lineNo, text, start + b.index)
        }
      }
    }
  }

  function scanText(text: string, firstLine: number): void {
    let lineNo = firstLine
    let start = -1
    let digits = 0
    let tilde = false
    let marks = 0 // 1: a '.', 2: a 'B'/'b', 4: a '_'
    const n = text.length
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 10
      const t = c < 128 ? TOKEN_CHAR[c]! : 0
      if (t !== 0) {
        if (start < 0) { start = i; digits = 0; tilde = false; marks = 0 }
        if (t === 2) digits++
        else if (c === 126) tilde = true
        else if (c === 46) { if (digits > 0) marks |= 1 }
        else if (c === 66 || c === 98) { const p = text.charCodeAt(i - 1); if (p === 75 || p === 107) marks |= 2 }
        else if (c === 95) { if (digits === 0) marks |= 4 }
        continue
      }
      if (start >= 0) {
        let end = i
        while (end > start) { const e = text.charCodeAt(end - 1); if (e === 46 || e === 45 || e === 43 || e === 95) end--; else break }
        const len = end - start
        // Cheap tests on length and first character decide whether the run can hold anything at all.
        if (len >= 1 && (tilde || marks !== 0 || (digits > 0 && worthClassifying(text, start, len, digits)))) {
          classify(text, start, end, lineNo, digits, tilde)
        }
        start = -1
      }
      if (c === 10 && i < n) lineNo++
    }
    lines = Math.max(lines, lineNo)
  }

  return {
    line(line, lineNo) { scanText(line, lineNo) },
    text(text, firstLine = 1) { scanText(text, firstLine) },
    finish(): TextFacts {
      return { codes: [...codes.values()], kbs: [...kbs.values()], builds: [...builds.values()], packages: [...packages.values()], lines, capped }
    },
  }
}

export function extractTextFacts(text: string): TextFacts {
  const x = createFactExtractor()
  x.text(text)
  return x.finish()
}
