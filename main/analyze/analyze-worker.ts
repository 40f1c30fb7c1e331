/**
 * The worker_threads entry that runs analyzeText off the main process's event loop (issue 14 §6).
 * Receives `{text, kind}` once, posts back `{ok: true, result}` or `{ok: false, message}`, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzeText } from './analyze.ts'

const { text, kind } = workerData as { text: string | Uint8Array; kind?: string }
try {
  parentPort!.postMessage({ ok: true, result: analyzeText(text, kind) })
} catch (err) {
  parentPort!.postMessage({ ok: false, message: (err as Error).message })
}
