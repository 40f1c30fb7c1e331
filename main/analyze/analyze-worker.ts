/**
 * The worker_threads entry that runs analyzeText off the main process's event loop.
 * Receives `{text, kind}` (or `{file, kind}`: a dropped file it reads itself) once, posts back
 * `{ok: true, result}` or `{ok: false, message}`, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzeBoundedFile, analyzeText } from './analyze.ts'
import { normalizePastedText } from './normalize-text.ts'
import type { AnalyzeWorkerData } from './analyze-file.ts'

const data = workerData as AnalyzeWorkerData

/** Bytes are decoded here and dropped from workerData, so they are gone before the analysis. */
function takeText(d: { text: string | Uint8Array }): string {
  const t = d.text
  d.text = ''
  return typeof t === 'string' ? t : normalizePastedText(t)
}

try {
  parentPort!.postMessage({
    ok: true,
    result: 'file' in data ? analyzeBoundedFile(data.file, data.kind) : analyzeText(takeText(data), data.kind),
  })
} catch (err) {
  parentPort!.postMessage({ ok: false, message: (err as Error).message })
}
