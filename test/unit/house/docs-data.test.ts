/**
 * The long logs live in data files beside the pages that summarize them (SECURITY.md and docs/mutation.md stay short
 * enough to read in one sitting): each summary points at its data, each data file reads as data (every CSV row has
 * every column; the mutation log is JSON of entries), and what the data names is still there (the test files of the
 * security tables, the modules of the mutation scores and log). Each check is a function, so it is shown red on a
 * made-up name too. The same for the reading-accuracy log: docs/accuracy.md is the page a newcomer reads, its
 * round-by-round log is in docs/accuracy/ (each page linked from it, none too long to read in one sitting), every other
 * page of docs/ stays under a bound, and the links into the log lead to a page and a heading that are there.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
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

/** The longest each kind of page may be, in words: what one sitting reads. */
const BOUNDS = {
  // The summary of the accuracy log: what is measured, how, every batch's figures, what is left.
  summary: 2500,
  // A page of the log itself: a round or a few, moved whole.
  logPage: 6500,
  // Any other page of docs/ (the longest, fleet.md, is about 6,300 words; its exports and the round-by-round test
  // runs are pages of their own).
  page: 6500,
}

/** `page: words` for each page over the bound. */
function overBound(pages: Record<string, string>, bound: number): string[] {
  return Object.entries(pages)
    .filter(([, text]) => words(text) > bound)
    .map(([page, text]) => `${page}: ${words(text)} words`)
}

