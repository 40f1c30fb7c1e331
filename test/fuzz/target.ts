/**
 * What a fuzz target is: a name, an arbitrary that makes inputs, and a `run` that throws when the
 * property breaks (an uncaught exception from the code under test, or an invariant check below).
 * The harness adds the time budget, so a hang or catastrophic backtracking is a failure too.
 */
import type fc from 'fast-check'

export interface PreparedTarget<T> {
  arbitrary: fc.Arbitrary<T>
  /** Runs one case; throws (or rejects) when a property fails. */
  run(input: T): unknown | Promise<unknown>
  /** Frees what `prepare` made (servers, temp folders). */
  close?(): Promise<void>
}

export interface FuzzTarget<T = unknown> {
  name: string
  /** One line: what must hold. */
  property: string
  /**
   * Time budget of one case when it makes several calls (default: the harness's, 1 s). Such targets time
   * each call themselves against the 1 s budget (see `timedCall`).
   */
  budgetMs?: number
  /** Built once per process: loads seeds, starts servers. */
  prepare(): Promise<PreparedTarget<T>>
}

/** A broken property (not an exception thrown by the code under test). */
export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PropertyViolation'
  }
}

export function violated(message: string): never {
  throw new PropertyViolation(message)
}

/** Results cross IPC and go into JSON files: they must serialise without throwing. */
export function mustSerialise(value: unknown, what: string): void {
  try {
    JSON.stringify(value)
  } catch (err) {
    violated(`${what}: result does not serialise to JSON: ${(err as Error).message}`)
  }
}

/** Helper for targets made of one synchronous function over a prepared arbitrary. */
export function target<T>(
  name: string,
  property: string,
  prepare: () => Promise<PreparedTarget<T>> | PreparedTarget<T>,
  budgetMs?: number,
): FuzzTarget<T> {
  return { name, property, prepare: async () => prepare(), budgetMs }
}

let callBudgetMs = 1000

/** The per-call budget of `timedCall` (the harness sets it from its own per-case budget). */
export function setCallBudget(ms: number): void {
  callBudgetMs = ms
}

/**
 * The CPU milliseconds this process has used (user + system): the fuzz budgets are CPU time, not wall time, so a case
 * is not failed because a loaded machine kept it waiting for a core (a 1.8 MB case took 8.6 s of wall time
 * at load 25, over its 5 s budget; its work is a fraction of that).
 */
export function cpuNowMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Runs one synchronous call and fails the case when it alone takes more CPU time than the per-call budget. */
export function timedCall<R>(what: string, fn: () => R, budgetMs = callBudgetMs): R {
  const t0 = cpuNowMs()
  const r = fn()
  const ms = cpuNowMs() - t0
  if (ms > budgetMs) violated(`${what} took ${Math.round(ms)} ms > ${budgetMs} ms (hang or catastrophic backtracking?)`)
  return r
}
