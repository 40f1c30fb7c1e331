/**
 * The canonical JSON that journal seals and plan digests are computed over (main/runner/canonical-json.ts) is the
 * same text as the form it replaced (keys filtered, sorted, mapped and joined), so every seal and digest written by
 * an earlier copy still checks: hand-picked edge cases and random JSON values, side by side with that form.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { canonicalJson } from '../../../main/runner/canonical-json.ts'

/** The form seals were first computed with. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => reference(v === undefined ? null : v)).join(',')}]`
  const o = value as Record<string, unknown>
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${reference(o[k])}`)
    .join(',')}}`
}

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, leaves undefined fields out and writes undefined items as null', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: undefined, c: 'x' }, undefined], e: undefined })).toBe(
      '{"a":[3,{"c":"x"},null],"b":1}',
    )
    expect(canonicalJson({ z: { y: { x: [] } }, '': {}, é: 1, Z: 2, '10': 3, '9': 4 })).toBe(
      '{"":{},"10":3,"9":4,"Z":2,"z":{"y":{"x":[]}},"é":1}',
    )
  })

  it('matches the earlier form on edge cases', () => {
    // biome-ignore lint/suspicious/noSparseArray: a hole is one of the cases
    const sparse = [1, , 3]
    const cases: unknown[] = [
      null,
      undefined,
      0,
      -0,
      1e21,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      '',
      'quote " backslash \\ newline \n tab \t nul \u0000 lone \ud800 emoji 😀',
      [],
      {},
      sparse,
      [undefined, [undefined], { a: undefined }],
      { 'key with "quote"': 1, ключ: 2, '\u0000': 3, b: [{ d: 1, c: 2 }] },
      { nested: { deeper: { deepest: [1, 'two', { three: 3, four: null }] } } },
      () => 1,
      { f: () => 1, s: Symbol('s') },
    ]
    for (const c of cases) expect(canonicalJson(c), String(reference(c))).toBe(reference(c))
  })

  it('matches the earlier form on random JSON values (500, fixed seed)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => canonicalJson(v) === reference(v)),
      { numRuns: 500, seed: 20261127 },
    )
    const withUndefined = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(undefined),
        fc.string(),
        fc.integer(),
        fc.array(tie('value')),
        fc.dictionary(fc.string(), tie('value')),
      ),
    })).value
    fc.assert(
      fc.property(withUndefined, (v) => canonicalJson(v) === reference(v)),
      { numRuns: 500, seed: 20261127 },
    )
  })
})
