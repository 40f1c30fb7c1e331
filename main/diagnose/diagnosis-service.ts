/**
 * The diagnosis service: explain a code, and diagnose a machine (snapshot + its logs, read by the caller through the
 * Host: main/machine/read-machine-logs.ts) or just a code and pasted text (log files on this computer: local-log.ts). Wired into `main/services.ts`, which
 * reaches the Host; diagnosis never does (facts come in as data).
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { DiagnoseOutput, ExplainResult, Finding } from '../../preload/model/diagnosis.ts'
import { explain } from '../knowledge/error-explain.ts'
import { diagnoseCore } from './diagnose-core.ts'
import { emptyLogs, type LogsAnalysis } from './rule.ts'
import { AppError } from '../errors.ts'
import type { AppRun, Timeline } from '../../preload/model/timeline.ts'

export interface DiagnosisDeps {
  scan(ref: MachineRef, opts?: { signal?: AbortSignal }): Promise<MachineSnapshot>
  /** A live PC's servicing logs (main/machine/read-machine-logs.ts over its Host). */
  readLogs(ref: MachineRef, opts: { signal?: AbortSignal }): Promise<{ logs: LogsAnalysis; notes: string[] }>
  /** The runs of this app on a machine (its journals), for the timeline; none when absent. */
  runsFor?(ref: MachineRef, machineName: string): Promise<{ runs: AppRun[]; notes: string[] }>
  /** The verdict's last step: each finding keeps only the repair the app really offers (main/repair/verdict.ts). */
  settle?(findings: Finding[], snapshot: MachineSnapshot | null): Finding[]
  /**
   * For a PC the app changes (not a snapshot): the findings a verified run fixed since they were last seen, as history,
   * and what holds now remembered (main/timeline/verdict-memory.ts). `remember` is false when a code or text was given.
   */
  recall?(ref: MachineRef, remember: boolean): Promise<(findings: Finding[], timeline: Timeline) => Finding[]>
  /** For a snapshot opened from a collector file: the logs it carries, read like a live PC's; null when it carries none. */
  readFileLogs?(
    ref: MachineRef,
    opts: { signal?: AbortSignal },
  ): Promise<{ logs: LogsAnalysis; notes: string[] } | null>
  /**
   * For a snapshot opened from a collector file: the servicing and Windows Update events it recorded (the collector's
   * Get-WinEvent JSON), or null when it holds none. They are read like pasted events (failures with their codes).
   */
  logEventsFor?(ref: MachineRef): Promise<{ source: string; json: string } | null>
}

export interface DiagnoseRequest {
  machine?: MachineRef
  code?: string
  text?: string
  /** Log files on this computer (CLI `--log FILE`); CBS and DISM logs are streamed, any size. */
  logFiles?: string[]
  signal?: AbortSignal
}

export function createDiagnosis(deps: DiagnosisDeps) {
  function explainCode(code: string): ExplainResult {
    const r = explain(code)
    if (!r.ok) throw new AppError('invalid-input', r.error)
    return r.value
  }

  async function diagnoseRequest(req: DiagnoseRequest): Promise<DiagnoseOutput> {
    const notes: string[] = []
    let snapshot: MachineSnapshot | null = null
    let logs = emptyLogs()
    if (req.machine) {
      snapshot = await deps.scan(req.machine, { signal: req.signal })
      if (req.machine.kind !== 'snapshot') {
        const read = await deps.readLogs(req.machine, { signal: req.signal })
        logs = read.logs
        notes.push(...read.notes)
      } else {
        const read = (await deps.readFileLogs?.(req.machine, { signal: req.signal })) ?? null
        if (read) {
          logs = read.logs
          notes.push(...read.notes.map((n) => `In the collector file: ${n}`))
          const recorded = (await deps.logEventsFor?.(req.machine)) ?? null
          const events = recorded ? (await import('../parse/wu-event.ts')).wuEventsFromRecords(recorded.json) : []
          if (recorded && events.length) logs.wuEvents.push({ source: recorded.source, events })
        } else notes.push('A snapshot carries no logs; paste CBS.log or DISM.log text to include them.')
      }
    }
    // The log files' readers and the pasted text's are loaded only for a request that has them.
    const fileTexts: string[] = []
    if (req.logFiles?.length) {
      const { addLocalLog } = await import('./local-log.ts')
      for (const path of req.logFiles) notes.push(...(await addLocalLog(logs, path, req.signal, fileTexts)))
    }
    const readText = req.text?.trim() ? (await import('./pasted-text.ts')).readPastedText : null
    let runs: AppRun[] = []
    if (req.machine && snapshot && deps.runsFor) {
      const r = await deps.runsFor(req.machine, snapshot.origin.name)
      runs = r.runs
      notes.push(...r.notes)
    }
    const machine = req.machine
    const remember = !req.code?.trim() && !req.text?.trim() && !req.logFiles?.length
    // The memory is read before the (synchronous) diagnosis: its file's schema loads only when there is a file.
    const recall =
      deps.recall && machine && machine.kind !== 'snapshot' && snapshot ? await deps.recall(machine, remember) : null
    const out = diagnoseCore(
      {
        snapshot,
        logs,
        code: req.code ?? null,
        text: req.text ?? null,
        ...(fileTexts.length ? { readText: fileTexts.join('\n\n') } : {}),
        runs,
        ...(deps.settle ? { settle: deps.settle } : {}),
        ...(recall ? { recall } : {}),
      },
      readText,
    )
    return {
      findings: out.findings,
      notes: [...notes, ...out.notes],
      ...(out.timeline ? { timeline: out.timeline } : {}),
    }
  }

  return { explainCode, diagnose: diagnoseRequest }
}
