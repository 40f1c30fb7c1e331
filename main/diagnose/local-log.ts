/**
 * A log file on this computer (CLI `--log FILE`) read into a diagnosis's logs: its head decides the kind; CBS.log,
 * DISM.log and setupact/setuperr are streamed (any size), other text read whole. Loaded by the diagnosis service only
 * when a request names a log file (its readers are most of the parsers).
 */
import { InputTooLarge, readFileBounded } from '../bounded-input.ts'
import { open } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import type { LogsAnalysis } from './rule.ts'
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

/** A log file up to this size is read whole, as pasted text is; a larger one is streamed. */
const READ_WHOLE_BYTES = 1024 * 1024

/**
 * Adds a local log file: its head decides the kind; CBS.log, DISM.log and setupact/setuperr are streamed
 * (any size), other kinds (DISM transcripts, event text, SetupDiag output, a saved forum post) are read whole up to
 * 50 MB, and their words go to `texts` too: the rules read that story as they read a pasted one.
 */
export async function addLocalLog(
  logs: LogsAnalysis,
  path: string,
  signal?: AbortSignal,
  /** Where a file of other text (not a streamed log) leaves its words, for the rules that read a text's story. */
  texts?: string[],
): Promise<string[]> {
  let head: string
  let device = false
  let size = 0
  try {
    const fh = await open(path, 'r')
    try {
      // A device (`/dev/zero`) has no size and never ends: it is refused before a byte is read.
      const st = await fh.stat()
      device = !st.isFile()
      if (device) throw new Error('not a file')
      size = st.size
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
  // SetupDiag's results quote CBS/setupact lines (<LogErrorLine>, FailureData): read them as SetupDiag, whole. A small
  // file (an excerpt someone saved, up to a megabyte) is read whole as the paste box reads it, so its story is the same
  // whichever door it came in by; only a larger log is streamed by its kind's scanner.
  const readWhole = size <= READ_WHOLE_BYTES || looksLikeSetupDiag(head) >= 0.9
  if (!readWhole && cbsLogAnalyzer.detect(head) >= 0.5) {
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
  if (!readWhole && dismLogAnalyzer.detect(head) >= 0.5) {
    const scanner = createDismLogScanner()
    await scanLogFile(path, (l, n) => scanner.line(l, n), { filter: DISM_MARKERS, signal })
    logs.dism.push({ source: path, analysis: scanner.finish() })
    return []
  }
  if (!readWhole && looksLikeSetupLog(head) >= 0.5) {
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
  const text = normalizePastedText(buf)
  const { kind, codes } = readPastedText(logs, text, path)
  texts?.push(text)
  if (kind) return [`Read ${path} as ${kind}.`]
  return [
    codes.length > 0
      ? `Could not tell what ${path} is; read the error code(s) in it (${codes.join(', ')}) with their lines, and nothing else.`
      : `Could not tell what ${path} is, and it holds no error code; its words were read as a description of what happened.`,
  ]
}
