/**
 * `--json` written in pieces (main/cli/json-text.ts): the text must be JSON.stringify(value, null, 2)'s,
 * character for character, for every shape JSON.stringify treats specially; and it must come in pieces, never as one
 * string of all of it. The analyze corpus's own --json results are compared too (real captures).
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeJsonText } from '../../../main/cli/json-text.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

function pieces(value: unknown): string[] {
  const out: string[] = []
  writeJsonText(value, (p) => out.push(p))
  return out
}
const written = (value: unknown) => pieces(value).join('')

describe('writeJsonText', () => {
  const cases: Array<[string, unknown]> = [
    ['a number', 42],
    ['a string with quotes and a newline', 'a "b"\nc'],
    ['null', null],
    ['true', true],
    ['NaN and Infinity (null)', [Number.NaN, Infinity]],
    ['an empty array', []],
    ['an empty object', {}],
    ['nested empties', { a: [], b: {}, c: [[]], d: [{}] }],
    ['undefined, a function and a symbol in an object (left out)', { a: undefined, b: () => 1, c: Symbol('x'), d: 1 }],
    ['only members JSON leaves out', { a: undefined, f: () => 1 }],
    ['undefined, a function and a symbol in an array (null)', [undefined, () => 1, Symbol('x'), 2]],
    // biome-ignore lint/suspicious/noSparseArray: the case under test is an array with a hole, written as one
    ['an array with a hole', [1, , 3]],
    ['a Date (toJSON)', { at: new Date(Date.UTC(2026, 10, 25, 6, 0, 0)) }],
    ['a toJSON that gives undefined (left out)', { gone: { toJSON: () => undefined }, kept: 1 }],
    ['a toJSON near the top', { d: { toJSON: () => ({ x: [1, 2] }) }, e: [{ toJSON: () => [3, { y: 4 }] }] }],
    ['a toJSON deep in a plain tree', { a: { b: { c: { toJSON: () => ({ x: [1, 2] }) } } } }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1, b: [1, { c: 2 }] })],
    ['keys that need escaping', { 'a"b': 1, 'c\nd': 2, '\u2028': 3 }],
    ['numeric keys (JSON order)', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['deep nesting (past the streamed depth)', { a: [{ b: [{ c: [{ d: [1, { e: 'f' }] }] }] }] }],
    ['strings with line breaks deep inside', { a: [{ b: { c: { d: 'x\ny', e: ['1\n2'] } } }] }],
    ['boxed primitives', { n: Object(1), s: Object('s'), b: Object(false) }],
  ]
  it.each(cases)('%s: the text JSON.stringify gives', (_, value) => {
    expect(written(value)).toBe(JSON.stringify(value, null, 2))
  })

  it('writes nothing for undefined or a function, as JSON.stringify gives undefined', () => {
    expect(pieces(undefined)).toEqual([])
    expect(pieces(() => 1)).toEqual([])
  })

  it("hands a large value out in pieces of bounded size, whose joined text is JSON.stringify's", () => {
    const events = Array.from({ length: 20_000 }, (_, i) => ({
      id: i,
      message: `event ${i} … with some text`,
      kb: i % 3 ? null : `KB${5000000 + i}`,
    }))
    const value = { kind: 'wu-event', facts: { events, lastState: { a: 1 } }, findings: [], warnings: [] }
    const got = pieces(value)
    expect(got.join('')).toBe(JSON.stringify(value, null, 2))
    expect(got.length).toBeGreaterThan(50)
    expect(Math.max(...got.map((p) => p.length))).toBeLessThan(64 * 1024)
  })

  it('throws on a cycle, as JSON.stringify does', () => {
    const a: Record<string, unknown> = { b: { c: { d: { e: {} } } } }
    ;(
      (((a.b as Record<string, unknown>).c as Record<string, unknown>).d as Record<string, unknown>).e as Record<
        string,
        unknown
      >
    ).a = a
    expect(() => written(a)).toThrow(TypeError)
  })
})

describe('the CLI output of --json', () => {
  it('is JSON.stringify(value, null, 2) with its control characters escaped, then a newline', () => {
    let out = ''
    const io = createOutput(
      {
        write: (s: string) => {
          out += s
          return true
        },
      } as NodeJS.WritableStream,
      { write: () => true } as unknown as NodeJS.WritableStream,
      'servicing-desk',
    )
    const value = { a: 'esc \u001b bidi \u202e del \u007f', b: [1, { c: 'd' }] }
    io.json(value)
    expect(out).toBe(`${JSON.stringify(value, null, 2).replace('\u202e', '\\u202E').replace('\u007f', '\\u007F')}\n`)
    expect(JSON.parse(out)).toEqual(value)
  })

  it('is the same text for analyze results of the corpus (real captures)', () => {
    const dir = join(import.meta.dirname, '../../fixtures/corpus')
    let n = 0
    for (const kind of readdirSync(dir)) {
      for (const f of readdirSync(join(dir, kind)).slice(0, 4)) {
        if (!f.endsWith('.txt') && !f.endsWith('.log')) continue
        const result = analyzeText(readFileSync(join(dir, kind, f), 'utf8'))
        expect(written(result), `${kind}/${f}`).toBe(JSON.stringify(result, null, 2))
        n++
      }
    }
    expect(n).toBeGreaterThan(10)
  })
})
