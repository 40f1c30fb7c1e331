import { getHeapStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { heapPace } from '../../../main/fleet/heap-pace.ts'

describe('heapPace', () => {
  it('collects only past the floor and past twice what the last collection left alive', () => {
    let heap = 100
    let runs = 0
    const pace = heapPace({
      floor: 300,
      used: () => heap,
      gc: () => {
        runs++
        heap = 160
      },
    })
    expect(pace.step()).toBe(false)
    heap = 299
    expect(pace.step()).toBe(false)
    heap = 400
    expect(pace.step()).toBe(true)
    expect(runs).toBe(1)
    // 160 left alive: the next one at 320 or more (and the floor).
    heap = 310
    expect(pace.step()).toBe(false)
    heap = 330
    expect(pace.step()).toBe(true)
    expect(runs).toBe(2)
  })

  it('reaches V8 itself: a heap grown past the floor by garbage is collected down', () => {
    const used = () => getHeapStatistics().used_heap_size
    let junk: unknown[] | null = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `row ${i}` }))
    const pace = heapPace({ floor: 1 })
    const before = used()
    expect((junk as unknown[]).length).toBe(300_000)
    junk = null
    expect(pace.step()).toBe(true)
    expect(used()).toBeLessThan(before - 8 * 2 ** 20)
  })
})
