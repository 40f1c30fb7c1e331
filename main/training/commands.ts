/**
 * Which training renderer answers which command, by CommandSpec name. Add a command: one import, one entry.
 * A command not listed here is answered with a clear "not modelled" failure, never a guess.
 */
import type { TrainingCommand } from './command.ts'
import { renderComputerName, renderCurrentVersion, renderNativeArch } from './renderers/os.ts'

export const trainingCommands: Record<string, TrainingCommand> = {
  'os.currentversion': renderCurrentVersion,
  'os.native-arch': renderNativeArch,
  'os.computername': renderComputerName,
}
