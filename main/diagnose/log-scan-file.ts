/**
 * Scans a log FILE like scanLogLines (log-stream.ts), on every core: a large file is cut into blocks of
 * `blockBytes` at line starts (a block owns the lines that START in it); this thread scans blocks from the
 * front and worker threads from the back, each with scanLogLines itself (this thread never waits on a
 * worker: it reads a block a worker still holds itself), and the lines passed are handed to `onLine` block
 * by block, in order, with their file-wide line numbers. The result (lines, numbers, texts, stats) is the one scanLogLines gives on
 * the whole file (test/unit/diagnose/log-scan-file.test.ts), because:
 * - "full mode" (`fullAfter`) is the only state carried from line to line. A worker starts each block with
 *   it off; when the lines passed before a block left it on into the block, this thread reads that block
 *   again itself, from the right state (rare: a RestoreHealth block within `fullLines` of a block end).
 * - where a line longer than MAX_LINE is cut depends on where the reads split it; a block with a line near
 *   that length (a worker says so) makes the whole file be read again on one thread, the lines already
 *   passed on not passed again.
 * Small files (< minBytes), UTF-16 logs, scans without a filter (every line is decoded here anyway), a
 * stateful `fullAfter` (g/y flags) and a saturated machine (fileScanWorkers) take the one-thread path. A worker that fails or dies rejects the scan
 * with a clear error naming the block; the lines passed on before it are exactly the file's first ones.
 * Memory: the passed lines waiting to be handed on stay under MAX_WAITING_CHARS (plus the blocks in work).
 */
import { Worker } from 'node:worker_threads'
import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { workerScriptUrl } from '../worker-url.ts'
import { scanLogLines, type LineScanOptions, type LineScanStats, type LinePrefilter } from './log-stream.ts'

export interface FileScanTuning {
  /** Worker threads besides this one (default: fileScanWorkers()); none: the file is read on this thread alone. */
  workers?: number
  /** Bytes per block (default 8 MB). */
  blockBytes?: number
  /** Files smaller than this are read on this thread (default 16 MB). */
  minBytes?: number
  /** This thread scans blocks too (default true): with one worker, both cores of a 2-core machine. */
  mainThread?: boolean
  /** Tests: this thread starts scanning only once a worker is ready (so both scan a small file). */
  mainAfterWorkers?: boolean
  /** The worker script (tests: one that fails); default logScanWorkerUrl(). */
  workerUrl?: URL
}

const READ_HWM = 256 * 1024
const DEFAULT_BLOCK = 8 * 1024 * 1024
const DEFAULT_MIN = 16 * 1024 * 1024
const MAX_AHEAD = 64
const MAX_WAITING_CHARS = 16 * 1024 * 1024

interface RegexShape {
  source: string
  flags: string
}
/** What a worker receives once. */
export interface ScanWorkerData {
  path: string
  end: number
  blockBytes: number
  bom: number
  filter: RegexShape
  fullAfter: RegexShape | null
  fullLines: number
  /** undefined = the registered one; null = none. */
  prefilter: { needles: string[]; rest: RegexShape | null } | null | undefined
}
/** A worker's answer for one block: the lines it passed (numbers from 1 in the block), with full mode off at the start. */
export interface BlockResult {
  block: number
  start: number
  end: number
  lines: number
  nos: number[]
  texts: string[]
  longLine: boolean
  error?: string
  /** Characters in `texts` (counted where the result waits to be handed on). */
  chars?: number
}

/** The worker script beside this module (source run: .ts), or the built entry (electron-vite: log-scan-worker.js). */
export function logScanWorkerUrl(): URL | null {
  return workerScriptUrl(import.meta.url, 'log-scan-worker')
}

/** The first line start at or after `p` (0, or just after a newline), or `end` when there is none before it. */
export function lineStartAtOrAfter(fd: number, p: number, end: number): number {
  if (p <= 0) return 0
  if (p >= end) return end
  const buf = Buffer.allocUnsafe(64 * 1024)
  let pos = p - 1
  while (pos < end) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos)
    if (n <= 0) return end
    const i = buf.subarray(0, n).indexOf(10)
    if (i !== -1) return Math.min(end, pos + i + 1)
    pos += n
  }
  return end
}

