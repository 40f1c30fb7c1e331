#!/usr/bin/env node
/**
 * `npm run fuzz`: every fuzz target in test/fuzz/targets.ts with many cases (default 10,000 each), two
 * targets at a time, each in its own process with a watchdog. Prints a table (target, cases, failures,
 * time, slowest case) and exits 1 on any failure; failing inputs are in .cache/fuzz-failures/.
 *
 *   npm run fuzz -- --runs 20000 --seed 7 --target parse/cbs-log --target analyze/text
 *   npm run fuzz -- --list
 *   npm run fuzz -- --target parse/cbs-log --seed 7 --replay 1234     (re-run one saved case)
 */
import { fork } from 'node:child_process'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { fuzzTargets, fuzzTarget } from '../test/fuzz/targets.ts'
import { inputAt, saveFailure, FAILURE_DIR, DEFAULT_BUDGET_MS, type TargetResult } from '../test/fuzz/harness.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    target: { type: 'string', multiple: true },
    jobs: { type: 'string', default: '2' },
    'budget-ms': { type: 'string', default: String(DEFAULT_BUDGET_MS) },
    'hang-ms': { type: 'string', default: '30000' },
    replay: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
})

if (values.list) {
  for (const t of fuzzTargets) process.stdout.write(`${t.name.padEnd(34)} ${t.property}\n`)
  process.exit(0)
}

const runs = Number(values.runs)
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000
const budgetMs = Number(values['budget-ms'])
const hangMs = Number(values['hang-ms'])
const names = values.target ?? fuzzTargets.map((t) => t.name)
const unknown = names.filter((n) => !fuzzTarget(n))
if (unknown.length || !(runs > 0) || !Number.isInteger(seed)) {
  process.stderr.write(
    `fuzz: ${unknown.length ? `unknown target(s): ${unknown.join(', ')} (see --list)` : 'bad --runs/--seed'}\n`,
  )
  process.exit(2)
}
const child = fileURLToPath(new URL('../test/fuzz/run-target.ts', import.meta.url))
process.stdout.write(
  `fuzz: ${names.length} targets × ${values.replay !== undefined ? `case ${values.replay}` : `${runs} cases`}, seed ${seed}, budget ${budgetMs} ms per case\n`,
)

/** Runs one target in a child; kills it when no case starts for `hangMs` and saves the input that hung. */
function runInChild(name: string): Promise<TargetResult> {
  return new Promise((resolve) => {
    const t0 = Date.now()
    const args = [
      '--target',
      name,
      '--runs',
      String(runs),
      '--seed',
      String(seed),
      '--budget-ms',
      String(budgetMs),
      ...(values.replay !== undefined ? ['--replay', values.replay] : []),
    ]
    const p = fork(child, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let lastCase = -1
    let lastBeat = Date.now()
    let settled = false
    const failed = async (message: string, index: number) => {
      if (settled) return
      settled = true
      clearInterval(watch)
      p.kill('SIGKILL')
      const files: string[] = []
      if (index >= 0) {
        // The heartbeat names the case before it runs: regenerate that input (same seed, same batch) and save it.
        try {
          const prepared = await fuzzTarget(name)!.prepare()
          files.push(
            saveFailure(FAILURE_DIR, name, seed, index, inputAt(prepared.arbitrary, seed, index), {
              ok: false,
              ms: hangMs,
              error: message,
            }),
          )
          await prepared.close?.()
        } catch (err) {
          message += ` (input not regenerated: ${(err as Error).message})`
        }
      }
      resolve({
        name,
        runs: Math.max(0, index),
        failures: 1,
        ms: Date.now() - t0,
        slowestCaseMs: hangMs,
        failureFiles: files,
        messages: [message],
      })
    }
    const watch = setInterval(() => {
      if (Date.now() - lastBeat > hangMs)
        void failed(`hang: no case finished for ${hangMs} ms after case ${lastCase}`, lastCase)
    }, 1000)
    p.on(
      'message',
      (m: { case?: number; result?: TargetResult; uncaught?: { index: number; error: string }; error?: string }) => {
        if (m.case !== undefined) {
          lastCase = m.case
          lastBeat = Date.now()
        }
        if (m.result && !settled) {
          settled = true
          clearInterval(watch)
          resolve(m.result)
        }
        if (m.uncaught)
          void failed(`uncaught exception during case ${m.uncaught.index}: ${m.uncaught.error}`, m.uncaught.index)
        if (m.error) void failed(m.error, -1)
      },
    )
    p.on('exit', (code) => {
      if (!settled) void failed(`the fuzz process exited with code ${code}`, lastCase)
    })
  })
}

const queue = [...names]
const results: TargetResult[] = []
async function worker() {
  for (let n = queue.shift(); n; n = queue.shift()) {
    const r = await runInChild(n)
    results.push(r)
    process.stdout.write(
      `  ${r.failures ? 'FAIL' : 'ok  '} ${r.name} (${r.runs} cases, ${(r.ms / 1000).toFixed(1)} s)\n`,
    )
  }
}
await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker))

results.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name))
const rows = results.map((r) => [
  r.name,
  String(r.runs),
  String(r.failures),
  `${(r.ms / 1000).toFixed(1)} s`,
  `${Math.round(r.slowestCaseMs)} ms`,
])
const head = ['target', 'cases', 'failures', 'time', 'slowest case']
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
process.stdout.write(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`)
const totalCases = results.reduce((s, r) => s + r.runs, 0)
const failures = results.filter((r) => r.failures > 0)
process.stdout.write(
  `\nfuzz: ${totalCases} cases over ${results.length} targets, seed ${seed}: ${failures.length ? `${failures.length} target(s) FAILED` : 'no failure'}\n`,
)
for (const r of failures) {
  process.stdout.write(
    `\n${r.name}:\n${r.messages.map((m) => `  ${m.split('\n').slice(0, 4).join('\n    ')}`).join('\n')}\n${r.failureFiles.map((f) => `  saved: ${f}`).join('\n')}\n`,
  )
}
process.exitCode = failures.length ? 1 : 0
