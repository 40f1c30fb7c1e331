/**
 * Child process of `npm run fuzz`: runs one target and reports over IPC. A heartbeat before each case
 * lets the parent kill this process when one case blocks the event loop (a synchronous hang that no
 * in-process timer can interrupt) and still know which input did it.
 */
import { parseArgs } from 'node:util'
import { fuzzTarget } from './targets.ts'
import { runTarget } from './harness.ts'

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    'budget-ms': { type: 'string' },
    'fail-dir': { type: 'string' },
    replay: { type: 'string' },
  },
})
const t = fuzzTarget(values.target ?? '')
const send = (m: unknown) => process.send?.(m)
if (!t) {
  send({ error: `unknown target ${values.target}` })
  process.exitCode = 2
} else {
  let current = -1
  process.on('uncaughtException', (err) => {
    send({ uncaught: { index: current, error: `${err.name}: ${err.message}\n${err.stack ?? ''}` } })
    process.exit(3)
  })
  process.on('unhandledRejection', (err) => {
    send({ uncaught: { index: current, error: `unhandled rejection: ${(err as Error)?.stack ?? String(err)}` } })
    process.exit(3)
  })
  const result = await runTarget(t, {
    runs: Number(values.runs ?? 10_000),
    seed: Number(values.seed ?? 1),
    budgetMs: values['budget-ms'] ? Number(values['budget-ms']) : undefined,
    failDir: values['fail-dir'],
    only: values.replay !== undefined ? Number(values.replay) : undefined,
    onCase: (i) => {
      current = i
      send({ case: i })
    },
  })
  // Disconnect only once the result is handed over, or the parent may see the exit first.
  if (process.send) process.send({ result }, () => process.disconnect())
}
