/**
 * Whose voice a pasted text speaks in, when it tells its failure in words only: a person's own report ("my PC", a
 * pasted log line or command, a named state of one PC) or a text with no failure of its own — an explainer or a news
 * item about updates in general (third person, users in plural, reasons listed, an author walking the reader through
 * the page), a question asking how to do something, a change to documentation or code (a pull request, a diff, a
 * typo fixed), or the failure of another program's own updater. `generalTextIn` (outcome-words.ts) asks for many
 * signs, because a text with a KB or a code may be that update's or that code's own story; this reading is for texts
 * with no KB and no Setup pair, and asks for fewer signs when the text holds no code at all. The words are data
 * (data/outcome-words.json, `failureMood.voice` beside the other mood lists), in every language the table holds.
 * The genre's structure counts too: a table of contents, an introduction or a conclusion as headings, a page naming
 * itself as a guide or a post, causes listed as kinds, a support page's own KB number (its KB is the page's), a
 * feature request's title, an idea or a change for documentation even when it quotes a code, a guide named in the
 * title, and a code defined as a sentence's subject ("Error 0x… means …"; two codes defined make a reference).
 * One pass of a few patterns over the text: linear in its length.
 */
import data from './data/outcome-words.json' with { type: 'json' }
import { escapePattern } from '../parse/escape-pattern.ts'
import {
  generalSignsIn,
  lowerOf,
  usersMetFailure,
  wordsRe,
  type GeneralSign,
  type GeneralText,
} from './outcome-words.ts'

type Lists = Record<string, string[]>
const voice = (data as { failureMood?: { voice?: Record<string, Lists | string> } }).failureMood?.voice ?? {}
const listOf = (key: string): string[] => {
  const v = voice[key]
  return v && typeof v === 'object' ? Object.values(v).flat() : []
}
const patternOf = (key: string): RegExp => wordsRe(listOf(key))
const globalOf = (key: string): RegExp => new RegExp(patternOf(key).source, 'gu')

const CHANGE_ALL = new RegExp(wordsRe([...listOf('change'), ...listOf('docIdea')]).source, 'gu')
// A unified diff's hunk header at the start of a line: "@@ -320,6 +320,7 @@".
const HUNK = /^@@ -\d{1,9}(?:,\d{1,9})? \+\d{1,9}(?:,\d{1,9})? @@/m
const docIdeaRe = patternOf('docIdea')
const otherUpdaterRe = patternOf('otherUpdater')
const packageManagerRe = patternOf('packageManager')
const PACKAGE_MANAGER_ALL = globalOf('packageManager')
const servicingRe = patternOf('servicing')
const questionRe = patternOf('question')
const thirdPersonRe = patternOf('thirdPerson')
const exampleRe = patternOf('example')
const ownVoiceRe = wordsRe(listOf('ownVoice'), true)
const reportFormWords = new Set(listOf('reportForm'))
const codesInGeneralRe = patternOf('codesInGeneral')
const authorialRe = patternOf('authorial')
const titleRe = patternOf('title')
const explainsWhyRe = patternOf('explainsWhy')
const guideTitleRe = patternOf('guideTitle')
const pageSelfRe = patternOf('pageSelf')
const causesRe = patternOf('causes')
const ownKbRe = patternOf('ownKb')
const escaped = (key: string): string[] =>
  listOf(key)
    .map(escapePattern)
    .sort((a, b) => b.length - a.length)
/**
 * A code defined as a sentence's subject: at the start of a line or after a sentence's end, the words naming it
 * ("the error code", "Код", エラーコード) or none, the code, then a verb that defines it within the same sentence
 * ("means", "occurs when", возникает, を示します). A try starts only where a sentence starts and stops at once unless
 * a code follows; the blanks and marks before it and the rest of the sentence are bounded (an unbounded run of blanks
 * after a full stop was read again from each of its ends: 200,000 blanks took minutes): one pass over the text.
 */
const CODE_DEFINED = new RegExp(
  `(?:^|[.!?。！？])[^\\S\\n]{0,8}(?:[*#>\\-•]{1,4}[^\\S\\n]{0,4})?(?:(?:${escaped('codeSubject').join('|')})[^\\S\\n]?)?[«"“「『]?(0x[0-9a-f]{8})[»"”」』]?[^\\n.;!?。！？]{0,40}?(?:${patternOf('codeDefined').source})`,
  'gmu',
)
/**
 * A KB cited as a page's source ("Source: Microsoft Support KB4023814", 出典：… KB…): the citation's words, then the KB
 * on the same line within a few words and not inside an address (a slash before it). Bounded: one pass.
 */
