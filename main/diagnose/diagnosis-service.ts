/**
 * The diagnosis service: explain a code, and diagnose a machine (snapshot + its logs, read by the caller through the
 * Host: main/machine/read-machine-logs.ts) or just a code and pasted text. Wired into `main/services.ts`, which
 * reaches the Host; diagnosis never does (facts come in as data).
 */
import { InputTooLarge, readFileBounded } from '../bounded-input.ts'
import { open } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import type { MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { DiagnoseOutput, ExplainResult, Finding } from '../../preload/model/diagnosis.ts'
import { explain } from '../knowledge/error-explain.ts'
import { diagnose } from './diagnose.ts'
import { wuEventsFromRecords } from '../parse/wu-event.ts'
import { emptyLogs, type LogsAnalysis } from './rule.ts'
import { readPastedText } from './pasted-text.ts'
import { ANALYZE_MAX_BYTES } from '../analyze/analyze-core.ts'
import { scanLogLines, CBS_MARKERS, CBS_FULL_AFTER, DISM_MARKERS } from './log-stream.ts'
import { scanLogFile } from './log-scan-file.ts'
import { createCbsScanner } from '../parse/cbs-log.ts'
import { createDismLogScanner } from '../parse/dism-log.ts'
import { createSetupLogScanner, looksLikeSetupLog } from '../parse/setup-log.ts'
import { looksLikeSetupDiag } from '../parse/setupdiag.ts'
import { cbsLogAnalyzer } from '../analyze/kinds/cbs-log.ts'
import { dismLogAnalyzer } from '../analyze/kinds/dism-log.ts'
import { normalizePastedText } from '../analyze/normalize-text.ts'
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
  recall?(ref: MachineRef, findings: Finding[], timeline: Timeline, remember: boolean): Finding[]
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
          const events = recorded ? wuEventsFromRecords(recorded.json) : []
          if (recorded && events.length) logs.wuEvents.push({ source: recorded.source, events })
        } else notes.push('A snapshot carries no logs; paste CBS.log or DISM.log text to include them.')
      }
    }
    for (const path of req.logFiles ?? []) notes.push(...(await addLocalLog(logs, path, req.signal)))
    let runs: AppRun[] = []
    if (req.machine && snapshot && deps.runsFor) {
      const r = await deps.runsFor(req.machine, snapshot.origin.name)
      runs = r.runs
      notes.push(...r.notes)
    }
    const machine = req.machine
    const remember = !req.code?.trim() && !req.text?.trim() && !req.logFiles?.length
    const out = diagnose({
      snapshot,
      logs,
      code: req.code ?? null,
      text: req.text ?? null,
      runs,
      ...(deps.settle ? { settle: deps.settle } : {}),
      ...(deps.recall && machine && machine.kind !== 'snapshot' && snapshot
        ? { recall: (f: Finding[], t: Timeline) => deps.recall!(machine, f, t, remember) }
        : {}),
    })
    return {
      findings: out.findings,
      notes: [...notes, ...out.notes],
      ...(out.timeline ? { timeline: out.timeline } : {}),
    }
  }

  return { explainCode, diagnose: diagnoseRequest }
}

/**
 * Adds a local log file: its head decides the kind; CBS.log, DISM.log and setupact/setuperr are streamed
 * (any size), other kinds (DISM transcripts, event text, SetupDiag output) are read whole up to 50 MB.
 */
export async function addLocalLog(logs: LogsAnalysis, path: string, signal?: AbortSignal): Promise<string[]> {
  let head: string
  let device = false
  try {
    const fh = await open(path, 'r')
    try {
      // A device (`/dev/zero`) has no size and never ends: it is refused before a byte is read.
      device = !(await fh.stat()).isFile()
      if (device) throw new Error('not a file')
      const buf = Buffer.alloc(64 * 1024)
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
      head = normalizePastedText(buf.subarray(0, bytesRead))
    } finally {
      await fh.close()
    }
  } catch (err) {
    if (device)
      throw new AppError(
        'invalid-input',
        `The log file ${path} is not a file (a device or a folder); nothing was read.`,
      )
    throw new AppError(
      'not-found',
      `Cannot read the log file '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
    )
  }
  // SetupDiag's results quote CBS/setupact lines (<LogErrorLine>, FailureData): read them as SetupDiag, whole.
  const setupDiag = looksLikeSetupDiag(head) >= 0.9
  if (!setupDiag && cbsLogAnalyzer.detect(head) >= 0.5) {
    const scanner = createCbsScanner()
    await scanLogFile(path, (l, n) => scanner.line(l, n), {
      filter: CBS_MARKERS,
      fullAfter: CBS_FULL_AFTER,
      fullLines: 200,
      signal,
    })
    logs.cbs.push({ source: path, analysis: scanner.finish() })
    return []
  }
  if (!setupDiag && dismLogAnalyzer.detect(head) >= 0.5) {
    const scanner = createDismLogScanner()
    await scanLogFile(path, (l, n) => scanner.line(l, n), { filter: DISM_MARKERS, signal })
    logs.dism.push({ source: path, analysis: scanner.finish() })
    return []
  }
  if (!setupDiag && looksLikeSetupLog(head) >= 0.5) {
    // Panther setupact/setuperr: every line matters (few errors, many phases), still streamed.
    const scanner = createSetupLogScanner()
    await scanLogLines(createReadStream(path, { highWaterMark: 256 * 1024 }), (l, n) => scanner.line(l, n), { signal })
    logs.setupLog.push({ source: path, analysis: scanner.finish() })
    return []
  }
  let buf: Buffer
  // Its size first, then at most that many bytes (a file that grows while read is refused too).
  try {
    buf = readFileBounded(path, ANALYZE_MAX_BYTES)
  } catch (err) {
    if (err instanceof InputTooLarge)
      throw new AppError(
        'invalid-input',
        `${err.message.replace(/\.$/, '')}: it is not a CBS, DISM or setup log, and at most ${ANALYZE_MAX_BYTES / 1024 / 1024} MB of other text is read.`,
      )
    throw err
  }
  const { kind, codes } = readPastedText(logs, normalizePastedText(buf), path)
  if (kind) return [`Read ${path} as ${kind}.`]
  return [
    codes.length > 0
      ? `Could not tell what ${path} is; read the error code(s) in it (${codes.join(', ')}) with their lines, and nothing else.`
      : `Could not tell what ${path} is, and it holds no error code; it was not used.`,
  ]
}
