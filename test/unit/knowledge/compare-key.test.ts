/**
 * compareKey (main/knowledge/servicing-chains.ts) orders the knowledge's release dates and KB ids by code unit instead of
 * localeCompare (whose ICU collator costs a sixth of `knowledge`'s start). It is right only where the two
 * orders agree: on every key the knowledge holds, and on the shapes an overlay page adds.
 */
import { describe, expect, it } from 'vitest'
import { allKnownUpdates, compareKey } from '../../../main/knowledge/servicing-chains.ts'

const sign = (n: number) => Math.sign(n)

describe('compareKey', () => {
  it('orders every release date and KB id of the knowledge as localeCompare does', () => {
    const keys = [...new Set(allKnownUpdates().flatMap((u) => [u.released, u.kb]))]
    expect(keys.length).toBeGreaterThan(20)
    // Shapes a Release Health page adds: a later year, a short KB, a date with a time.
    keys.push('2027-01-13', 'KB999', 'KB1000000', '2026-11-11T17:00:00Z', '')
    for (const a of keys)
      for (const b of keys) expect(sign(compareKey(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)))
  })
})
