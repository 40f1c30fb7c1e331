import { describe, it, expect } from 'vitest'
import { NameMap } from '../../../main/fleet/name-map.ts'

/** A small seeded generator, so that a failure repeats. */
function random(seed: number) {
  let x = seed
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return x / 2 ** 32
  }
}

describe('the map of devices by name', () => {
  it('answers as a Map of the same strings, through its growth: short, long, accented, non-Latin and over-long names', () => {
    const r = random(11)
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'
    const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(r() * letters.length)]).join('')
    const ours = new NameMap()
    const map = new Map<string, number>()
    const keys: string[] = []
    for (let i = 0; i < 30_000; i++) {
      const k =
        i % 101 === 0
          ? `PC-ÉÇÜ-${i}` // Latin-1: held as bytes
          : i % 97 === 0
            ? `ПК-${i}` // past U+00FF: held as a string
            : i % 89 === 0
              ? `LONG-${'X'.repeat(250)}-${i}` // past 255 characters
              : i % 83 === 0 && keys.length
                ? keys[Math.floor(r() * keys.length)]!
                : i % 7 === 0
                  ? ''.padEnd(1 + (i % 15), word(1)) // one letter repeated: names that differ only by length
                  : `${word(2 + Math.floor(r() * 20))}`
      // New devices on PostgreSQL are numbered below 0 until written.
      const v = i % 5 === 0 ? -(i + 1) : i + 1
      keys.push(k)
      ours.set(k, v)
      map.set(k, v)
    }
    expect(ours.size).toBe(map.size)
    for (const k of keys) expect(ours.get(k)).toBe(map.get(k))
    for (let i = 0; i < 3_000; i++) {
      const k = word(2 + Math.floor(r() * 20))
      expect(ours.get(k)).toBe(map.get(k))
    }
    // A name and its prefix, its lower case, an empty name: other keys.
    ours.set('LT-00001', 7)
    expect(ours.get('LT-0000')).toBeUndefined()
    expect(ours.get('LT-000011')).toBeUndefined()
    expect(ours.get('lt-00001')).toBeUndefined()
    expect(ours.get('')).toBeUndefined()
    ours.set('', 9)
    expect(ours.get('')).toBe(9)
    expect(ours.get('LT-00001')).toBe(7)
  })
})
