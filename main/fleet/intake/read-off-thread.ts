/**
 * One export file read for fleet import in a worker thread (read-worker.ts): the messages of read-file.ts come back
 * one at a time through `next()`, and `ack()` after each batch is stored lets the worker read on (at most
 * READ_AHEAD batches of IMPORT_PART rows wait between the two threads). Parsing the file then runs on one core while
 * the store writes on the other: at 1,000,000 devices the import's wall time was its one thread's CPU. When the
 * build did not ship the worker, the same reading runs in-process, one batch at a time.
 */
import { Worker } from 'node:worker_threads'
import { workerScriptUrl } from '../../worker-url.ts'
import { readFileParts, unpackPart, type ReadFileMessage, type ReadFileRequest } from './read-file.ts'

/** Batches read ahead of the store (each IMPORT_PART rows: ~8,000 rows, a few MB, between the threads). */
export const READ_AHEAD = 8

export interface FileReader {
  next(): Promise<ReadFileMessage>
  /** The last batch `next()` gave is stored: read on. */
  ack(): void
  /** Stops the reading (if not ended) and lets its thread go. */
  close(): Promise<void>
}

export function readWorkerUrl(): URL | null {
  return workerScriptUrl(import.meta.url, 'read-worker')
}

/** Messages in the order they came, each `next()` taking the oldest (or waiting for one). */
class Queue {
  private readonly items: ReadFileMessage[] = []
  private waiting: ((m: ReadFileMessage) => void) | null = null
  push(m: ReadFileMessage) {
    const w = this.waiting
    if (w) {
      this.waiting = null
      w(m)
    } else this.items.push(m)
  }
  next(): Promise<ReadFileMessage> {
    const m = this.items.shift()
    return m ? Promise.resolve(m) : new Promise((r) => (this.waiting = r))
  }
}

export function readFileOffThread(request: ReadFileRequest, url: URL | null = readWorkerUrl()): FileReader {
  if (!url) return readFileInProcess(request)
  const q = new Queue()
  let ended = false
  let exited = false
  const worker = new Worker(url, { workerData: { request, inFlight: READ_AHEAD } })
  const exit = new Promise<void>((r) => worker.once('exit', () => r()))
  worker.on('message', (m: ReadFileMessage) => {
    if (m.type === 'done' || m.type === 'failed') ended = true
    q.push(m.type === 'packed' ? { type: 'part', part: unpackPart(m.part) } : m)
  })
  worker.on('error', (err) => {
    if (ended) return
    ended = true
    q.push({ type: 'failed', stage: 'read', refused: false, message: err.message, stack: err.stack })
  })
  worker.on('exit', (code) => {
    exited = true
    if (ended) return
    ended = true
    q.push({
      type: 'failed',
      stage: 'read',
      refused: false,
      message: `the reading of ${request.file} stopped (exit ${code})`,
    })
  })
  return {
    next: () => q.next(),
    ack: () => worker.postMessage('ack'),
    // The worker ends on its own after its last message; one still reading is told to stop, so its file is closed
    // and a .zip's temporary copy removed by its own cleanup (terminated only if that takes past 10 s).
    close: async () => {
      ended = true
      if (exited) return
      worker.postMessage('stop')
      const timer = setTimeout(() => void worker.terminate(), 10_000)
      await exit
      clearTimeout(timer)
    },
  }
}

/** The same reading on this thread: each batch waits for its ack before the next is read. */
export function readFileInProcess(request: ReadFileRequest): FileReader {
  const q = new Queue()
  let go: (() => void) | null = null
  let stopped = false
  const reading = readFileParts(request, async (m) => {
    if (stopped) throw new Error('stopped')
    q.push(m)
    if (m.type === 'part') await new Promise<void>((r) => (go = r))
    if (stopped) throw new Error('stopped')
  }).catch(() => undefined)
  return {
    next: () => q.next(),
    ack: () => {
      const g = go
      go = null
      g?.()
    },
    close: async () => {
      stopped = true
      const g = go
      go = null
      g?.()
      await reading
    },
  }
}
