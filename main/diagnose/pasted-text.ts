/**
 * Adds pasted text to the logs analysis by kind (CBS.log, DISM.log, DISM output, WU events, SetupDiag,
 * setupact). Whatever the kind — none included — the failure codes in the text are read too:
 * a text whose layout is not recognised still brings its codes, each with the line it came from.
 */
import type { LogsAnalysis } from './rule.ts'
import { cbsLogAnalyzer } from '../analyze/kinds/cbs-log.ts'
import { dismLogAnalyzer } from '../analyze/kinds/dism-log.ts'
import { dismOutputAnalyzer } from '../analyze/kinds/dism-output.ts'
import { wuEventAnalyzer } from '../analyze/kinds/wu-event.ts'
import { setupDiagAnalyzer } from '../analyze/kinds/setupdiag.ts'
import { normalizePastedText } from '../analyze/normalize-text.ts'
import { cleanPastedText } from '../analyze/clean-text.ts'
import { extractTextFacts } from '../analyze/extract.ts'
import { analyzeCbsLogText, primaryEpisode } from '../parse/cbs-log.ts'
import { analyzeDismLogText } from '../parse/dism-log.ts'
import { parseDismOutput } from '../parse/dism-output.ts'
import { parseWuEvents } from '../parse/wu-event.ts'
import { parseSetupDiag } from '../parse/setupdiag.ts'
import { analyzeSetupLog, looksLikeSetupLog } from '../parse/setup-log.ts'
import { storyOfText } from './outcome-story.ts'
import { readTextStory, type WinreOfText } from '../analyze/text-story.ts'
import { isMachineLine } from '../knowledge/outcome-words.ts'
import { parseReagentc, looksLikeReagentc } from '../parse/reagentc.ts'

const SOURCE = 'pasted text'
/** WinRE's state where the text holds reagentc /info's output (any display language). */
const winreOf: WinreOfText = (text) => (looksLikeReagentc(text) >= 0.3 ? parseReagentc(text).info : null)

export interface PastedTextReading {
  /** The kind it was read as, or null when its layout was not recognised. */
  kind: string | null
  /** Failure codes read from the text when no kind fit (also added to `logs.textCodes`). */
  codes: string[]
}

/** Returns the kind it was read as, or null (its codes are still added; see readPastedText). */
export function addPastedText(logs: LogsAnalysis, raw: string, source = SOURCE): string | null {
  return readPastedText(logs, raw, source).kind
}

export function readPastedText(logs: LogsAnalysis, raw: string, source = SOURCE): PastedTextReading {
  const text = cleanPastedText(normalizePastedText(raw)).text
  let best: { kind: string; score: number } | null = null
  // The kinds the diagnosis reads logs of, in the readers' order (detect-kinds.ts KINDS): only their readers are loaded.
  for (const a of [cbsLogAnalyzer, dismLogAnalyzer, dismOutputAnalyzer, wuEventAnalyzer, setupDiagAnalyzer]) {
    let s = 0
    try {
      s = a.detect(text)
    } catch {
      s = 0
    }
    if (s > (best?.score ?? 0)) best = { kind: a.kind, score: s }
  }
  const facts = extractTextFacts(text)
  const setup = looksLikeSetupLog(text)
  if (setup > (best?.score ?? 0)) best = { kind: 'setup-log', score: setup }
  const kind = best && best.score >= 0.3 ? best.kind : null
  // One reading of the whole text's story, whatever its layout: the same one `analyze` gives (analyze/text-story.ts).
  const story = readTextStory(text, facts, winreOf)
  logs.textStory = [...(logs.textStory ?? []), { source, kind, story }]
  if (!best || best.score < 0.3) {
    // Codes told by Windows' own message only ("The system cannot find the file specified.") are the failure's codes.
    const codes = [...facts.codes.filter((c) => !c.infoOnly), ...story.messageCodes].slice(0, 20)
    // The run's story rides with its codes: a success or a restart-pending install is never escalated.
    if (codes.length > 0)
      logs.textCodes = [
        ...(logs.textCodes ?? []),
        { source, codes: codes.map((c) => ({ code: c.code, line: c.line, text: c.text })), story: storyOfText(text) },
      ]
    return { kind: null, codes: codes.map((c) => c.code) }
  }
  switch (best.kind) {
    case 'cbs-log': {
      const analysis = analyzeCbsLogText(text)
      logs.cbs = [...logs.cbs, { source: `${source} (CBS.log)`, analysis }]
      // CBS lines quoted beside the failure they explain (an event's "could not be installed because of error …"): the
      // CBS lines themselves show no failing run, so the failure the text tells with its code is the one to read.
      // Beside a failing run, the code the person tells the install failed with, on a line of their own words ("it
      // failed with error 0x80073712" above the CBS lines they found): the failure the text is about, which the CBS
      // lines explain; a code only on the log's own lines stays the log reader's.
      const own = primaryEpisode(analysis)
        ? story.ownFailure
          ? facts.codes.filter((c) => !c.infoOnly && !isMachineLine(c.text))
          : []
        : story.failure && story.codes.length
          ? facts.codes.filter((c) => !c.infoOnly)
          : []
      if (own.length > 0)
        logs.textCodes = [
          ...(logs.textCodes ?? []),
          {
            source,
            codes: own.slice(0, 20).map((c) => ({ code: c.code, line: c.line, text: c.text })),
            story: storyOfText(text),
          },
        ]
      break
    }
    case 'dism-log':
      logs.dism = [...logs.dism, { source: `${source} (DISM.log)`, analysis: analyzeDismLogText(text) }]
      break
    case 'dism-output': {
      const out = parseDismOutput(text)
      logs.dismOutput = [...logs.dismOutput, { source: `${source} (DISM output)`, facts: out }]
      // A DISM cmdlet's PowerShell error ("Add-WindowsCapability failed. Error code = 0x…") carries no DISM result line.
      if (!out.errorCode && story.failure && story.codes.length) {
        const codes = facts.codes.filter((c) => !c.infoOnly).slice(0, 20)
        logs.textCodes = [
          ...(logs.textCodes ?? []),
          { source, codes: codes.map((c) => ({ code: c.code, line: c.line, text: c.text })), story: storyOfText(text) },
        ]
      }
      break
    }
    case 'wu-event': {
      const events = parseWuEvents(text)
      logs.wuEvents = [...logs.wuEvents, { source: `${source} (Windows Update events)`, events }]
      // An event's message quoted on its own ("Installation Failure: Windows failed to install … with error 0x…") that
      // the event reader could not place: its codes are still the failure the text tells.
      if (!events.some((e) => e.kind === 'failed') && story.failure && story.codes.length) {
        const codes = facts.codes.filter((c) => !c.infoOnly).slice(0, 20)
        logs.textCodes = [
          ...(logs.textCodes ?? []),
          { source, codes: codes.map((c) => ({ code: c.code, line: c.line, text: c.text })), story: storyOfText(text) },
        ]
      }
      break
    }
    case 'setupdiag':
      logs.setupdiag = [...logs.setupdiag, { source: `${source} (SetupDiag)`, facts: parseSetupDiag(text) }]
      break
    case 'setup-log':
      logs.setupLog = [...logs.setupLog, { source: `${source} (setupact.log)`, analysis: analyzeSetupLog(text) }]
      break
  }
  return { kind: best.kind, codes: [] }
}
