import { describe, expect, it } from 'vitest'
import { finished } from 'node:stream/promises'
import { Parser } from 'csv-parse'
import { CSV_OPTIONS, csvRecordsOf, MAX_RECORD_CHARS, type CsvItem } from '../../../main/fleet/intake/source.ts'
import { scanCsv } from '../../../main/fleet/intake/csv-scan.ts'

/** What csv-parse alone gives for the bytes (the options the import gives it), as csvRecordsOf hands items on. */
async function byCsvParse(bufs: readonly Buffer[]): Promise<unknown[]> {
  const out: unknown[] = []
  class Records extends Parser {
    override push(record: unknown, encoding?: BufferEncoding): boolean {
      if (record === null) return super.push(null, encoding)
      out.push({ fields: record, line: this.info.lines })
      return true
    }
  }
  // The very options the import hands csv-parse, so the comparison cannot drift from them.
  const p = new Records({ ...CSV_OPTIONS, bom: true })
  p.on('skip', (err: Error & { code?: string; lines?: number }) => out.push({ error: err.code, line: err.lines ?? 0 }))
  p.on('data', () => undefined)
  let failed: (Error & { code?: string }) | null = null
  p.on('error', (e: Error) => {
    failed = e
  })
  const done = finished(p)
  done.catch(() => undefined)
  for (const b of bufs) p.write(b)
  p.end()
  await done.catch(() => undefined)
  if (failed) out.push({ failed: (failed as Error & { code?: string }).code })
  return out
}

async function byImport(bufs: readonly Buffer[]): Promise<unknown[]> {
  const out: unknown[] = []
  async function* chunks() {
    yield* bufs
  }
  try {
    for await (const part of csvRecordsOf(chunks()))
      for (const x of part as CsvItem[])
        out.push(
          'error' in x
            ? {
                error: x.error.startsWith('a quoted field')
                  ? 'CSV_QUOTE_NOT_CLOSED'
                  : x.error.startsWith('a record longer')
                    ? 'CSV_MAX_RECORD_SIZE'
                    : 'other',
                line: x.line,
              }
            : x,
        )
  } catch (e) {
    out.push({ failed: (e as { code?: string }).code })
  }
  return out
}

const other = (items: unknown[]) =>
  items.map((x) => {
    const e = x as { error?: string; line: number }
    return e.error && e.error !== 'CSV_QUOTE_NOT_CLOSED' && e.error !== 'CSV_MAX_RECORD_SIZE'
      ? { error: 'other', line: e.line }
      : x
  })

/** A small deterministic generator (the same texts every run). */
function lcg(seed: number) {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

function chunked(text: string, rnd: () => number, most: number): Buffer[] {
  const all = Buffer.from(text, 'utf8')
  const out: Buffer[] = []
  for (let i = 0; i < all.length; ) {
    const k = 1 + Math.floor(rnd() * most)
    out.push(all.subarray(i, i + k))
    i += k
  }
  return out
}

describe('CSV records read by the import’s own scan', () => {
  it('gives the fields, lines and refusals csv-parse gives, for well-formed and broken text cut anywhere', async () => {
    const rnd = lcg(45)
    const alphabet = ['a', 'b', ',', ',', '"', '"', '\r', '\n', '\r\n', ' ', 'é', '€', '😀', 'xyz']
    const pick = () => alphabet[Math.floor(rnd() * alphabet.length)]!
    let checked = 0
    for (let t = 0; t < 800; t++) {
      let text: string
      if (rnd() < 0.5) {
        // Anything: stray quotes, text after a closing quote, a quote never closed, empty lines, a BOM.
        text = rnd() < 0.2 ? '\uFEFF' : ''
        const n = Math.floor(rnd() * 60)
        for (let i = 0; i < n; i++) text += pick()
      } else {
        // Records as the tools write them: quoted fields (with doubled quotes and line breaks) and plain ones.
        text = rnd() < 0.2 ? '\uFEFF' : ''
        const records = Math.floor(rnd() * 6)
        for (let r = 0; r < records; r++) {
          const fields: string[] = []
          for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) {
            let v = ''
            for (let l = Math.floor(rnd() * 6); l > 0; l--) v += pick()
            fields.push(rnd() < 0.6 ? `"${v.replace(/"/g, '""')}"` : v.replace(/[",\r\n]/g, ''))
          }
          text += fields.join(',') + (rnd() < 0.8 ? ['\r\n', '\n', '\r'][Math.floor(rnd() * 3)]! : '')
        }
      }
      const bufs = chunked(text, rnd, t % 2 ? 8 : 100)
      expect(await byImport(bufs), JSON.stringify(text)).toEqual(other(await byCsvParse(bufs)))
      checked++
    }
    expect(checked).toBe(800)
  })

  it('hands a record longer than the bound to csv-parse, which sets it aside by its size at its line', async () => {
    const long = 'x'.repeat(MAX_RECORD_CHARS + 10)
    const text = `a,b\r\n1,2\r\n3,"${long}"\r\n4,5\r\n`
    const bufs = chunked(text, lcg(7), 65536)
    const got = await byImport(bufs)
    expect(got).toEqual(other(await byCsvParse(bufs)))
    expect(got[0]).toEqual({ fields: ['a', 'b'], line: 1 })
    expect(got[2]).toEqual({ error: 'CSV_MAX_RECORD_SIZE', line: 3 })
  })

  it('reads well-formed records itself, stopping at the first it does not vouch for', () => {
    const got: [string[], number][] = []
    const text = '"a","b""c"\r\n"d\r\ne",f\r\n\r\ng,h\n"i"j,k\r\nl,m\r\n'
    const r = scanCsv(text, 0, 1, true, (f, l) => got.push([f, l]))
    expect(got).toEqual([
      [['a', 'b"c'], 1],
      [['d\r\ne', 'f'], 4],
      [['g', 'h'], 6],
    ])
    // `"i"j`: text after a closing quote, read as csv-parse's relax_quotes reads it, by csv-parse.
    expect(r).toEqual({ pos: text.indexOf('"i"j'), line: 7, stop: true })
  })
})
