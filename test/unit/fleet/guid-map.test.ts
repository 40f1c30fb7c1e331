import { describe, it, expect } from 'vitest'
import { GuidMap } from '../../../main/fleet/guid-map.ts'

/** A small seeded generator, so that a failure repeats. */
function random(seed: number) {
  let x = seed
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return x / 2 ** 32
  }
}

describe('the map of devices by Entra or Intune id', () => {
  it('answers as a Map of the same strings, through its growth: GUIDs, upper-case ones, other text', () => {
    const r = random(7)
    const hexOf = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('')
    const guid = () => `${hexOf(8)}-${hexOf(4)}-${hexOf(4)}-${hexOf(4)}-${hexOf(12)}`
    const ours = new GuidMap()
    const map = new Map<string, number>()
    const keys: string[] = []
    for (let i = 0; i < 20_000; i++) {
      const k =
        i % 97 === 0
          ? guid().toUpperCase()
          : i % 89 === 0
            ? `device-${i}`
            : i % 83 === 0 && keys.length
              ? keys[Math.floor(r() * keys.length)]!
              : guid()
      // New devices on PostgreSQL are numbered below 0 until written.
      const v = i % 5 === 0 ? -(i + 1) : i + 1
      keys.push(k)
      ours.set(k, v)
      map.set(k, v)
    }
    expect(ours.size).toBe(map.size)
    for (const k of keys) expect(ours.get(k)).toBe(map.get(k))
    for (let i = 0; i < 2_000; i++) {
      const k = guid()
      expect(ours.get(k)).toBe(map.get(k))
    }
    // Ids that differ only in case, or by one digit, are other ids.
    const g = '0123abcd-0000-4000-8000-00000000000a'
    ours.set(g, 5)
    expect(ours.get(g.toUpperCase())).toBeUndefined()
    expect(ours.get('0123abcd-0000-4000-8000-00000000000b')).toBeUndefined()
    expect(ours.get('0123abcd000004000800000000000000000a')).toBeUndefined()
    expect(ours.get(g)).toBe(5)
  })
})
