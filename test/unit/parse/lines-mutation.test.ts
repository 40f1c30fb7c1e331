/**
 * forEachLine and forEachMatchingLine (main/parse/lines.ts: line iteration over 50 MB pastes without
 * splitting them) checked against a plain reference that does split, on 3,000 seeded random
 * texts of newlines (\n, \r\n, lone \r), blank runs and matching words — every line, its number and the
 * count (the module's mutants had no fast test).
 */
import { describe, expect, it } from 'vitest'
import { forEachLine, forEachMatchingLine } from '../../../main/parse/lines.ts'

const TOKENS = ['a', 'b c', 'Error', '0x8', ' ', '\t', '\n', '\n', '\r\n', '\r', '\n\n\n', '\n\n', 'FULL', 'x\ry']
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0
    return seed / 2 ** 32
  }
}
function texts(n: number, seed: number): string[] {
  const r = rng(seed)
  const out: string[] = ['', '\n', '\r', '\r\n', 'a', 'a\n', '\n\n', 'Error', 'Error\n', '\nError', 'FULL\na\nb\nc\nd']
  while (out.length < n) {
    const len = Math.floor(r() * 30)
    let t = ''
    for (let i = 0; i < len; i++) t += TOKENS[Math.floor(r() * TOKENS.length)]
    out.push(t)
  }
  return out
}

/** What forEachLine promises: the lines of split(/\r\n|\r|\n/), without the empty one after a final line break. */
function refLines(text: string): string[] {
  const parts = text.split(/\r\n|\r|\n/)
  if (text.length > 0 && /[\r\n]$/.test(text)) parts.pop()
  return parts
}

/** What forEachMatchingLine promises: lines split at \n (a CR before it dropped), those matching, and fullLines after a fullAfter line. */
function refMatching(text: string, filter: RegExp, fullAfter?: RegExp, fullLines = 0): [string, number][] {
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  const out: [string, number][] = []
  let fullUntil = 0
  lines.forEach((raw, i) => {
    const n = i + 1
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (n < fullUntil || new RegExp(filter.source, filter.flags.replace('g', '')).test(raw)) {
      out.push([line, n])
      if (fullAfter && fullLines > 0 && fullAfter.test(line)) fullUntil = n + fullLines + 1
    }
  })
  return out
}

const CASES = texts(3000, 20261123)

describe('lines.ts against a splitting reference', () => {
  it(`forEachLine: every line, its number and the count, on ${CASES.length} texts`, () => {
    let checked = 0
    for (const t of CASES) {
      const got: [string, number][] = []
      const n = forEachLine(t, (l, i) => got.push([l, i]))
      const want = refLines(t)
      expect(got, JSON.stringify(t)).toEqual(want.map((l, i) => [l, i + 1]))
      expect(n, JSON.stringify(t)).toBe(want.length)
      checked++
    }
    expect(checked).toBe(3000)
  })

  it('forEachLine: a non-string is no lines and no call', () => {
    let calls = 0
    expect(forEachLine(undefined as unknown as string, () => calls++)).toBe(0)
    expect(forEachLine(42 as unknown as string, () => calls++)).toBe(0)
    expect(calls).toBe(0)
  })

  for (const [name, filter, fullAfter, fullLines] of [
    ['a word', /Error/g, undefined, 0],
    ['a code, the flag g added when missing', /0x8/, undefined, 0],
    ['two words', /Error|FULL/g, undefined, 0],
    ['every line after FULL for 3 lines', /Error|FULL/g, /FULL/, 3],
    ['every line after FULL for 1 line', /FULL/g, /FULL/, 1],
    ['fullAfter with 0 lines is no window', /FULL/g, /FULL/, 0],
  ] as [string, RegExp, RegExp | undefined, number][]) {
    it(`forEachMatchingLine (${name}): the lines and numbers of the reference, on ${CASES.length} texts`, () => {
      let checked = 0
      for (const t of CASES) {
        const got: [string, number][] = []
        forEachMatchingLine(t, filter, (l, i) => got.push([l, i]), fullAfter, fullLines)
        expect(got, JSON.stringify(t)).toEqual(refMatching(t, filter, fullAfter, fullLines))
        checked++
      }
      expect(checked).toBe(3000)
    })
  }

  it('forEachMatchingLine: numbers lines after a long blank run; a non-string is no call', () => {
    const got: [string, number][] = []
    forEachMatchingLine(`a\n${'\n'.repeat(10_000)}Error here\r\nb\nError`, /Error/g, (l, i) => got.push([l, i]))
    expect(got).toEqual([
      ['Error here', 10_002],
      ['Error', 10_004],
    ])
    let calls = 0
    forEachMatchingLine(null as unknown as string, /x/g, () => calls++)
    expect(calls).toBe(0)
  })
})