/**
 * The bytes [start, end) of the file, read with positioned synchronous reads into ONE buffer, refilled for
 * each piece (scanLogLines keeps no piece past its loop step): a block is a few MB of a file just stat'ed;
 * a stream's round trips through libuv's pool, and a fresh 256 KB buffer per read (page faults on every
 * page), cost more than the reads themselves (node --cpu-prof: `read` 176 ms per 256 MB with fresh ones).
 */
async function* readRange(fd: number, start: number, end: number): AsyncGenerator<Buffer> {
  let pos = start
  const buf = Buffer.allocUnsafe(Math.min(READ_HWM, end - start))
  let pieces = 0
  while (pos < end) {
    const want = Math.min(buf.length, end - pos)
    const n = readSync(fd, buf, 0, want, pos)
    if (n <= 0) throw new Error(`the file ended at byte ${pos}, before byte ${end} (it was cut while being read)`)
    yield n < buf.length ? buf.subarray(0, n) : buf
    pos += n
    // Let the event loop run between megabytes (this thread scans blocks too: the app's main process).
    if (++pieces % 4 === 0) await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/**
 * The whole file, like createReadStream(path) (to its end, whatever its size then), but with synchronous
 * reads into ONE reused buffer (see readRange): the one-thread path (small files, a saturated machine).
 */
async function* readWhole(path: string): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(READ_HWM)
    for (let pieces = 1; ; pieces++) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n <= 0) return
      yield n < buf.length ? buf.subarray(0, n) : buf
      if (pieces % 4 === 0) await new Promise<void>((resolve) => setImmediate(resolve))
    }
  } finally {
    closeSync(fd)
  }
}

/** Scans one block in a worker (or anywhere): the lines starting in [block × blockBytes, next block). */
export async function scanBlock(fd: number, d: ScanWorkerData, block: number): Promise<BlockResult> {
  const start = block === 0 ? Math.min(d.bom, d.end) : lineStartAtOrAfter(fd, block * d.blockBytes, d.end)
  const end = Math.max(start, lineStartAtOrAfter(fd, (block + 1) * d.blockBytes, d.end))
  const nos: number[] = []
  const texts: string[] = []
  if (end === start) return { block, start, end, lines: 0, nos, texts, longLine: false }
  const prefilter: LinePrefilter | null | undefined =
    d.prefilter === undefined
      ? undefined
      : d.prefilter === null
        ? null
        : {
            needles: d.prefilter.needles,
            ...(d.prefilter.rest ? { rest: new RegExp(d.prefilter.rest.source, d.prefilter.rest.flags) } : {}),
          }
  const st = await scanLogLines(
    readRange(fd, start, end),
    (l, n) => {
      nos.push(n)
      texts.push(l)
    },
    {
      filter: new RegExp(d.filter.source, d.filter.flags),
      ...(d.fullAfter ? { fullAfter: new RegExp(d.fullAfter.source, d.fullAfter.flags), fullLines: d.fullLines } : {}),
      ...(prefilter !== undefined ? { prefilter } : {}),
      start: { linesBefore: 0, fullUntil: 0 },
    },
  )
  return { block, start, end, lines: st.lines, nos, texts, longLine: st.longLine === true }
}

/**
 * The workers a scan starts by default: one per core but this thread's, and none on a saturated machine
 * (1-minute load average ≥ cores + 1). There the kernel's group scheduling (autogroup: one fair share per
 * session) splits the process's share over its threads, so a second thread slows the first more than it
 * helps: 256 MB at load 13–15, this thread + 1 worker 1.2–1.4 s wall (0.55 cores in all) vs one thread
 * 0.58–0.77 s (0.9 cores); a plain loop: 0.28 cores on one thread, 0.32 on two. (Windows reports a load
 * average of 0: workers always.)
 */
export function fileScanWorkers(): number {
  const cores = availableParallelism()
  return loadavg()[0] >= cores + 1 ? 0 : cores - 1
}

