/**
 * Reads a live machine's servicing logs through the Host, streamed: CBS.log plus CbsPersist_*.log (rolled
 * over copies), the newest CbsPersist_*.cab archives (expanded with expand.exe through the Host, see
 * cbs-persist.ts for the bounds) and DISM.log. A missing log or an archive that does not expand is a note,
 * not an error.
 */
import type { CommandResult, CommandSpec, Host } from '../host/host.ts'
import { type LogsAnalysis, emptyLogs } from '../diagnose/rule.ts'
import { scanLogLines, CBS_MARKERS, CBS_FULL_AFTER, DISM_MARKERS } from '../diagnose/log-stream.ts'
import { createCbsScanner } from '../parse/cbs-log.ts'
import { createDismLogScanner } from '../parse/dism-log.ts'
import {
  CBS_PERSIST_MAX_BYTES,
  CBS_PERSIST_MAX_CABS,
  CBS_PERSIST_WORK_ROOT,
  cbsPersistCabs,
  cbsPersistStamp,
  compareStamps,
  cleanupCbsPersistCommand,
  expandCbsPersistCommand,
  expandedLogName,
  prepareCbsPersistCommand,
} from './cbs-persist.ts'

export const CBS_DIR = 'C:\\Windows\\Logs\\CBS'
export const DISM_LOG = 'C:\\Windows\\Logs\\DISM\\dism.log'

export interface ReadLogsOptions {
  signal?: AbortSignal
  /** Per file; default 2 GB. */
  maxBytes?: number
  /** CbsPersist archives read, newest first; default CBS_PERSIST_MAX_CABS. */
  maxCabs?: number
  /** Expanded archive text read over all archives; default CBS_PERSIST_MAX_BYTES. */
  maxCabBytes?: number
}

type CbsEntry = LogsAnalysis['cbs'][number]

export async function readMachineLogs(
  host: Host,
  options: ReadLogsOptions = {},
): Promise<{ logs: LogsAnalysis; notes: string[] }> {
  const logs = emptyLogs()
  const notes: string[] = []
  const maxBytes = options.maxBytes ?? 2 * 1024 ** 3
  let names: string[] = []
  try {
    names = await host.listDir(CBS_DIR)
  } catch (err) {
    notes.push(`Cannot list ${CBS_DIR}: ${(err as Error).message}`)
  }
  // Persisted history (archives and rolled-over copies) oldest first, CBS.log last: the last failing
  // session is the most recent.
  const persisted: { stamp: string; entry: CbsEntry }[] = await readCbsPersistCabs(host, names, notes, options)
  const persistLogs = names.filter((n) => /^CbsPersist_\d+\.log$/i.test(n))
  if (!persistLogs.length && !persisted.length && !names.some((n) => /^cbs\.log$/i.test(n)))
    notes.push(`No CBS.log found in ${CBS_DIR}.`)
  for (const name of persistLogs) {
    const entry = await readCbsFile(host, `${CBS_DIR}\\${name}`, `${CBS_DIR}\\${name}`, maxBytes, notes, options.signal)
    if (entry) persisted.push({ stamp: /^CbsPersist_(\d+)/i.exec(name)![1]!, entry })
  }
  persisted.sort((a, b) => compareStamps(a.stamp, b.stamp))
  logs.cbs.push(...persisted.map((p) => p.entry))
  for (const name of names.filter((n) => /^cbs\.log$/i.test(n))) {
    const entry = await readCbsFile(host, `${CBS_DIR}\\${name}`, `${CBS_DIR}\\${name}`, maxBytes, notes, options.signal)
    if (entry) logs.cbs.push(entry)
  }
  try {
    if (await host.exists(DISM_LOG)) {
      const scanner = createDismLogScanner()
      await scanLogLines(await host.openRead(DISM_LOG), (l, n) => scanner.line(l, n), {
        filter: DISM_MARKERS,
        maxBytes,
        signal: options.signal,
      })
      logs.dism.push({ source: DISM_LOG, analysis: scanner.finish() })
    } else notes.push(`No DISM log at ${DISM_LOG}.`)
  } catch (err) {
    notes.push(`Cannot read ${DISM_LOG}: ${(err as Error).message}`)
  }
  return { logs, notes }
}

/**
 * The servicing and Windows Update events a collector file recorded (its events step, `spec`: Get-WinEvent as JSON),
 * answered by the file's read-only Host; null when the file holds none or the step failed on that PC.
 */
export async function readRecordedEvents(host: Host, spec: CommandSpec): Promise<string | null> {
  const r = await host.run(spec)
  return r.ok && r.stdout.trim() ? r.stdout : null
}

