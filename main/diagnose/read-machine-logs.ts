/**
 * Reads a live machine's servicing logs through the Host, streamed: CBS.log plus CbsPersist_*.log (rolled
 * over copies; .cab archives are skipped) and DISM.log. A missing log is a note, not an error.
 */
import type { Host } from '../host/host.ts'
import { type LogsAnalysis, emptyLogs } from './rule.ts'
import { scanLogLines, CBS_MARKERS, CBS_FULL_AFTER, DISM_MARKERS } from './log-stream.ts'
import { createCbsScanner } from '../parse/cbs-log.ts'
import { createDismLogScanner } from '../parse/dism-log.ts'

export const CBS_DIR = 'C:\\Windows\\Logs\\CBS'
export const DISM_LOG = 'C:\\Windows\\Logs\\DISM\\dism.log'

export interface ReadLogsOptions {
  signal?: AbortSignal
  /** Per file; default 2 GB. */
  maxBytes?: number
}

export async function readMachineLogs(host: Host, options: ReadLogsOptions = {}): Promise<{ logs: LogsAnalysis; notes: string[] }> {
  const logs = emptyLogs()
  const notes: string[] = []
  const maxBytes = options.maxBytes ?? 2 * 1024 ** 3
  let names: string[] = []
  try { names = await host.listDir(CBS_DIR) } catch (err) { notes.push(`Cannot list ${CBS_DIR}: ${(err as Error).message}`) }
  // Oldest persisted copies first, CBS.log last: the last failing session is the most recent.
  const persist = names.filter((n) => /^CbsPersist_\d+\.log$/i.test(n)).sort()
  const cbsFiles = [...persist, ...names.filter((n) => /^cbs\.log$/i.test(n))]
  if (!cbsFiles.length) notes.push(`No CBS.log found in ${CBS_DIR}.`)
  for (const name of cbsFiles) {
    const path = `${CBS_DIR}\\${name}`
    try {
      const stream = await host.openRead(path)
      const scanner = createCbsScanner()
      const st = await scanLogLines(stream, (l, n) => scanner.line(l, n), { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 200, maxBytes, signal: options.signal })
      if (st.truncated) notes.push(`${path}: read only the first ${Math.round(maxBytes / 1024 ** 2)} MB.`)
      logs.cbs.push({ source: path, analysis: scanner.finish() })
    } catch (err) {
      notes.push(`Cannot read ${path}: ${(err as Error).message}`)
    }
  }
  try {
    if (await host.exists(DISM_LOG)) {
      const scanner = createDismLogScanner()
      await scanLogLines(await host.openRead(DISM_LOG), (l, n) => scanner.line(l, n), { filter: DISM_MARKERS, maxBytes, signal: options.signal })
      logs.dism.push({ source: DISM_LOG, analysis: scanner.finish() })
    } else notes.push(`No DISM log at ${DISM_LOG}.`)
  } catch (err) {
    notes.push(`Cannot read ${DISM_LOG}: ${(err as Error).message}`)
  }
  return { logs, notes }
}
