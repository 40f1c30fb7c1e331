/** The shape of a training machine's answer to one command. */
import type { CommandSpec, RunOptions } from '../host/host.ts'
import type { TrainingState } from './state.ts'

export interface TrainingCommandContext {
  state: TrainingState
  spec: CommandSpec
  options: RunOptions
}

export interface TrainingCommandOutcome {
  /** Signed or unsigned; the host reports it unsigned as Node does on Windows. */
  exitCode: number
  stdout: string
  stderr?: string
  /** The new state when the command changed the machine. */
  state?: TrainingState
  /** Lines to emit progressively (DISM progress bars), before stdout is returned. */
  progress?: string[]
  /**
   * Work files a read-only operation makes and removes again (CbsPersist archives expanded to be read): kept by
   * the host for its own lifetime only, never saved, so a scan does not change the machine's saved state.
   * `clearUnder` (a folder) is applied before `set`.
   */
  scratch?: { clearUnder?: string; set?: Record<string, string> }
}

export type TrainingCommand = (ctx: TrainingCommandContext) => TrainingCommandOutcome | Promise<TrainingCommandOutcome>
