/**
 * The CLI's program kept loaded for one Playwright worker's questions (test/e2e/machines.ts askCli, cliRun): the
 * worker forks this once and sends it batches over the IPC channel, `{ id, home, asks: string[][] }`; each argv runs
 * as `servicing-desk <argv>` runs it (main/cli/run-cli.ts in this process, its output captured:
 * test/unit/cli-child.ts runCliInProcess), one after another in the order sent, and the answers go back as
 * `{ id, answers: [{ code, stdout, stderr }, …] }`. Loading the program is most of a CLI start (about a CPU-second on
 * the type-stripped sources): every-surface.spec.ts alone started ~60 CLI processes a run, one a state or reset.
 *
 * The answers are the same as a fresh process's: the program reads the machines' state from the data folder each time,
 * and its caches of parsed files are keyed by the file's identity (device, inode, size, times: main/training/store.ts),
 * as in the preview server, itself one long-lived process beside it. Ends when the worker disconnects.
 */
import { runCliInProcess } from '../unit/cli-child.ts'

type Batch = { id: number; home: string; asks: string[][] }

let queue: Promise<void> = Promise.resolve()
process.on('message', (msg: Batch) => {
  // One batch at a time: the program sets SERVICING_DESK_HOME and process.exitCode while a command runs.
  queue = queue.then(async () => {
    try {
      const answers = []
      for (const argv of msg.asks) answers.push(await runCliInProcess(msg.home, argv))
      process.send?.({ id: msg.id, answers })
    } catch (err) {
      process.send?.({ id: msg.id, error: (err as Error).stack ?? String(err) })
    }
  })
})
process.on('disconnect', () => process.exit(0))
