/**
 * Detects the kind of a pasted text (or uses the one given) and runs its analyzer. Never throws. The readers are
 * given: every reader (analyze.ts analyzeText), or those the text can be told as (analyze-loading.ts, the CLI).
 *
 * Whatever the kind — none included — every error code, KB, build and package identity in the text is
 * read with its line (`facts.extracted`, see extract.ts), so nothing is lost. A transcript
 * of several commands (`C:\>`, `PS C:\…>` prompts) is split; each command's output is analysed and the
 * facts take the LAST state. Quoting, fences and log prefixes are peeled, and a paste whose newlines
 * were lost is re-broken (clean-text.ts). Bounded: at most ANALYZE_MAX_BYTES is read;
 * lines are iterated, never split into one array; past LARGE_TEXT only CBS/DISM logs are read whole
 * (streamed line by line), other kinds read their first LARGE_TEXT characters and say so.
 */
import type { AnalyzeFinding, AnalyzeResult, Analyzer } from './analyzer.ts'
import { KIND_NAMES } from './detect-kinds.ts'
import { normalizePastedText } from './normalize-text.ts'
import { extractTextFacts, MAX_ITEMS, type TextFacts } from './extract.ts'
import { cleanPastedText } from './clean-text.ts'
import { splitTranscript } from './transcript.ts'
import { bannerUbr } from '../parse/os-text.ts'
import { describeCode } from './kinds/log-errors.ts'
import { symptomsIn } from '../knowledge/symptoms.ts'
import { toolMessagesIn } from '../knowledge/tool-messages.ts'
import { readTextStory, isToolLine, hasOwnLine } from './text-story.ts'
import { gateAdviceWords } from '../knowledge/advice-words.ts'

/** The largest text analysed: 64 MiB. Larger is refused with a sentence, never read. */
export const ANALYZE_MAX_BYTES = 64 * 1024 * 1024
/** Past this many characters, only line-streamed kinds (CBS.log, DISM.log) read the whole text. */
export const LARGE_TEXT = 8 * 1024 * 1024
const STREAMED_KINDS = new Set(['cbs-log', 'dism-log'])

export function tooLargeMessage(bytes: number): string {
  return `The text is ${(bytes / 1024 / 1024).toFixed(1)} MB; at most ${ANALYZE_MAX_BYTES / 1024 / 1024} MB is analysed. Paste the part around the failure (or give a CBS.log/DISM.log file to 'diagnose --log', which streams any size).`
}

/**
 * The text as the readers see it, before any reader runs: normalised, cleaned, and split where it is a transcript.
 * `refused`: too large, the whole answer. What the kind is detected on (detectionTexts) is known from it alone, so
 * the CLI loads only the readers that can be the answer (analyze-loading.ts) before finishAnalysis runs.
 */
export interface PreparedText {
  refused?: AnalyzeResult
  raw: string
  cleaned: ReturnType<typeof cleanPastedText>
  segments: Segment[]
}

export function prepareText(input: string | Uint8Array, kind?: string): PreparedText {
  const size = typeof input === 'string' ? input.length : input.byteLength
  if (size > ANALYZE_MAX_BYTES)
    return {
      refused: { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(size)] },
      raw: '',
      cleaned: { text: '', notes: [], flattened: false },
      segments: [],
    }
  const raw = normalizePastedText(input)
  const cleaned = cleanPastedText(raw)
  const segments = !kind && cleaned.text.length <= LARGE_TEXT ? splitTranscript(cleaned.text) : []
  return { raw, cleaned, segments }
}

/** The texts whose kind finishAnalysis detects (none when the kind is given). */
export function detectionTexts(p: PreparedText, kind?: string): string[] {
  if (p.refused || kind) return []
  if (p.segments.length >= 2) return p.segments.map((s) => s.text)
  return p.cleaned.asPasted !== undefined ? [p.cleaned.text, p.cleaned.asPasted] : [p.cleaned.text]
}

/**
 * The analysis with `readers` (registry order): every reader (analyze.ts), or those a text can be told as
 * (analyze-loading.ts: a reader left out never scores highest on the detection texts, so the answer is the same).
 */
