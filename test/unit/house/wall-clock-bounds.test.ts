/**
 * A test bounds only time it owns (fake timers, an injected clock, events, CPU seconds); what is left on the wall
 * clock is a hang detector written as `hangMs(idle figure)` (test/load.ts), so a busy machine never fails a correct
 * test (docs/running-and-testing.md, "Time in tests"). This keeps the few other uses of the wall clock in the unit
 * and browser tests on a list, each with why its outcome cannot depend on the machine's speed: a new one fails here
 * until it is made to own its time or is added below with its reason.
 */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type WallClockKind, wallClockUses } from './wall-clock-bounds.ts'

const root = join(import.meta.dirname, '../../..')

type Allowed = { uses: Partial<Record<WallClockKind, number>>; why: string }

/** Each file's allowed uses (at most that many of each kind) and why none decides an outcome by the machine's speed. */
const ALLOWED: Record<string, Allowed> = {
  'test/unit/setup-cpu-log.ts': {
    uses: { clock: 2 },
    why: "measures each file's wall time for the log, bounds nothing",
  },
  'test/unit/pwsh/attack-battery.test.ts': { uses: { clock: 2 }, why: 'prints how long the battery took' },
  'test/unit/pwsh/fleet-fix-run.test.ts': { uses: { clock: 2 }, why: 'prints how long the runs took' },
  'test/unit/processes.ts': {
    uses: { timer: 1 },
    why: "a child's watch on its parent, every 250 ms, so it ends when the test process is gone",
  },
  'test/unit/fleet/postgres-server.ts': {
    uses: { clock: 2, timer: 2 },
    why: "the watchdog that cleans up after a test process that died, and the server's shutdown (hangMs)",
  },
  'test/unit/fleet/azure/tls-servers.ts': { uses: { clock: 1 }, why: "a token's issue time, data the stand-in signs" },
  'test/unit/fleet/azure/intune-upload.test.ts': { uses: { clock: 1 }, why: "a token's expiry an hour ahead, data" },
  'test/unit/fleet/azure/logs-groups.test.ts': { uses: { clock: 1 }, why: "a token's expiry an hour ahead, data" },
  'test/unit/fleet/logs-ingestion.test.ts': { uses: { clock: 1 }, why: "a token's expiry an hour ahead, data" },
  'test/unit/fleet/azure/sign-in.test.ts': {
    uses: { clock: 1 },
    why: 'a token valid for an hour is still valid for 30 minutes: a margin of half an hour, not a race',
  },
  'test/unit/fleet/training-fleet.test.ts': { uses: { clock: 3 }, why: 'dates a day or hours apart, data' },
  'test/unit/app/ensure-tools.test.ts': { uses: { clock: 2 }, why: 'file times a minute before and after now, data' },
  'test/unit/cli/compile-cache.test.ts': {
    uses: { clock: 1 },
    why: 'the time the injected clock is set to; files are dated days apart',
  },
  'test/unit/cli/fast-start.test.ts': { uses: { clock: 1 }, why: 'a date 5 s ahead written into a file, data' },
  'test/e2e/media.spec.ts': { uses: { clock: 2 }, why: "a folder's unique name and a file time a minute ahead, data" },
  'test/unit/host/remote-round-trips.test.ts': {
    uses: { clock: 2 },
    why: 'a lower bound (the slowed link costs at least its delays): a busy machine only adds time',
  },
  'test/unit/host/windows-host.test.ts': {
    uses: { timer: 3 },
    why: 'children that idle until killed, and a cancel 300 ms in: the command never ends, so cancelled whenever it comes',
  },
  'test/unit/scripts/start.test.ts': {
    uses: { clock: 3, timer: 2 },
    why: "a stand-in's event log times and its polls; its give-up deadline is hangMs",
  },
  'test/unit/preview/open-browser.test.ts': {
    uses: { clock: 1, timer: 1 },
    why: 'polls a file every 50 ms until a hangMs deadline (the deadline line)',
  },
  'test/unit/download/read-body.test.ts': {
    uses: { timer: 2 },
    why: 'a body ended or delayed a few ms in: the outcome is the same whenever it comes',
  },
  'test/unit/download/download-file-guards.test.ts': {
    uses: { timer: 3 },
    why: 'a cancel 20 ms in, before a back-off of 2.5-5 s on the same clock (timers fire in order); tasks whose order of finishing the test makes up',
  },
  'test/unit/download/download-file-mutation.test.ts': {
    uses: { timer: 1 },
    why: 'a cancel 10 ms into a request that is never answered: cancelled whenever it comes',
  },
  'test/unit/download/download-set.test.ts': {
    uses: { timer: 1 },
    why: 'tasks that hold a slot 5 ms: the peak is the limit whatever the delay',
  },
  'test/unit/download/request-beside-writer.test.ts': {
    uses: { timer: 1 },
    why: 'the give-up timer of a request that never came, written hangMs on the next line',
  },
  'test/unit/machine/scan.test.ts': {
    uses: { timer: 1 },
    why: 'a probe answering 20 ms in past a 1 ms deadline armed before it: timers of one clock fire in order, so the old deadline always fired first',
  },
  'test/unit/fleet/store.test.ts': {
    uses: { timer: 1 },
    why: 'lets a refresh queue behind an open import; whenever it starts, it waits for the import (devices: 2)',
  },
  'test/unit/renderer/fleet-store.test.ts': {
    uses: { timer: 1 },
    why: 'setTimeout 0: lets queued work run, no length',
  },
  'test/unit/bench/thread-times.test.ts': {
    uses: { timer: 1 },
    why: "60 ms after the sampler's 20 ms interval was due: timers of one clock fire in order, so it sampled",
  },
  'test/unit/app/resume-screens.test.tsx': {
    uses: { timer: 3 },
    why: 'nothing runs unasked, looked at 300 ms later: a busy machine can only hide a regression, never fail a correct screen',
  },
  'test/e2e/screenshot.ts': {
    uses: { 'browser-wait': 1 },
    why: 'a pause before asking the browser for a picture again after its transient refusal, no bound',
  },
  'test/e2e/a11y.spec.ts': {
    uses: { 'browser-wait': 1 },
    why: 'the markup read twice 300 ms apart until it holds still, polled under a hangMs deadline',
  },
  'test/e2e/fleet.spec.ts': {
    uses: { timer: 2 },
    why: 'pauses around a scroll whose cost is measured in CPU time of the traced tasks, not wall time',
  },
}