/** The log pages (names in the log folder) the summary does not link to as `accuracy/<name>`. */
function unlinked(summary: string, logPages: readonly string[]): string[] {
  const linked = new Set([...summary.matchAll(/\]\(accuracy\/([^)#\s]+)/g)].map((m) => m[1]!))
  return logPages.filter((p) => !linked.has(p))
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const heading = fenced ? null : /^#{1,6} +(.+?) *$/.exec(line)
    if (!heading) continue
    const base = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** The relative links of a page in `dir` whose file is not in the tree or whose anchor is no heading of it. */
function deadLinks(dir: string, text: string): string[] {
  const dead: string[] = []
  // What is quoted (a code block, a `code span`) is data, not a link.
  const prose = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
  for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const [file, anchor] = m[1]!.split('#') as [string, string | undefined]
    if (/^[a-z]+:/.test(file)) continue
    const target = file === '' ? null : join(dir, file)
    if (target !== null && !existsSync(join(root, target))) dead.push(m[1]!)
    else if (anchor !== undefined && !anchors(target === null ? text : read(target)).has(anchor)) dead.push(m[1]!)
  }
  return dead
}

/** The `docs/accuracy/<page>.md` names a text gives (in prose or in a path) that are not in the tree. */
function goneLogPages(text: string): string[] {
  return [...text.matchAll(/docs\/accuracy\/[\w.-]+\.md/g)].map((m) => m[0]).filter((f) => !existsSync(join(root, f)))
}

/** The Markdown pages of a folder of the tree (none when it is not there), as `folder/page: text`. */
/**
 * The sections a text names by title after a page of the accuracy docs (`docs/accuracy/round-19.md`, section "Round
 * 19: …" and "…") that are no heading of that page, as `page: "title"`; a page that is not there is goneLogPages'.
 */
function goneSections(text: string): string[] {
  const gone: string[] = []
  const named = /(docs\/accuracy(?:\/[\w.-]+)?\.md)`?,?\s+(?:section\s+)?("[^"]+"(?:,?\s+and\s+"[^"]+")*)/g
  for (const m of text.matchAll(named)) {
    const page = m[1]!
    if (!existsSync(join(root, page))) continue
    const headings = new Set(
      read(page)
        .split('\n')
        .flatMap((l) => /^#{1,6} +(.+?) *$/.exec(l)?.[1] ?? []),
    )
    for (const t of m[2]!.matchAll(/"([^"]+)"/g))
      if (!headings.has(t[1]!.replace(/\s+/g, ' '))) gone.push(`${page}: "${t[1]!.replace(/\s+/g, ' ')}"`)
  }
  return gone
}

const docPages = (dir: string): Record<string, string> =>
  existsSync(join(root, dir))
    ? Object.fromEntries(
        readdirSync(join(root, dir))
          .filter((f) => f.endsWith('.md'))
          .map((f) => [`${dir}/${f}`, read(`${dir}/${f}`)]),
      )
    : {}

describe('the accuracy page is a summary with its log beside it, and every page of docs/ is one sitting long', () => {
  const logPages = Object.keys(docPages('docs/accuracy')).map((p) => p.slice('docs/accuracy/'.length))

  it(`docs/accuracy.md is at most ${BOUNDS.summary} words and links every page of docs/accuracy/`, () => {
    const summary = read('docs/accuracy.md')
    expect(overBound({ 'docs/accuracy.md': summary }, BOUNDS.summary)).toEqual([])
    expect(logPages.length, 'pages in docs/accuracy/').toBeGreaterThan(5)
    expect(unlinked(summary, logPages), 'log pages the summary does not link').toEqual([])
  })

  it(`every page of docs/accuracy/ is at most ${BOUNDS.logPage} words and opens with a title and one line`, () => {
    const pages = docPages('docs/accuracy')
    expect(Object.keys(pages).length, 'pages in docs/accuracy/').toBeGreaterThan(5)
    expect(overBound(pages, BOUNDS.logPage)).toEqual([])
    for (const [page, text] of Object.entries(pages))
      expect(text, page).toMatch(/^# .+\n\n(?!#)[^\n]+(?:\n(?!#)[^\n]+)*\n(?:\n|$)/)
  })

  it(`every other page of docs/ is at most ${BOUNDS.page} words`, () => {
    const pages = docPages('docs')
    delete pages['docs/accuracy.md']
    expect(Object.keys(pages).length).toBeGreaterThan(15)
    expect(overBound(pages, BOUNDS.page)).toEqual([])
  })

  it('the links of the summary and the log lead to a page and a heading that are there', () => {
    const dead = [
      ...deadLinks('docs', read('docs/accuracy.md')).map((l) => `docs/accuracy.md: ${l}`),
      ...logPages.flatMap((p) => deadLinks('docs/accuracy', read(`docs/accuracy/${p}`)).map((l) => `${p}: ${l}`)),
    ]
    expect(dead).toEqual([])
  })

  it('what names a page of the log (the README, docs, the README of each batch, tests) names one that is there', () => {
    const named = execFileSync('git', ['ls-files', 'README.md', 'SECURITY.md', 'docs', 'main', 'scripts', 'test'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(?:md|[cm]?tsx?|json)$/.test(f) && (!f.startsWith('test/fixtures/') || f.endsWith('README.md')))
      // This file names a page that is not there on purpose, to show the check is not vacuous.
      .filter((f) => f !== 'test/unit/house/docs-data.test.ts')
      .flatMap((f) => [...goneLogPages(read(f)), ...goneSections(read(f))].map((g) => `${f}: ${g}`))
    expect(named).toEqual([])
  })

  it('a page over its bound, an unlinked log page, a dead link or anchor and a gone page are reported', () => {
    expect(overBound({ 'a.md': 'one two three', 'b.md': 'one' }, 2)).toEqual(['a.md: 3 words'])
    expect(unlinked('see [r1](accuracy/round-1.md#top)', ['round-1.md', 'round-2.md'])).toEqual(['round-2.md'])
    expect([
      ...anchors('# Round 22: the batch, held out (r22 414e7ae)\n## `npm run` — twice\n## `npm run` — twice'),
    ]).toEqual(['round-22-the-batch-held-out-r22-414e7ae', 'npm-run--twice', 'npm-run--twice-1'])
    expect(
      deadLinks('docs', '[a](accuracy.md) [b](no-such.md) [c](#nowhere) [d](https://example.com/x) `[e](quoted.md)`'),
    ).toEqual(['no-such.md', '#nowhere'])
    expect(goneLogPages('see docs/accuracy/no-such-round.md and docs/accuracy.md')).toEqual([
      'docs/accuracy/no-such-round.md',
    ])
    expect(
      goneSections(
        'in `docs/accuracy/round-22.md`, section "Round 22: the twentieth batch, held out, measured once\n(r22-lead 414e7ae)" and "No such section"',
      ),
    ).toEqual(['docs/accuracy/round-22.md: "No such section"'])
  })
})

describe("the second labelling's data stays true to the batches and to the page that reports it", () => {
  const data = JSON.parse(read('docs/data/relabel-round30.json')) as {
    captures: { capture: string; labelled: string[]; relabelled: string[] }[]
  }

  it("every capture is there, and its first labelling is still its expect file's cause", () => {
    expect(data.captures.length).toBe(85)
    for (const c of data.captures) {
      expect(existsSync(join(root, c.capture)), c.capture).toBe(true)
      const expectFile = JSON.parse(read(`${c.capture}.expect.json`)) as { cause?: string | string[] }
      expect([expectFile.cause ?? []].flat(), c.capture).toEqual(c.labelled)
    }
  })

  it('the agreement round 30 reports is what the data gives', () => {
    const agreed = data.captures.filter((c) => c.labelled.includes(c.relabelled[0]!)).length
    expect(agreed).toBe(79)
    expect(read('docs/accuracy/round-30.md')).toContain(`| ${agreed}/${data.captures.length} (92.9%) |`)
  })
})