export function finishAnalysis(readers: readonly Analyzer[], p: PreparedText, kind?: string): AnalyzeResult {
  if (p.refused) return p.refused
  const { raw, cleaned } = p
  const text = cleaned.text
  const extracted = extractTextFacts(raw)
  const notes: string[] = [...cleaned.notes]

  let result: AnalyzeResult
  if (kind) {
    const a = readers.find((x) => x.kind === kind)
    if (!a) {
      return {
        kind: 'unknown',
        facts: {},
        findings: [],
        warnings: [`Unknown kind '${kind}'. Known kinds: ${KIND_NAMES.join(', ')}.`],
      }
    }
    result = runKind(a, text, notes)
  } else {
    const segments = p.segments
    if (segments.length >= 2) result = analyzeTranscript(readers, segments, notes)
    else {
      let chosen = text
      let a = detectAmong(readers, text)
      if (cleaned.asPasted !== undefined) {
        // A flattened paste: read it as pasted when its layout is recognised better that way.
        const b = detectAmong(readers, cleaned.asPasted)
        if (b && (!a || scoreOf(b, cleaned.asPasted) > scoreOf(a, text))) {
          a = b
          chosen = cleaned.asPasted
        }
      }
      if (a && text.length > LARGE_TEXT && fewLines(text, 3)) result = unbrokenLarge(a, text)
      else result = a ? runKind(a, chosen, notes) : unknownResult(text)
    }
  }
  const checked = withExtracted(result, extracted, notes, raw)
  // The analyzers' own advice passes the advice gate (a quoted line of the text is evidence, not advice).
  return {
    ...checked,
    findings: checked.findings.map((f) =>
      f.id === 'text-error-code' ? f : { ...f, detail: gateAdviceWords(f.detail) },
    ),
  }
}

/** True when the text has at most `max` lines (found with indexOf, never by splitting). */
function fewLines(text: string, max: number): boolean {
  let i = -1
  for (let n = 0; n < max; n++) {
    i = text.indexOf('\n', i + 1)
    if (i === -1) return true
  }
  return false
}

/**
 * A large text whose line breaks were lost is not re-broken (bounded work), and a layout reader would
 * see one line and report nothing found — a false "no error" beside the codes it holds. Its kind is
 * named, and it is read like an unrecognised text: codes, KBs, builds and packages, each a finding.
 */
function unbrokenLarge(a: Analyzer, text: string): AnalyzeResult {
  return {
    kind: 'unknown',
    facts: {},
    findings: [],
    warnings: [
      `The text looks like ${a.label} but is ${(text.length / 1024 / 1024).toFixed(1)} MB with its line breaks lost; a text this large is not re-broken, so its layout was not read. Paste it with its line breaks (or give the file to 'diagnose --log').`,
    ],
  }
}

/** The reader of `readers` (in order) scoring highest on `text`, the first of equals; null under 0.3. */
export function detectAmong(readers: readonly Analyzer[], text: string): Analyzer | null {
  let best: { a: Analyzer; score: number } | null = null
  for (const a of readers) {
    let score = 0
    try {
      score = a.detect(text)
    } catch {
      score = 0
    }
    if (score > (best?.score ?? 0)) best = { a, score }
  }
  return best && best.score >= 0.3 ? best.a : null
}

function scoreOf(a: Analyzer, text: string): number {
  try {
    return a.detect(text)
  } catch {
    return 0
  }
}

function runKind(a: Analyzer, text: string, notes: string[]): AnalyzeResult {
  let t = text
  if (t.length > LARGE_TEXT && !STREAMED_KINDS.has(a.kind)) {
    t = t.slice(0, LARGE_TEXT)
    notes.push(
      `Only the first ${LARGE_TEXT / 1024 / 1024} MB were read as ${a.label}; codes, KBs and builds were read from the whole text.`,
    )
  }
  return safeRun(a.kind, () => a.analyze(t))
}