const KB_CITED = new RegExp(`(?:${patternOf('kbSource').source})[^\\n/]{0,40}?(?<![\\p{L}\\d])kb ?\\d{6,7}(?!\\d)`, 'u')
/** A KB written as one ("KB5034441", "kb 5034441"), and a link's address (to read the text without them). */
const KB_WORD = /(?<![\p{L}\d])kb ?\d{6,7}(?!\d)/u
const URL_ALL = /https?:\/\/[^\s)\]>"']{1,2000}/g
const tocWords = new Set(listOf('toc'))
const contentsWords = new Set([...listOf('contents'), ...listOf('sections')])
const releaseWords = new Set(listOf('releaseNotes'))
const versionWords = listOf('version').map(escapePattern)
/** A version heading: a version word or a "v" before the number ("Version 3.2.0", "## v2.4.1", "バージョン 1.8"). */
const VERSION_LINE = new RegExp(
  `^[#*=\\s]*(?:(?:${versionWords.join('|')})\\s*v?|v)\\d{1,4}(?:\\.\\d{1,4}){1,3}[^\\p{L}]{0,30}$`,
  'u',
)
const bylineRe = patternOf('byline')
const monthWords = new Set(listOf('months'))
/** The first lines a page's byline or date stands on, under its title. */
const BYLINE_LINES = 6
/** A date alone on its line is short ("31. Oktober 2015", "October 31, 2015", 2015年10月31日). */
const DATE_MAX = 40
const YEAR = /(?<!\d)(?:19|20)\d\d(?!\d)/
const CJK_DATE = /^(?:19|20)\d\d\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일]?$/u
const DATE_WORDS = /[\p{L}]+/gu
const requestData = (data as { failureMood?: { request?: Lists } }).failureMood?.request ?? {}
const requestRe = wordsRe(Object.values(requestData).flat())
/**
 * A link written as markdown, `[text](address)`: its text is another page's title (a forum thread's "my PC fails"),
 * not the writer's voice, so the voice is read with the address in its place. Both parts are bounded and hold no
 * bracket of either kind, so a try that starts at one bracket ends at the next: one pass over the text.
 */