/** Same as `scanLogLines(createReadStream(path), onLine, options)`, with the work spread over worker threads. */
export async function scanLogFile(
  path: string,
  onLine: (line: string, lineNo: number) => void,
  options: LineScanOptions = {},
  tuning: FileScanTuning = {},
): Promise<LineScanStats> {
  const oneThread = () => scanLogLines(readWhole(path), onLine, options)
  const workers = Math.floor(tuning.workers ?? fileScanWorkers())
  const useMain = tuning.mainThread !== false
  const blockBytes = Math.max(1, Math.floor(tuning.blockBytes ?? DEFAULT_BLOCK))
  const { filter, fullAfter } = options
  if (
    !filter ||
    workers < 1 ||
    workers + (useMain ? 1 : 0) < 2 ||
    options.start ||
    (fullAfter && /[gy]/.test(fullAfter.flags))
  )
    return oneThread()
  const size = (await stat(path)).size
  const end = options.maxBytes != null ? Math.min(size, Math.max(0, options.maxBytes)) : size
  if (end < (tuning.minBytes ?? DEFAULT_MIN) || end === 0) return oneThread()
  const head = Buffer.alloc(3)
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, 3, 0)
  } finally {
    await fh.close()
  }
  if (head[0] === 0xff && head[1] === 0xfe) return oneThread() // UTF-16: decoded line by line on one thread
  const url = tuning.workerUrl ?? logScanWorkerUrl()
  if (!url) return oneThread()
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  const shape = (r: RegExp): RegexShape => ({ source: r.source, flags: r.flags })
  const data: ScanWorkerData = {
    path,
    end,
    blockBytes,
    bom,
    filter: shape(filter),
    fullAfter: fullAfter && (options.fullLines ?? 0) > 0 ? shape(fullAfter) : null,
    fullLines: options.fullLines ?? 0,
    prefilter:
      options.prefilter === undefined
        ? undefined
        : options.prefilter === null
          ? null
          : {
              needles: [...options.prefilter.needles],
              rest: options.prefilter.rest ? shape(options.prefilter.rest) : null,
            },
  }
  const blocks = Math.ceil(end / blockBytes)
  const count = Math.min(workers, blocks)
  const fullLines = options.fullLines ?? 0
  const signal = options.signal

  let linesBefore = 0
  let fullUntil = 0
  let passed = 0
  const emit = (text: string, no: number) => {
    passed++
    onLine(text, no)
    if (fullAfter && fullLines > 0 && fullAfter.test(text)) fullUntil = no + fullLines
  }

  return await new Promise<LineScanStats>((resolve, reject) => {
    const pool: { worker: Worker; block: number; ready: boolean }[] = []
    const results = new Map<number, BlockResult>()
    let front = 0 // blocks [front, back] are not claimed yet
    let back = blocks - 1
    let nextEmit = 0
    let handedFrom = -1 // the last block taken out of `results`
    let draining = false
    let settled = false
    let stopped = false // the workers are told to stop: their exits are no failure
    let fd = -1
    let selfBusy = false
    let waitingChars = 0
    /** Keeps a block's result until its turn; a second result for a block (two threads read it) is dropped. */
    const keep = (r: BlockResult) => {
      if (r.block <= handedFrom || results.has(r.block)) return
      r.chars = 0
      for (const t of r.texts) r.chars += t.length
      waitingChars += r.chars
      results.set(r.block, r)
    }
    const stop = () => {
      stopped = true
      for (const w of pool) void w.worker.terminate()
      closeFd()
    }
    // Not while this thread's block is being read: the number could be reused by another open meanwhile.
    const closeFd = () => {
      if (fd !== -1 && !selfBusy) {
        try {
          closeSync(fd)
        } catch {
          /* already closed */
        }
        fd = -1
      }
    }
    const fail = (err: Error) => {
      if (!settled) {
        settled = true
        signal?.removeEventListener('abort', onAbort)
        stop()
        reject(err)
      }
    }
    const done = (st: LineScanStats) => {
      if (!settled) {
        settled = true
        signal?.removeEventListener('abort', onAbort)
        stop()
        resolve(st)
      }
    }
    const stats = (): LineScanStats => ({ bytes: end, lines: linesBefore, passed, truncated: end < size })
    const onAbort = () => done({ ...stats(), bytes: Math.min(end, nextEmit * blockBytes) })
    signal?.addEventListener('abort', onAbort, { once: true })
    if (signal?.aborted) {
      onAbort()
      return
    }

    // The passed lines waiting in `results` stay under MAX_WAITING_CHARS (a filter that passes most lines);
    // without this thread the workers run at most MAX_AHEAD blocks ahead of the block being handed on.
    // With this thread scanning from the front, the workers take blocks from the back: this thread never
    // waits for a worker (it scans a block a worker still holds itself when it gets there).
    const assign = (slot: { worker: Worker; block: number; ready: boolean }) => {
      if (settled || !slot.ready || slot.block !== -1 || front > back || waitingChars >= MAX_WAITING_CHARS) return
      if (useMain) slot.block = back--
      else if (front < nextEmit + MAX_AHEAD) slot.block = front++
      else return
      slot.worker.postMessage({ block: slot.block })
    }
    /** The next block for this thread: the first unclaimed one, else the first a worker still holds; -1: none. */
    const nextForMain = (): number => {
      if (front <= back) return front++
      for (let b = Math.max(nextEmit, handedFrom + 1); b < blocks; b++) if (!results.has(b)) return b
      return -1
    }
    const drain = async () => {
      if (draining || settled) return
      draining = true
      try {
        for (let r = results.get(nextEmit); r && !settled; r = results.get(nextEmit)) {
          results.delete(nextEmit)
          handedFrom = nextEmit
          waitingChars -= r.chars ?? 0
          if (r.longLine) {
            // Read the whole file again on this thread; the lines already passed on are not passed again.
            stop()
            const already = linesBefore
            const st = await scanLogLines(
              createReadStream(path, { highWaterMark: READ_HWM }),
              (l, n) => {
                if (n > already) onLine(l, n)
              },
              options,
            )
            done(st)
            return
          }
          if (fullUntil > linesBefore && r.end > r.start) {
            // Full mode runs on into this block: read it here, from that state.
            const st = await scanLogLines(
              createReadStream(path, { start: r.start, end: r.end - 1, highWaterMark: READ_HWM }),
              emit,
              {
                ...options,
                maxBytes: undefined,
                signal: undefined,
                start: { linesBefore, fullUntil },
              },
            )
            if (settled) return
            linesBefore = st.lines
          } else {
            for (let i = 0; i < r.nos.length; i++) emit(r.texts[i]!, linesBefore + r.nos[i]!)
            linesBefore += r.lines
          }
          nextEmit++
          for (const slot of pool) assign(slot)
          void selfScan()
        }
        if (nextEmit === blocks) done(stats())
      } catch (err) {
        fail(err as Error)
      } finally {
        draining = false
      }
    }
    const where = (block: number) =>
      block < 0 ? 'between blocks' : `block ${block + 1} of ${blocks} (bytes from ${block * blockBytes})`
    for (let i = 0; i < count; i++) {
      const worker = new Worker(url, { workerData: data })
      const slot = { worker, block: -1, ready: false }
      pool.push(slot)
      worker.on('message', (m: BlockResult | { ready: true }) => {
        if (settled || stopped) return
        if ('ready' in m) {
          slot.ready = true
          assign(slot)
          if (tuning.mainAfterWorkers) void selfScan()
          return
        }
        if (m.error !== undefined) {
          fail(
            new Error(
              `The log scan of ${path} failed in ${where(m.block)}: ${m.error}. Lines 1–${linesBefore} were passed on.`,
            ),
          )
          return
        }
        slot.block = -1
        keep(m)
        assign(slot)
        void drain()
      })
      worker.on(
        'error',
        (err) =>
          stopped ||
          fail(
            new Error(
              `The log scan of ${path} stopped: a worker failed in ${where(slot.block)} (${err.message}). Lines 1–${linesBefore} were passed on.`,
            ),
          ),
      )
      worker.on(
        'exit',
        (code) =>
          stopped ||
          fail(
            new Error(
              `The log scan of ${path} stopped: a worker exited (code ${code}) in ${where(slot.block)}. Lines 1–${linesBefore} were passed on.`,
            ),
          ),
      )
    }
    // This thread scans blocks too, from the first (a worker takes tens of ms to start).
    const selfScan = async () => {
      if (!useMain || selfBusy) return
      selfBusy = true
      try {
        if (fd === -1) fd = openSync(path, 'r')
        for (let b = nextForMain(); b !== -1 && !settled && !stopped; b = nextForMain()) {
          keep(await scanBlock(fd, data, b))
          void drain()
        }
      } catch (err) {
        if (!stopped)
          fail(
            new Error(
              `The log scan of ${path} failed: ${(err as Error).message}. Lines 1–${linesBefore} were passed on.`,
            ),
          )
      } finally {
        selfBusy = false
        if (stopped) closeFd()
      }
    }
    if (!tuning.mainAfterWorkers) void selfScan()
  })
}
