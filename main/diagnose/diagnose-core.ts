/**
 * diagnoseCore(): runs every rule over the snapshot, the analysed logs, the code and pasted text, and ranks
 * the findings, most likely cause first. Pure: the caller reads logs (see read-machine-logs.ts). The reader of pasted
 * text (pasted-text.ts: every text reader's parsers) is handed in, not imported, so a diagnosis of a code or a machine
 * loads none of them; diagnose.ts is this with the reader.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { DiagnoseOutput, Finding, Severity } from '../../preload/model/diagnosis.ts'
import { type LogsAnalysis, type RuleInput, type WinreTarget, emptyLogs } from './rule.ts'
import { rules, fallbackRule } from './rules/index.ts'
import { explain } from '../knowledge/error-explain.ts'
import type { readPastedText } from './pasted-text.ts'
import { generalTextFindings, resolvedByText, storyFloor } from './text-floor.ts'
import { withCodeSteps } from './code-steps.ts'
import { winreTargetForBranch } from '../knowledge/winre-targets.ts'
import { branchForBuild, type MachineContext } from '../knowledge/servicing-chains.ts'
import { recentFailures } from './facts.ts'
import { technical } from './finding.ts'
import type { AppRun, Timeline } from '../../preload/model/timeline.ts'
import { buildTimeline } from '../timeline/timeline.ts'
import { assignStates } from '../timeline/finding-state.ts'
import { NOT_INSTALLED_ID, stillNotInstalled } from './not-installed.ts'
import { BEHIND_BUILD_ID, BEHIND_NEWEST_ID, behindNewest } from './behind-newest.ts'
import { adviceFacts } from './advice-facts.ts'
import type { TextStory } from './outcome-story.ts'
import { adviseRemedies, repairAllowed, type AdviceFacts } from '../knowledge/remedy-steps.ts'
import { RESTART_FINISH } from '../knowledge/preconditions.ts'
import { customRemedy } from './finding.ts'
import { noProblemWords, offeredInstalls } from '../../preload/model/health-findings.ts'

export interface DiagnoseArgs {
  snapshot?: MachineSnapshot | null
  logs?: LogsAnalysis
  code?: string | null
  text?: string | null
  /**
   * Text already read into `logs` (a log file of other text, `diagnose --log`): not read again, but its words reach
   * the rules that read a text's story, as a pasted text's do.
   */
  readText?: string | null
  winreTarget?: (build: number) => WinreTarget | null
  /** The runs of this app on the machine (its journals), for the timeline the findings' states come from. */
  runs?: AppRun[]
  /** The verdict's last step: each finding keeps only the repair the app really offers (main/repair/verdict.ts). */
  settle?: (findings: Finding[], snapshot: MachineSnapshot | null) => Finding[]
  /**
   * Findings seen before that no rule finds any more and that a verified run fixed since, as history (
   * main/timeline/verdict-memory.ts); it also remembers what holds now.
   */
  recall?: (findings: Finding[], timeline: Timeline) => Finding[]
}

const WEIGHT: Record<Severity, number> = { critical: 1, error: 0.9, warning: 0.7, info: 0.3 }

/** The reader of pasted text (pasted-text.ts), needed only when a text is given. */
export type PastedTextReader = typeof readPastedText

