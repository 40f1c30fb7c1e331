/**
 * A full garbage collection asked for between an import's batches once the heap has grown well past what the last one
 * left alive. V8 puts off its own until the heap is several times its live size: at 1,000,000 devices the heap grew
 * from ~70 MB alive to ~500 MB of mostly dead rows before V8 collected it (the import's peak, 760 MB of memory), and
 * the process keeps the pages it grew to. Asked for at twice the live size (and never below `floor`), the heap stays
 * near its live size; below the floor (200,000 devices and fewer) nothing changes.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let collect: (() => void) | null | undefined

/** V8's gc(), made reachable once (the process was not started with --expose-gc); null where it cannot be. */
function gcFunction(): (() => void) | null {
  if (collect !== undefined) return collect
  const own = (globalThis as { gc?: () => void }).gc
  if (typeof own === 'function') {
    collect = own
    return own
  }
  try {
    setFlagsFromString('--expose-gc')
    const f = runInNewContext('gc') as unknown
    collect = typeof f === 'function' ? (f as () => void) : null
  } catch {
    collect = null
  }
  return collect
}

export interface HeapPace {
  /** Called between batches: collects when the heap has grown past twice what was alive after the last collection. */
  step(): boolean
}

export function heapPace(opts: { floor?: number; used?: () => number; gc?: () => void } = {}): HeapPace {
  const floor = opts.floor ?? 256 * 2 ** 20
  const used = opts.used ?? (() => getHeapStatistics().used_heap_size)
  let live = 0
  return {
    step() {
      const now = used()
      if (now < floor || now < 2 * live) return false
      const gc = opts.gc ?? gcFunction()
      if (!gc) return false
      gc()
      live = used()
      return true
    },
  }
}
