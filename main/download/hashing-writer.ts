/**
 * Writes a download to its `.partial` file and computes its SHA-1 and SHA-256 while it arrives, split
 * over two threads: the receiving thread copies chunks into 1 MiB slots of memory it shares with a worker
 * thread and hashes each slot with SHA-1 as it hands it over; the worker starts the slot's disk write (on
 * libuv's pool) and hashes it with SHA-256 meanwhile, then gives the slot back. Both digests cost about as
 * much as receiving (≈0.57 + 0.60 s per GB here); all inline made our download 1.3–1.8× slower than
 * `curl -o` + `sha1sum` (test/bench/download.bench.ts), both on the worker left the receiving thread
 * waiting on it for ~0.8 s per GB (measured again in round 4: 2.2–2.3 s vs 1.6–1.9 s split).
 *
 * Past the page cache (round 4): on Linux whole 4 KiB blocks are written with O_DIRECT through a
 * second descriptor (the slots are WebAssembly shared memory, the one shareable memory whose start is
 * page-aligned, as O_DIRECT needs); a resumed partial's first batch is cut short so every later one starts
 * on a block, and the last bytes go through the page cache. Why: writing 1 GB through the page cache cost
 * 0.2 s of CPU or 1.8–2.3 s, depending only on whether the freed memory it reuses was recently freed
 * (`dd` 1 GB right after a 1 GB delete: 0.22 s; after a 10 s pause: 2.0 s): this VM's balloon reports free
 * pages to its host (virtio-balloon feature REPORTING), which takes them back, and every page touched
 * again faults in. Direct writes touch no new page: in A/B rounds after an 8 s pause, 1.73–1.76 s against
 * 2.97–3.85 s for the page-cache writer; right after a delete, the same within noise (1.6 vs 1.5–1.9 s).
 * A multi-GB update also no longer pushes a technician's working set out of memory. Where O_DIRECT does
 * not exist (Windows, macOS) or a file system refuses it (open or first write: EINVAL), every byte goes
 * through the page cache as before.
 *
 * Guarantees (the download's resume logic rests on them):
 * - `written` is the length on disk, in order; `onWritten` reports it after each write.
 * - `close()` writes every byte that was pushed before closing (a cancel keeps all it received); only a
 *   hard crash loses what was in memory: at most `maxInFlightBytes` plus one batch, plus a chunk that
 *   arrived while every slot was busy (held back in order until one comes back; `push` then waits).
 * - When resuming, both threads re-hash the first `prefixBytes` of the file (cut to that length) first.
 * - `flushEveryBytes` flushes written bytes to the device in the background; `finish({ sync: true })`
 *   fsyncs before it answers (download-file.ts uses both only for `durable` downloads).
 * - A write error (disk full, read-only) is reported as the Node error (with its `code`) by the next
 *   `push`, `finish` or `close`.
 *
 * The worker is inline source (`eval`), so it runs the same from `node main/cli/bin.ts`, from the
 * bundled Electron main process and from tests, without a second build entry. Why not a library: no
 * well-kept package hashes and writes off-thread with these guarantees; this is ~150 lines.
 */
