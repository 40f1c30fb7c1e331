/**
 * What a diagnosis rule sees and returns. Rules are pure functions of the machine snapshot, the analysed
 * logs, the code the user typed and the text they pasted; each returns findings that cite their evidence.
 */
import type { MachineContext } from '../knowledge/servicing-chains.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Evidence } from '../../preload/model/common.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { ExplainResult } from '../../preload/model/diagnosis.ts'
import type { CbsLogAnalysis } from '../parse/cbs-log.ts'
import type { DismLogAnalysis } from '../parse/dism-log.ts'
import type { DismOutputFacts } from '../parse/dism-output.ts'
import type { WuEvent } from '../parse/wu-event.ts'
import type { SetupDiagFacts } from '../parse/setupdiag.ts'
import type { SetupLogAnalysis } from '../parse/setup-log.ts'
import type { TextStory } from './outcome-story.ts'
import type { TextStory as PastedStory } from '../analyze/text-story.ts'

export interface LogsAnalysis {
  /** Each with the path or label it was read from. */
  cbs: { source: string; analysis: CbsLogAnalysis }[]
  dism: { source: string; analysis: DismLogAnalysis }[]
  dismOutput: { source: string; facts: DismOutputFacts }[]
  wuEvents: { source: string; events: WuEvent[] }[]
  setupdiag: { source: string; facts: SetupDiagFacts }[]
  setupLog: { source: string; analysis: SetupLogAnalysis }[]
  /** Failure codes read from text whose layout was not recognised (nothing is lost). */
  textCodes?: { source: string; codes: { code: string; line: number; text: string }[]; story?: TextStory | null }[]
  /**
   * The story each pasted text tells (analyze/text-story.ts, the same reading `analyze` gives): failure, cancel and
   * pending words in any language, the KBs it names, Setup's result/extend pairs, a feature being enabled, reagentc's
   * WinRE state. `kind` is the log kind it was read as, null when its layout was not recognised. `issueWords`: the
   * known-issue rows whose symptom words the text holds, with the word found (knowledge/known-issues.ts knownIssueWordsIn).
   */
  textStory?: {
    source: string
    kind: string | null
    story: PastedStory
    issueWords?: { id: string; word: string }[]
  }[]
}

export interface WinreTarget {
  kb: string
  version: string
  /** False when the target version rests on unverified material. */
  verified?: boolean
}

export interface RuleInput {
  snapshot: MachineSnapshot | null
  logs: LogsAnalysis
  /** The code the user entered, explained (null when none or not a code). */
  code: ExplainResult | null
  /** Raw pasted text, if any. */
  text: string | null
  /** The WinRE version the branch should have (from the WinRE knowledge, when available). */
  winreTarget?: (build: number, ctx?: MachineContext) => WinreTarget | null
}

export interface Rule {
  id: string
  evaluate(input: RuleInput): Finding[]
}

export type { Evidence, Finding }

export function emptyLogs(): LogsAnalysis {
  return { cbs: [], dism: [], dismOutput: [], wuEvents: [], setupdiag: [], setupLog: [] }
}