/** Streams one CBS log into the CBS reader; `source` is what evidence names. A failure is a note. */
async function readCbsFile(
  host: Host,
  path: string,
  source: string,
  maxBytes: number,
  notes: string[],
  signal?: AbortSignal,
): Promise<CbsEntry | null> {
  try {
    const stream = await host.openRead(path)
    const scanner = createCbsScanner()
    const st = await scanLogLines(stream, (l, n) => scanner.line(l, n), {
      filter: CBS_MARKERS,
      fullAfter: CBS_FULL_AFTER,
      fullLines: 200,
      maxBytes,
      signal,
    })
    if (st.truncated) notes.push(`${source}: read only the first ${Math.round(maxBytes / 1024 ** 2)} MB.`)
    return { source, analysis: scanner.finish() }
  } catch (err) {
    notes.push(`Cannot read ${source}: ${(err as Error).message}`)
    return null
  }
}

/**
 * The newest CbsPersist_*.cab archives, newest first: expanded one by one into a fresh work folder on the
 * machine, each expanded log streamed into the CBS reader (its evidence names the archive), the folder
 * removed at the end. Bounded by count and by bytes; a damaged archive is a note and the rest is read.
 */
async function readCbsPersistCabs(
  host: Host,
  names: string[],
  notes: string[],
  options: ReadLogsOptions,
): Promise<{ stamp: string; entry: CbsEntry }[]> {
  const { cabs, skipped } = cbsPersistCabs(names, options.maxCabs ?? CBS_PERSIST_MAX_CABS)
  if (skipped > 0)
    notes.push(`${skipped} older CbsPersist archive(s) in ${CBS_DIR} not read: only the ${cabs.length} newest are.`)
  if (!cabs.length) return []
  const out: { stamp: string; entry: CbsEntry }[] = []
  const workDir = `${CBS_PERSIST_WORK_ROOT}\\${Date.now().toString(36)}${Math.floor(Math.random() * 0xffffff).toString(16)}`
  const stem = (cab: string) => cab.replace(/\.cab$/i, '')
  const prepared = await safeRun(host, prepareCbsPersistCommand(workDir, cabs.map(stem)), options.signal)
  if (!prepared.ok) {
    notes.push(
      `CbsPersist archives not read: could not create ${workDir} (exit ${prepared.exitCode}${lastLine(prepared.stderr || prepared.stdout)}).`,
    )
    return []
  }
  let budget = options.maxCabBytes ?? CBS_PERSIST_MAX_BYTES
  try {
    for (const [i, cab] of cabs.entries()) {
      if (options.signal?.aborted) break
      if (budget <= 0) {
        notes.push(
          `${cabs.length - i} older CbsPersist archive(s) not read: the ${size(options.maxCabBytes ?? CBS_PERSIST_MAX_BYTES)} limit for archives was reached.`,
        )
        break
      }
      const cabPath = `${CBS_DIR}\\${cab}`
      const dest = `${workDir}\\${stem(cab)}`
      const r = await safeRun(host, expandCbsPersistCommand(cabPath, dest), options.signal)
      const logName = r.ok ? expandedLogName(cab, await host.listDir(dest).catch(() => [])) : null
      if (!r.ok || !logName) {
        notes.push(
          `Could not expand ${cabPath} (${r.ok ? 'no log in it' : `expand.exe exit ${r.exitCode}`}${lastLine(r.stdout || r.stderr)}); the other logs were read.`,
        )
        continue
      }
      const source = `${cabPath} › ${logName}`
      let read = 0
      try {
        const stream = await host.openRead(`${dest}\\${logName}`)
        const scanner = createCbsScanner()
        const st = await scanLogLines(stream, (l, n) => scanner.line(l, n), {
          filter: CBS_MARKERS,
          fullAfter: CBS_FULL_AFTER,
          fullLines: 200,
          maxBytes: Math.min(budget, options.maxBytes ?? 2 * 1024 ** 3),
          signal: options.signal,
        })
        read = st.bytes
        if (st.truncated) notes.push(`${source}: read only the first ${size(budget)} (the limit for archives).`)
        out.push({ stamp: cbsPersistStamp(cab)!, entry: { source, analysis: scanner.finish() } })
      } catch (err) {
        notes.push(`Cannot read ${source}: ${(err as Error).message}`)
      }
      budget -= Math.max(read, 1)
    }
  } finally {
    const cleaned = await safeRun(host, cleanupCbsPersistCommand(workDir))
    if (!cleaned.ok)
      notes.push(
        `Could not remove the work folder ${workDir} (exit ${cleaned.exitCode}${lastLine(cleaned.stderr || cleaned.stdout)}).`,
      )
  }
  return out
}

/** host.run, with a Host that throws (it should not) read as a failed command. */
async function safeRun(
  host: Host,
  spec: CommandSpec,
  signal?: AbortSignal,
): Promise<Pick<CommandResult, 'ok' | 'exitCode' | 'stdout' | 'stderr'>> {
  try {
    return await host.run(spec, { signal })
  } catch (err) {
    return { ok: false, exitCode: -1, stdout: '', stderr: (err as Error).message }
  }
}

const size = (n: number) =>
  n >= 1024 ** 2 ? `${Math.round(n / 1024 ** 2)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`

function lastLine(text: string): string {
  const l = text
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean)
    .at(-1)
  return l ? `: ${l.slice(0, 200)}` : ''
}