function unknownResult(text: string): AnalyzeResult {
  return {
    kind: 'unknown',
    facts: {},
    findings: [],
    // /\S/, not trim(): 50 MB of newlines would be copied.
    warnings: [
      !/\S/.test(text)
        ? 'The text is empty.'
        : `Could not tell what this text is (known kinds: ${KIND_NAMES.join(', ')}); error codes, KB numbers, builds and package identities in it were still read.`,
    ],
  }
}

interface Segment {
  command: string | null
  line: number
  text: string
}

function analyzeTranscript(readers: readonly Analyzer[], segments: Segment[], notes: string[]): AnalyzeResult {
  const runs: { seg: Segment; result: AnalyzeResult | null }[] = segments.map((seg) => {
    const a = detectAmong(readers, seg.text)
    return { seg, result: a ? runKind(a, seg.text, notes) : null }
  })
  const facts: Record<string, unknown> = {}
  const findings: AnalyzeFinding[] = []
  const warnings: string[] = []
  const lastOfKind = new Map<string, number>()
  runs.forEach((r, i) => {
    if (r.result) lastOfKind.set(r.result.kind, i)
  })
  runs.forEach((r, i) => {
    if (!r.result) return
    // Later output wins: each fact key takes the value of the last command that reported it. Hotfix lists
    // are merged instead: systeminfo or `wmic qfe get hotfixid` after Get-HotFix lists the same
    // KBs without their install dates, which must not erase the dates read before.
    const before = facts.hotfixes
    const osBefore = facts.os
    Object.assign(facts, r.result.facts)
    if (Array.isArray(before) && Array.isArray(facts.hotfixes) && before !== facts.hotfixes)
      facts.hotfixes = mergeHotfixes(before as HotfixFact[], facts.hotfixes as HotfixFact[])
    // OS facts merge field by field: a later command that does not say a field (null) does not erase it —
    // `reg query … /v ReleaseId` then `… /v EditionId` gives both the version and the edition.
    if (isRecord(osBefore) && isRecord(facts.os) && osBefore !== facts.os) {
      facts.os = { ...osBefore, ...Object.fromEntries(Object.entries(facts.os).filter(([, v]) => v !== null)) }
    }
    // What reagentc /enable or /disable did is the state from then on, told by its one-line answer: a later
    // success changes the WinRE status the earlier /info printed (the story, not the first report, decides).
    const switched = r.seg.command ? /\breagentc(?:\.exe)?\s+\/(enable|disable)\b/i.exec(r.seg.command) : null
    const said = r.result.facts.reagentc as { succeeded?: boolean | null } | undefined
    if (switched && said?.succeeded === true) {
      const winre = isRecord(facts.winre) ? facts.winre : {}
      facts.winre =
        switched[1]!.toLowerCase() === 'enable'
          ? { ...winre, status: 'enabled' }
          : { ...winre, status: 'disabled', location: null }
    }
    const isLast = lastOfKind.get(r.result.kind) === i
    for (const f of r.result.findings) {
      if (isLast) findings.push(f)
      // An earlier command's failure still happened; its passing states were overtaken by later output.
      else if (f.severity === 'error' || f.severity === 'critical')
        findings.push({
          ...f,
          detail: `${f.detail} (from the earlier command on line ${r.seg.line}${r.seg.command ? `: ${r.seg.command}` : ''})`,
        })
    }
    if (isLast) warnings.push(...r.result.warnings)
  })
  // systeminfo has no UBR; the session's cmd.exe banner above it (its own segment) does, for the same build.
  const os = facts.os as { build: number | null; ubr: number | null } | undefined
  if (os && os.build !== null && os.ubr === null) {
    const ubr = bannerUbr(segments.map((s) => s.text).join('\n'), os.build)
    if (ubr !== null) facts.os = { ...os, ubr }
  }
  const kinds = [...new Set(runs.flatMap((r) => (r.result ? [r.result.kind] : [])))]
  facts.transcript = {
    commands: runs.map((r) => ({ line: r.seg.line, command: r.seg.command, kind: r.result?.kind ?? 'unknown' })),
    rule: 'Facts take the last state: where commands disagree, the later output wins.',
  }
  warnings.unshift(
    `Read as a transcript of ${segments.filter((s) => s.command !== null).length} commands; facts take the last state (later output wins).`,
  )
  const last = [...runs].reverse().find((r) => r.result)
  return {
    kind: kinds.length === 0 ? 'unknown' : kinds.length === 1 ? kinds[0]! : last!.result!.kind,
    facts,
    findings,
    warnings: [...warnings, ...notes.splice(0)],
  }
}

