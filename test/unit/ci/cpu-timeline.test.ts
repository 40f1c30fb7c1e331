import { describe, expect, it } from 'vitest'
import { timeline } from '../../../scripts/cpu-timeline.ts'

describe('timeline', () => {
  it('spreads each file over its wall time: files running and cores busy per slice', () => {
    const rows = [
      // 0-20 s: computes all the time
      { file: 'a', self: 15, children: 5, wall: 20, start: 1_000_000 },
      // 10-30 s: waits half of it
      { file: 'b', self: 4, children: 6, wall: 20, start: 1_010_000 },
    ]
    expect(timeline(rows, 10)).toEqual([
      { from: 0, to: 10, files: 1, cores: 1 },
      { from: 10, to: 20, files: 2, cores: 1.5 },
      { from: 20, to: 30, files: 1, cores: 0.5 },
    ])
  })
  it('ends the last slice at the last file’s end; a line without a start (an older log) is left out', () => {
    const rows = [
      { file: 'a', self: 3, children: null, wall: 15, start: 0 },
      { file: 'old', self: 50, children: 0, wall: 50 },
    ]
    expect(timeline(rows, 10)).toEqual([
      { from: 0, to: 10, files: 1, cores: 0.2 },
      { from: 10, to: 15, files: 1, cores: 0.2 },
    ])
    expect(timeline([{ file: 'old', self: 1, children: 0, wall: 1 }], 10)).toEqual([])
  })
  it('refuses a slice of 0 s', () => {
    expect(() => timeline([], 0)).toThrow('a slice must be longer than 0 s, not 0')
  })
})
