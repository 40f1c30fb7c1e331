/**
 * The command line after its entry (bin.ts): quiet on a closed pipe, writes to the descriptors, runs the command.
 * Loaded by the entry with a dynamic import, after it has turned Node's compile cache on (compile-cache.ts), so that
 * everything from here on (commander, the data folder's guard, the command's own modules) can come from the cache.
 */
import { runCli } from './run-cli.ts'
import { quietOnClosedPipe } from './closed-pipe.ts'
import { writeToDescriptors } from './std-write.ts'

export async function cliMain(argv: string[]): Promise<number> {
  quietOnClosedPipe()
  writeToDescriptors()
  return runCli(argv)
}
