/**
 * Setup file of every unit test file (vitest.config.ts `setupFiles`): when SD_CPU_LOG names a file, appends one JSON
 * line per test file with the CPU seconds it cost — its worker's own (process.cpuUsage) and its child processes'
 * (PowerShell, the CLI, the stand-ins they start: Linux counts a child's CPU, and its children's, in the parent's
 * cutime/cstime of /proc/self/stat once it is reaped; the warm PowerShell workers, which outlive a file, by
 * test/pwsh/worker-pool.ts liveWorkersCpu). From this module's load (before the file is collected: some
 * files do most of their work then) to the file's last afterAll. Vitest's forks pool runs one file at a time in a
 * worker, so the deltas are the file's. Without SD_CPU_LOG (or without /proc) it does nothing. Read by
 * `node scripts/cpu-by-file.ts LOG` (the costliest files, and the total).
 */
import { appendFileSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import { reapedChildrenCpu } from '../bench/thread-times.ts'
import { liveWorkersCpu } from '../pwsh/worker-pool.ts'

/**
 * Reaped children, and what the warm PowerShell workers still living have used so far (they outlive a file: a file
 * that ends one counts it in the reaped figure, one it leaves idle by what it used during the file).
 */
const childrenCpu = (): number | null => {
  const reaped = reapedChildrenCpu()
  const live = liveWorkersCpu()
  return reaped === null || live === null ? null : reaped + live
}

const log = process.env.SD_CPU_LOG
if (log) {
  const self0 = process.cpuUsage()
  const children0 = childrenCpu()
  const wall0 = performance.now()
  let file = ''
  // biome-ignore lint/correctness/noEmptyPattern: vitest hands the suite as the second argument, after the fixtures
  beforeAll(({}, suite) => {
    file = suite.file.filepath
  })
  afterAll(() => {
    const self = process.cpuUsage(self0)
    const children = childrenCpu()
    const line = {
      file: file.replace(`${process.cwd()}/`, ''),
      self: (self.user + self.system) / 1e6,
      children: children === null || children0 === null ? null : children - children0,
      wall: (performance.now() - wall0) / 1000,
      // When the file started (ms since 1970): the files of one run laid side by side on one time line show when
      // the unit run kept fewer cores busy than it had (`node scripts/cpu-by-file.ts LOG --timeline`).
      start: Math.round(performance.timeOrigin + wall0),
    }
    appendFileSync(log, `${JSON.stringify(line)}\n`)
  })
}