export function diagnoseCore(args: DiagnoseArgs, readText: PastedTextReader | null): DiagnoseOutput {
  const notes: string[] = []
  const logs = args.logs ? { ...args.logs } : emptyLogs()
  let code: RuleInput['code'] = null
  if (args.code != null && args.code.trim() !== '') {
    const e = explain(args.code, null)
    if (e.ok) code = e.value
    else notes.push(e.error)
  }
  if (args.text != null && args.text.trim() !== '') {
    if (!readText) throw new Error('diagnoseCore was given a text without the reader of pasted text (use diagnose())')
    const { kind, codes } = readText(logs, args.text)
    notes.push(
      kind
        ? `Read the pasted text as ${kind}.`
        : codes.length > 0
          ? `Could not tell what the pasted text is; read the error code(s) in it (${codes.join(', ')}) and nothing else.`
          : 'Could not tell what the pasted text is, and it holds no error code.',
    )
    // A text of a few lines only: in a longer text whose reading found no code (a log of GUIDs, hex identifiers), a
    // code explain() would pick out is a GUID's first part or an identifier the reading already set aside.
    if (!kind && !code && codes.length === 0 && args.text.trim().split(/\n\s*/).length <= 3) {
      // A web address is no code: a documentation page's id in its path (MSDN's aa386098(v=vs.85)) looks like one.
      const e = explain(args.text.replace(/\bhttps?:\/\/\S+/gi, ' '), null)
      // A text that is one code is that code; a text whose only codes are success or information values
      // (WU_E_NO_UPDATE "There are no updates") is no failure, whatever code explain() finds in it.
      const onlyInfo = (logs.textStory ?? []).some(({ story }) => story.infoCodes.length > 0)
      if (e.ok && !onlyInfo) code = e.value
    }
  }
  const input: RuleInput = {
    snapshot: args.snapshot ?? null,
    logs,
    code,
    text: [args.text, args.readText].filter((t) => t?.trim()).join('\n\n') || null,
    winreTarget: args.winreTarget ?? defaultWinreTarget,
  }
  const findings: Finding[] = []
  for (const rule of rules) {
    try {
      findings.push(...rule.evaluate(input))
    } catch (err) {
      notes.push(`Rule ${rule.id} failed: ${(err as Error).message}`)
    }
  }
  const explained = new Set(findings.flatMap((f) => f.codes))
  try {
    for (const f of fallbackRule.evaluate(input)) if (!f.codes.some((c) => explained.has(c))) findings.push(f)
  } catch (err) {
    notes.push(`Rule ${fallbackRule.id} failed: ${(err as Error).message}`)
  }
  // What the pasted text's own words support, after every rule: never "no problem" beside a failure it tells.
  try {
    findings.push(...storyFloor(input, findings))
  } catch (err) {
    notes.push(`The text's story could not be read: ${(err as Error).message}`)
  }
  // Whose failure the pasted text tells, judged once: on a text about failures in general, no rule names the reader's.
  findings.splice(0, findings.length, ...generalTextFindings(input, findings))
  for (const [i, f] of findings.entries()) findings[i] = withCodeSteps(f, input.snapshot)
  // The update an install-update finding means: named by its rule, else the machine's own failed installs with
  // one of the finding's codes (the screens take it from here, never from a pattern in the text).
  const failures = recentFailures(input.snapshot)
  // Every problem about a failed update names it too (an install of it moves the finding to history).
  for (const [i, f] of findings.entries()) {
    if (f.severity === 'info' || f.kbs?.length) continue
    const kbs = [
      ...new Set(failures.filter((h) => h.kb && h.hresult && f.codes.includes(h.hresult)).map((h) => h.kb as string)),
    ]
    if (kbs.length) findings[i] = { ...f, kbs }
  }
  // Each finding's state (current | past | unknown), once, from the PC's timeline.
  const timeline = buildTimeline({ snapshot: input.snapshot, logs, runs: args.runs ?? [] })
  const stated = assignStates(findings, timeline, input.snapshot)
  const settled = args.settle ? args.settle(stated, input.snapshot) : stated
  // A failed update still not installed is a current finding until an install of it verifies.
  const whole = withNotInstalled(settled, input.snapshot, timeline)
  // A pasted text whose story ends with the update installed or the problem fixed: what rests on it is history.
  findings.splice(0, findings.length, ...resolvedByText(input, args.recall ? args.recall(whole, timeline) : whole))
  // Every remedy step states when it is safe, whichever step above made the finding: destructive steps
  // only where this evidence holds their precondition, after the safe ones; no escalation on a run that completed,
  // waits for a restart or was cancelled.
  const facts = adviceFacts(input)
  const stories = storyCodes(logs)
  for (const [i, f] of findings.entries()) findings[i] = advise(f, facts, stories, input.code?.code ?? null)
  rankFindings(findings)
  // Servicing mid-way: restarting and letting it finish is the step, ranked first (every step that would work under it
  // is withheld by the gate above until then).
  // The pending-restart finding says exactly that where the scan shows what waits; else a finding of its own.
  const midway = servicingMidway(facts)
  const pending = findings.findIndex((f) => f.id === 'pending-restart' && f.state !== 'past')
  if (midway && pending >= 0) findings.unshift(...findings.splice(pending, 1))
  else if (midway) findings.unshift(advise(midway, facts, stories, null))
  if (findings.filter((f) => f.severity !== 'info' && f.state !== 'past').length === 0) {
    // Never "no problem" while an install is offered: the same sentence as the report's and Proof's.
    const offered = offeredInstalls(findings)
    notes.push(
      offered.length
        ? noProblemWords(findings)
        : args.snapshot
          ? 'No servicing problem found on this machine.'
          : 'No servicing problem found in what was given.',
    )
    // Never a bare "no problem" beside a failure code in what was read: name the codes judged routine.
    // A code a finding cited (now history) was read as an error then; it is not called routine now.
    const cited = new Set(findings.flatMap((f) => f.codes))
    for (const { source, analysis } of logs.cbs) {
      const routine = Object.entries(analysis.routineCodes ?? {})
        .filter(([c]) => !cited.has(c))
        .sort((a, b) => b[1] - a[1])
      if (!routine.length) continue
      const named = routine
        .slice(0, 5)
        .map(([c, n]) => `${technical(c)}${n > 1 ? ` ×${n}` : ''}`)
        .join(', ')
      notes.push(
        `Read ${source}: ${routine.reduce((t, [, n]) => t + n, 0)} failure code(s) appear only on routine Info lines (${named}${routine.length > 5 ? ', …' : ''}) — probes a healthy PC logs, not errors.`,
      )
    }
  }
  return { findings, notes, ...(input.snapshot ? { timeline } : {}) }
}

