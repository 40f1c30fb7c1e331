/**
 * Runs a fuzz target case by case, timing each call: a case that throws, breaks its property or takes
 * longer than the budget (a hang, catastrophic regex backtracking) is a failure, and its input is saved
 * to `.cache/fuzz-failures/` so it can be replayed.
 *
 * Inputs are generated in batches with `fc.sample` from a seed derived from (seed, batch), so the input of
 * case N can be regenerated exactly, which is how `scripts/fuzz.ts` saves the input of a case that hung so
 * hard it had to kill the process.
 */
import fc from 'fast-check'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { cpuNowMs, setCallBudget, type FuzzTarget, type PreparedTarget } from './target.ts'
import { hangMs } from '../load.ts'

export const DEFAULT_BUDGET_MS = 1000
export const FAILURE_DIR = '.cache/fuzz-failures'
const BATCH = 50

export interface CaseOutcome {
  ok: boolean
  ms: number
  error?: string
}

export interface TargetResult {
  name: string
  runs: number
  failures: number
  ms: number
  slowestCaseMs: number
  failureFiles: string[]
  messages: string[]
}

function batchSeed(seed: number, batch: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 31) + Math.imul(batch + 1, 0x9e3779b1)) | 0
}

/** The inputs of cases [batch*BATCH, batch*BATCH + BATCH). */
export function batchInputs<T>(arbitrary: fc.Arbitrary<T>, seed: number, batch: number): T[] {
  return fc.sample(arbitrary, { seed: batchSeed(seed, batch), numRuns: BATCH })
}

/** The input of case `index` (0-based) for this seed. */
export function inputAt<T>(arbitrary: fc.Arbitrary<T>, seed: number, index: number): T {
  return batchInputs(arbitrary, seed, Math.floor(index / BATCH))[index % BATCH]!
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (async hang)`)), ms)
    }),
  ])
}

/** One case, its time in CPU milliseconds (target.ts cpuNowMs); an async case that never answers is ended after hardMs of wall time. */
async function timed<T>(prepared: PreparedTarget<T>, input: T, hardMs: number): Promise<CaseOutcome> {
  const t0 = cpuNowMs()
  try {
    const r = prepared.run(input)
    if (r && typeof (r as Promise<unknown>).then === 'function') await withTimeout(r as Promise<unknown>, hardMs)
    return { ok: true, ms: cpuNowMs() - t0 }
  } catch (err) {
    const e = err as Error
    return {
      ok: false,
      ms: cpuNowMs() - t0,
      error:
        e?.name === 'PropertyViolation'
          ? e.message
          : `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${e?.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`,
    }
  }
}

/**
 * One case. Over budget once may be a GC pause or the other core's job: the case is run again and fails
 * only if it is over budget twice.
 */
export async function runCase<T>(
  prepared: PreparedTarget<T>,
  input: T,
  budgetMs = DEFAULT_BUDGET_MS,
): Promise<CaseOutcome> {
  // A hang detector (wall time): generous, a loaded machine keeps an async case waiting for a core.
  const hardMs = hangMs(Math.max(budgetMs * 5, 60_000))
  const first = await timed(prepared, input, hardMs)
  const slowCall = (o: CaseOutcome) => !o.ok && /catastrophic backtracking\?\)/.test(o.error ?? '')
  if (slowCall(first)) return (await timed(prepared, input, hardMs)).ok ? { ok: true, ms: first.ms } : first
  if (!first.ok || first.ms <= budgetMs) return first
  const again = await timed(prepared, input, hardMs)
  if (!again.ok || again.ms <= budgetMs) return again
  return {
    ok: false,
    ms: Math.min(first.ms, again.ms),
    error: `over the time budget: ${Math.round(first.ms)} ms and ${Math.round(again.ms)} ms > ${budgetMs} ms (hang or catastrophic backtracking?)`,
  }
}

/** Makes an input JSON-safe (bytes, bigint, Map, Set, undefined, -0, NaN) for the failure file. */
export function serialiseInput(input: unknown): string {
  const seen = new WeakSet<object>()
  return JSON.stringify(
    input,
    (_k, v: unknown) => {
      if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') }
      if (typeof v === 'bigint') return { $bigint: v.toString() }
      if (v === undefined) return { $undefined: true }
      if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) }
      if (v instanceof Map) return { $map: [...v.entries()] }
      if (v instanceof Set) return { $set: [...v.values()] }
      if (v && typeof v === 'object') {
        if (seen.has(v)) return { $cycle: true }
        seen.add(v)
      }
      return v
    },
    1,
  )
}

export function saveFailure(
  dir: string,
  name: string,
  seed: number,
  index: number,
  input: unknown,
  outcome: CaseOutcome,
): string {
  mkdirSync(dir, { recursive: true })
  const base = join(dir, `${name.replace(/[^A-Za-z0-9_-]+/g, '_')}-seed${seed}-case${index}`)
  writeFileSync(
    `${base}.json`,
    `${JSON.stringify({ target: name, seed, index, ms: Math.round(outcome.ms), error: outcome.error, replay: `npm run fuzz -- --target ${name} --seed ${seed} --replay ${index}` }, null, 1)}\n`,
  )
  writeFileSync(`${base}.input.json`, serialiseInput(input))
  if (typeof input === 'string') writeFileSync(`${base}.input.txt`, input)
  if (input instanceof Uint8Array) writeFileSync(`${base}.input.bin`, input)
  return `${base}.json`
}

export interface RunOptions {
  runs: number
  seed: number
  budgetMs?: number
  failDir?: string
  /** Stop a target after this many failures (the first ones are the useful ones). */
  maxFailures?: number
  /** Only this case (replay). */
  only?: number
  /** Called before each case (the watchdog's heartbeat). */
  onCase?: (index: number) => void
}

export async function runTarget(target: FuzzTarget<unknown>, opts: RunOptions): Promise<TargetResult> {
  const t0 = performance.now()
  setCallBudget(opts.budgetMs ?? DEFAULT_BUDGET_MS)
  const prepared = await target.prepare()
  const result: TargetResult = {
    name: target.name,
    runs: 0,
    failures: 0,
    ms: 0,
    slowestCaseMs: 0,
    failureFiles: [],
    messages: [],
  }
  const maxFailures = opts.maxFailures ?? 5
  try {
    const first = opts.only ?? 0
    const end = opts.only !== undefined ? opts.only + 1 : opts.runs
    let batch = -1
    let inputs: unknown[] = []
    for (let i = first; i < end; i++) {
      const b = Math.floor(i / BATCH)
      if (b !== batch) {
        inputs = batchInputs(prepared.arbitrary, opts.seed, b)
        batch = b
      }
      const input = inputs[i % BATCH]
      opts.onCase?.(i)
      // A target that makes several calls has a larger case budget and times each call itself.
      const outcome = await runCase(
        prepared,
        input,
        target.budgetMs ? Math.max(target.budgetMs, opts.budgetMs ?? 0) : opts.budgetMs,
      )
      result.runs++
      result.slowestCaseMs = Math.max(result.slowestCaseMs, outcome.ms)
      if (!outcome.ok) {
        result.failures++
        result.messages.push(`case ${i}: ${outcome.error}`)
        result.failureFiles.push(saveFailure(opts.failDir ?? FAILURE_DIR, target.name, opts.seed, i, input, outcome))
        if (result.failures >= maxFailures) break
      }
    }
  } finally {
    await prepared.close?.()
  }
  result.ms = performance.now() - t0
  return result
}