interface HotfixFact {
  kb: string
  installedOn?: string | null
  [k: string]: unknown
}

/** The later list's order and entries, each missing field filled from the earlier list; KBs only the earlier list has, after. */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function mergeHotfixes(earlier: HotfixFact[], later: HotfixFact[]): HotfixFact[] {
  const old = new Map(earlier.map((h) => [h.kb, h]))
  const merged = later.map((h) => {
    const e = old.get(h.kb)
    if (!e) return h
    const out: HotfixFact = { ...h }
    for (const [k, v] of Object.entries(e)) if (out[k] == null && v != null) out[k] = v
    return out
  })
  const seen = new Set(later.map((h) => h.kb))
  return [...merged, ...earlier.filter((h) => !seen.has(h.kb))]
}

function withExtracted(result: AnalyzeResult, x: TextFacts, notes: string[], rawText = ''): AnalyzeResult {
  const facts: Record<string, unknown> = { ...result.facts, extracted: x }
  const findings = [...result.findings]
  const warnings = [...result.warnings, ...notes]
  const failures = x.codes.filter((c) => !c.infoOnly)
  if (result.kind === 'unknown') {
    facts.errors = x.codes.map((c) => ({ code: c.code, name: c.name, line: c.line, text: c.text }))
    for (const c of failures.slice(0, 10)) {
      findings.push({
        id: 'text-error-code',
        severity: 'error',
        title: `The text reports ${describeCode(c.code)}`,
        detail: `Line ${c.line}${c.count > 1 ? ` (and ${c.count - 1} more)` : ''}: ${c.text}`,
      })
    }
    const read = [
      x.codes.length && `${x.codes.length} error code(s)`,
      x.kbs.length && `${x.kbs.length} KB number(s)`,
      x.builds.length && `${x.builds.length} build number(s)`,
      x.packages.length && `${x.packages.length} package identit${x.packages.length === 1 ? 'y' : 'ies'}`,
    ].filter(Boolean)
    if (read.length > 0)
      warnings.push(
        `Read from the text: ${read.join(', ')}. Its layout was not recognised, so nothing else was read from it.`,
      )
  } else {
    // Codes the kind's reader did not surface (a summary it skipped, a code in prose) are still named.
    const seen = codesMentioned(
      { f: result.facts, g: result.findings },
      failures.map((c) => c.code.toUpperCase()),
    )
    const missed = failures.filter((c) => !seen.has(c.code.toUpperCase()))
    for (const c of missed.slice(0, 5)) {
      // A failure told in words (`returns error 0x80240037`, `Install error - 0x800f081f`) is a failure, whatever
      // the layout around it; a log line the tool itself logged at a lower level (Info, Warning) is not.
      // In a log with levels, the level decides alone: a trace line without one (wimgapi's `[pid] [0x8007007b] …`)
      // is part of the log's routine, whatever its words say.
      const failed = LEVELLED_LOGS.has(result.kind)
        ? ERROR_LEVEL_LINE.test(c.text)
        : FAILURE_WORDS.test(c.text) && !LOWER_LEVEL_LINE.test(c.text)
      findings.push(
        failed
          ? {
              id: 'text-error-code',
              severity: 'error',
              title: `The text reports ${describeCode(c.code)}`,
              detail: `Line ${c.line}: ${c.text}`,
            }
          : {
              id: 'text-error-code',
              severity: 'warning',
              title: `The text also mentions ${describeCode(c.code)}`,
              detail: `Line ${c.line}: ${c.text}`,
            },
      )
    }
  }
  // A problem told without a code (Setup's sentence, an event's state): a finding of its own, whatever the kind.
  const symptoms = symptomsIn(rawText)
  if (symptoms.length > 0) facts.symptoms = symptoms
  for (const s of symptoms)
    findings.push({ id: `symptom-${s.id}`, severity: 'error', title: s.title, detail: `${s.cause} (${s.source})` })
  // Windows' own failure messages told without a code (knowledge/tool-messages.ts), the same table the diagnosis reads;
  // a guide quoting them tells no failure of its own.
  const told = toolMessagesIn(rawText)
  if (told.length > 0 && !readTextStory(rawText, x).generalOnly)
    for (const t of told)
      findings.push({
        id: `message-${t.message.id}`,
        severity: 'error',
        title: t.message.title,
        detail: `Line ${t.line}: ${t.excerpt}${t.message.code ? ` (${t.message.code})` : ''} — ${t.message.cause}`,
      })
  // The story the text tells in words (analyze/text-story.ts, the reading `diagnose --log` reasons over too): a text
  // of unrecognised layout that tells a failure without a code is never "nothing wrong".
  // A text read as a log (a DISM, CBS or Setup log pasted in an issue) whose reader found no error still tells its
  // failure in the person's words around the log: those words count, never the log's own dated lines.
  const logKind = result.kind !== 'unknown'
  // A log with no line of the person's (a whole DISM.log or CBS.log read from disk) tells nothing in words beyond its
  // reader's findings: its story is not read (a clean 2.4 MB DISM.log: 385 ms of CPU read whole, 49 ms without).
  if (!findings.some((f) => f.severity === 'error' || f.severity === 'critical') && (!logKind || hasOwnLine(rawText))) {
    const story = readTextStory(rawText, x)
    // A log's own lines are the log's (TextStory.ownFailure): dated, an event's fields, a `[pid]` or CMTrace line.
    const own = <T extends { text: string }>(h: T | null | undefined): h is T => !!h && !(logKind && isToolLine(h.text))
    const told = logKind ? story.ownFailure : story.failure
    // A text about failures in general (an explainer, a news item, a question, a change to documentation) names no
    // failure of the reader's: `diagnose` makes every finding resting on it a note, and so no error is told here.
    const named = story.words.causes.find(
      (c) =>
        (!logKind || own(c)) &&
        ((logKind ? own(story.failure) : story.failed) ||
          (logKind ? own(story.pending) : story.pending) ||
          c.standalone ||
          // Words that count only beside a failure the text tells (a how-to naming the service disabled) stay no
          // finding here, as in the diagnosis (diagnose/text-floor.ts storyFloor).
          (c.cause === 'services-disabled' && !c.besideFailure) ||
          c.cause === 'feature-update-failed'),
    )
    if (story.general) {
      /* no failure of the text's own */
    } else if (named)
      findings.push({
        id: `story-${named.cause}`,
        severity: 'error',
        title: `The text names its cause: ${named.why}`,
        detail: `Line ${named.line}: ${named.text}`,
      })
    // A PC that does not start after an update is its own story, not a restart the install waits on.
    else if (own(story.noBoot) && !story.words.hits.pending)
      findings.push({
        id: 'story-no-boot',
        severity: 'error',
        title: 'Windows does not start after the update; the text names no cause',
        detail: `Line ${story.noBoot.line}: ${story.noBoot.text} — from the recovery environment, uninstall the latest update (Troubleshoot › Advanced options › Uninstall Updates).`,
      })
    else if (own(story.pending) && (story.failed || story.words.hits.restartLoop))
      findings.push({
        id: 'story-pending-restart',
        severity: 'error',
        title: 'The install waits on a restart that does not complete it',
        detail: `Line ${story.pending.line}: ${story.pending.text}`,
      })
    else if (story.messageCodes.length > 0 && !story.generalOnly)
      // Windows' own message for a Win32 error, quoted without its code: the code it stands for, as if written.
      for (const m of story.messageCodes.slice(0, 10))
        findings.push({
          id: 'text-error-code',
          severity: 'error',
          title: `The text reports ${describeCode(m.code)} in Windows' own words`,
          detail: `Line ${m.line}: ${m.text} — Windows' message for that code, quoted without it`,
        })
    else if (own(told) && !story.cancelled && !story.generalOnly)
      findings.push({
        id: 'failure-cause-not-named',
        severity: 'error',
        title: 'A failure, cause not named in this text',
        detail: `Line ${told.line}: ${told.text} — the code is in the update history (Settings › Update history, or WindowsUpdateClient event 20), CBS.log or the setup logs.`,
      })
    if (!logKind)
      facts.story = {
        failed: story.failed,
        cancelled: story.cancelled,
        pending: story.pending?.phrase ?? null,
        setupPairs: story.setupPairs.map((p) => `${p.result} - ${p.extend}`),
        // The codes told by Windows' message only, shown where there are any.
        ...(story.messageCodes.length > 0
          ? { codesByMessage: story.messageCodes.map((m) => ({ code: m.code, name: m.name, line: m.line })) }
          : {}),
      }
  }
  if (x.capped)
    warnings.push(
      `More than ${MAX_ITEMS} distinct codes, KBs, builds or packages: only the first ${MAX_ITEMS} of each are listed.`,
    )
  return { kind: result.kind, facts, findings, warnings }
}

