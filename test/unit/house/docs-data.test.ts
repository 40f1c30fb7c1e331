/**
 * The long logs live in data files beside the pages that summarize them (SECURITY.md and docs/mutation.md stay short
 * enough to read in one sitting): each summary points at its data, each data file reads as data (every CSV row has
 * every column; the mutation log is JSON of entries), and what the data names is still there (the test files of the
 * security tables, the modules of the mutation scores and log). Each check is a function, so it is shown red on a
 * made-up name too.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'

const root = join(import.meta.dirname, '../../..')
const read = (f: string) => readFileSync(join(root, f), 'utf8')
const words = (text: string) => text.split(/\s+/).filter(Boolean).length

/** The rows of a CSV file with a header, as records; throws when a row has another number of columns. */
function csvRecords(file: string): Record<string, string>[] {
  return parse(read(file), { columns: true, skip_empty_lines: true }) as Record<string, string>[]
}

/** The repository files a table cell names in backticks or bare (test/…, scripts/…, .github/… paths), each once. */
function namedFiles(cell: string): string[] {
  const found = [...cell.matchAll(/(?:^|[\s`(;,+])((?:test|scripts|\.github)\/[\w./*-]+\.(?:tsx?|mjs|ya?ml|json))/g)]
  return [...new Set(found.map((m) => m[1]!).filter((f) => !f.includes('*')))]
}

/** The named files that are not in the tree. */
const missing = (files: readonly string[]) => files.filter((f) => !existsSync(join(root, f)))

const SUMMARIES: Record<string, string[]> = {
  'SECURITY.md': ['docs/data/security-tests.csv', 'docs/data/electron-hardening.csv', 'docs/security-design.md'],
  'docs/mutation.md': ['docs/data/mutation-scores.csv', 'docs/data/mutation-log.json'],
}

describe('the security and mutation pages are summaries with their data beside them', () => {
  for (const [page, data] of Object.entries(SUMMARIES))
    it(`${page} is short (at most 1,500 words) and points at ${data.join(', ')}`, () => {
      const text = read(page)
      expect(words(text)).toBeLessThanOrEqual(1500)
      for (const d of data) {
        expect(existsSync(join(root, d)), d).toBe(true)
        // Linked as written from the page's own folder.
        expect(text, `${page} names ${d}`).toContain(page.startsWith('docs/') ? d.slice('docs/'.length) : d)
      }
    })

  it('the security tables: every row has every column, and every test file they name exists', () => {
    for (const file of ['docs/data/security-tests.csv', 'docs/data/electron-hardening.csv']) {
      const rows = csvRecords(file)
      expect(rows.length, file).toBeGreaterThan(10)
      const last = Object.keys(rows[0]!).at(-1)!
      const named = rows.flatMap((r) => namedFiles(r[last]!))
      expect(named.length, `${file}: test files named`).toBeGreaterThan(rows.length / 2)
      expect(missing(named), `${file}: files it names that are gone`).toEqual([])
    }
  })

  it('the mutation scores and log name modules of main/ that exist', () => {
    const rows = csvRecords('docs/data/mutation-scores.csv')
    expect(rows.length).toBeGreaterThan(40)
    const modules = rows.map((r) => /`(main\/[^`]+\.ts)`/.exec(r.Module!)?.[1])
    expect(modules.filter((m) => m === undefined)).toEqual([])
    expect(missing(modules as string[])).toEqual([])
    const log = JSON.parse(read('docs/data/mutation-log.json')) as {
      entries: { section: string; heading: string; module?: string; text: string }[]
    }
    expect(log.entries.length).toBeGreaterThan(40)
    for (const e of log.entries) expect(e.text.length, e.heading).toBeGreaterThan(0)
    expect(missing(log.entries.flatMap((e) => (e.module ? [e.module] : [])))).toEqual([])
  })

  it('a name that is not in the tree is reported (the checks are not vacuous)', () => {
    expect(namedFiles('`test/unit/app/ipc.test.ts`; the rest: `test/unit/no/such.test.ts`')).toEqual([
      'test/unit/app/ipc.test.ts',
      'test/unit/no/such.test.ts',
    ])
    expect(missing(['test/unit/no/such.test.ts', 'test/unit/house/docs-data.test.ts'])).toEqual([
      'test/unit/no/such.test.ts',
    ])
  })
})
