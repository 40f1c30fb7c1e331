/**
 * The real-world corpus. Every file in test/fixtures/corpus/<kind>/ is real machine output
 * copied verbatim from a public file (its source on the first line); beside it, `<file>.expect.json`
 * names what a correct reader must get:
 *   kind            the kind analyze must detect
 *   facts           dotted paths into result.facts and their expected values (e.g. "winre.status")
 *   codes/kbs/builds  values that must appear in facts.extracted (every code in any form, every KB/build)
 *   noErrorFinding  true for routine, healthy output: no error or critical finding (false-alarm check)
 *   errorFinding / errorFindingCode / findingsCiteLines  the diagnosis of a failure: an error
 *                   finding, one naming the code, each citing its line (test/unit/analyze/corpus-checks.ts)
 *   language        the display language of the output (the corpus must span at least 5)
 * Prints `corpus: N/M checks pass (P%)`, asserts at least 95%, and asserts the number of files so the
 * corpus cannot silently shrink. Prints `corpus sources: N openable, M index-only` and fails on a first line
 * that names no source in either form.
 */
import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runFile as runCapture, readExpect } from './corpus-checks.ts'

/** The number of real files found so far (never padded: raise it only with new real files). */
const CORPUS_FILES = 304
/** Files whose source a person can open (repo+path@commit or URL); the rest are marked index-only. */
const OPENABLE_AT_LEAST = 219

const root = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/corpus')
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(root, d.name))
      .filter((f) => !f.endsWith('.expect.json'))
      .map((f) => join(d.name, f)),
  )

/** The checks of one capture (test/unit/analyze/corpus-checks.ts, shared with scripts/accuracy.ts). */
const runFile = (rel: string) => runCapture(root, rel)

/**
 * The forms a first line may take. Openable: `owner/repo path@commit` (a file a person can open at that
 * commit) or a URL. Index-only: the capture was found through the search index's file id, whose repository
 * and path the index does not name; it is marked as such so no one takes it for an openable source.
 */
const OPENABLE = /^# source: (?:[\w.-]+\/[\w.-]+ \S.*@[0-9a-f]{40}\b|https?:\/\/\S+)/
const INDEX_ONLY = /^# source: \(not openable: search-index file id \d+ only\)/

describe('real-world corpus', () => {
  it('every file names its public source on the first line and has an expect sidecar', () => {
    for (const f of files) {
      expect(readFileSync(join(root, f), 'utf8').split('\n', 1)[0], f).toMatch(/^# source: \S/)
      expect(existsSync(join(root, `${f}.expect.json`)), f).toBe(true)
    }
  })

  it('counts its sources by form (openable repo+path@commit or URL, or marked index-only) and prints them', () => {
    const first = files.map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n', 1)[0]!] as const)
    const openable = first.filter(([, l]) => OPENABLE.test(l))
    const indexOnly = first.filter(([, l]) => INDEX_ONLY.test(l))
    const neither = first.filter(([, l]) => !OPENABLE.test(l) && !INDEX_ONLY.test(l)).map(([f]) => f)
    console.log(`corpus sources: ${openable.length} openable, ${indexOnly.length} index-only`)
    expect(neither, 'first lines with no source in a known form').toEqual([])
    expect(openable.length + indexOnly.length).toBe(files.length)
    // Raise with every source made openable; never lower (an index-only source is not a way around the rule).
    expect(openable.length).toBeGreaterThanOrEqual(OPENABLE_AT_LEAST)
  })

  it(`holds ${CORPUS_FILES} real files across at least 5 display languages`, () => {
    expect(files.length).toBe(CORPUS_FILES)
    const langs = new Set(files.map((f) => readExpect(root, f).language))
    expect(langs.size).toBeGreaterThanOrEqual(5)
  })

  it('passes at least 95% of its checks (and prints the rate)', () => {
    const checks = files.flatMap(runFile)
    const pass = checks.filter((c) => c.ok).length
    console.log(`corpus: ${pass}/${checks.length} checks pass (${((100 * pass) / checks.length).toFixed(1)}%)`)
    for (const c of checks.filter((c) => !c.ok))
      console.log(`corpus: FAIL ${c.file}: ${c.what} (got ${JSON.stringify(c.got)?.slice(0, 200)})`)
    expect(checks.length).toBeGreaterThan(files.length)
    expect(pass / checks.length).toBeGreaterThanOrEqual(0.95)
  })
})
