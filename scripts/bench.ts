#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark script in test/bench/*.bench.ts, one after another. Each prints
 * its measurements as ratios against a baseline measured in the same run. Extra arguments are passed
 * on (e.g. `npm run bench -- --size-mb 64`); `npm run bench -- cbs-log` runs only the named ones.
 */
import { readdirSync } from 'node:fs'
import { runStep } from './run-step.ts'

const args = process.argv.slice(2)
const names = args.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a))
const passOn = args.filter((a) => !names.includes(a))
const files = readdirSync('test/bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => names.length === 0 || names.some((n) => f.startsWith(n)))
let failed = 0
for (const f of files) {
  const code = await runStep(f.replace(/\.bench\.ts$/, ''), process.execPath, [
    '--expose-gc',
    `test/bench/${f}`,
    ...passOn,
  ])
  if (code !== 0) failed++
}
process.stdout.write(`\nbench: ${files.length - failed} of ${files.length} benchmark scripts completed\n`)
process.exitCode = failed ? 1 : 0