/**
 * Which of `codes` (upper case, `0x` and hex digits) the JSON text of `value`, upper-cased, holds — token by token:
 * each string, number and key as JSON.stringify writes it. The same answer as searching the whole JSON text (a code
 * is letters and digits, so it never spans two tokens), without building it: for 64 MB of events the text was 23
 * million characters, and its upper-case copy another (+80 MB at the peak of analyze).
 */
function codesMentioned(value: unknown, codes: string[]): Set<string> {
  const found = new Set<string>()
  const look = (token: string | undefined) => {
    if (token === undefined) return
    const upper = token.toUpperCase()
    for (const c of codes) if (upper.includes(c)) found.add(c)
  }
  const walk = (v: unknown): void => {
    if (found.size === codes.length) return
    const proto = v !== null && typeof v === 'object' ? (Object.getPrototypeOf(v) as unknown) : undefined
    const plain =
      Array.isArray(v) ||
      ((proto === Object.prototype || proto === null) &&
        v !== null &&
        typeof v === 'object' &&
        typeof (v as { toJSON?: unknown }).toJSON !== 'function')
    if (!plain) {
      look(JSON.stringify(v) as string | undefined)
      return
    }
    if (Array.isArray(v)) {
      for (const x of v) walk(x)
      return
    }
    for (const k of Object.keys(v as object)) {
      const x = (v as Record<string, unknown>)[k]
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue
      look(JSON.stringify(k))
      walk(x)
    }
  }
  if (codes.length) walk(value)
  return found
}

