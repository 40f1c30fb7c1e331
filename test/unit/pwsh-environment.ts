/**
 * The unit tests' environment (vitest.config.ts `environment`): Vitest's own `node` environment, and when a test process
 * ends, its warm PowerShell workers (test/pwsh/worker-pool.ts) are ended and reaped. The workers outlive a test file
 * (the next file of the same process uses them instead of starting PowerShell again), so the end of the process is
 * where they go; ended here, before Vitest stops the process, their CPU is counted in its children (the suite's CPU
 * total) as a run's own process was, and no PowerShell outlives the test process. Vitest sets an environment up once
 * per test process and tears it down when the process is stopped.
 */
import { builtinEnvironments, type Environment } from 'vitest/runtime'
import { closeWorkers } from '../pwsh/worker-pool.ts'

const node = builtinEnvironments.node

export default {
  ...node,
  async setup(global, options) {
    const inner = await node.setup!(global, options)
    return {
      async teardown(g) {
        await closeWorkers()
        await inner.teardown(g)
      },
    }
  },
} satisfies Environment
