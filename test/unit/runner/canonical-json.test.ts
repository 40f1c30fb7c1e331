/**
 * The canonical JSON that journal seals and plan digests are computed over (main/runner/canonical-json.ts) is the
 * same text as the form it replaced (keys filtered, sorted, mapped and joined), so every seal and digest written by
 * an earlier copy still checks: hand-picked edge cases and random JSON values, side by side with that form.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { canonicalJson, canonicalJsonOfData, canonicalJsonOfText } from '../../../main/runner/canonical-json.ts'
import { digestOf } from '../../../main/runner/journal-views.ts'
import { createHash } from 'node:crypto'

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

  it('remembers no stale answer: the text and data forms equal canonicalJson on random JSON, repeated and changed', () => {
    // Each value twice (the second from memory), and a changed copy after it: every answer is the computed one.
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), (o, extra) => {
        const want = canonicalJson(o)
        const changed = { ...o, 'a changed field': extra }
        return (
          canonicalJsonOfText(JSON.stringify(o)) === want &&
          canonicalJsonOfData(o) === want &&
          canonicalJsonOfData(o) === want &&
          canonicalJsonOfData(changed) === canonicalJson(changed) &&
          canonicalJsonOfText(JSON.stringify(o)) === want
        )
      }),
      { numRuns: 300, seed: 20261128 },
    )
    for (const v of [null, 1, 'x', [1, { b: 2, a: 1 }], []]) expect(canonicalJsonOfData(v)).toBe(canonicalJson(v))
    expect(() => canonicalJsonOfText('{not json')).toThrow(SyntaxError)
  })

  it("a plan's digest is recomputed when any field of it changes (the last one is remembered, never reused for another)", () => {
    const sha = (p: unknown) =>
      createHash('sha256')
        .update(canonicalJson(JSON.parse(JSON.stringify(p))))
        .digest('hex')
    const plan = { id: 'p1', steps: [{ id: 's1', command: 'dism /online' }], nested: { b: 2, a: 1 } }
    expect(digestOf(plan)).toBe(sha(plan))
    expect(digestOf(plan)).toBe(sha(plan))
    // The same object changed in place: a new digest, not the remembered one.
    plan.steps[0].command = 'dism /online /cleanup-image'
    expect(digestOf(plan)).toBe(sha(plan))
    expect(digestOf(plan)).not.toBe(sha({ ...plan, steps: [{ id: 's1', command: 'dism /online' }] }))
    expect(() => digestOf(undefined)).toThrow()
  })
})