/** Words that say something failed, in the languages the corpus holds. */
const FAILURE_WORDS =
  /\b(?:errors?|failed|failure|fails?|unable|could not|cannot|can't)\b|fehler|erreur|échec|errore|\berro\b|hata|ошибк|сбой|エラー|失敗|错误|失败|錯誤|오류|실패/i
const LEVELLED_LOGS = new Set(['cbs-log', 'dism-log', 'setup-log'])
const ERROR_LEVEL_LINE = /^\s*\d{4}[-/]\d{2}[-/]\d{2}[ T][\d:.]+,?\s+(?:Error|Fatal|Critical)\b/i
/** A log line whose own level, given by the tool, is below an error (the level, not the words, decides). */
const LOWER_LEVEL_LINE =
  /^\s*(?:\d{4}[-/]\d{2}[-/]\d{2}[ T][\d:.]+,?\s+)?(?:Info|Information|Warning|Warn|Verbose|Debug|Trace)\b/i

function safeRun(kind: string, run: () => Omit<AnalyzeResult, 'kind'>): AnalyzeResult {
  try {
    return { kind, ...run() }
  } catch (err) {
    return {
      kind,
      facts: {},
      findings: [],
      warnings: [`The ${kind} analyzer failed on this text: ${(err as Error).message}`],
    }
  }
}