const LINK = /\[[^[\]\n]{0,300}\]\(([^()[\]\s]{1,2000})\)/g
/** The lines a feature request's title may stand on (a GitHub issue puts its repository and labels above it). */
const REQUEST_LINES = 3
/** A heading of an article's structure is a short line of its own; longer lines are prose. */
const HEADING_MAX = 60
/** A heading's numbering and markup before its words ("2.1 ", "## ", "• ", "II. ") and its colon after them. */
const HEADING_MARKS =
  /^[\s#*>\-•=·]*(?:\d{1,3}(?:\.\d{1,3}){0,3}[.)]?|[ivx]{1,5}[.)]|[一二三四五六七八九十]{1,3}[、.])?\s*/u
const HEADING_COLON = /[\s:：]+$/u

/** A bug report form's heading is a line of its own, longer than an article's ("Details of the scenario you tried …"). */
const FORM_HEADING_MAX = 100
/** A heading's closing markup and colon ("**To Reproduce**", "Expected behavior:"). */
const FORM_HEADING_END = /[\s:：*_]+$/u

/** A short line of the text, trimmed (`line`), and its words without a heading's numbering and markup (`bare`). */
type ShortLine = { line: string; bare: string }
let shortLinesMemo: { lower: string; lines: ShortLine[] } | null = null
/**
 * The text's lines short enough to be a heading (≤ FORM_HEADING_MAX, the longest kind), each trimmed and stripped of
 * its marks once: the readers of a report's form, an article's structure and release notes read the same lines, and
 * one reading of a text asks for them more than once (the last text's are kept).
 */
function shortLinesOf(lower: string): ShortLine[] {
  if (shortLinesMemo?.lower === lower) return shortLinesMemo.lines
  const lines: ShortLine[] = []
  for (const raw of lower.split('\n')) {
    const line = raw.trim()
    if (line.length === 0 || line.length > FORM_HEADING_MAX) continue
    lines.push({ line, bare: line.replace(HEADING_MARKS, '') })
  }
  shortLinesMemo = { lower, lines }
  return lines
}

/** The text holds a bug report form: one of its headings as a short line of its own (one pass over the lines). */
function reportFormIn(lower: string): boolean {
  return shortLinesOf(lower).some(({ bare }) => reportFormWords.has(bare.replace(FORM_HEADING_END, '')))
}

/**
 * The headings of an article's structure the text holds (a table of contents, an introduction, a conclusion), each
 * a short line of its own: a person's report has none of them. Each line is read once.
 */
function contentsHeadingsIn(lower: string): string[] {
  const found = new Set<string>()
  for (const { line, bare } of shortLinesOf(lower)) {
    if (line.length > HEADING_MAX) continue
    // A Turkish capital İ stays as written in the lower-cased text (its lower case is two characters long).
    const words = bare.replace(HEADING_COLON, '').replaceAll('\u0130', 'i')
    if (contentsWords.has(words) && found.add(words).size >= 3) break
  }
  return [...found]
}

/**
 * Release notes' shape: their section headings ("What's new", "Bug fixes", "Known issues"), each a short line of its
 * own, and whether a version heading stands among the lines. Each line is read once.
 */
function releaseNotesIn(lower: string): { headings: string[]; version: boolean } {
  const found = new Set<string>()
  let version = false
  for (const { line, bare } of shortLinesOf(lower)) {
    if (line.length > HEADING_MAX) continue
    if (!version && VERSION_LINE.test(line)) version = true
    const words = bare.replace(HEADING_COLON, '')
    if (releaseWords.has(words)) found.add(words)
    if (found.size >= 3 && version) break
  }
  return { headings: [...found], version }
}

/**
 * A page's byline among its first lines: a byline's words ("posted on", 投稿日), or a line that is a date alone — a
 * year with a month's name and nothing else but digits and marks (a person's report starts with its story). The
 * few first lines only, each read once.
 */
function bylineIn(lower: string): string | null {
  const first = lower
    .slice(0, TITLE_TEXT)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, BYLINE_LINES)
  for (const line of first) {
    const by = bylineRe.exec(line)
    if (by) return by[0]
    if (line.length > DATE_MAX || !YEAR.test(line)) continue
    if (CJK_DATE.test(line)) return line
    const words = line.match(DATE_WORDS) ?? []
    if (words.length > 0 && words.every((w) => monthWords.has(w))) return line
  }
  return null
}

/** How much of a text is read for its voice (a page or a thread is far shorter). */
const VOICE_TEXT = 500_000
/** The lines an explainer's title may stand on, and how far into the text they are looked for. */
const TITLE_LINES = 2
const TITLE_TEXT = 2_000

/**
 * The page a text is when it tells no failure of its own, read from its voice, or null. `facts`: what the text's
 * story already read — its failure codes, its KBs and Setup result pairs (a text with a KB or a pair is that update's
 * story, left to `generalTextIn`).
 */
