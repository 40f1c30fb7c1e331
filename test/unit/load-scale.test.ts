/**
 * test/load.ts: the hang detectors' factor. At idle (at most one runnable process per core) a bound is its idle
 * figure; on a loaded machine it grows with the load, to at most MAX_SLOWDOWN times; SD_TEST_SLOWDOWN sets it.
 */
import { describe, expect, it } from 'vitest'
import { MAX_SLOWDOWN, slowdownOf } from '../load.ts'

describe('the hang detectors’ factor', () => {
  it('is 1 on an idle machine, and grows with the runnable processes per core', () => {
    expect(slowdownOf(undefined, [1.5, 1, 0.5], 2)).toBe(1)
    expect(slowdownOf('', [10, 6, 3], 2)).toBe(5)
    // The larger of the last minute's and five minutes' load: a moment's dip does not shrink it.
    expect(slowdownOf(undefined, [4, 12, 8], 2)).toBe(6)
  })
  it('is at most MAX_SLOWDOWN, so a real hang still ends', () => {
    expect(slowdownOf(undefined, [200, 150, 100], 2)).toBe(MAX_SLOWDOWN)
  })
  it('SD_TEST_SLOWDOWN sets it whatever the load; a value that is not a factor is refused', () => {
    expect(slowdownOf('1', [30, 30, 30], 2)).toBe(1)
    expect(slowdownOf('3', [30, 30, 30], 2)).toBe(3)
    expect(() => slowdownOf('fast', [0, 0, 0], 2)).toThrow(
      /SD_TEST_SLOWDOWN must be a number from 1 to 1000, not 'fast'/,
    )
    expect(() => slowdownOf('0.5', [0, 0, 0], 2)).toThrow(/not '0.5'/)
  })
})
