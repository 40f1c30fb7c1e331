/**
 * A vitest reporter for `npm test` that says how far the unit tests are, next to the default reporter (which
 * prints a file's results only when the whole file is done, so a slow file at the start left the log silent
 * for minutes): one line when the run starts (files, workers), and while a file runs, every 20 s a line with
 * the count of finished files, the time so far and the files still running with how long each has run.
 */
import type { Reporter, TestModule, TestSpecification, Vitest } from 'vitest/node'

const every = 20_000

const fmt = (ms: number): string => {
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

export default class ProgressReporter implements Reporter {
  private total = 0
  private done = 0
  private failed = 0
  private started = Date.now()
  private running = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined
  private workers = 0

  onInit(vitest: Vitest): void {
    this.workers = vitest.config.maxWorkers
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.total = specifications.length
    this.started = Date.now()
    process.stdout.write(`unit tests: ${this.total} files, ${this.workers} at a time\n`)
    this.timer = setInterval(() => this.beat(), every)
    this.timer.unref()
  }

  /** Queued = a worker has taken the file and starts loading it (loading is part of its time). */
  onTestModuleQueued(module: TestModule): void {
    this.running.set(module.relativeModuleId, Date.now())
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.relativeModuleId)
    this.done += 1
    if (module.state() === 'failed') this.failed += 1
  }

  onTestRunEnd(): void {
    clearInterval(this.timer)
  }

  private beat(): void {
    const now = Date.now()
    const running = [...this.running].map(([file, t]) => `${file} (${fmt(now - t)})`).join(', ')
    process.stdout.write(
      `… ${this.done}/${this.total} files done${this.failed ? ` (${this.failed} failed)` : ''} after ${fmt(now - this.started)}${running ? `; running: ${running}` : ''}\n`,
    )
  }
}
