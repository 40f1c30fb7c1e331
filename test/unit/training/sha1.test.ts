/** The training machines' plain-JavaScript SHA-1 (main/training/sha1.ts) gives node:crypto's digest. */
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { sha1Hex } from '../../../main/training/sha1.ts'

const nodeSha1 = (t: string) => createHash('sha1').update(t).digest('hex')

describe('sha1Hex', () => {
  it("gives FIPS 180's test vectors and node:crypto's digest at every length around a block's end", () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
    expect(sha1Hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709')
    expect(sha1Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    )
    for (let n = 0; n < 200; n++) expect(sha1Hex('x'.repeat(n)), `${n} bytes`).toBe(nodeSha1('x'.repeat(n)))
  })

  it("gives node:crypto's digest for any text (UTF-8: accents, symbols, surrogate pairs)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (t) => {
        expect(sha1Hex(t)).toBe(nodeSha1(t))
      }),
      { numRuns: 500 },
    )
  })
})