export function voiceGeneralIn(text: string, facts: { codes: number; kbs: number; pairs: number }): GeneralText | null {
  if (typeof text !== 'string' || text.length === 0) return null
  const part = (text.length > VOICE_TEXT ? text.slice(0, VOICE_TEXT) : text).replace(LINK, ' $1 ')
  const read = generalSignsIn(part)
  if (read === null) return null
  // A log line of a run or a command pasted with its result is a run of this PC, whatever the genre around it.
  if (read.own === 'machine' || read.own === 'command') return null
  const lower = lowerOf(part)
  // A support page's own KB number ("Original KB number") makes its KB the page's, not an update's story.
  const ownKb = ownKbRe.exec(lower)
  // A KB cited as the page's source, or a page with a table of contents that names itself: its KBs are the page's
  // sources or topics, not an update's story.
  const contents = contentsHeadingsIn(lower)
  const self = pageSelfRe.exec(lower)
  const pointed =
    self !== null &&
    /^[\s:(<[]{0,4}https?:/.test(lower.slice(self.index + self[0].length, self.index + self[0].length + 16))
  const pageKb = KB_CITED.test(lower) || (self !== null && !pointed && contents.some((w) => tocWords.has(w)))
  // A KB only inside a link's address (support.microsoft.com/help/3208485/…) cites a page; it names no update the text
  // tells of.
  const kbTold = read.kb || (facts.kbs > 0 && KB_WORD.test(lower.replace(URL_ALL, ' ')))
  const kb = kbTold && ownKb === null && !pageKb
  // The story's failure codes count too: a code written without its 0x is still the text's code.
  const codes = Math.max(read.codes, facts.codes)
  // Codes defined as their sentences' subjects ("Error 0x… means …"): two of them make a reference.
  const defined = new Set<string>()
  for (const m of lower.matchAll(CODE_DEFINED)) if (defined.add(m[1]!).size >= 2) break
  // A change to documentation or code: two of its words (a pull request's description, a diff of a document). Three
  // of them, or two with an idea for documentation named as such ("doc idea"), make the genre even with a code or a
  // Setup pair quoted (a known issue's code moved to another update, a step proposed for a troubleshooting page): the
  // text changes a page, it reports no run. A unified diff's hunk header ("@@ -320,6 +320,7 @@") is one of its
  // signs, kept where a paste drops the diff's fence.
  const change = new Set<string>()
  for (const m of lower.matchAll(CHANGE_ALL)) if (change.add(m[0]).size >= 4) break
  const hunk = HUNK.test(lower)
  if (hunk) change.add('@@ … @@')
  // Three signs with a hunk among them: the codes are the rows of the document the diff changes (an error-code
  // table), however many, not one run's codes.
  if (!kb && read.own !== 'first-person' && hunk && change.size >= 3)
    return { page: 'documentation or code change', signs: [...change] }
  // Three codes or more are one run's codes, unless the text speaks of codes as a kind (a table of codes, "these
  // error codes"): then it may be a reference, still judged by its voice below (three signs, its framing among them).
  if (codes > 2 && defined.size < 2 && !codesInGeneralRe.test(lower)) return null
  const quoted = codes + facts.pairs
  if (
    !kb &&
    read.own !== 'first-person' &&
    ((change.size >= 2 && quoted === 0) ||
      ((change.size >= 3 || (change.size >= 2 && docIdeaRe.test(lower))) && quoted <= 2 && codes <= 2))
  )
    return { page: 'documentation or code change', signs: [...change] }
  // A text with a KB or a Setup pair is that update's or that pair's story.
  if (kb || facts.pairs > 0) return null
  // Another program's updater failing (an editor's, a browser's): no Windows servicing word and no code in the text.
  if (otherUpdaterRe.test(lower) && !servicingRe.test(lower) && codes === 0) {
    const m = otherUpdaterRe.exec(lower)!
    return { page: "report on another program's updater", signs: [m[0]] }
  }
  // A package manager updating apps (winget, Chocolatey): its codes are the app installer's or its own, not Windows
  // servicing's, so a code may stand; still no Windows servicing word in the text besides the manager's own commands
  // ("winget upgrade" upgrades an app, not Windows).
  if (packageManagerRe.test(lower) && !servicingRe.test(lower.replace(PACKAGE_MANAGER_ALL, ' '))) {
    const m = packageManagerRe.exec(lower)!
    return { page: "report on another program's updater", signs: [m[0]] }
  }
  if (read.own !== null) return null
  const sentences = lower.split(/(?<=[.!?])\s|(?<=[。！？])|\n/)
  // A person's own account: two sentences in the singular first person ("I used …", "my laptop"), whatever else.
  let own = 0
  for (const s of sentences) if (ownVoiceRe.test(s) && ++own >= 2) return null
  // A page titled as an explanation of why updates fail ("Microsoft explains why …", "why your updates fail"): the
  // users it tells met the failure are the phenomenon it explains. Its first line only (a reply's "that explains why"
  // further down is no title).
  const title = lower.slice(0, TITLE_TEXT).trimStart().split('\n', 1)[0] ?? ''
  const why = explainsWhyRe.exec(title)
  if (why) return { page: 'explainer', signs: [why[0].trim()] }
  // News of one problem that users met (told as a fact, not as a condition or a frequency) is that problem's story.
  if (sentences.some(usersMetFailure)) return null
  const signs: GeneralSign[] = [...read.signs.filter((s) => s.kind !== 'error-code reference')]
  const add = (re: RegExp, kind: GeneralSign['kind'], target: string) => {
    const m = re.exec(target)
    if (m) signs.push({ kind, phrase: m[0].trim(), strong: false })
  }
  // A question asking how or whether something can be done: a sentence of its own that ends in a question mark.
  const question = sentences.find((s) => /[?？]\s*$/.test(s) && questionRe.test(s))
  if (question)
    signs.push({ kind: 'question on how to do something', phrase: question.trim().slice(0, 60), strong: false })
  add(thirdPersonRe, 'news item', lower)
  add(exampleRe, 'weak', lower)
  add(codesInGeneralRe, 'explainer', lower)
  add(authorialRe, 'explainer', lower)
  // A page naming itself ("this guide", "ce guide", 本指南), once with the table's own words for it.
  // "Use this guide https://…" points to another page: a link right after the words is not this page.
  if (self && !pointed && !signs.some((s) => s.phrase.includes(self[0]) || self[0].includes(s.phrase)))
    signs.push({ kind: 'explainer', phrase: self[0], strong: false })
  // A code defined in general; two codes defined make a reference of codes.
  if (defined.size > 0)
    signs.push({ kind: 'explainer', phrase: `defined: ${[...defined].join(', ')}`, strong: defined.size >= 2 })
  // Causes listed as kinds ("the typical causes", 考えられる原因).
  add(causesRe, 'explainer', lower)
  if (ownKb) signs.push({ kind: 'support article', phrase: ownKb[0], strong: false })
  // A publication's byline or date under the title: a published page, not a report.
  const byline = bylineIn(lower)
  if (byline) signs.push({ kind: 'explainer', phrase: byline, strong: false })
  // An article's structure: one heading of it frames the page, two (a table of contents and a conclusion) make it.
  if (contents.length > 0) signs.push({ kind: 'explainer', phrase: contents.join(', '), strong: contents.length >= 2 })
  // Release notes: two of their headings, or one under a version heading (a changelog tells fixed failures, not one PC's).
  const release = releaseNotesIn(lower)
  if (release.headings.length >= 2 || (release.headings.length === 1 && release.version))
    signs.push({ kind: 'documentation or code change', phrase: release.headings.join(', '), strong: true })
  // A feature request's title ("[Feature Request] …", "Feature-Wunsch: …") names the text's genre.
  const requestHead = lower
    .slice(0, TITLE_TEXT)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, REQUEST_LINES)
    .join('\n')
  const request = requestRe.exec(requestHead)
  if (request) {
    // The same words further down were read as a weak request already: the title makes that sign strong.
    const known = signs.findIndex((s) => s.phrase === request[0].trim())
    if (known >= 0) signs.splice(known, 1)
    signs.push({ kind: 'feature request or suggestion', phrase: request[0].trim(), strong: true })
  }
  const head = lower
    .slice(0, TITLE_TEXT)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, TITLE_LINES)
    .join('\n')
  add(titleRe, 'explainer', head)
  // A guide named as such in the page's title, its first line only ("… Troubleshooting Guide", 해결 가이드): a reply's
  // "use this guide" further down points to another page.
  const firstLine = head.split('\n')[0] ?? ''
  if (!pageSelfRe.test(firstLine)) add(guideTitleRe, 'explainer', firstLine)
  // An explainer's question heading further down ("What does the error mean?").
  const asked = signs.some((s) => s.phrase === titleRe.exec(head)?.[0].trim())
    ? undefined
    : sentences.find((s) => /[?？]\s*$/.test(s) && titleRe.test(s))
  if (asked && asked !== question) signs.push({ kind: 'explainer', phrase: asked.trim().slice(0, 60), strong: false })
  const strong = signs.find((s) => s.strong)
  // A bug report's form ("Steps to reproduce", "Expected behavior") is a person reporting their own failure, whatever
  // the request words or labels above it say: only a page's strong sign (release notes, an article's structure, codes
  // defined) outweighs it.
  if (!signs.some((s) => s.strong && s.kind !== 'feature request or suggestion') && reportFormIn(lower)) return null
  // A failure told in words only: two signs of the page's voice (each list counts once: "users" and "administrators"
  // are one audience), one of them the page's own framing (an explainer's, a news item's or a guide's: a reader
  // addressed and users named are also a maintainer's reply under a report). A code or two: the code told in general,
  // three signs with the framing among them.
  const framing = signs.some((s) => s.kind !== 'weak')
  // A news item's framing counts once, however many of its words stand (news of one problem is that problem's story).
  const count = signs.filter((s) => s.kind !== 'news item').length + (signs.some((s) => s.kind === 'news item') ? 1 : 0)
  const enough = strong !== undefined || (framing && count >= (codes === 0 ? 2 : 3))
  if (!enough) return null
  const named = strong ?? signs.find((s) => s.kind !== 'weak') ?? signs[0]!
  return {
    page: named.kind === 'weak' ? 'explainer' : named.kind,
    signs: signs.map((s) => s.phrase),
  }
}
