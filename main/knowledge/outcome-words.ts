/**
 * How a run ended, told in words, in any of the display languages (data/outcome-words.json): failure, success,
 * cancel, pending and restart-loop phrases of Windows' own output and of people describing them, and the sentences
 * that name their own cause. Data, not code: a language or a phrase is added in the JSON file.
 */
import data from './data/outcome-words.json' with { type: 'json' }
import { escapePattern } from '../parse/escape-pattern.ts'
import { lineAt } from '../parse/line-at.ts'

export type OutcomeKind =
  | 'failure'
  | 'failureWeak'
  | 'failureRepeat'
  | 'success'
  | 'cancel'
  | 'pending'
  | 'restartLoop'
  | 'resolved'
  | 'fixed'
  | 'noBoot'
export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'failure',
  'failureWeak',
  'failureRepeat',
  'success',
  'cancel',
  'pending',
  'restartLoop',
  'resolved',
  'fixed',
  'noBoot',
]
/** The kinds whose last place in the text the story's order needs (a later success outweighs an earlier failure). */
const LAST_KINDS: ReadonlySet<OutcomeKind> = new Set(['failure', 'failureWeak', 'failureRepeat', 'resolved', 'fixed'])

export interface WordHit {
  /** The phrase as the table writes it (lower case). */
  phrase: string
  language: string
  /** The 1-based line it stands on, and that line (trimmed, at most 200 characters). */
  line: number
  text: string
  /** Where it stands in the text (a character offset), for a last place (`OutcomeWords.last`). */
  at?: number
}

export interface CauseWordHit extends WordHit {
  cause: string
  why: string
  source: string
  /** The sentence is a failure by itself (DISM's own message), not only beside a failure the text tells. */
  standalone?: boolean
  /** Words of the cause that count only beside a failure the text tells (a how-to on the same words is none). */
  besideFailure?: boolean
  /**
   * A step the person took that Microsoft documents as the remedy of this cause ("uninstalled the antivirus", "downloaded
   * the ISO again"): it names the cause only where the story tells the update installed after it.
   */
  fixStep?: boolean
}

export interface OutcomeWords {
  /** The first hit of each kind, in the order the text tells them. */
  hits: Partial<Record<OutcomeKind, WordHit[]>>
  causes: CauseWordHit[]
  /**
   * Every step found that fixes a cause (`fixStep`), also where words that name the same cause outrank it in `causes`:
   * the story reads where each stands (a step between the failure and the resolution fixed it).
   */
  steps: CauseWordHit[]
  /** The text speaks of an update (`updateContext` words or a KB number): weak failure words count only then. */
  aboutUpdate: boolean
  /**
   * The last place of each kind in the person's own words (a log line or a quoted event is the machine's record of an
   * earlier attempt, not a later step of the story), for the story's order.
   */
  last: Partial<Record<OutcomeKind, WordHit>>
}

type Table = Record<string, Record<string, string[]>>
const phrases = data.phrases as Table
const updateContext = Object.entries(data.updateContext)
  .filter(([k]) => k !== 'about')
  .flatMap(([, v]) => v as string[])
const causeWords = data.causeWords as {
  cause: string
  why: string
  source: string
  /** Windows' own message for a state that is the cause by itself (not only beside a failure the text tells). */
  standalone?: boolean
  /** Only beside a failure the text tells, though other words of the same cause stand alone. */
  besideFailure?: boolean
  /** A step that fixed the failure when the story ends installed after it (CauseWordHit.fixStep). */
  fixStep?: boolean
  /** Only in the person's own words: on a machine's line (a log line naming a command a tool ran) they are read past. */
  personOnly?: boolean
  phrases: Record<string, string[]>
}[]

/** The table's reason for a cause (`why`, with its `source` key), for a reading that tells the cause outside the table. */
export function causeReasonOf(cause: string): { why: string; source: string } | null {
  const c = causeWords.find((w) => w.cause === cause)
  return c ? { why: c.why, source: c.source } : null
}

interface CausePair {
  cause: string
  why: string
  source: string
  standalone?: boolean
  /** Only beside a failure the text tells (a service named disabled in a how-to is none). */
  besideFailure?: boolean
  fixStep?: boolean
  subject: Record<string, string[]>
  state: Record<string, string[]>
  /** Names that hold a state word without being that state (Setup's FIRST_BOOT phase holds "first"). */
  stateNot?: Record<string, string[]>
  /** The sentence naming its subject as the cause ("because of the proxy", "セキュリティソフトのせい") counts too. */
  causal?: boolean
}
const pairTable = data.causePairs as {
  negation: Record<string, string[]>
  negationAfter: Record<string, string[]>
  causal: { before: Record<string, string[]>; after: Record<string, string[]> }
  pairs: CausePair[]
}
// A negation word that begins with a Latin, Cyrillic or Greek letter stands at a word's start ("sin " is not the end of
// "magasin "); CJK and Korean ones, and a contraction's "n't", stand anywhere.
const wordStart = (list: string[]) =>
  list.filter((w) => /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u.test(w))
const anywhere = (list: string[]) =>
  list.filter((w) => !/^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u.test(w))
const negationRe = (list: string[]) =>
  new RegExp(
    [
      wordStart(list).length ? `(?<![\\p{L}])(?:${wordStart(list).map(escapePattern).join('|')})` : '',
      anywhere(list).length ? `(?:${anywhere(list).map(escapePattern).join('|')})` : '',
    ]
      .filter(Boolean)
      .join('|') || '(?!)',
    'u',
  )
const negationBefore = negationRe(Object.values(pairTable.negation).flat())
const negationAfter = negationRe(Object.values(pairTable.negationAfter).flat())
// The success adverb of the languages that put the negation after the verb, and how far on the clause's negation stands.
const successNegated = Object.fromEntries(
  Object.entries((data as { successNegated?: Record<string, unknown> }).successNegated ?? {}).filter(
    (e): e is [string, string[]] => e[0] !== 'about' && Array.isArray(e[1]),
  ),
)
const SUCCESS_NEGATION_SPAN = 12
const pendingQuestion = Object.entries((data as { pendingQuestion?: Record<string, unknown> }).pendingQuestion ?? {})
  .filter((e): e is [string, string[]] => e[0] !== 'about' && Array.isArray(e[1]))
  .flatMap(([, v]) => v)
const QUESTION_SPAN = 24
interface PhraseNegation {
  before: Record<string, string[]>
  between: Record<string, string[]>
  after: Record<string, string[]>
  hedge: Record<string, string[]>
  hedgeAfter: Record<string, string[]>
}
const phraseNegation = (data as { phraseNegation?: PhraseNegation }).phraseNegation
const flat = (r: Record<string, string[]> | undefined) => Object.values(r ?? {}).flat()
const isSpaced = (w: string) => /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u.test(w)
const denyWords = new Set(flat(phraseNegation?.before).filter(isSpaced))
const denyCjk = flat(phraseNegation?.before).filter((w) => !isSpaced(w))
const betweenWords = new Set(flat(phraseNegation?.between).filter(isSpaced))
const betweenCjk = flat(phraseNegation?.between).filter((w) => !isSpaced(w))
const denyAfter = flat(phraseNegation?.after)
const hedges = flat(phraseNegation?.hedge)
const hedgesAfter = flat(phraseNegation?.hedgeAfter)
// How far back the clause before a phrase is read for its negation or likeness, and forward for the copula's negation.
const DENY_BACK = 60
const DENY_AFTER = 8
const CLAUSE_END = /[,.;:!?，。；：！？、\n]/

