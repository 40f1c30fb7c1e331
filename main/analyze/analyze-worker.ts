/**
 * The worker_threads entry that runs analyzeText off the main process's event loop (issue 14 §6).
 * Receives `{text, kind}` (or `{file, kind}`: a dropped file it reads itself, issue 33) once, posts back
 * `{ok: true, result}` or `{ok: false, message}`, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzeText } from './analyze.ts'
import { analyzeBoundedFile, type AnalyzeWorkerData } from './analyze-file.ts'

const data = workerData as AnalyzeWorkerData
try {
  parentPort!.postMessage({ ok: true, result: 'file' in data ? analyzeBoundedFile(data.file, data.kind) : analyzeText(data.text, data.kind) })
} catch (err) {
  parentPort!.postMessage({ ok: false, message: (err as Error).message })
}