/** The finding "servicing is in progress": the PC's own state says Windows is mid-way through servicing. */
function servicingMidway(facts: AdviceFacts): Finding | null {
  if (facts.pc.servicingInProgress !== true) return null
  return {
    id: 'servicing-in-progress',
    title: 'Windows is in the middle of servicing: restart and let it finish first',
    technical: facts.pc.servicingEvidence.join('; '),
    severity: 'error',
    confidence: 0.99,
    causes: [
      'An update is being installed or waits for its restart to finish. Stopping the update services, renaming their folders, repairing the component store or removing packages now would break it mid-way.',
    ],
    remedies: [
      customRemedy(
        RESTART_FINISH.id,
        RESTART_FINISH.title,
        RESTART_FINISH.text,
        RESTART_FINISH.commands,
        RESTART_FINISH.repair,
      ),
    ],
    evidence: facts.pc.servicingEvidence.map((e) => ({
      source: 'Whole-PC checks (reboot-pending keys, services, CBS.log)',
      excerpt: e,
    })),
    repair: RESTART_FINISH.repair,
    codes: [],
  }
}

/** Codes read from texts whose run completed, waits for a restart or was cancelled, with that story. */
function storyCodes(logs: LogsAnalysis): Map<string, TextStory> {
  const out = new Map<string, TextStory>()
  for (const t of logs.textCodes ?? [])
    if (t.story) for (const c of t.codes) if (!out.has(c.code)) out.set(c.code, t.story)
  return out
}

/**
 * A finding through the advice gate: its remedies and repair gated on the facts; a finding whose codes were all read
 * from a run that completed (or was cancelled), and none from a failure on the PC or typed by the user, is no error:
 * a restart still to do is a warning, the rest information.
 */
function advise(f: Finding, facts: AdviceFacts, stories: Map<string, TextStory>, typed: string | null): Finding {
  const out: Finding = {
    ...f,
    remedies: adviseRemedies(f.remedies, facts),
    repair: repairAllowed(f.repair, facts) ? f.repair : null,
  }
  const told = f.codes.map((c) => (!facts.failed.has(c) && c !== typed ? stories.get(c) : undefined))
  if (
    f.codes.length &&
    told.every((s) => s) &&
    (f.severity === 'error' || f.severity === 'critical' || f.severity === 'warning')
  ) {
    out.severity = told.every((s) => s === 'installed-restart-pending') ? 'warning' : 'info'
  }
  return out
}

/** The Safe OS update and WinRE version a build's branch should have (WinRE knowledge), when known. */
function defaultWinreTarget(build: number, ctx?: MachineContext): WinreTarget | null {
  const branch = branchForBuild(build, ctx)
  const t = branch ? winreTargetForBranch(branch.id) : null
  return t?.winreVersion ? { kb: t.kb, version: t.winreVersion, verified: t.verified } : null
}

/**
 * The findings "a failed update still not installed" and "a newer update is available" add, computed again over `findings` (after the verdict's last
 * step took away repairs the app does not offer, the update may be the next step after all).
 */
export function withNotInstalled(findings: Finding[], snapshot: MachineSnapshot | null, timeline: Timeline): Finding[] {
  const rest = findings.filter(
    (f) => f.id !== NOT_INSTALLED_ID && f.id !== BEHIND_NEWEST_ID && f.id !== BEHIND_BUILD_ID,
  )
  const whole = [...rest, ...stillNotInstalled(rest, snapshot, timeline)]
  // A PC behind its branch's newest update is offered it once no other install is.
  return [...whole, ...behindNewest(whole, snapshot, timeline)]
}

/** Most likely first: past findings (history) after everything that holds now; a note (info) never above a problem. */
export function rankFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      Number(a.state === 'past') - Number(b.state === 'past') ||
      Number(a.severity === 'info') - Number(b.severity === 'info') ||
      score(b) - score(a) ||
      a.id.localeCompare(b.id),
  )
}

export function score(f: Finding): number {
  return f.confidence * WEIGHT[f.severity]
}
