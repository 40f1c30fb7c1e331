#!/usr/bin/env node
/**
 * `npm run mutate [-- PATH...] [--survivors] [--force]`: mutation testing (Stryker + its vitest runner,
 * stryker.config.mjs) of the named files or folders, or, without a path, of every critical module listed
 * in mutation.config.json. One Stryker run per module, one after another (one worker each: the machines
 * are shared), each incremental: a rerun reuses the result of every mutant whose code and covering tests
 * did not change (`--force` runs them all again). Results: `.cache/mutation/<module>.report.json`.
 *
 * Ends with one line per module and a final line `mutation score: NN.N% (target TT%)`; exits 1 when a
 * module is under its target (for several modules TT is their targets weighted by mutant count). A module
 * that is not listed has the "decides" target. `--survivors` also lists each surviving or unreached mutant
 * (line, mutator, replacement). Score = (killed + timed out) / (killed + timed out + survived + not reached).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { runStep } from './run-step.ts'

type Kind = 'protects' | 'decides'
interface MutationConfig {
  targets: Record<Kind, number>
  modules: { file: string; kind: Kind }[]
}
interface Mutant {
  id: string
  mutatorName: string
  replacement?: string
  status: string
  location: { start: { line: number; column: number } }
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>
}

const root = resolve(import.meta.dirname, '..')
process.chdir(root)
const config = JSON.parse(readFileSync('mutation.config.json', 'utf8')) as MutationConfig
const argv = process.argv.slice(2)
// `--tests a.test.ts,b.test.ts`: the test files run against the mutants, instead of the module's list.
const testsAt = argv.indexOf('--tests')
const tests = testsAt === -1 ? undefined : argv[testsAt + 1]
if (testsAt !== -1 && !tests) fail('--tests needs a comma-separated list of test files')
const args = testsAt === -1 ? argv : argv.filter((_, i) => i !== testsAt && i !== testsAt + 1)
const flags = new Set(args.filter((a) => a.startsWith('--')))
for (const f of flags)
  if (f !== '--survivors' && f !== '--force') fail(`unknown option ${f} (known: --survivors, --force, --tests LIST)`)
const paths = args.filter((a) => !a.startsWith('--'))

function fail(message: string): never {
  process.stderr.write(`mutate: ${message}\n`)
  process.exit(2)
}

/** A named file (with line ranges: `file.ts:10-80,120-140`), or every source file under a named folder (no declarations, no tests). */
function expand(arg: string): string[] {
  const range = /^(.+\.tsx?):(\d+-\d+(?:,\d+-\d+)*)$/.exec(arg)
  const p = range ? range[1]! : arg
  const abs = resolve(root, p)
  if (!existsSync(abs)) fail(`no such file or folder: ${p}`)
  const rel = relative(root, abs).split('\\').join('/')
  if (rel.startsWith('..')) fail(`${p} is outside the project`)
  if (statSync(abs).isFile()) return [range ? `${rel}:${range[2]}` : rel]
  const out: string[] = []
  for (const e of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !/\.tsx?$/.test(e.name) || /\.(d|test)\.tsx?$/.test(e.name)) continue
    out.push(relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
  }
  if (out.length === 0) fail(`no TypeScript source files under ${p}`)
  return out.sort()
}

const files = paths.length ? [...new Set(paths.flatMap(expand))] : config.modules.map((m) => m.file)
const fileOf = (file: string) => file.replace(/:[\d,-]+$/, '')
const targetOf = (file: string): number =>
  config.targets[config.modules.find((m) => m.file === fileOf(file))?.kind ?? 'decides']
const stryker = join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js')
const slug = (file: string) => file.replace(/\.[cm]?[jt]sx?(?=:|$)/, '').replace(/[^A-Za-z0-9]+/g, '-')

interface Row {
  file: string
  target: number
  killed: number
  survived: number
  noCoverage: number
  score: number | null
  error?: string
}
const rows: Row[] = []
const survivorLines: string[] = []
for (const file of files) {
  const started = Date.now()
  const code = await runStep(
    `mutate ${file}`,
    process.execPath,
    [stryker, 'run', 'stryker.config.mjs', ...(flags.has('--force') ? ['--force'] : [])],
    { MUTATE_FILE: file, ...(tests ? { MUTATE_TESTS: tests } : {}) },
  )
  const seconds = Math.round((Date.now() - started) / 1000)
  const reportPath = `.cache/mutation/${slug(file)}.report.json`
  if (code !== 0 || !existsSync(reportPath) || statSync(reportPath).mtimeMs < started) {
    rows.push({
      file,
      target: targetOf(file),
      killed: 0,
      survived: 0,
      noCoverage: 0,
      score: null,
      error: `Stryker exited ${code} after ${seconds}s`,
    })
    continue
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report
  const entry = Object.entries(report.files).find(([k]) => k.split('\\').join('/').endsWith(fileOf(file)))
  const mutants = entry?.[1].mutants ?? []
  const count = (...s: string[]) => mutants.filter((m) => s.includes(m.status)).length
  const killed = count('Killed', 'Timeout')
  const survived = count('Survived')
  const noCoverage = count('NoCoverage')
  const valid = killed + survived + noCoverage
  rows.push({
    file,
    target: targetOf(file),
    killed,
    survived,
    noCoverage,
    score: valid ? (100 * killed) / valid : null,
  })
  process.stdout.write(`mutate ${file}: ${seconds}s\n`)
  if (flags.has('--survivors') && entry) {
    const lines = entry[1].source.split('\n')
    for (const m of mutants
      .filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')
      .sort((a, b) => a.location.start.line - b.location.start.line)) {
      const at = m.location.start.line
      survivorLines.push(
        `${file}:${at} ${m.status === 'NoCoverage' ? 'not reached' : 'survived'} ${m.mutatorName}${m.replacement !== undefined ? ` -> ${m.replacement.replace(/\s+/g, ' ').slice(0, 80)}` : ''}  | ${lines[at - 1]?.trim().slice(0, 100)}`,
      )
    }
  }
}

if (survivorLines.length) process.stdout.write(`\n${survivorLines.join('\n')}\n`)
process.stdout.write('\n')
let under = 0
for (const r of rows) {
  if (r.score === null) {
    under++
    process.stdout.write(`${r.file}: ${r.error ?? 'no mutants'} (target ${r.target}%)\n`)
    continue
  }
  const ok = r.score >= r.target
  if (!ok) under++
  process.stdout.write(
    `${r.file}: ${r.score.toFixed(1)}% (target ${r.target}%) ${r.killed} killed, ${r.survived} survived, ${r.noCoverage} not reached${ok ? '' : '  UNDER TARGET'}\n`,
  )
}
const scored = rows.filter((r) => r.score !== null)
const valid = scored.reduce((n, r) => n + r.killed + r.survived + r.noCoverage, 0)
const killed = scored.reduce((n, r) => n + r.killed, 0)
const target = valid
  ? scored.reduce((n, r) => n + r.target * (r.killed + r.survived + r.noCoverage), 0) / valid
  : Math.max(...rows.map((r) => r.target))
process.stdout.write(
  `mutation score: ${valid ? ((100 * killed) / valid).toFixed(1) : '0.0'}% (target ${Number.isInteger(target) ? target : target.toFixed(1)}%)${under ? ` — ${under} of ${rows.length} under target` : ''}\n`,
)
process.exitCode = under ? 1 : 0
