#!/usr/bin/env node
/**
 * `node scripts/accuracy.ts [dir]`: reads every real capture under `dir` (default the
 * corpus, test/fixtures/corpus), laid out as the corpus is (`<kind>/<file>` + `<file>.expect.json`), with
 * the corpus's own checks (test/unit/analyze/corpus-checks.ts), and prints: checks passed, captures read
 * wholly right, logs diagnosed wholly right, each per expected kind, then every failing check.
 * Used to measure the first read of a new batch before any reader changes, and again after.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runFile, readExpect, type Check } from '../test/unit/analyze/corpus-checks.ts'

// `--half working|held-out`: only the captures the batch's manifest.json puts in that half.
const USAGE = 'usage: npm run accuracy -- [<batch folder, default test/fixtures/corpus>] [--half working|held-out]'
/** A wrong argument ends the run with one line saying what is wrong and the usage, never a stack trace. */
function refuse(why: string): never {
  process.stderr.write(`accuracy: ${why}\n${USAGE}\n`)
  process.exit(2)
}
const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const halfAt = args.indexOf('--half')
const half = halfAt >= 0 ? args.splice(halfAt, 2)[1] : undefined
if (halfAt >= 0 && half !== 'working' && half !== 'held-out') refuse('--half takes working or held-out')
const unknown = args.find((a) => a.startsWith('-'))
if (unknown) refuse(`unknown option ${unknown}`)
if (args.length > 1) refuse(`one batch folder at a time, not ${args.length}`)
const root = resolve(args[0] ?? 'test/fixtures/corpus')
try {
  readdirSync(root)
} catch (e) {
  refuse(`cannot read the batch folder ${root}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
}
if (half !== undefined) {
  try {
    readFileSync(join(root, 'manifest.json'))
  } catch {
    refuse(`--half needs the batch's manifest.json, and ${join(root, 'manifest.json')} cannot be read`)
  }
}
const inHalf =
  half === undefined
    ? null
    : new Set(
        (
          JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
            captures: { file: string; half: string }[]
          }
        ).captures
          .filter((c) => c.half === half)
          .map((c) => c.file),
      )
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(root, d.name))
      .filter((f) => !f.endsWith('.expect.json'))
      .map((f) => join(d.name, f)),
  )
  .filter((f) => inHalf === null || inHalf.has(f.split(/[\\/]/).join('/')))
  .sort()

/** A capture is a log when it is a log file or its expectation judges a diagnosis. */
function isLog(rel: string, checks: Check[]): boolean {
  return (
    /\.log$/.test(rel) ||
    /^(cbs-log|dism-log|setup-log|setupdiag)\//.test(rel) ||
    checks.some((c) => c.area === 'diagnosis' && !/^no error/.test(c.what))
  )
}

// Causes and facts apart: "facts right" counts the reading checks (kind, facts, codes, KBs, builds), "causes
// right" the captures whose expected cause diagnose ranks first; a weighted total hid the causes behind the facts.
interface Tally {
  checks: number
  pass: number
  files: number
  whole: number
  logs: number
  logsRight: number
  facts: number
  factsRight: number
  causes: number
  causesRight: number
}
const tally = new Map<string, Tally>()
const zero = (): Tally => ({
  checks: 0,
  pass: 0,
  files: 0,
  whole: 0,
  logs: 0,
  logsRight: 0,
  facts: 0,
  factsRight: 0,
  causes: 0,
  causesRight: 0,
})
const all: Tally = zero()
const failures: Check[] = []
const languages = new Set<string>()
for (const rel of files) {
  const checks = runFile(root, rel)
  languages.add(readExpect(root, rel).language)
  const group = rel.split(/[\\/]/)[0]!
  const t = tally.get(group) ?? zero()
  tally.set(group, t)
  const ok = checks.every((c) => c.ok)
  const log = isLog(rel, checks)
  const logOk = checks.filter((c) => c.area === 'diagnosis').every((c) => c.ok)
  for (const x of [t, all]) {
    x.checks += checks.length
    x.pass += checks.filter((c) => c.ok).length
    x.files++
    if (ok) x.whole++
    if (log) {
      x.logs++
      if (logOk) x.logsRight++
    }
    const reading = checks.filter((c) => c.area === 'reading')
    x.facts += reading.length
    x.factsRight += reading.filter((c) => c.ok).length
    for (const c of checks.filter((k) => k.area === 'cause')) {
      x.causes++
      if (c.ok) x.causesRight++
    }
  }
  failures.push(...checks.filter((c) => !c.ok))
}

const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`)
const line = (name: string, t: Tally) =>
  `${name.padEnd(16)} ${String(t.files).padStart(3)} captures  checks ${t.pass}/${t.checks} (${pct(t.pass, t.checks)})  wholly right ${t.whole}/${t.files} (${pct(t.whole, t.files)})  logs diagnosed right ${t.logsRight}/${t.logs}  facts right ${t.factsRight}/${t.facts} (${pct(t.factsRight, t.facts)})  causes right ${t.causesRight}/${t.causes} (${pct(t.causesRight, t.causes)})`
process.stdout.write(
  `accuracy of ${root}${half ? ` (${half} half, ${files.length} captures)` : ''} (${languages.size} languages: ${[...languages].sort().join(', ')})\n`,
)
for (const [k, t] of [...tally].sort()) process.stdout.write(`${line(k, t)}\n`)
process.stdout.write(`${line('all', all)}\n`)
for (const f of failures)
  process.stdout.write(`FAIL ${f.file}: ${f.what} (got ${JSON.stringify(f.got)?.slice(0, 220)})\n`)
