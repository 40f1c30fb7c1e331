import { describe, it, expect, vi } from 'vitest'
import fc from 'fast-check'
import { createNeedleLineFinder } from '../../../main/diagnose/needle-lines.ts'
import { CBS_PREFILTER } from '../../../main/parse/cbs-log.ts'

/** The plain semantics: every line of data[0, end) that includes() a needle, as [start, newlines before it]. */
function reference(data: Buffer, end: number, needles: Buffer[]): { hits: number[]; newlines: number } {
  const hits: number[] = []
  let start = 0
  let line = 0
  for (;;) {
    const nl = data.indexOf(10, start)
    const stop = nl === -1 || nl >= end ? end : nl
    const text = data.subarray(start, stop)
    if (needles.some((n) => text.includes(n))) hits.push(start, line)
    if (stop === end) break
    start = stop + 1
    line++
  }
  return { hits, newlines: line }
}

function found(needles: Buffer[], data: Buffer, end = data.length): { hits: number[]; newlines: number } {
  const f = createNeedleLineFinder(needles)
  if (!f) throw new Error('no finder')
  const count = f.find(data, end)
  return { hits: [...f.hits.subarray(0, 2 * count)], newlines: f.newlines }
}

const cbsNeedles = CBS_PREFILTER.needles.map((n) => Buffer.from(n, 'latin1'))

describe('createNeedleLineFinder (one-pass search for the lines holding a needle)', () => {
  it('finds each line holding a needle once, with the newlines before it', () => {
    const data = Buffer.from('hello\nan Error here\nnothing\nfailed and Error\n\nyes\nx')
    expect(found(cbsNeedles, data)).toEqual({ hits: [6, 1, 28, 3, 46, 5], newlines: 6 })
  })

  it('sees needles at the first and last byte, across every 16-byte boundary, and ignores bytes past `end`', () => {
    const needles = [Buffer.from('abc'), Buffer.from('Q')]
    for (let at = 0; at < 40; at++) {
      const data = Buffer.from(`${'x'.repeat(at)}abc${'y'.repeat(40 - at)}`)
      expect(found(needles, data), `at ${at}`).toEqual({ hits: [0, 0], newlines: 0 })
      expect(found(needles, data, at + 2), `cut at ${at}`).toEqual({ hits: [], newlines: 0 })
      const lines = Buffer.from(`${'\n'.repeat(at)}Q`)
      expect(found(needles, lines), `Q after ${at} newlines`).toEqual({ hits: [at, at], newlines: at })
    }
  })

  it('gives the same lines as includes() on random bytes, needles and cuts', () => {
    // Few distinct bytes, so needles and their near misses are frequent; NUL, CR, high bytes, newlines among them.
    const byte = fc.constantFrom(10, 10, 13, 0, 0xff, 0x80, 0x61, 0x62, 0x63, 0x41, 0x42, 0x20, 0x1a, 0xa1)
    const needleByte = fc.constantFrom(0x61, 0x62, 0x63, 0x41, 0x42, 0x20, 0xff, 0x80, 0x1a, 0xa1, 13)
    fc.assert(
      fc.property(
        fc.array(fc.array(needleByte, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 20 }),
        fc.array(byte, { maxLength: 300 }),
        fc.nat(),
        (needleArrays, bytes, cut) => {
          const needles = needleArrays.map((a) => Buffer.from(a))
          const data = Buffer.from(bytes)
          const end = cut % (data.length + 1)
          expect(found(needles, data, end)).toEqual(reference(data, end, needles))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('gives the same lines as includes() for the CBS needles on lines made of marker pieces', () => {
    const piece = fc.constantFrom(
      ...cbsNeedles.map((n) => n.toString('latin1')),
      'Erro',
      'HRESU',
      'boot ',
      'ure',
      'Info  CBS  ',
      ' ',
      '\r\n',
      '\n',
      'é',
      'ai',
      'led',
      'x'.repeat(17),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        const data = Buffer.from(parts.join(''), 'latin1')
        expect(found(cbsNeedles, data)).toEqual(reference(data, data.length, cbsNeedles))
      }),
      { numRuns: 1000 },
    )
  })

  it('one finder over many regions, large then small (its memory grows and is reused)', () => {
    const f = createNeedleLineFinder(cbsNeedles)!
    const big = Buffer.from('routine line\nan Error line\n'.repeat(100_000))
    const small = Buffer.from('x\nfailed\n')
    for (const data of [small, big, small, big]) {
      const count = f.find(data, data.length)
      const want = reference(data, data.length, cbsNeedles)
      expect(count).toBe(want.hits.length / 2)
      expect(f.newlines).toBe(want.newlines)
      expect([...f.hits.subarray(0, 2 * count)]).toEqual(want.hits)
    }
  })

  it('64 needles sharing the 8 buckets, each found alone', () => {
    const needles = Array.from({ length: 64 }, (_, i) => Buffer.from(`n${String.fromCharCode(65 + (i % 26))}${i}`))
    for (const n of needles) {
      const data = Buffer.from(`zz\nab ${n.toString()} cd\nzz`)
      expect(found(needles, data), n.toString()).toEqual({ hits: [3, 1], newlines: 2 })
    }
    // nA1, nC0, nA: near misses (their letters go with other numbers).
    expect(found(needles, Buffer.from('nA1 nC0 nA\nnB1\n'))).toEqual({ hits: [11, 1], newlines: 2 })
  })

  it('refuses needles it cannot search (the caller keeps its plain search)', () => {
    expect(createNeedleLineFinder([])).toBeNull()
    expect(createNeedleLineFinder([Buffer.alloc(0)])).toBeNull()
    expect(createNeedleLineFinder([Buffer.from('123456789')])).toBeNull()
    expect(createNeedleLineFinder([Buffer.from('a\nb')])).toBeNull()
    expect(createNeedleLineFinder([Buffer.from('a\0')])).toBeNull()
    expect(createNeedleLineFinder(Array.from({ length: 65 }, (_, i) => Buffer.from(`n${i}`)))).toBeNull()
    expect(createNeedleLineFinder([Buffer.from('12345678')])).not.toBeNull()
  })

  it('without WebAssembly (node --jitless) there is no finder, and the log scan passes the same lines', async () => {
    const text = 'a\nx failed y\nb Error\nc\n'
    const scan = async (m: typeof import('../../../main/diagnose/log-stream.ts')) => {
      const got: Array<[number, string]> = []
      await m.scanLogLines(
        (async function* () {
          yield Buffer.from(text)
        })(),
        (l, n) => {
          got.push([n, l])
        },
        { filter: m.CBS_MARKERS },
      )
      return got
    }
    vi.resetModules()
    vi.stubGlobal('WebAssembly', undefined)
    try {
      const lines = await import('../../../main/diagnose/needle-lines.ts')
      expect(lines.createNeedleLineFinder(cbsNeedles)).toBeNull()
      expect(await scan(await import('../../../main/diagnose/log-stream.ts'))).toEqual([
        [2, 'x failed y'],
        [3, 'b Error'],
      ])
    } finally {
      vi.unstubAllGlobals()
      vi.resetModules()
    }
  })
})
