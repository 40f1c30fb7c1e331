/**
 * The worker_threads entry that reads a pasted text (or a dropped file) and gives it the diagnosis's verdict
 * (verdict-off-thread.ts). Receives `{text, kind}` or `{file, kind}` once, posts back `{ok: true, result}` or
 * `{ok: false, message}`, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { AnalyzeWorkerData } from '../analyze/analyze-file.ts'
import { analyzeFileWithVerdict, analyzeWithVerdict } from './verdict-off-thread.ts'

const data = workerData as AnalyzeWorkerData

/** Bytes are taken out of workerData, so only the decoded text stays while the text is read. */
function takeText(d: { text: string | Uint8Array }): string | Uint8Array {
  const t = d.text
  d.text = ''
  return t
}

try {
  parentPort!.postMessage({
    ok: true,
    result:
      'file' in data ? analyzeFileWithVerdict(data.file, data.kind) : analyzeWithVerdict(takeText(data), data.kind),
  })
} catch (err) {
  parentPort!.postMessage({ ok: false, message: (err as Error).message })
}
