/**
 * Issue 17 §5: the real-world corpus. Every file in test/fixtures/corpus/<kind>/ is real machine output
 * copied verbatim from a public file (its source on the first line); beside it, `<file>.expect.json`
 * names what a correct reader must get:
 *   kind            the kind analyze must detect
 *   facts           dotted paths into result.facts and their expected values (e.g. "winre.status")
 *   codes/kbs/builds  values that must appear in facts.extracted (every code in any form, every KB/build)
 *   noErrorFinding  true for routine, healthy output: no error or critical finding (false-alarm check)
 *   language        the display language of the output (the corpus must span at least 5)
 * Prints `corpus: N/M checks pass (P%)`, asserts at least 95%, and asserts the number of files so the
 * corpus cannot silently shrink. Prints `corpus sources: N openable, M index-only` and fails on a first line
 * that names no source in either form.
 */
import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import type { TextFacts } from '../../../main/analyze/extract.ts'

/** The number of real files found so far (never padded: raise it only with new real files). */
const CORPUS_FILES = 250
/** Files whose source a person can open (repo+path@commit or URL); the rest are marked index-only. */
const OPENABLE_AT_LEAST = 189

interface Expect {
  kind?: string
  facts?: Record<string, unknown>
  codes?: string[]
  kbs?: string[]
  builds?: string[]
  noErrorFinding?: boolean
  language: string
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/corpus')
const files = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => !f.endsWith('.expect.json')).map((f) => join(d.name, f)))

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj)
}

interface Check { file: string; what: string; ok: boolean; got?: unknown }

function runFile(rel: string): Check[] {
  const raw = readFileSync(join(root, rel))
  const text = raw.toString('utf8')
  const nl = text.indexOf('\n')
  const body = text.slice(nl + 1)
  const exp = JSON.parse(readFileSync(join(root, `${rel}.expect.json`), 'utf8')) as Expect
  const r = analyzeText(body)
  const x = r.facts.extracted as TextFacts
  const out: Check[] = []
  const check = (what: string, ok: boolean, got?: unknown) => out.push({ file: rel, what, ok, got })
  if (exp.kind) check(`kind ${exp.kind}`, r.kind === exp.kind, r.kind)
  for (const [p, v] of Object.entries(exp.facts ?? {})) check(`facts.${p} = ${JSON.stringify(v)}`, JSON.stringify(at(r.facts, p)) === JSON.stringify(v), at(r.facts, p))
  for (const c of exp.codes ?? []) check(`code ${c}`, x.codes.some((e) => e.code === c), x.codes.map((e) => e.code))
  for (const k of exp.kbs ?? []) check(`kb ${k}`, x.kbs.some((e) => e.kb === k), x.kbs.map((e) => e.kb))
  for (const b of exp.builds ?? []) check(`build ${b}`, x.builds.some((e) => e.version === b), x.builds.map((e) => e.version))
  if (exp.noErrorFinding) {
    const bad = r.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')
    check('no error finding', bad.length === 0, bad.map((f) => f.title))
  }
  return out
}

/**
 * The forms a first line may take. Openable: `owner/repo path@commit` (a file a person can open at that
 * commit) or a URL. Index-only: the capture was found through the search index's file id, whose repository
 * and path the index does not name; it is marked as such so no one takes it for an openable source.
 */
const OPENABLE = /^# source: (?:[\w.-]+\/[\w.-]+ \S.*@[0-9a-f]{40}\b|https?:\/\/\S+)/
const INDEX_ONLY = /^# source: \(not openable: search-index file id \d+ only\)/

describe('real-world corpus (issue 17 §5)', () => {
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
    const langs = new Set(files.map((f) => (JSON.parse(readFileSync(join(root, `${f}.expect.json`), 'utf8')) as Expect).language))
    expect(langs.size).toBeGreaterThanOrEqual(5)
  })

  it('passes at least 95% of its checks (and prints the rate)', () => {
    const checks = files.flatMap(runFile)
    const pass = checks.filter((c) => c.ok).length
    console.log(`corpus: ${pass}/${checks.length} checks pass (${(100 * pass / checks.length).toFixed(1)}%)`)
    for (const c of checks.filter((c) => !c.ok)) console.log(`corpus: FAIL ${c.file}: ${c.what} (got ${JSON.stringify(c.got)?.slice(0, 200)})`)
    expect(checks.length).toBeGreaterThan(files.length)
    expect(pass / checks.length).toBeGreaterThanOrEqual(0.95)
  })
})