let scanned: Map<string, { kind: WallClockKind; line: number; code: string }[]> | undefined
function uses(): Map<string, { kind: WallClockKind; line: number; code: string }[]> {
  if (scanned) return scanned
  const files = execFileSync('git', ['ls-files', 'test/unit', 'test/e2e'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.[cm]?tsx?$/.test(f) && !f.startsWith('test/unit/house/'))
  const out = new Map<string, { kind: WallClockKind; line: number; code: string }[]>()
  for (const f of files) {
    const found = wallClockUses(readFileSync(join(root, f), 'utf8'), f)
    if (found.length) out.set(f, found)
  }
  scanned = out
  return out
}

describe('wall-clock bounds in the tests', () => {
  it('finds a timer, a clock read, a browser wait and a numeric timeout; not a hangMs bound, not a comment', () => {
    const text = [
      'await new Promise((r) => setTimeout(r, 300))',
      'const t0 = performance.now()',
      'await page.waitForTimeout(250)',
      "await screen.findByTestId('x', {}, { timeout: 120_000 })",
      "await screen.findByTestId('x', {}, { timeout: hangMs(120_000) })",
      '// setTimeout(r, 5) in a comment',
      'const d = AbortSignal.timeout(50)',
    ].join('\n')
    expect(wallClockUses(text, 'x.ts').map((u) => [u.line, u.kind])).toEqual([
      [1, 'timer'],
      [2, 'clock'],
      [3, 'browser-wait'],
      [4, 'timeout-option'],
      [7, 'clock'],
    ])
  })

  it('every use is on the list, with its reason', () => {
    const over: string[] = []
    for (const [file, found] of uses()) {
      const allowed = ALLOWED[file]?.uses ?? {}
      const kinds = new Set(found.map((u) => u.kind))
      for (const kind of kinds) {
        const these = found.filter((u) => u.kind === kind)
        if (these.length > (allowed[kind] ?? 0))
          over.push(
            ...these.map((u) => `${file}:${u.line} (${kind}, ${allowed[kind] ?? 0} allowed): ${u.code.slice(0, 100)}`),
          )
      }
    }
    expect(
      over,
      'bound it by time the test owns (fake timers, an injected clock, an event, CPU time: test/unit/cpu-time.ts), ' +
        'write a hang detector as hangMs(idle figure), or add the file to ALLOWED with why no outcome depends on speed',
    ).toEqual([])
  })

  it('every entry of the list is a file that still has such a use, and says why', () => {
    const found = uses()
    const stale = Object.entries(ALLOWED)
      .filter(([file, a]) => !found.has(file) || a.why.length < 10)
      .map(([file]) => file)
    expect(stale, 'remove the entry of a file that no longer waits on the wall clock').toEqual([])
  })
})