import { createHash, type Hash } from 'node:crypto'
import { constants, createReadStream } from 'node:fs'
import { Worker } from 'node:worker_threads'

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const BLOCK = workerData.block
const memory = workerData.memory
const sha256 = createHash('sha256')
let fd = -1 // through the page cache
let dfd = -1 // O_DIRECT (Linux), -1 when not available
let direct = 0 // bytes written through dfd (reported with the digest)
let hashed = 0
let written = workerData.prefixBytes
let writing = 0 // 1 while a write is on the pool
let flushing = false
let flushedAt = 0
let failure = null
let ending = null
const fail = (err) => {
  if (failure) return
  failure = err
  parentPort.postMessage({ type: 'error', code: err && err.code, message: String(err && err.message || err) })
}
const closeAll = () => {
  let first = null
  for (const d of [dfd, fd]) { if (d >= 0) { try { fs.closeSync(d) } catch (e) { first = first || e } } }
  fd = -1
  dfd = -1
  return first
}
const settle = () => {
  if (!ending || writing > 0 || (queue.length && !failure) || flushing) return
  const end = ending
  ending = null
  const report = () => {
    const closeErr = closeAll()
    if (closeErr) fail(closeErr)
    if (failure || end.kind === 'close') parentPort.postMessage({ type: 'closed', written })
    else parentPort.postMessage({ type: 'done', written, bytes: hashed, sha256: sha256.digest('hex'), direct })
  }
  if (end.sync && !failure && fd >= 0) fs.fsync(fd, (err) => { if (err) fail(err); report() })
  else report()
}
// One write at a time, each at its own position: concurrent writes on libuv's pool may land in any
// order (a test caught exactly that), and the partial must hold the bytes received, in order.
const queue = []
const pump = () => {
  if (writing || failure || !queue.length) return
  const job = queue.shift()
  writing = 1
  writeAt(job, 0)
}
// A slot's bytes go to the disk past the page cache (dfd) where the file position, the memory and the
// length are whole blocks; the rest (a resumed partial's first block, the file's last bytes) through fd.
const writeAt = (job, at) => {
  const pos = written + at
  const left = job.length - at
  const aligned = dfd >= 0 && pos % BLOCK === 0 && (job.offset + at) % BLOCK === 0 && left >= BLOCK
  const n = aligned ? left - (left % BLOCK) : left
  const view = new Uint8Array(memory, job.offset + at, n)
  fs.write(aligned ? dfd : fd, view, 0, n, pos, (err, wrote) => {
    if (err && aligned && err.code === 'EINVAL') {
      // This file system takes no direct writes after all: nothing was written; go on through the page cache.
      try { fs.closeSync(dfd) } catch {}
      dfd = -1
      writeAt(job, at)
      return
    }
    if (err || wrote <= 0) { writing = 0; fail(err || new Error('The disk accepted no bytes.')); settle(); return }
    if (aligned) direct += wrote
    if (at + wrote < job.length) { writeAt(job, at + wrote); return }
    writing = 0
    written += job.length
    // The slot goes back to be filled again (it was hashed when it arrived, before this callback).
    parentPort.postMessage({ type: 'written', written, slot: job.slot })
    // Flush to the device as we go (one flush at a time), so the fsync at the end has little left.
    if (workerData.flushEvery > 0 && !flushing && written - flushedAt >= workerData.flushEvery) {
      flushing = true
      flushedAt = written
      fs.fdatasync(fd, () => { flushing = false; settle() })
    }
    pump()
    settle()
  })
}
try {
  // r+ and explicit positions (not 'a': Linux ignores positions on O_APPEND); the file is cut to the
  // re-hashed prefix, so what follows it is exactly what is appended here.
  fd = fs.openSync(workerData.path, workerData.append ? 'r+' : 'w')
  if (workerData.append) {
    const size = fs.fstatSync(fd).size
    if (size < workerData.prefixBytes) throw new Error('Could read only ' + size + ' of ' + workerData.prefixBytes + ' bytes of the partial file.')
    if (size > workerData.prefixBytes) fs.ftruncateSync(fd, workerData.prefixBytes)
  }
  if (workerData.direct) {
    // A second descriptor of the same file, past the page cache; a file system that refuses it is no error.
    try { dfd = fs.openSync(workerData.path, fs.constants.O_WRONLY | workerData.direct) } catch { dfd = -1 }
  }
  if (workerData.prefixBytes > 0) {
    // The r+ descriptor reads too (positioned reads leave the writes' positions alone).
    const buf = Buffer.allocUnsafe(1024 * 1024)
    let pos = 0
    while (pos < workerData.prefixBytes) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, workerData.prefixBytes - pos), pos)
      if (n <= 0) throw new Error('Could read only ' + pos + ' of ' + workerData.prefixBytes + ' bytes of the partial file.')
      sha256.update(buf.subarray(0, n))
      pos += n
    }
    hashed = pos
  }
  parentPort.postMessage({ type: 'ready', hashed, direct: dfd >= 0 })
} catch (err) {
  fail(err)
}
parentPort.on('message', (m) => {
  if (m.type === 'data') {
    if (failure) return
    queue.push(m)
    pump()
    const view = new Uint8Array(memory, m.offset, m.length)
    sha256.update(view)
    hashed += m.length
  } else {
    ending = m
    if (failure) { ending = null; parentPort.postMessage({ type: 'closed', written }) }
    else settle()
  }
})
`

export interface HashingWriterOptions {
  /** Append to an existing partial of this many bytes (re-hashed first); 0 starts a new file. */
  prefixBytes: number
  onWritten?: (bytesOnDisk: number) => void
  /** Batch size handed to the worker (default 1 MiB). */
  batchBytes?: number
  /** Bytes handed over but not yet on disk before `push` waits (default 4 MiB). */
  maxInFlightBytes?: number
  /** Flush written bytes to the device every this many bytes, in the background (0: only at the end). */
  flushEveryBytes?: number
  /** Write whole blocks past the page cache where the OS and file system allow it (default true; Linux only). */
  direct?: boolean
}

export interface HashingResult {
  sha1: string
  sha256: string
  bytes: number
  /** Bytes that went to the disk past the page cache (O_DIRECT); 0 where the OS or file system has none. */
  directBytes: number
}

type FromWorker =
  | { type: 'ready'; hashed: number; direct: boolean }
  | { type: 'written'; written: number; slot: number }
  | { type: 'error'; code?: string; message: string }
  | { type: 'closed'; written: number }
  | { type: 'done'; written: number; bytes: number; sha256: string; direct: number }

/** O_DIRECT's alignment: file positions, lengths and memory in whole blocks of this size. */
const BLOCK = 4096
const WASM_PAGE = 65536

export class HashingWriter {
  /** Bytes on disk (the partial's length). */
  written: number
  /** Bytes pushed (received), including those still in memory. */
  pushed: number
  /** Whether the file was opened for writes past the page cache (a refused first write still falls back: see `directBytes`). */
  direct = false
  private readonly worker: Worker
  private readonly batchBytes: number
  private readonly maxInFlight: number
  private readonly onWritten: ((n: number) => void) | undefined
  /** The slots, shared with the worker (no copy, no transfer): page-aligned, as O_DIRECT needs. */
  private readonly view: Buffer
  private readonly free: number[]
  /** SHA-1 runs here, on each batch as it is handed over; SHA-256 on the worker. */
  private readonly sha1 = createHash('sha1')
  /** The slot being filled (-1: none free; what arrives waits in `spill`), its length and capacity. */
  private slot: number
  private batchLen = 0
  private batchCap: number
  /** Bytes received while every slot was on its way to the disk (copied; moved into slots as they come back). */
  private readonly spill: Buffer[] = []
  private handedOver: number
  private failure: Error | null = null
  private roomWaiter: (() => void) | null = null
  private endWaiter: ((m: FromWorker) => void) | null = null
  private pendingEnd: { kind: 'end' | 'close'; sync: boolean } | null = null
  private ended = false
  private exited = false

  private constructor(worker: Worker, memory: SharedArrayBuffer, slots: number, opts: HashingWriterOptions) {
    this.worker = worker
    this.view = Buffer.from(memory)
    this.written = opts.prefixBytes
    this.pushed = opts.prefixBytes
    this.handedOver = opts.prefixBytes
    this.batchBytes = opts.batchBytes ?? 1024 * 1024
    this.maxInFlight = opts.maxInFlightBytes ?? 4 * 1024 * 1024
    this.onWritten = opts.onWritten
    this.free = Array.from({ length: slots - 1 }, (_, i) => slots - 1 - i)
    this.slot = 0
    this.batchCap = this.capacity()
  }

  /** Opens (or appends to) `path` and, when resuming, re-hashes its first `prefixBytes` (both threads at once). */
  static async open(path: string, opts: HashingWriterOptions, signal?: AbortSignal): Promise<HashingWriter> {
    const batchBytes = opts.batchBytes ?? 1024 * 1024
    // Room for what may be in flight, the batch being filled and one more; WebAssembly memory is the one
    // shareable memory whose start is page-aligned.
    const slots = Math.ceil((opts.maxInFlightBytes ?? 4 * 1024 * 1024) / batchBytes) + 2
    const pages = Math.ceil((slots * batchBytes) / WASM_PAGE)
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
      .buffer as unknown as SharedArrayBuffer
    const oDirect = (opts.direct ?? true) ? ((constants as { O_DIRECT?: number }).O_DIRECT ?? 0) : 0
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        append: opts.prefixBytes > 0,
        prefixBytes: opts.prefixBytes,
        flushEvery: opts.flushEveryBytes ?? 0,
        memory,
        block: BLOCK,
        direct: oDirect,
      },
    })
    const w = new HashingWriter(worker, memory, slots, opts)
    const stop = new AbortController()
    const ready = new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', early)
        worker.off('error', onError)
        signal?.removeEventListener('abort', onAbort)
      }
      const early = (m: FromWorker) => {
        if (m.type === 'ready') {
          cleanup()
          w.direct = m.direct
          resolve()
        } else if (m.type === 'error') {
          cleanup()
          reject(toError(m))
        }
      }
      const onError = (err: Error) => {
        cleanup()
        reject(err)
      }
      // Re-hashing a 4 GB partial takes seconds: a cancel ends it at once.
      const onAbort = () => {
        cleanup()
        reject(signal?.reason ?? new Error('aborted'))
      }
      worker.on('message', early)
      worker.on('error', onError)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
    try {
      await Promise.all([
        ready.catch((err: unknown) => {
          stop.abort()
          throw err
        }),
        hashPrefix(path, opts.prefixBytes, w.sha1, stop.signal).catch((err: unknown) => {
          stop.abort()
          throw err
        }),
      ])
    } catch (err) {
      void worker.terminate()
      throw err
    }
    w.listen()
    return w
  }

  /**
   * A batch ends on a block boundary of the file: after a resumed partial of odd length the first batch is
   * shorter, so every later one starts where O_DIRECT can write it.
   */
  private capacity(): number {
    if (this.batchBytes % BLOCK !== 0) return this.batchBytes
    return this.batchBytes - (this.handedOver % BLOCK)
  }

  private listen(): void {
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'written') {
        this.written = m.written
        this.free.push(m.slot)
        this.refill()
        this.onWritten?.(m.written)
        if (this.roomWaiter && this.handedOver - this.written <= this.maxInFlight && !this.spill.length) {
          const w = this.roomWaiter
          this.roomWaiter = null
          w()
        }
      } else if (m.type === 'error') {
        this.failure ??= toError(m)
        if (this.roomWaiter) {
          const w = this.roomWaiter
          this.roomWaiter = null
          w()
        }
        if (this.pendingEnd) this.sendEnd()
      } else if (m.type === 'closed' || m.type === 'done') {
        this.written = m.written
        const w = this.endWaiter
        this.endWaiter = null
        w?.(m)
      }
    })
    const gone = (err: Error) => {
      this.failure ??= err
      this.exited = true
      if (this.roomWaiter) {
        const w = this.roomWaiter
        this.roomWaiter = null
        w()
      }
      const w = this.endWaiter
      this.endWaiter = null
      w?.({ type: 'closed', written: this.written })
    }
    this.worker.on('error', gone)
    // A worker that stops without being asked to (killed, out of memory) must not leave anyone waiting.
    this.worker.on('exit', (code) => {
      if (!this.ended || this.endWaiter) gone(new Error(`The hashing worker stopped (exit code ${code}).`))
    })
  }

  /** Takes a chunk (copied; the caller may reuse it). Returns a promise only when the disk is behind. */
  push(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) throw this.failure
    const at = this.spill.length ? 0 : this.fill(chunk)
    if (at < chunk.byteLength) this.spill.push(Buffer.from(chunk.subarray(at)))
    this.pushed += chunk.byteLength
    if (this.handedOver - this.written > this.maxInFlight || this.spill.length) {
      return new Promise<void>((resolve) => {
        this.roomWaiter = resolve
      }).then(() => {
        if (this.failure) throw this.failure
      })
    }
    return undefined
  }

  /** Copies as much of `chunk` as the free slots take; returns how much. */
  private fill(chunk: Uint8Array): number {
    let at = 0
    while (at < chunk.byteLength && this.slot >= 0) {
      const n = Math.min(this.batchCap - this.batchLen, chunk.byteLength - at)
      // Buffer#fill with a buffer as long as the range is one native memcpy; TypedArray#set into shared
      // memory is V8's element-wise relaxed copy (~7 % of a download's CPU in perf).
      const to = this.slot * this.batchBytes + this.batchLen
      this.view.fill(chunk.subarray(at, at + n), to, to + n)
      this.batchLen += n
      at += n
      if (this.batchLen === this.batchCap) this.handOver()
    }
    return at
  }

  /** A slot came back: what waits in `spill` goes into it, in order. */
  private refill(): void {
    if (this.slot < 0) {
      this.slot = this.free.pop() ?? -1
      this.batchCap = this.capacity()
    }
    while (this.spill.length && this.slot >= 0) {
      const head = this.spill[0]
      const n = this.fill(head)
      if (n === head.byteLength) this.spill.shift()
      else this.spill[0] = head.subarray(n)
    }
    if (this.pendingEnd && !this.spill.length) this.sendEnd()
  }

  private handOver(): void {
    if (this.batchLen === 0 || this.slot < 0) return
    const offset = this.slot * this.batchBytes
    this.sha1.update(this.view.subarray(offset, offset + this.batchLen))
    this.worker.postMessage({ type: 'data', slot: this.slot, offset, length: this.batchLen })
    this.handedOver += this.batchLen
    this.batchLen = 0
    this.slot = this.free.pop() ?? -1
    this.batchCap = this.capacity()
  }

  private end(kind: 'end' | 'close', sync: boolean): Promise<FromWorker> {
    if (this.ended) return Promise.resolve({ type: 'closed', written: this.written })
    this.ended = true
    if (this.exited) return Promise.resolve({ type: 'closed', written: this.written })
    const p = new Promise<FromWorker>((resolve) => {
      this.endWaiter = resolve
    })
    this.pendingEnd = { kind, sync }
    // Everything received goes to the worker first: what is still spilled follows as slots come back.
    if (!this.spill.length || this.failure) this.sendEnd()
    return p.finally(() => {
      void this.worker.terminate()
    })
  }

  private sendEnd(): void {
    const end = this.pendingEnd
    if (!end) return
    this.pendingEnd = null
    this.handOver()
    this.worker.postMessage({ type: end.kind, sync: end.sync })
  }

  /** Writes everything pushed, fsyncs when asked, closes, and returns the digests of the whole file. */
  async finish(opts: { sync: boolean }): Promise<HashingResult> {
    const m = await this.end('end', opts.sync)
    if (this.failure) throw this.failure
    if (m.type !== 'done') throw new Error('The hashing worker ended without a digest.')
    return { sha1: this.sha1.digest('hex'), sha256: m.sha256, bytes: m.bytes, directBytes: m.direct }
  }

  /** Writes everything pushed and closes without a digest (cancel, error). Throws the write error, if any. */
  async close(): Promise<void> {
    await this.end('close', false)
    if (this.failure) throw this.failure
  }
}

function toError(m: { code?: string; message: string }): Error {
  const e = new Error(m.message) as NodeJS.ErrnoException
  if (m.code) e.code = m.code
  return e
}

/** Feeds the first `length` bytes of `path` to `hash` (the SHA-1 half of a resume's re-hash). */
async function hashPrefix(path: string, length: number, hash: Hash, signal: AbortSignal): Promise<void> {
  if (length === 0) return
  let got = 0
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1024 * 1024, signal })
  for await (const chunk of stream) {
    hash.update(chunk as Buffer)
    got += (chunk as Buffer).length
  }
  if (got !== length) throw new Error(`Could read only ${got} of ${length} bytes of the partial file.`)
}
