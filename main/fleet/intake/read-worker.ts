/**
 * The worker_threads entry that reads one export file for fleet import (read-file.ts): the file opened, decoded,
 * parsed and each row made an observation here, on another core than the store's writes. Each batch is posted as it
 * is read; at most `inFlight` batches are posted and not yet taken (the main thread posts 'ack' for each one it has
 * stored), so a file read faster than it is stored waits here instead of piling up in memory.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { packPart, readFileParts, type ReadFileMessage, type ReadFileRequest } from './read-file.ts'

const { request, inFlight } = workerData as { request: ReadFileRequest; inFlight: number }
const port = parentPort!
let posted = 0
let taken = 0
let stopped = false
let wake: (() => void) | null = null
port.on('message', (m: unknown) => {
  if (m === 'ack') taken++
  else if (m === 'stop') stopped = true
  wake?.()
})

// Once told to stop, the reading unwinds through its own cleanup (the file closed, a .zip's temporary copy removed).
async function send(m: ReadFileMessage): Promise<void> {
  if (stopped) throw new Error('stopped')
  if (m.type !== 'part') {
    port.postMessage(m)
    return
  }
  port.postMessage({ type: 'packed', part: packPart(m.part) } satisfies ReadFileMessage)
  posted++
  while (posted - taken >= inFlight && !stopped) await new Promise<void>((r) => (wake = r))
  wake = null
  if (stopped) throw new Error('stopped')
}

await readFileParts(request, send).catch(() => undefined)
port.close()
