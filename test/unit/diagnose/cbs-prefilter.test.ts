import { describe, it, expect } from 'vitest'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import {
  scanLogLines,
  CBS_MARKERS,
  CBS_FULL_AFTER,
  CBS_PREFILTER,
  FINDER_FROM_BYTES,
  type LinePrefilter,
} from '../../../main/diagnose/log-stream.ts'
import { loadFixture } from '../../fixtures/load.ts'

/** One concrete string for each way CBS_MARKERS can match (every alternative, every branch of its groups). */
const EVERY_MARKER = [
  'Error',
  'Cannot repair',
  'HRESULT = 0x8',
  'HRESULT = 0x9',
  'HRESULT = 0xA',
  'HRESULT = 0xc',
  'ailed',
  'failure report',
  'failure status',
  'orrupt',
  'issing',
  'by client',
  'Readiness',
  'ollback',
  'Reboot mark',
  'reboot is pending',
  'Reboot pending',
  'reboot required: Yes',
  'Reboot required: yes',
  'reboot is required',
  'requires Servicing Stack',
  'startupPhase',
  'installer phase',
]

const passes = (line: string) =>
  CBS_PREFILTER.needles.some((n) => line.includes(n)) ||
  (CBS_PREFILTER.rest ? new RegExp(CBS_PREFILTER.rest.source).test(line) : false)

async function scan(
  text: string,
  prefilter: LinePrefilter | undefined | null,
  cut: number,
  // 0: the one-pass finder from the first byte (the default waits for a big log: these texts are small).
  finderFrom = 0,
): Promise<Array<[number, string]>> {
  const buf = Buffer.from(text, 'utf8')
  async function* source() {
    for (let i = 0; i < buf.length; i += cut) yield buf.subarray(i, i + cut)
  }
  const got: Array<[number, string]> = []
  await scanLogLines(
    source(),
    (l, n) => {
      got.push([n, l])
    },
    { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 3, prefilter, finderFrom },
  )
  return got
}

describe('CBS_PREFILTER (the cheap necessary condition for CBS_MARKERS)', () => {
  it('every CBS_MARKERS alternative is covered: a line the markers match always passes the prefilter', () => {
    // The list above really is every alternative: one string per piece between two | (the reboot group's
    // branches included), plus 3 more hex digits after HRESULT and the second case of [Yy]es.
    expect(CBS_MARKERS.source.split('|').length).toBe(EVERY_MARKER.length - 4)
    for (const m of EVERY_MARKER) {
      expect(new RegExp(CBS_MARKERS.source).test(m), m).toBe(true)
      expect(passes(`x ${m} y`), m).toBe(true)
    }
  })

  it('passes the same lines with and without the prefilter on every CBS fixture, whatever the chunking', async () => {
    const files = readdirSync(join(import.meta.dirname, '../../fixtures/cbs-log')).filter((f) => f.endsWith('.log'))
    expect(files.length).toBeGreaterThan(2)
    for (const f of files) {
      const text = loadFixture(`cbs-log/${f}`).text
      const plain = await scan(text, null, 1 << 20)
      expect(plain.length, f).toBeGreaterThan(0)
      for (const cut of [97, 4096, 1 << 20]) expect(await scan(text, undefined, cut), `${f} cut ${cut}`).toEqual(plain)
      // A small log's default: the literals searched one by one, no finder made (log-stream.ts FINDER_FROM_BYTES).
      expect(await scan(text, undefined, 4096, FINDER_FROM_BYTES), `${f} literal by literal`).toEqual(plain)
    }
  })

  it('is not used for a case-insensitive copy of the markers (its needles are case-sensitive)', async () => {
    const got: string[] = []
    await scanLogLines(
      (async function* () {
        yield Buffer.from('a\nx ERROR y\nb\n')
      })(),
      (l) => {
        got.push(l)
      },
      { filter: new RegExp(CBS_MARKERS.source, 'gi') },
    )
    expect(got).toEqual(['x ERROR y'])
  })

  it('passes the same lines with and without the prefilter on random lines made of marker pieces', async () => {
    const piece = fc.constantFrom(
      ...EVERY_MARKER,
      ...CBS_PREFILTER.needles,
      'Checking System Update Readiness',
      'Info',
      'CBS',
      ' ',
      '\r\n',
      '\n',
      'é',
      'r',
      'e',
      'boot ',
      'fail',
    )
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), async (parts, cut) => {
        const text = parts.join('')
        expect(await scan(text, undefined, cut)).toEqual(await scan(text, null, cut))
      }),
      { numRuns: 300 },
    )
  })

  it('a prefilter the one pass cannot take (a literal > 8 bytes, a regex part) is searched literal by literal; a plain alternation joins the one pass', async () => {
    // Wider than CBS_PREFILTER (more literals, a regex): still a necessary condition for the markers.
    const perLiteral: LinePrefilter = {
      needles: [...CBS_PREFILTER.needles, 'Checking System'],
      rest: /ail(?:ed)?|issing/g,
    }
    const piece = fc.constantFrom(
      ...EVERY_MARKER,
      ...CBS_PREFILTER.needles,
      'Checking System Update Readiness',
      'Info',
      ' ',
      '\r\n',
      '\n',
      'é',
      'boot ',
      'fail',
    )
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), async (parts, cut) => {
        const text = parts.join('')
        expect(await scan(text, perLiteral, cut)).toEqual(await scan(text, null, cut))
      }),
      { numRuns: 300 },
    )
    const text = loadFixture('cbs-log/0x800f0922-scheduled-task.log').text
    expect(await scan(text, perLiteral, 97)).toEqual(await scan(text, null, 1 << 20))
    // A short regex part that is no plain alternation of literals (`.`) is not taken as literals.
    const dotted: LinePrefilter = { needles: CBS_PREFILTER.needles.filter((n) => n !== 'iled'), rest: /ai.ed/g }
    expect(await scan('a\nx failed y\nb\n', dotted, 4)).toEqual([[2, 'x failed y']])
    // A plain alternation of literals is searched with the needles, in the one pass.
    const literal: LinePrefilter = { needles: CBS_PREFILTER.needles.filter((n) => n !== 'iled'), rest: /ailed|xyz/g }
    expect(await scan('a\nx failed y\nb\n', literal, 4)).toEqual([[2, 'x failed y']])
  })
})
