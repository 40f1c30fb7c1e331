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
  try { JSON.stringify(value) } catch (err) { violated(`${what}: result does not serialise to JSON: ${(err as Error).message}`) }
}

/** Helper for targets made of one synchronous function over a prepared arbitrary. */
export function target<T>(name: string, property: string, prepare: () => Promise<PreparedTarget<T>> | PreparedTarget<T>): FuzzTarget<T> {
  return { name, property, prepare: async () => prepare() }
}
