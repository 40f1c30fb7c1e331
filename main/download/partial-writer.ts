/**
 * Appends received chunks to the `.partial` file while the next ones arrive: chunks queue in memory
 * (at most `maxQueuedBytes`, then the reader waits) and one writer drains the queue, joining what is
 * queued into one buffer per write, so disk writes overlap receiving and hashing. Measured here
 * (test/bench/download.bench.ts, 512 MB): a 64 KiB queue was fastest (2.4–2.9 s) against 1 MiB
 * (4.0–5.1 s) and 8 MiB (4.1–5.5 s); one joined `write` beat `writev` of the same chunks 2–5x.
 * `written` is always the length of what is on disk, in order.
 */
import type { FileHandle } from 'node:fs/promises'

export class PartialWriter {
  written: number
  private readonly fh: FileHandle
  private readonly onWritten: ((bytesOnDisk: number) => void) | undefined
  private readonly maxQueued: number
  private queue: Uint8Array[] = []
  private queued = 0
  private pumping: Promise<void> | null = null
  private failure: unknown = null
  private roomWaiters: Array<() => void> = []

  constructor(fh: FileHandle, startBytes: number, onWritten?: (bytesOnDisk: number) => void, maxQueuedBytes = 64 * 1024) {
    this.fh = fh
    this.written = startBytes
    this.onWritten = onWritten
    this.maxQueued = maxQueuedBytes
  }

  /** Queues a chunk; resolves at once unless the queue is full (then when there is room again). */
  async push(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure
    this.queue.push(chunk)
    this.queued += chunk.byteLength
    this.pumping ??= this.pump()
    if (this.queued >= this.maxQueued) await new Promise<void>((resolve) => this.roomWaiters.push(resolve))
    if (this.failure) throw this.failure
  }

  /** Waits until everything queued is on disk (throws the write error, if one happened). */
  async drain(): Promise<void> {
    while (this.pumping) await this.pumping
    if (this.failure) throw this.failure
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length) {
        const bufs = this.queue
        const n = this.queued
        this.queue = []
        this.queued = 0
        this.wakeWaiters()
        const buf = bufs.length === 1 ? bufs[0] : Buffer.concat(bufs, n)
        for (let at = 0; at < n;) {
          const { bytesWritten } = await this.fh.write(buf, at, n - at)
          if (bytesWritten <= 0) throw new Error('The disk accepted no bytes.')
          at += bytesWritten
        }
        this.written += n
        this.onWritten?.(this.written)
      }
    } catch (err) {
      this.failure = err
    } finally {
      this.pumping = null
      this.wakeWaiters()
    }
  }

  private wakeWaiters(): void {
    const w = this.roomWaiters
    this.roomWaiters = []
    for (const f of w) f()
  }
}
