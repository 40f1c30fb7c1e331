/** The engine's rules (main/runner/engine.ts) on a journal in memory: what runs, what is re-checked, how a run ends. */
import { describe, it, expect } from 'vitest'
import {
  runSteps,
  type EngineStep,
  type RunJournal,
  type Verdict,
  type RecheckAnswer,
  type Prepared,
} from '../../../main/runner/engine.ts'
import type { Host } from '../../../main/host/host.ts'

type R = { v: Verdict; by: string }

function memJournal(init: Record<string, R> = {}, open: string[] = []) {
  const results = new Map(Object.entries(init))
  const interrupted = new Set(open)
  const log: string[] = []
  const journal: RunJournal<R> = {
    resultOf: (id) => results.get(id),
    interrupted: (id) => interrupted.has(id),
    verdict: (r) => r.v,
    resumed: (note) => log.push(`resumed:${note}`),
    rerunning: (s, note) => log.push(`rerun:${s.id}:${note}`),
    started: (s) => {
      interrupted.add(s.id)
      log.push(`started:${s.id}`)
    },
    finished: (s, r, how) => {
      interrupted.delete(s.id)
      results.set(s.id, r)
      log.push(`finished:${s.id}:${how}:${r.v}`)
    },
  }
  return { journal, log, results }
}

const host = {
  run: async () => ({
    ok: true,
    exitCode: 0,
    stdout: 'ran',
    stderr: '',
    durationMs: 1,
    timedOut: false,
    cancelled: false,
  }),
} as unknown as Host

interface Opts {
  v?: Verdict
  gate?: R | null
  recheck?: RecheckAnswer<R>
  prepare?: Prepared<R>
  preflight?: R | null
  restart?: boolean
}
function step(id: string, o: Opts = {}, calls: string[] = []): EngineStep<R> {
  return {
    id,
    title: id.toUpperCase(),
    restart: o.restart,
    gate: o.gate === undefined ? undefined : () => o.gate!,
    recheck: async () => {
      calls.push(`recheck:${id}`)
      return o.recheck ?? { kind: 'rerun', note: 'again' }
    },
    prepare:
      o.prepare === undefined
        ? undefined
        : async () => {
            calls.push(`prepare:${id}`)
            return o.prepare!
          },
    preflight:
      o.preflight === undefined
        ? undefined
        : async () => {
            calls.push(`preflight:${id}`)
            return o.preflight!
          },
    execute: async ({ run }) => {
      calls.push(`execute:${id}`)
      const r = await run({ name: id, file: 'x.exe', args: [], timeoutMs: 1 })
      return { v: o.v ?? 'ok', by: r.stdout }
    },
    after: async () => {
      calls.push(`after:${id}`)
    },
  }
}

