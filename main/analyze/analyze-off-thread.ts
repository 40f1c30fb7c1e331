/**
 * Runs analyzeText in a worker thread, so a 50 MB paste never stalls the app's other calls.
 * One worker per call (its memory goes back when it exits); an abort terminates it. Text over
 * ANALYZE_MAX_BYTES is refused before any worker starts. When the worker file cannot be found (a build
 * that did not ship it), the analysis runs in-process and says so in its warnings.
 */
import { Worker } from 'node:worker_threads'
import { workerScriptUrl } from '../worker-url.ts'
import { statSync } from 'node:fs'
import type { AnalyzeResult } from './analyzer.ts'
import { analyzeBoundedFile, analyzeText, ANALYZE_MAX_BYTES, tooLargeMessage } from './analyze.ts'
import type { AnalyzeWorkerData } from './analyze-file.ts'
import { AppError } from '../errors.ts'

/** The worker script beside this module (source run: .ts), or the built entry (electron-vite: analyze-worker.js). */
export function analyzeWorkerUrl(): URL | null {
  return workerScriptUrl(import.meta.url, 'analyze-worker')
}

/**
 * The worker's young generation, capped. The worker holds a copy of the text (the caller keeps
 * its own) and the analysis' objects; V8's default young generation (up to 3 x 16 MB semi-spaces) added its
 * slack on top. Measured on 50,000,000 characters of a package list given to the contract's analyze call
 * (test/bench/input-bounds.bench.ts), peak RSS of the process: table layout 318-328 MB by default, 301-303 MB
 * at 8, 296-300 MB at 4, 297-299 at 1-2; list layout 346-358 / 332-345 / 315-317 / 313-319. Time unchanged.
 */
const WORKER_YOUNG_GENERATION_MB = 4

/**
 * What a worker reads a text or a file with: its script, and the same reading in-process for a build that did not
 * ship the script. The reading alone is this folder's; the reading with the diagnosis's verdict lies above it
 * (main/diagnose/verdict-off-thread.ts) and comes through the same two calls below.
 */
export interface OffThreadReading {
  workerUrl: () => URL | null
  text: (text: string | Uint8Array, kind?: string) => AnalyzeResult
  file: (file: string, kind?: string) => AnalyzeResult
}

/** The reading alone (analyze-worker.ts). */
export const READING_ALONE: OffThreadReading = {
  workerUrl: analyzeWorkerUrl,
  text: (text, kind) => analyzeText(text, kind),
  file: (file, kind) => analyzeBoundedFile(file, kind),
}

/**
 * `transfer`: bytes that own their whole ArrayBuffer move to the worker instead of being copied (the caller's
 * array is empty after); the worker decodes them once and drops them before the analysis.
 */
export async function analyzeOffThread(
  text: string | Uint8Array,
  kind?: string,
  opts: { signal?: AbortSignal; transfer?: boolean } = {},
  reading: OffThreadReading = READING_ALONE,
): Promise<AnalyzeResult> {
  const size = typeof text === 'string' ? text.length : text.byteLength
  if (size > ANALYZE_MAX_BYTES) return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(size)] }
  const movable =
    opts.transfer &&
    typeof text !== 'string' &&
    text.buffer instanceof ArrayBuffer &&
    text.byteOffset === 0 &&
    text.byteLength === text.buffer.byteLength
  return await runAnalysisWorker(reading.workerUrl(), { text, kind }, () => reading.text(text, kind), {
    signal: opts.signal,
    transferList: movable ? [text.buffer as ArrayBuffer] : undefined,
  })
}

/**
 * A file (a dropped one, main/analyze/file-tokens.ts) analysed in the worker, which reads it itself with the
 * CLI's bounded reader: main never holds its text. Over ANALYZE_MAX_BYTES it is refused from its
 * size before a worker starts; one that grows past it while read is refused by the reader.
 */
export async function analyzeFileOffThread(
  file: string,
  kind?: string,
  opts: { signal?: AbortSignal } = {},
  reading: OffThreadReading = READING_ALONE,
): Promise<AnalyzeResult> {
  const st = statSync(file, { throwIfNoEntry: false })
  if (!st?.isFile()) throw new AppError('not-found', `${file} is gone or is no longer a file; drop it again.`)
  if (st.size > ANALYZE_MAX_BYTES)
    return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(st.size)] }
  return await runAnalysisWorker(reading.workerUrl(), { file, kind }, () => reading.file(file, kind), opts)
}

/** One analysis in the worker at `url` (which answers `{ok, result}` once), or in-process when the build did not ship it. */
async function runAnalysisWorker(
  url: URL | null,
  workerData: AnalyzeWorkerData,
  inProcess: () => AnalyzeResult,
  opts: { signal?: AbortSignal; transferList?: ArrayBuffer[] },
): Promise<AnalyzeResult> {
  if (!url) {
    const r = inProcess()
    return {
      ...r,
      warnings: [
        ...r.warnings,
        'The analysis worker is missing from this build; the text was analysed in the main process.',
      ],
    }
  }
  opts.signal?.throwIfAborted()
  return await new Promise<AnalyzeResult>((resolve, reject) => {
    const worker = new Worker(url, {
      workerData,
      transferList: opts.transferList,
      resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    })
    let settled = false
    const done = (fn: () => void) => {
      if (!settled) {
        settled = true
        opts.signal?.removeEventListener('abort', onAbort)
        fn()
      }
    }
    const onAbort = () => {
      void worker.terminate()
      done(() => reject(new AppError('cancelled', 'The analysis was cancelled.')))
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    worker.once('message', (m: { ok: true; result: AnalyzeResult } | { ok: false; message: string }) => {
      done(() => (m.ok ? resolve(m.result) : reject(new AppError('failed', `The analysis failed: ${m.message}`))))
      void worker.terminate()
    })
    worker.once('error', (err) =>
      done(() => reject(new AppError('failed', `The analysis worker failed: ${err.message}`))),
    )
    worker.once('exit', (code) =>
      done(() => reject(new AppError('failed', `The analysis worker stopped (exit ${code}) before answering.`))),
    )
  })
}