/**
 * The text denies the phrase at `pos` ("It's not a restart loop", "no restart is required", 再起動ループではありません) or
 * only likens it ("as if it were in a restart loop"): the state is then not what the text tells.
 */
function deniedAt(lower: string, pos: number, length: number): boolean {
  if (!phraseNegation) return false
  // A phrase found inside a word ("boot loop" in "reboot loop") is read from that word's start.
  while (pos > 0 && /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u.test(lower[pos - 1]!)) pos--
  const clause = lower
    .slice(Math.max(0, pos - DENY_BACK), pos)
    .split(CLAUSE_END)
    .pop()!
  if (hedges.some((h) => clause.includes(h))) return true
  const next = lower.slice(pos + length, pos + length + DENY_AFTER).trimStart()
  if (denyAfter.some((w) => next.startsWith(w)) || hedgesAfter.some((w) => next.startsWith(w))) return true
  // Space-separated languages: walk back over articles and the copula; the next word back must be a negation.
  const words = clause.trim().split(/\s+/).filter(Boolean)
  for (let i = words.length - 1, skipped = 0; i >= 0 && skipped <= 3; i--) {
    const w = words[i]!.replace(/^[("'«„“]+|[)"'»“”]+$/g, '')
    if (denyWords.has(w) || w.endsWith("n't")) return true
    if (!betweenWords.has(w)) break
    skipped++
  }
  // CJK: the clause ends in a negation (a measure word or the copula may stand between).
  let tail = clause.trimEnd()
  for (let guard = 0; guard < 3; guard++) {
    if (denyCjk.some((w) => tail.endsWith(w))) return true
    const m = betweenCjk.find((w) => tail.endsWith(w))
    if (!m) return false
    tail = tail.slice(0, -m.length).trimEnd()
  }
  return false
}

interface NearPair {
  what: string
  source: string
  repeat?: boolean
  first: Record<string, string[]>
  second: Record<string, string[]>
}
const near = (data as { failureNear?: { span: number; pairs: NearPair[] } }).failureNear
const NEAR_SENTENCE_END = /[.!?;。！？；\n]/
const MAX_NEAR_PLACES = 50

/** The first place where one clause holds both words of a pair within the span, and the first word's language. */
function nearIn(
  lower: string,
  pair: NearPair,
  span: number,
  possible: (phrase: string) => boolean,
): { phrase: string; language: string; pos: number } | null {
  // Words the text cannot hold (none of their three letters in a row are in it) are never searched for.
  const seconds = flat(pair.second).filter(possible)
  if (seconds.length === 0) return null
  let best: { phrase: string; language: string; pos: number } | null = null
  for (const [language, firsts] of Object.entries(pair.first)) {
    for (const first of firsts) {
      if (!possible(first)) continue
      let seen = 0
      for (
        let pos = lower.indexOf(first);
        pos !== -1 && seen < MAX_NEAR_PLACES && (best === null || pos < best.pos);
        pos = lower.indexOf(first, pos + first.length)
      ) {
        seen++
        // A word-like first word stands at a word's start ("again" is not the end of "against"'s neighbour).
        if (isSpaced(first) && /\p{L}/u.test(lower[pos - 1] ?? '')) continue
        const before = lower
          .slice(Math.max(0, pos - span), pos)
          .split(NEAR_SENTENCE_END)
          .pop()!
        const after = lower.slice(pos + first.length, pos + first.length + span).split(NEAR_SENTENCE_END)[0]!
        const second = seconds.find((w) => before.includes(w) || after.includes(w))
        if (second && !deniedAt(lower, pos, first.length)) {
          best = { phrase: `${first} … ${second}`, language, pos }
          break
        }
      }
    }
  }
  return best
}
/** A question word in the clause right before `at` ("checks whether a reboot is required"). */
function askedBefore(lower: string, at: number): boolean {
  const clause = lower
    .slice(Math.max(0, at - QUESTION_SPAN), at)
    .split(/[.;:!?。；：！？\n]/)
    .pop()!
  return pendingQuestion.some((w) => clause.includes(w))
}
/**
 * A pending phrase given a value of no right after it, as Windows' logs write their flags: DISM.log's "Reboot
 * required=no.", WindowsUpdate.log's "Reboot required = False", a "RebootRequired: 0" field. The log answers the
 * question with no: nothing waits for a restart.
 */
function answeredNo(lower: string, end: number): boolean {
  return /^\s*[=:]\s*(?:no|false|0)\b/.test(lower.slice(end, end + 12))
}
/** A negation within the clause just before `at` ("No reboot is pending"). */
function deniedBefore(lower: string, at: number): boolean {
  const clause = lower
    .slice(Math.max(0, at - NEGATION_BEFORE), at)
    .split(/[,.;:!?，。；：！？\n]/)
    .pop()!
  return negationBefore.test(clause)
}
/** A negation within the clause that follows `from` (a comma or full stop ends the clause). */
function negatedAfter(lower: string, from: number): boolean {
  const clause = lower.slice(from, from + SUCCESS_NEGATION_SPAN).split(/[,.;:!?，。；：！？\n]/)[0]!
  return negationAfter.test(clause)
}
// How far from a state word a negation still governs it ("no component store corruption": 20 characters).
const NEGATION_BEFORE = 24
const NEGATION_AFTER = 8
// The sentence looked for around a subject, and how many of a subject's places are read at most.
const SENTENCE_WINDOW = 400
/** Where a clause ends inside a sentence: a comma or colon, or a word joining two clauses ("and", "but", and theirs). */
const CLAUSE_JOIN =
  /[,;:，；：、]|\s(?:and|but|then|und|aber|dann|et|mais|puis|y|pero|luego|e|ma|poi|mas|depois|и|но|потом|i|ale|potem)\s/u
const MAX_PAIR_SUBJECTS = 200
// A sentence ends at a full stop, question or exclamation mark followed by a space or the line's end, or at CJK's own.
const SENTENCE_END = /[.!?](?=\s|$)|[。！？\n]/g

const fillers = Object.entries(data.fillers)
  .filter(([k]) => k !== 'about')
  .flatMap(([, v]) => v as string[])
const FILLER = new RegExp(`(?<![\\p{L}\\p{N}])(?:${fillers.map(escapePattern).join('|')})`, 'gu')

/**
 * The lower-cased text without the fillers of the table (an adverb inside a phrase), and for each of its characters
 * where it stood in the text, so a hit still names its line.
 */
function withoutFillers(lower: string): { text: string; from: number[] } {
  const from: number[] = []
  let text = ''
  let last = 0
  for (const m of lower.matchAll(FILLER)) {
    for (let i = last; i < m.index; i++) from.push(i)
    text += lower.slice(last, m.index)
    last = m.index + m[0].length
  }
  if (last === 0) return { text: lower, from: [] }
  for (let i = last; i < lower.length; i++) from.push(i)
  return { text: text + lower.slice(last), from }
}

export const outcomeWordsAsOf: string = data.asOf
export const outcomeWordSources: Record<string, string> = data.sources

/** The languages the table covers for each kind (for the test that every required language is there). */
export function outcomeLanguages(kind: OutcomeKind): string[] {
  return Object.keys(phrases[kind] ?? {})
}

const MAX_TEXT = 2_000_000

/**
 * The text in lower case, character for character: a letter whose lower case is longer ('İ' → 'i̇') stays as written,
 * so every position found in it is the same position in the text (its line is read from the text as written).
 * Typographic apostrophes and non-breaking spaces are written as the table writes them.
 */
export function lowerOf(text: string): string {
  // One reading asks for the same text's lower case from several readers: the last one is kept.
  if (text === lastText) return lastLower
  let lower = text.toLowerCase()
  if (lower.length !== text.length) {
    lower = ''
    for (const ch of text) {
      const l = ch.toLowerCase()
      lower += l.length === ch.length ? l : ch
    }
  }
  // Runs, not single characters: a pasted megabyte of no-break spaces is one replacement, not a million.
  lower = lower
    .replace(/[\u2018\u2019\u02bc]+/g, (m) => "'".repeat(m.length))
    .replace(/\u00a0+/g, (m) => ' '.repeat(m.length))
  lastText = text
  lastLower = lower
  return lower
}
let lastText = ''
let lastLower = ''
/** The kinds that name a state the text may deny ("no errors", "not a restart loop", "no restart is required"). */
const DENIABLE: ReadonlySet<OutcomeKind> = new Set([
  // A success the text denies ("it had never successfully installed", "was not installed successfully") is none.
  'success',
  'failure',
  'failureWeak',
  'pending',
  'restartLoop',
  'cancel',
  'resolved',
  'fixed',
  'noBoot',
])

/**
 * A line that is a machine's record, not the person's words: a log line with its date, an event's fields as Event
 * Viewer copies them, Windows Update's event messages ("Installation Failure: …", "Installation Successful: …").
 */
const MACHINE_LINE =
  /^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T,\t]|(?:event (?:type|source|category|id)|log name|source|date|time|user|computer|description|level|keywords|task category|logged|opcode)\s*:|(?:installation (?:failure|successful|started)|restart required)\s*:)/i

/** The line is a machine's record (a dated log line, an event's field, Windows Update's event message). */
export function isMachineLine(line: string): boolean {
  return MACHINE_LINE.test(line)
}

/** Every language's words of a table keyed by language (its `about` left out), trimmed. */
const wordsOfTable = (key: 'resolvedNot' | 'resolvedNotAfter'): string[] =>
  Object.entries((data as Partial<Record<typeof key, Record<string, unknown>>>)[key] ?? {})
    .filter((e): e is [string, string[]] => e[0] !== 'about' && Array.isArray(e[1]))
    .flatMap(([, v]) => v.map((w) => w.trim()))
const resolvedNot = wordsOfTable('resolvedNot')
const resolvedNotWords = resolvedNot.filter((w) => isSpaced(w) && !w.includes(' '))
/** CJK words, and words of two or more ("multiple updates"): found as written anywhere in the clause. */
const resolvedNotAnywhere = resolvedNot.filter((w) => !isSpaced(w) || w.includes(' '))
/** Words after the phrase in its clause that make it none (verb-final languages' purpose, need, possibility). */
const resolvedNotAfter = wordsOfTable('resolvedNotAfter')
/** How far after a resolution phrase its clause is read for resolvedNotAfter (a particle or two, a short verb ending). */
const AFTER_SPAN = 16
/**
 * A resolution phrase ("that fixed it", 解決しました) that its clause asks about, wishes, makes a condition of or denies
 * ("nothing fixed it", "if that worked", "Has anyone fixed it?") is no resolution; so is one its clause goes on to
 * make a purpose, a need or a possibility (正常にインストールするには, "to install it normally").
 */
function resolutionDoubted(lower: string, pos: number, length: number): boolean {
  const clause = lower
    .slice(Math.max(0, pos - DENY_BACK), pos)
    .split(CLAUSE_END)
    .pop()!
  const words = clause.split(/[^\p{L}']+/u).filter(Boolean)
  if (
    words.some((w) =>
      resolvedNotWords.some((n) => w === n || (n.length >= 4 && w.startsWith(n)) || (n === "n't" && w.endsWith("n't"))),
    )
  )
    return true
  if (resolvedNotAnywhere.some((n) => clause.includes(n))) return true
  const rest = lower.slice(pos + length, pos + length + 80)
  const after = rest.slice(0, AFTER_SPAN).split(CLAUSE_END)[0]!
  if (resolvedNotAfter.some((n) => after.includes(n))) return true
  const end = rest.search(/[.!?。！？\n]/)
  return end !== -1 && (rest[end] === '?' || rest[end] === '？')
}
const MAX_DENIED_PLACES = 50
const NON_ASCII = /[^\x00-\x7f]/g

/** Bits of the three-letter sets below: 2^21 (256 KB), few enough collisions for a 2 MB text to still rule most out. */
const GRAM_BITS = 1 << 21
const gramOf = (a: number, b: number, c: number) =>
  (Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca6b) ^ c) & (GRAM_BITS - 1)

/**
 * Every three letters in a row the texts hold, as bits (a hash, so a set bit may be another's: it only ever lets a
 * phrase through to be searched). A phrase with three letters in a row no text holds is in none of them, so the table's
 * thousands of phrases cost one pass over the text and a few lookups each, not one scan of the text each.
 */
function gramsOf(texts: string[]): (phrase: string) => boolean {
  if (texts.length === lastGrams.texts.length && texts.every((t, i) => t === lastGrams.texts[i])) return lastGrams.held
  const bits = new Uint8Array(GRAM_BITS >> 3)
  for (const t of texts)
    for (let i = 0; i + 2 < t.length; i++) {
      const g = gramOf(t.charCodeAt(i), t.charCodeAt(i + 1), t.charCodeAt(i + 2))
      bits[g >> 3]! |= 1 << (g & 7)
    }
  const held = (phrase: string) => {
    for (let i = 0; i + 2 < phrase.length; i++) {
      const g = gramOf(phrase.charCodeAt(i), phrase.charCodeAt(i + 1), phrase.charCodeAt(i + 2))
      if ((bits[g >> 3]! & (1 << (g & 7))) === 0) return false
    }
    return true
  }
  lastGrams = { texts, held }
  return held
}
// The last texts' set: the words reader and the failure reader of one reading read the same text.
let lastGrams: { texts: string[]; held: (phrase: string) => boolean } = { texts: [], held: () => true }

/** Every kind's phrases and the cause sentences the text holds, each with its line (at most 5 hits of a kind). */
export function outcomeWordsIn(text: string): OutcomeWords {
  const out: OutcomeWords = { hits: {}, causes: [], steps: [], aboutUpdate: false, last: {} }
  if (typeof text !== 'string' || text.length === 0) return out
  const head = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text
  const lower = lowerOf(head)
  // `lower` keeps the text's length (lowerOf), so a position in it is the same position in the text as written.
  const at = (pos: number): { line: number; text: string } => lineAt(head, pos)
  out.aboutUpdate = /\bkb ?\d{6,7}\b/.test(lower) || updateContext.some((w) => lower.includes(w))
  const bare = withoutFillers(lower)
  // Where a phrase stands: in the text as written, else in the text without fillers (mapped back to the text).
  // The letters beyond ASCII the text holds: a phrase with one it lacks (CJK, Cyrillic, an accent) is never searched
  // for, so a long English log is not scanned once for every phrase of every language.
  const present = new Set<string>()
  for (const m of lower.matchAll(NON_ASCII)) present.add(m[0])
  const held = gramsOf(bare.from.length ? [lower, bare.text] : [lower])
  const possible = (phrase: string): boolean => {
    for (const ch of phrase) if (ch.charCodeAt(0) > 127 && !present.has(ch)) return false
    return held(phrase)
  }
  const find = (phrase: string): number => {
    if (!possible(phrase)) return -1
    const pos = lower.indexOf(phrase)
    if (pos !== -1 || bare.from.length === 0) return pos
    const p = bare.text.indexOf(phrase)
    return p === -1 ? -1 : (bare.from[p] ?? -1)
  }
  // The first place of a phrase that the text neither denies nor likens, or -1.
  const findUndenied = (phrase: string): number => {
    if (!possible(phrase)) return -1
    let pos = lower.indexOf(phrase)
    if (pos === -1) {
      // Not in the text as written: only in the text without fillers, if anywhere (one scan, not two).
      if (bare.from.length === 0) return -1
      const b = bare.text.indexOf(phrase)
      const p = b === -1 ? -1 : (bare.from[b] ?? -1)
      return p !== -1 && !deniedAt(lower, p, phrase.length) ? p : -1
    }
    for (let seen = 0; pos !== -1 && seen < MAX_DENIED_PLACES; seen++) {
      if (!deniedAt(lower, pos, phrase.length)) return pos
      pos = lower.indexOf(phrase, pos + phrase.length)
    }
    return -1
  }
  const lineStart = (pos: number) => lower.lastIndexOf('\n', pos - 1) + 1
  const machineAt = (pos: number) => {
    const s0 = lineStart(pos)
    const e = lower.indexOf('\n', pos)
    return MACHINE_LINE.test(lower.slice(s0, e === -1 ? lower.length : e))
  }
  // A spaced phrase stands at a word's start ("pomohlo" is not the end of "nepomohlo").
  const atWordStart = (phrase: string, pos: number) => !isSpaced(phrase) || !/\p{L}/u.test(lower[pos - 1] ?? '')
  const lastOf = (kind: OutcomeKind, phrase: string): number => {
    if (!possible(phrase)) return -1
    let pos = lower.lastIndexOf(phrase)
    for (let seen = 0; pos !== -1 && seen < MAX_DENIED_PLACES; seen++) {
      const ok =
        atWordStart(phrase, pos) &&
        !machineAt(pos) &&
        !(DENIABLE.has(kind) && deniedAt(lower, pos, phrase.length)) &&
        !(
          (kind === 'resolved' || kind === 'fixed') &&
          (resolutionDoubted(lower, pos, phrase.length) || negatedAfter(lower, pos + phrase.length))
        )
      if (ok) return pos
      pos = pos === 0 ? -1 : lower.lastIndexOf(phrase, pos - 1)
    }
    return -1
  }
  for (const kind of OUTCOME_KINDS) {
    if (LAST_KINDS.has(kind)) {
      let best: { phrase: string; language: string; pos: number } | null = null
      for (const [language, list] of Object.entries(phrases[kind] ?? {}))
        for (const phrase of list) {
          const pos = lastOf(kind, phrase)
          if (pos !== -1 && (best === null || pos > best.pos)) best = { phrase, language, pos }
        }
      if (best) out.last[kind] = { phrase: best.phrase, language: best.language, ...at(best.pos), at: best.pos }
    }
    const found: (WordHit & { pos: number })[] = []
    for (const [language, list] of Object.entries(phrases[kind] ?? {})) {
      for (const phrase of list) {
        // A state phrase the text denies or likens ("It's not a restart loop") is read on at its next place.
        let pos = DENIABLE.has(kind) ? findUndenied(phrase) : find(phrase)
        // A resolution the text asks about or wishes for is read on at its next place.
        for (
          let seen = 0;
          (kind === 'resolved' || kind === 'fixed') && pos !== -1 && seen < MAX_DENIED_PLACES;
          seen++
        ) {
          if (atWordStart(phrase, pos) && !resolutionDoubted(lower, pos, phrase.length)) break
          pos = lower.indexOf(phrase, pos + phrase.length)
          while (pos !== -1 && deniedAt(lower, pos, phrase.length)) pos = lower.indexOf(phrase, pos + phrase.length)
        }
        // A pending flag the log answers with no ("Reboot required=no") is read on at its next place.
        while (kind === 'pending' && pos !== -1 && answeredNo(lower, pos + phrase.length))
          pos = lower.indexOf(phrase, pos + phrase.length)
        // A success phrase with a negation right after it ("성공적으로 설치되지 않았습니다") is no success; a
        // pending phrase a tool asks about ("check for reboot required") is no pending restart.
        if (
          pos !== -1 &&
          !(
            (kind === 'success' || kind === 'resolved' || kind === 'fixed') &&
            negatedAfter(lower, pos + phrase.length)
          ) &&
          !(kind === 'pending' && askedBefore(lower, pos))
        )
          found.push({ phrase, language, pos, ...at(pos) })
      }
    }
    // Two words of one clause (an update offered again; Polish "nie chciał … uruchomić"), weak failures.
    if ((kind === 'failureWeak' || kind === 'failureRepeat') && near)
      for (const pair of near.pairs) {
        if (kind === 'failureRepeat' && !pair.repeat) continue
        const hit = nearIn(lower, pair, near.span, possible)
        if (hit) found.push({ ...hit, ...at(hit.pos) })
      }
    if (kind === 'failure')
      for (const [language, list] of Object.entries(successNegated))
        for (const adverb of list)
          for (let pos = lower.indexOf(adverb); pos !== -1; pos = lower.indexOf(adverb, pos + adverb.length))
            if (negatedAfter(lower, pos + adverb.length)) {
              found.push({ phrase: `${adverb} … (negated)`, language, pos, ...at(pos) })
              break
            }
    if (found.length)
      out.hits[kind] = found
        .sort((a, b) => a.pos - b.pos)
        .slice(0, 5)
        .map(({ pos: _p, ...h }) => h)
  }
  // A step a cause's remedy names, kept at each line it is told on (the story keeps those between its failure and its
  // resolution), from a pair or from words alike.
  const addStep = (
    c: { cause: string; why: string; source: string },
    phrase: string,
    language: string,
    pos: number,
  ) => {
    const where = at(pos)
    if (!out.steps.some((x) => x.cause === c.cause && x.line === where.line))
      out.steps.push({ cause: c.cause, why: c.why, source: c.source, fixStep: true, phrase, language, ...where })
  }
  for (const c of pairTable.pairs) {
    const hit = pairIn(lower, c, possible)
    if (hit && c.fixStep) addStep(c, hit.phrase, hit.language, hit.pos)
    if (hit && !out.causes.some((x) => x.cause === c.cause))
      out.causes.push({
        cause: c.cause,
        why: c.why,
        source: c.source,
        ...(c.standalone ? { standalone: true } : {}),
        ...(c.besideFailure ? { besideFailure: true } : {}),
        ...(c.fixStep ? { fixStep: true } : {}),
        phrase: hit.phrase,
        language: hit.language,
        ...at(hit.pos),
      })
  }
  for (const c of causeWords) {
    for (const [language, list] of Object.entries(c.phrases)) {
      for (const phrase of list) {
        /** The phrase's next place after `from` that the text does not deny, or -1. */
        const nextUndenied = (from: number) => {
          let p = lower.indexOf(phrase, from + phrase.length)
          while (p !== -1 && deniedAt(lower, p, phrase.length)) p = lower.indexOf(phrase, p + phrase.length)
          return p
        }
        let pos = findUndenied(phrase)
        // A pending restart a tool asks about ("checks whether a reboot is pending"), or denies ("No reboot is
        // pending"), is no pending restart: read on at its next place the text does not deny.
        while (pos !== -1 && c.cause === 'pending-restart' && (askedBefore(lower, pos) || deniedBefore(lower, pos)))
          pos = nextUndenied(pos)
        // Words a row counts only in the person's own words are read past on a machine's line.
        while (pos !== -1 && c.personOnly && isMachineLine(at(pos).text)) pos = nextUndenied(pos)
        if (pos === -1) continue
        if (c.fixStep) addStep(c, phrase, language, pos)
        // A cause is named once; but words that name it on their own outrank a pair that names it only beside a
        // failure ("not enough disk space" beside a code still speaks where "C: drive only has 2 GB" would not). Not
        // a disabled service: the diagnosis reads its words even where no failure is told, so its pair keeps them.
        const prior = out.causes.findIndex((x) => x.cause === c.cause)
        // Words that name the cause outrank a step that fixed it (the step only implies its cause).
        const outranks =
          prior !== -1 &&
          ((out.causes[prior]!.besideFailure && !c.besideFailure && !c.fixStep && c.cause !== 'services-disabled') ||
            (out.causes[prior]!.fixStep === true && !c.fixStep))
        if (prior !== -1 && !outranks) continue
        const hit = {
          cause: c.cause,
          why: c.why,
          source: c.source,
          ...(c.standalone ? { standalone: true } : {}),
          ...(c.besideFailure ? { besideFailure: true } : {}),
          ...(c.fixStep ? { fixStep: true } : {}),
          phrase,
          language,
          ...at(pos),
        }
        if (prior === -1) out.causes.push(hit)
        else out.causes[prior] = hit
      }
    }
  }
  return out
}

/** How far (in characters) a word naming the cause may stand from the subject it names. */
const CAUSAL_GAP = 40
/** How far before a word naming the cause its own negation stands ("not because of", "nicht wegen", "не из-за"). */
const CAUSAL_NEGATION = 8

type Held = (readonly [string, string[]])[]
const WORD_START = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u
const LETTER = /\p{L}/u

/**
 * A word of the sentence that names the subject (at `subjectAt`, `subjectLength` long) as the cause: one of `before`'s
 * ending at most CAUSAL_GAP characters before it ("because of the", 原因は), or one of `after`'s starting at most that
 * far after it ("… was the culprit", のせい), not negated right before (nor, for the languages that negate after the
 * verb, right after). Null when none does.
 */
function causalIn(
  sentence: string,
  subjectAt: number,
  subjectLength: number,
  causal: { before: Held; after: Held },
): { word: string; language: string } | null {
  // A Latin or Cyrillic word stands at a word's start ("wegen", not the end of "bewegen"); CJK and Korean ones anywhere.
  const refused = (at: number, word: string) =>
    (WORD_START.test(word) && LETTER.test(sentence[at - 1] ?? '')) ||
    negationBefore.test(sentence.slice(Math.max(0, at - CAUSAL_NEGATION), at)) ||
    negationAfter.test(sentence.slice(at + word.length, at + word.length + NEGATION_AFTER))
  for (const [language, list] of causal.before)
    for (const word of list) {
      const at = sentence.lastIndexOf(word, subjectAt - word.length)
      if (at === -1 || at + word.length > subjectAt || subjectAt - (at + word.length) > CAUSAL_GAP) continue
      if (!refused(at, word)) return { word, language }
    }
  const end = subjectAt + subjectLength
  for (const [language, list] of causal.after)
    for (const word of list) {
      const at = sentence.indexOf(word, end)
      if (at === -1 || at - end > CAUSAL_GAP) continue
      if (!refused(at, word)) return { word, language }
    }
  return null
}

/**
 * The first sentence of the text that names the pair's subject and a state of it (in any of the languages), the state
 * not negated, or (a pair marked `causal`) names its subject as the cause: the phrase reported is "<subject> … <state
 * or causal word>", its language that word's.
 */
function pairIn(
  lower: string,
  c: CausePair,
  possible: (phrase: string) => boolean,
): { phrase: string; language: string; pos: number } | null {
  // A state the text cannot hold is never looked for, and a pair with none is not read at all.
  const held = (table: Record<string, string[]>) =>
    Object.entries(table)
      .map(([language, list]) => [language, list.filter(possible)] as const)
      .filter(([, list]) => list.length > 0)
  const states = held(c.state)
  const causal = c.causal ? { before: held(pairTable.causal.before), after: held(pairTable.causal.after) } : null
  if (states.length === 0 && (!causal || causal.before.length + causal.after.length === 0)) return null
  for (const [, subjects] of Object.entries(c.subject)) {
    for (const subject of subjects) {
      if (!possible(subject)) continue
      let seen = 0
      for (
        let pos = lower.indexOf(subject);
        pos !== -1 && seen < MAX_PAIR_SUBJECTS;
        pos = lower.indexOf(subject, pos + subject.length)
      ) {
        seen++
        // The sentence around the subject, looked for within a bounded window (a log names WinSxS thousands of times).
        const from = Math.max(0, pos - SENTENCE_WINDOW)
        const window = lower.slice(from, pos + subject.length + SENTENCE_WINDOW)
        const at0 = pos - from
        let start = 0
        let end = window.length
        for (const m of window.matchAll(SENTENCE_END)) {
          if (m.index < at0) start = m.index + 1
          else if (m.index >= at0 + subject.length) {
            end = m.index
            break
          }
        }
        const sentence = window.slice(start, end)
        for (const [language, list] of states) {
          for (const state of list) {
            const at = sentence.indexOf(state)
            if (at === -1) continue
            const rest = sentence.slice(at)
            if (Object.values(c.stateNot ?? {}).some((names) => names.some((n) => rest.startsWith(n)))) continue
            // A negation governs its own clause only ("no se pudo instalar; primero …": the failure, not the step;
            // "non riesce e torna …": the verb before "and", not the one after it).
            const before = sentence
              .slice(Math.max(0, at - NEGATION_BEFORE), at)
              .split(CLAUSE_JOIN)
              .pop()!
            const after = sentence.slice(at + state.length, at + state.length + NEGATION_AFTER)
            if (negationBefore.test(before) || negationAfter.test(after)) continue
            return { phrase: `${subject} … ${state}`, language, pos }
          }
        }
        const named = causal ? causalIn(sentence, at0 - start, subject.length, causal) : null
        if (named) return { phrase: `${subject} … ${named.word}`, language: named.language, pos }
      }
    }
  }
  return null
}

interface FailureMood {
  conditional: Record<string, string[]>
  modal: Record<string, string[]>
  after: Record<string, string[]>
  howTo: Record<string, string[]>
  howToTried?: Record<string, string[]>
  falseAlert: Record<string, string[]>
  guideSteps?: Record<string, string[]>
  guideSelf?: Record<string, string[]>
  articleSelf?: Record<string, string[]>
  news?: Record<string, string[]>
  acknowledged?: Record<string, string[]>
  firstPerson?: Record<string, string[]>
  firstPersonWeak?: Record<string, string[]>
  firstPersonPast?: { subjects: string[]; adverbs: string[]; verbs: string[]; notReport: string[] }
  articleHeadings?: Record<string, string[]>
  reader?: Record<string, string[]>
  generic?: Record<string, string[]>
  audience?: Record<string, string[]>
  request?: Record<string, string[]>
  whyHeading?: Record<string, string[]>
  expectedHeadings?: Record<string, string[]>
}
const mood = (data as { failureMood?: FailureMood }).failureMood
/**
 * A list of words as one pattern: a spaced word stands between word boundaries, a CJK or RTL one anywhere. With
 * `hangulStart`, a Korean word stands at a word's start (a pronoun with its particle, 제가, is the end of 문제가 too).
 */
export const wordsRe = (list: string[], hangulStart = false): RegExp => {
  const spaced = list.filter((w) => isSpaced(w.trim())).map((w) => escapePattern(w.trim()))
  const other = list.filter((w) => !isSpaced(w.trim())).map(escapePattern)
  const parts = [
    spaced.length ? `(?<![\\p{L}])(?:${spaced.join('|')})(?![\\p{L}])` : '',
    other.length ? `${hangulStart ? '(?<!\\p{Script=Hangul})' : ''}(?:${other.join('|')})` : '',
  ].filter(Boolean)
  return new RegExp(parts.join('|') || '(?!)', 'u')
}
const conditionalRe = wordsRe(flat(mood?.conditional))
const howToRe = wordsRe(flat(mood?.howTo))
const howToTriedRe = wordsRe(flat(mood?.howToTried))
/** How far before a how-to's words a person's trying is looked for ("I tried many ways to fix it"). */
const TRIED_BEFORE = 24
const falseAlertRe = wordsRe(flat(mood?.falseAlert))
const modalWords = new Set(flat(mood?.modal))
const guideSelfRe = wordsRe(flat(mood?.guideSelf))
const articleSelfRe = wordsRe(flat(mood?.articleSelf))
const newsRe = wordsRe(flat(mood?.news))
/** Microsoft's own acknowledgement of a problem as the press and release health word it ("Microsoft has confirmed", "a known issue"). */
const acknowledgedRe = wordsRe(flat(mood?.acknowledged))
/** Of those, the ones that name Microsoft as the one who spoke: the press's framing ("a known issue" is a guide's too). */
const saidByMicrosoftRe = wordsRe(
  flat(mood?.acknowledged).filter((w) => /microsoft|マイクロソフト|微软|微軟|마이크로소프트/.test(w)),
)
const firstPersonRe = wordsRe(flat(mood?.firstPerson), true)
/**
 * A person telling, in English, what they did: a subject, at most one adverb, then a past form (a regular "-ed" verb
 * or one of the table's irregular ones; never one of `notReport`, no past or an author's change). Built once from the table.
 */
const firstPersonPastRe = ((past) => {
  if (!past || past.subjects.length === 0) return /(?!)/
  const alt = (list: string[]) => list.map(escapePattern).join('|')
  const not = past.notReport.length ? `(?!(?:${alt(past.notReport)})(?![\\p{L}]))` : ''
  return new RegExp(
    `(?<![\\p{L}'])(?:${alt(past.subjects)})[^\\S\\n]+(?:(?:${alt(past.adverbs)})[^\\S\\n]+)?${not}(?:\\p{L}{2,}ed|${alt(past.verbs)})(?![\\p{L}'])`,
    'u',
  )
})(mood?.firstPersonPast)
// A numbered fix at the start of a line ("Method 1:", "## Methode 2 –", 方法1：, 방법 2.): the stem, then its number.
const stems = flat(mood?.guideSteps)
  .map((w) => escapePattern(w.trim()))
  .sort((a, b) => b.length - a.length)
const STEP_LINE = stems.length
  ? new RegExp(
      `^(?:[^\\S\\n]|[#*>\\-])*(${stems.join('|')})\\s*(\\d{1,2}|[一二三四五六七八九十])(?![\\d\\p{L}])`,
      'gmu',
    )
  : null
const moodAfter = flat(mood?.after)
// Words that may stand between a modal and the phrase ("may also fail", "can then fail", "kann auch fehlschlagen").
const MODAL_SKIP = new Set([
  'also',
  'then',
  'still',
  'even',
  'be',
  'auch',
  'dann',
  'aussi',
  'también',
  'anche',
  'também',
])
const MOOD_SENTENCE = 300
const MAX_MOOD_PLACES = 40

/** How a failure phrase at `pos` is told: as the text's own, or only in general (a condition, a how-to, a false alert). */
export function generalAt(lower: string, pos: number, length: number): boolean {
  const lineStart = lower.lastIndexOf('\n', pos - 1) + 1
  const lineEndAt = lower.indexOf('\n', pos)
  const before = lower.slice(Math.max(lineStart, pos - MOOD_SENTENCE), pos)
  const sentenceBefore = before.split(/[.!?](?=\s)|[。！？]/).pop()!
  const after = lower.slice(
    pos + length,
    Math.min(lineEndAt === -1 ? lower.length : lineEndAt, pos + length + MOOD_SENTENCE),
  )
  const sentenceAfter = after.split(/[.!?](?=\s|$)|[。！？]/)[0]!
  // A how-to heading or question, and a false alert, govern their own sentence (a heading is a line of its own).
  const sentence = sentenceBefore + lower.slice(pos, pos + length) + sentenceAfter
  // A how-to's words right after a person's trying ("I tried many ways to fix it") are the person's attempt.
  const how = howToRe.exec(sentence)
  const tried = how !== null && howToTriedRe.test(sentence.slice(Math.max(0, how.index - TRIED_BEFORE), how.index))
  if ((how !== null && !tried) || falseAlertRe.test(sentence)) return true
  const clause = before.split(CLAUSE_END).pop()!
  if (conditionalRe.test(clause)) return true
  const words = clause.trim().split(/\s+/).filter(Boolean)
  for (let i = words.length - 1, skipped = 0; i >= 0 && skipped <= 2; i--) {
    const w = words[i]!.replace(/^[("'«„“]+|[)"'»“”]+$/g, '')
    if (modalWords.has(w)) return true
    if (!MODAL_SKIP.has(w)) break
    skipped++
  }
  const next = after.trimStart().slice(0, 16)
  return moodAfter.some((w) => next.includes(w))
}

/**
 * How the text tells its failure phrases (a general failure word too, when `weakToo`): `own`, the first place where it
 * tells one as its own — not denied and not told only as a condition, a possibility, a how-to or a false alert, or any
 * such phrase on a log line — and `general`, how many places it tells only so. `own` null with `general` above 0: every
 * failure the text tells in these words is general (an explainer, a how-to page, news of a mechanism, a false alert).
 */
export function ownFailureIn(text: string, weakToo: boolean): { own: WordHit | null; general: number } {
  if (typeof text !== 'string' || text.length === 0) return { own: null, general: 0 }
  const head = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text
  const lower = lowerOf(head)
  const kinds: OutcomeKind[] = weakToo ? ['failure', 'failureWeak'] : ['failure']
  // The text as written, then without its fillers ("keeps on instantly failing"): a phrase found only there is read
  // in that text (a filler is an adverb: it changes no mood).
  const bare = withoutFillers(lower).text
  let general = 0
  for (const read of bare === lower ? [lower] : [lower, bare])
    for (const kind of kinds)
      for (const [language, list] of Object.entries(phrases[kind] ?? {}))
        for (const phrase of list) {
          let seen = 0
          for (
            let pos = read.indexOf(phrase);
            pos !== -1 && seen < MAX_MOOD_PLACES;
            pos = read.indexOf(phrase, pos + phrase.length)
          ) {
            seen++
            // Found as the failure kinds are found (inside a word too: "schlägt" in "fehlschlägt").
            if (deniedAt(read, pos, phrase.length)) continue
            const s = read.lastIndexOf('\n', pos - 1) + 1
            const e = read.indexOf('\n', pos)
            const lineText = read.slice(s, e === -1 ? read.length : e)
            if (!MACHINE_LINE.test(lineText) && generalAt(read, pos, phrase.length)) {
              general++
              continue
            }
            let line = 1
            for (let i = read.indexOf('\n'); i !== -1 && i < pos; i = read.indexOf('\n', i + 1)) line++
            return { own: { phrase, language, line, text: lineText.trim().slice(0, 200), at: pos }, general }
          }
        }
  return { own: null, general }
}

/** What a text about failures in general is, and the signs it was judged by (each the phrase as the table writes it). */
export interface GeneralText {
  page:
    | 'support article'
    | 'guide'
    | 'error-code reference'
    | 'news item'
    | 'feature request or suggestion'
    | 'explainer'
    | 'documentation or code change'
    | 'question on how to do something'
    | "report on another program's updater"
  signs: string[]
}

const firstPersonWeakRe = wordsRe(flat(mood?.firstPersonWeak))
const readerRe = wordsRe(flat(mood?.reader))
const genericRe = wordsRe(flat(mood?.generic))
const requestRe = wordsRe(flat(mood?.request))
const whyRe = wordsRe(flat(mood?.whyHeading))
// Users in general, not a profile folder (C:\Users\…).
const audienceRe = new RegExp(`(?<![\\\\/])(?:${wordsRe(flat(mood?.audience)).source})(?![\\\\/])`, 'u')
const headingWords = new Set(flat(mood?.articleHeadings))
/** The failure words of every language, strong and general, as one pattern. */
export const failureWordsRe = wordsRe([...flat(phrases.failure), ...flat(phrases.failureWeak)])
const CODE_OR_KB = /\b0x[0-9a-f]{8}\b|\bkb ?\d{6,7}\b/
const CODE_ALL = /\b0x[0-9a-f]{8}\b/g
// Line starts are matched over blanks of their own line only ([^\S\n]): a `\s` there runs on through every blank line
// after it, and a text of 30,000 blank lines took seconds.
// A command pasted with its prompt (cmd's `C:\…>`, PowerShell's `PS C:\…>`), or DISM's and SFC's own result lines.
const COMMAND_OUTPUT =
  /^[^\S\n]*(?:ps )?[a-z]:\\[^>\n]{0,200}>\s*\S|^[^\S\n]*error: (?:0x)?[0-9a-f]{1,8}[^\S\n]*$|^[^\S\n]*deployment image servicing and management tool|^[^\S\n]*windows resource protection (?:found|did not|could not)/m
const HEADING_LEAD = /^[\s#*>\-•=]+/
const HEADING_TAIL = /[\s:：*#=]/
const HEADING_END = /[&:：(–-]/

/**
 * A line as a heading's words: its markup and closing colon trimmed, cut at its first separator. Done by scanning,
 * not by a regular expression ending in `+$` or starting with `\s*`: those retry at every blank of a long run of
 * blanks (30,000 no-break spaces before a colon took 11 s of CPU).
 */
function headingOf(line: string): string {
  let text = line.replace(HEADING_LEAD, '')
  let end = text.length
  while (end > 0 && HEADING_TAIL.test(text[end - 1]!)) end--
  text = text.slice(0, end)
  const cut = text.search(HEADING_END)
  return (cut < 0 ? text : text.slice(0, cut)).trimEnd()
}

const expectedHeadingWords = new Set(flat(mood?.expectedHeadings))
// A line that opens a section of a report form: a Markdown heading, a bold line, or a short label and its colon
// ("Actual result: …").
const SECTION_LINE = /^[^\S\n]*(?:#{1,6}[^\S\n]+\S|\*\*[^*\n]{1,60}\*\*[^\S\n]*:?[^\S\n]*$|[\p{L}][\p{L} ]{1,30}[:：])/u
const MAX_SECTION_LINES = 40

/**
 * The text with what a report form's "Expected behavior" section says blanked out, line breaks and length kept (every
 * position stays where it was): what the person wanted to happen ("winget should report it installed successfully") is
 * no outcome, and read as one it made a failure a success. The section runs from its heading (a line of its own, or
 * "Expected result: …" with the words after the colon) to the next line that opens a section, a blank line after
 * text, or forty lines. The text unchanged when it has no such heading.
 */
export function withoutExpectedSections(text: string): string {
  if (expectedHeadingWords.size === 0 || typeof text !== 'string') return text
  const lower = lowerOf(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text)
  let hint = false
  for (const w of expectedHeadingWords)
    if (lower.includes(w)) {
      hint = true
      break
    }
  if (!hint) return text
  const lines = text.split('\n')
  const blank = (s: string) => s.replace(/[^\n]/g, ' ')
  let changed = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heading = headingOf(lowerOf(line))
    if (!expectedHeadingWords.has(heading)) continue
    // "Expected result: it installs" keeps its label and loses what follows the colon.
    const colon = line.search(/[:：]/)
    const rest = colon === -1 ? '' : line.slice(colon + 1)
    if (rest.trim() !== '' && !/^[\s*#]*$/.test(rest)) {
      lines[i] = line.slice(0, colon + 1) + blank(rest)
      changed = true
    }
    let seen = rest.trim() !== '' && !/^[\s*#]*$/.test(rest)
    for (let j = i + 1; j < lines.length && j <= i + MAX_SECTION_LINES; j++) {
      const next = lines[j]!
      if (SECTION_LINE.test(next) || expectedHeadingWords.has(headingOf(lowerOf(next)))) break
      if (next.trim() === '') {
        if (seen) break
        continue
      }
      lines[j] = blank(next)
      seen = true
      changed = true
    }
  }
  return changed ? lines.join('\n') : text
}

/** The kinds that tell an outcome a person may only want: a success, a resolution, a fix. */
const WANTED_KINDS = ['success', 'resolved', 'fixed'] as const

/**
 * The outcome words of a text read as a report: its successes, resolutions and fixes only where they are not what a
 * report form's "Expected behavior" section wants (withoutExpectedSections); its failures, pending restarts and
 * causes wherever they stand (a person who writes what went wrong under "Expected behavior" still tells it).
 */
export function outcomeWordsOfReport(text: string): OutcomeWords {
  const full = outcomeWordsIn(text)
  const masked = withoutExpectedSections(text)
  if (masked === text) return full
  const wanted = outcomeWordsIn(masked)
  const hits = { ...full.hits }
  const last = { ...full.last }
  for (const k of WANTED_KINDS) {
    if (wanted.hits[k]) hits[k] = wanted.hits[k]
    else delete hits[k]
    if (wanted.last[k]) last[k] = wanted.last[k]
    else delete last[k]
  }
  return { ...full, hits, last }
}

/** The sentences of a text (a line break, or a full stop, question or exclamation mark before a space, ends one). */
const sentencesOf = (lower: string): string[] => lower.split(/[.!?](?=\s)|[。！？\n]/)

/**
 * Whose failure a text tells: null when it is (or may be) a person's own — a log line of a run, a command pasted with
 * its prompt or DISM's result line, first-person words ("my PC", "bei mir", 私の; "I've", "on my" only in a sentence
 * that tells a failure, a code or a KB) — else, when its shape is a text about failures in general, what page it is.
 * Strong signs alone: a guide or FAQ speaking of itself ("in this guide", "common causes"), numbered fixes for the
 * reader ("Method 1" … "Method 2"), two of a support article's section headings (Symptoms, Cause, Resolution). Weak
 * signs, two of them: the page naming itself ("in this article"), a news item's framing, one numbered fix, the page
 * speaking to its reader ("if you", "Sie müssen"), failures told as a frequency ("often", 通常), users or
 * administrators in general, a feature request or suggestion, a line asking why updates fail. A page that names a KB,
 * or codes not told as a list, is never general (that update's or those codes' own story); one that lists three codes
 * or more in one sentence (a reference) needs a strong sign or two weak ones besides the list; one with no code, a
 * strong sign or three weak ones. One judgement for the whole text, which every cause
 * rule and code finding on it consults (main/diagnose/text-floor.ts generalTextFindings). `read` is its signs when
 * the caller has read them already.
 */
export function generalTextIn(text: string, read = generalSignsIn(text)): GeneralText | null {
  if (read === null || read.own !== null) return null
  const { signs, kb, codes, listed } = read
  // A page that names a KB, or one or two codes, is that update's or that code's story (its known issue, the code's
  // documented cause), which a reader's PC can meet; a page listing three codes or more is a reference, general with
  // a strong sign or two weak ones besides the list; a page with no code needs a strong sign or three weak ones.
  if (kb) return null
  if (codes > 0 && !listed) return null
  const strong = signs.find((s) => s.strong)
  const weak = signs.filter((s) => !s.strong && s.kind !== 'error-code reference').length
  // The page's own framing — naming itself, a news item's words, a numbered fix — two of them make a page as before.
  const framing = signs.filter((s) => s.kind === 'explainer' || s.kind === 'news item' || s.kind === 'guide').length
  if (!strong && framing < 2 && weak < (codes >= 3 ? 2 : 3)) return null
  const named = strong ?? signs.find((s) => s.kind !== 'weak' && s.kind !== 'explainer') ?? signs[0]!
  return {
    page: named.kind === 'weak' ? 'explainer' : named.kind,
    signs: signs.map((s) => s.phrase),
  }
}

/** One sign of a text about failures in general: what page it points to, the phrase found, and whether it is strong. */
export interface GeneralSign {
  kind: GeneralText['page'] | 'weak'
  phrase: string
  strong: boolean
}

/**
 * The signs `generalTextIn` judges a text by, read once: `own`, why the text is (or may be) a person's own report —
 * a log line of a run (`machine`), a command pasted with its prompt or DISM's result line (`command`), first-person
 * words (`first-person`; the weaker ones in a sentence that tells a failure, a code or a KB: `first-person-weak`) —
 * or null; the page's signs; whether it names a KB; how many distinct codes it holds; whether three or more stand in
 * one sentence (a list). Null for no text.
 */
export function generalSignsIn(text: string): {
  own: 'machine' | 'command' | 'first-person' | 'first-person-weak' | null
  signs: GeneralSign[]
  kb: boolean
  codes: number
  listed: boolean
  acknowledged: string | null
  audience: boolean
} | null {
  if (typeof text !== 'string' || text.length === 0) return null
  const head = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text
  const lower = lowerOf(head)
  const lines = lower.split('\n')
  const sentences = sentencesOf(lower)
  const own = lines.some((line) => MACHINE_LINE.test(line))
    ? 'machine'
    : COMMAND_OUTPUT.test(lower)
      ? 'command'
      : firstPersonRe.test(lower) || firstPersonPastRe.test(lower)
        ? 'first-person'
        : sentences.some((s) => firstPersonWeakRe.test(s) && (CODE_OR_KB.test(s) || failureWordsRe.test(s)))
          ? 'first-person-weak'
          : null
  const signs: GeneralSign[] = []
  const sign = (re: RegExp, kind: GeneralSign['kind'], strong: boolean, target = lower) => {
    const m = re.exec(target)
    if (m) signs.push({ kind, phrase: m[0].trim(), strong })
  }
  sign(guideSelfRe, 'guide', true)
  const headings = new Set(lines.map(headingOf).filter((l) => headingWords.has(l)))
  if (headings.size >= 2) signs.push({ kind: 'support article', phrase: [...headings].join(', '), strong: true })
  if (STEP_LINE) {
    const numbers = new Map<string, Set<string>>()
    for (const m of lower.matchAll(STEP_LINE)) {
      const seen = numbers.get(m[1]!) ?? new Set<string>()
      seen.add(m[2]!)
      numbers.set(m[1]!, seen)
    }
    const most = [...numbers.entries()].sort((a, b) => b[1].size - a[1].size)[0]
    if (most) signs.push({ kind: 'guide', phrase: `${most[0]} ${[...most[1]].join(', ')}`, strong: most[1].size >= 2 })
  }
  sign(articleSelfRe, 'explainer', false)
  sign(newsRe, 'news item', false)
  // Microsoft's acknowledgement of a problem is the press's framing too ("a Microsoft acaba de admitir").
  if (!signs.some((g) => g.kind === 'news item')) sign(saidByMicrosoftRe, 'news item', false)
  sign(readerRe, 'weak', false)
  sign(genericRe, 'weak', false)
  sign(audienceRe, 'weak', false)
  sign(requestRe, 'feature request or suggestion', false)
  // A question heading: its own line, asking why.
  const why = lines.find((l) => whyRe.test(l) && /[?？]\s*$|のか\s*$/.test(l.trim()))
  if (why) signs.push({ kind: 'weak', phrase: why.trim().slice(0, 60), strong: false })
  // Codes as a list: three or more distinct codes in one sentence of prose.
  const listed = sentences.find((s) => new Set(s.match(CODE_ALL) ?? []).size >= 3)
  if (listed) signs.push({ kind: 'error-code reference', phrase: listed.trim().slice(0, 80), strong: false })
  return {
    own,
    signs,
    kb: /\bkb ?\d{6,7}\b/.test(lower),
    codes: new Set(lower.match(CODE_ALL) ?? []).size,
    listed: listed !== undefined,
    acknowledged: acknowledgedRe.exec(lower)?.[0].trim() ?? null,
    audience: audienceRe.test(lower),
  }
}

/**
 * A sentence that tells users (in plural, in general) meeting a failure as a fact — no condition, no possibility, no
 * frequency ("many users got the error after the update"): news of one problem that happened, which a reader's PC can
 * meet, not a text about failures in general. The sentence as `sentencesOf` cuts it, in lower case.
 */
export function usersMetFailure(whole: string): boolean {
  // A news sentence is short: a run of text with no sentence end (500 KB of Korean without a full stop) is read for its
  // first part only, so the failure words' long alternation is not tried at every one of its characters.
  const sentence = whole.length > NEWS_SENTENCE ? whole.slice(0, NEWS_SENTENCE) : whole
  if (!audienceRe.test(sentence) || !failureWordsRe.test(sentence)) return false
  if (conditionalRe.test(sentence) || genericRe.test(sentence) || modalRe.test(sentence)) return false
  return !moodAfter.some((w) => sentence.includes(w))
}
const modalRe = wordsRe([...modalWords])
/** How much of a sentence is read for users meeting a failure (a news sentence is a line or two). */
const NEWS_SENTENCE = 2_000

/** The text is shaped as a text about failures in general (generalTextIn), for a caller that needs only yes or no. */
export function generalShapeIn(text: string): boolean {
  return generalTextIn(text) !== null
}
