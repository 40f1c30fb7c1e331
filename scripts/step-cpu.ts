#!/usr/bin/env node
/**
 * `node scripts/step-cpu.ts <file> [args…]`: runs one command (argv, no shell, its stdio inherited) and, when it has
 * ended, writes the CPU its whole process tree used to fd 3 as one JSON line `{"cpu": seconds}` (null where there is
 * no /proc), then exits with the command's code.
 *
 * Why a process of its own: `npm test` runs the unit tests and the browser tests side by side, so the CPU of the run
 * as a whole (its own /proc/self/stat after every child is reaped) cannot say which of the two used what, and a
 * child's figures vanish from /proc the moment Node reaps it. This wrapper's only child is the step, so its own
 * reaped-children figure (cutime + cstime) is exactly the step's tree: vitest's or Playwright's workers, the browsers
 * and PowerShell processes they waited for. A process that detaches and is never waited for is not counted.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeSync } from 'node:fs'
import { cpuFromStat } from './cpu-total.ts'

const [file, ...args] = process.argv.slice(2)
if (!file) {
  process.stderr.write('usage: node scripts/step-cpu.ts <file> [args…]\n')
  process.exit(2)
}

const report = () => {
  let cpu: number | null = null
  try {
    cpu = cpuFromStat(readFileSync('/proc/self/stat', 'utf8'))
  } catch {
    /* not Linux: no figure */
  }
  try {
    writeSync(3, `${JSON.stringify({ cpu })}\n`)
  } catch {
    /* started without fd 3: nobody asked */
  }
}

const child = spawn(file, args, { stdio: 'inherit' })
// Passed on, so stopping the step (Ctrl+C, a CI timeout) stops the command and not only its wrapper.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig))
child.on('error', (err) => {
  process.stderr.write(`could not start ${file}: ${err.message}\n`)
  report()
  process.exit(127)
})
child.on('exit', (code, signal) => {
  report()
  process.exit(code ?? (signal ? 128 : 1))
})