describe('runSteps', () => {
  it("runs each step once, in order, writing started and finished, then the caller's verification", async () => {
    const { journal, log } = memJournal()
    const calls: string[] = []
    let verified = 0
    const end = await runSteps({
      host,
      journal,
      resumed: false,
      restartIsReal: false,
      steps: [step('a', {}, calls), step('b', {}, calls)],
      verify: async () => {
        verified++
      },
    })
    expect(end).toEqual({ kind: 'completed' })
    expect(verified).toBe(1)
    expect(log).toEqual(['started:a', 'finished:a:ran:ok', 'started:b', 'finished:b:ran:ok'])
    expect(calls).toEqual(['execute:a', 'after:a', 'execute:b', 'after:b'])
  })

  it('a finished step never runs again; a failed one ends the run again; a cancelled one runs again', async () => {
    const calls: string[] = []
    const done = memJournal({ a: { v: 'ok', by: 'x' }, b: { v: 'not-fixed', by: 'x' } })
    expect(
      await runSteps({
        host,
        journal: done.journal,
        resumed: true,
        resumeNote: () => 'back',
        restartIsReal: false,
        steps: [step('a', {}, calls), step('b', {}, calls), step('c', {}, calls)],
      }),
    ).toEqual({ kind: 'completed' })
    expect(done.log).toEqual(['resumed:back', 'started:c', 'finished:c:ran:ok'])
    const failed = memJournal({ a: { v: 'failed', by: 'x' } })
    const end = await runSteps({
      host,
      journal: failed.journal,
      resumed: true,
      restartIsReal: false,
      steps: [step('a', {}, calls), step('b', {}, calls)],
      verify: async () => {
        throw new Error('no')
      },
    })
    expect(end).toMatchObject({ kind: 'failed-earlier', step: { id: 'a' }, result: { v: 'failed' } })
    expect(failed.log).toEqual(['resumed:Resumed.'])
    const cancelled = memJournal({ a: { v: 'cancelled', by: 'x' } })
    await runSteps({
      host,
      journal: cancelled.journal,
      resumed: false,
      restartIsReal: false,
      steps: [step('a', {}, calls)],
    })
    expect(cancelled.log).toEqual(['started:a', 'finished:a:ran:ok'])
    expect(calls.filter((c) => c.startsWith('execute:'))).toEqual(['execute:c', 'execute:a'])
  })

  it('an interrupted step is re-checked first: done is recorded and not run; stop ends failed; rerun runs it again with the reason', async () => {
    const calls: string[] = []
    const a = memJournal({}, ['a'])
    expect(
      await runSteps({
        host,
        journal: a.journal,
        resumed: true,
        restartIsReal: false,
        steps: [step('a', { recheck: { kind: 'done', note: 'took', result: { v: 'ok', by: 'check' } } }, calls)],
      }),
    ).toEqual({ kind: 'completed' })
    expect(a.log).toEqual(['resumed:Resumed.', 'finished:a:rechecked:ok'])
    const b = memJournal({}, ['a'])
    expect(
      await runSteps({
        host,
        journal: b.journal,
        resumed: true,
        restartIsReal: false,
        steps: [
          step('a', { recheck: { kind: 'stop', note: 'partway', result: { v: 'failed', by: 'check' } } }, calls),
          step('b', {}, calls),
        ],
      }),
    ).toMatchObject({ kind: 'failed', how: 'rechecked', step: { id: 'a' } })
    expect(b.log).toEqual(['resumed:Resumed.', 'finished:a:rechecked:failed'])
    // A stop whose result reads as not failed still ends the run: nothing after a stop runs.
    const b2 = memJournal({}, ['a'])
    expect(
      (
        await runSteps({
          host,
          journal: b2.journal,
          resumed: true,
          restartIsReal: false,
          steps: [
            step('a', { recheck: { kind: 'stop', note: 'partway', result: { v: 'ok', by: 'check' } } }, calls),
            step('b', {}, calls),
          ],
        })
      ).kind,
    ).toBe('failed')
    // A re-check that finds the step done but failed (e.g. the machine shows its failure) ends the run too.
    const b3 = memJournal({}, ['a'])
    expect(
      await runSteps({
        host,
        journal: b3.journal,
        resumed: true,
        restartIsReal: false,
        steps: [
          step('a', { recheck: { kind: 'done', note: 'failed', result: { v: 'failed', by: 'check' } } }, calls),
          step('b', {}, calls),
        ],
      }),
    ).toMatchObject({ kind: 'failed', how: 'rechecked', step: { id: 'a' } })
    const c = memJournal({ a: { v: 'ok', by: 'old' } }, ['a'])
    await runSteps({ host, journal: c.journal, resumed: true, restartIsReal: false, steps: [step('a', {}, calls)] })
    expect(c.log).toEqual(['resumed:Resumed.', 'rerun:a:again', 'started:a', 'finished:a:ran:ok'])
    expect(calls).toEqual(['recheck:a', 'recheck:a', 'recheck:a', 'recheck:a', 'recheck:a', 'execute:a', 'after:a'])
  })

  it('a gate settles a step without running it; a not-fixed rung goes on; a failure ends the run and nothing after it runs', async () => {
    const calls: string[] = []
    const { journal, log } = memJournal()
    const end = await runSteps({
      host,
      journal,
      resumed: false,
      restartIsReal: false,
      steps: [
        step('a', { gate: { v: 'ok', by: 'gate' } }, calls),
        step('b', { v: 'not-fixed' }, calls),
        step('c', { v: 'failed' }, calls),
        step('d', {}, calls),
      ],
      verify: async () => {
        calls.push('verify')
      },
    })
    expect(end).toMatchObject({ kind: 'failed', how: 'ran', step: { id: 'c' }, result: { v: 'failed', by: 'ran' } })
    expect(log).toEqual([
      'finished:a:settled:ok',
      'started:b',
      'finished:b:ran:not-fixed',
      'started:c',
      'finished:c:ran:failed',
    ])
    expect(calls).toEqual(['execute:b', 'execute:c'])
  })

  it('cancel takes effect between steps: before the gate for a ladder, after it for prerequisites', async () => {
    const ac = new AbortController()
    ac.abort()
    const calls: string[] = []
    const ladder = memJournal()
    expect(
      await runSteps({
        host,
        journal: ladder.journal,
        resumed: false,
        restartIsReal: false,
        signal: ac.signal,
        cancelBeforeGate: true,
        steps: [step('a', { gate: { v: 'ok', by: 'gate' } }, calls)],
      }),
    ).toMatchObject({ kind: 'cancelled', during: false, step: { id: 'a' } })
    expect(ladder.log).toEqual([])
    const prereq = memJournal()
    expect(
      await runSteps({
        host,
        journal: prereq.journal,
        resumed: false,
        restartIsReal: false,
        signal: ac.signal,
        steps: [step('a', { gate: { v: 'cancelled', by: 'gate' } }, calls), step('b', {}, calls)],
      }),
    ).toMatchObject({ kind: 'cancelled', during: false, step: { id: 'b' } })
    expect(prereq.log).toEqual(['finished:a:settled:cancelled'])
    // A command that reports itself cancelled ends the run as cancelled during the step.
    const during = memJournal()
    expect(
      await runSteps({
        host,
        journal: during.journal,
        resumed: false,
        restartIsReal: false,
        steps: [step('a', { v: 'cancelled' }, calls), step('b', {}, calls)],
      }),
    ).toMatchObject({ kind: 'cancelled', during: true, step: { id: 'a' } })
    expect(calls).toEqual(['execute:a'])
  })

  it('prepare settles (a restart not needed) or pauses (not confirmed); a preflight refusal runs nothing', async () => {
    const calls: string[] = []
    const settle = memJournal()
    await runSteps({
      host,
      journal: settle.journal,
      resumed: false,
      restartIsReal: true,
      steps: [step('r', { restart: true, prepare: { kind: 'settle', result: { v: 'ok', by: 'not needed' } } }, calls)],
    })
    expect(settle.log).toEqual(['finished:r:rechecked:ok'])
    const pause = memJournal()
    expect(
      await runSteps({
        host,
        journal: pause.journal,
        resumed: false,
        restartIsReal: true,
        steps: [step('r', { restart: true, prepare: { kind: 'pause', note: 'later' } }, calls), step('x', {}, calls)],
      }),
    ).toMatchObject({ kind: 'paused', note: 'later', step: { id: 'r' } })
    expect(pause.log).toEqual([])
    const refused = memJournal()
    expect(
      await runSteps({
        host,
        journal: refused.journal,
        resumed: false,
        restartIsReal: false,
        steps: [step('p', { preflight: { v: 'failed', by: 'hash' } }, calls), step('q', {}, calls)],
      }),
    ).toMatchObject({ kind: 'failed', how: 'refused', step: { id: 'p' } })
    expect(refused.log).toEqual(['finished:p:refused:failed'])
    const aborted = memJournal()
    expect(
      await runSteps({
        host,
        journal: aborted.journal,
        resumed: false,
        restartIsReal: false,
        steps: [step('p', { preflight: { v: 'cancelled', by: 'hash' } }, calls)],
      }),
    ).toMatchObject({ kind: 'cancelled', during: true })
    const passes = memJournal()
    await runSteps({
      host,
      journal: passes.journal,
      resumed: false,
      restartIsReal: false,
      steps: [step('p', { preflight: null }, calls)],
    })
    expect(passes.log).toEqual(['started:p', 'finished:p:ran:ok'])
    expect(calls).toEqual([
      'prepare:r',
      'prepare:r',
      'preflight:p',
      'preflight:p',
      'preflight:p',
      'execute:p',
      'after:p',
    ])
  })

  it('a ladder without a signal runs to its end; a step with no after-hook is fine', async () => {
    const { journal, log } = memJournal()
    const bare: EngineStep<R> = {
      id: 'bare',
      title: 'Bare',
      recheck: async () => ({ kind: 'rerun', note: '' }),
      execute: async () => ({ v: 'ok', by: 'bare' }),
    }
    expect(
      await runSteps({ host, journal, resumed: false, restartIsReal: false, cancelBeforeGate: true, steps: [bare] }),
    ).toEqual({ kind: 'completed' })
    expect(log).toEqual(['started:bare', 'finished:bare:ran:ok'])
  })

  it("a restart on a real PC ends this process's part after the command; on a training machine the run goes on", async () => {
    const calls: string[] = []
    const real = memJournal()
    expect(
      await runSteps({
        host,
        journal: real.journal,
        resumed: false,
        restartIsReal: true,
        steps: [step('r', { restart: true }, calls), step('after', {}, calls)],
        verify: async () => {
          calls.push('verify')
        },
      }),
    ).toMatchObject({ kind: 'restarting', step: { id: 'r' } })
    expect(calls).toEqual(['execute:r'])
    const training = memJournal()
    expect(
      await runSteps({
        host,
        journal: training.journal,
        resumed: false,
        restartIsReal: false,
        steps: [step('r', { restart: true }, calls), step('z', {}, calls)],
        verify: async () => {
          calls.push('verify')
        },
      }),
    ).toEqual({ kind: 'completed' })
    expect(calls.slice(1)).toEqual(['execute:r', 'after:r', 'execute:z', 'after:z', 'verify'])
    // A real PC whose restart step did not succeed does not stop as restarting.
    const failedRestart = memJournal()
    expect(
      (
        await runSteps({
          host,
          journal: failedRestart.journal,
          resumed: false,
          restartIsReal: true,
          steps: [step('r', { restart: true, v: 'not-fixed' }, calls)],
        })
      ).kind,
    ).toBe('completed')
  })
})
