/**
 * Test hook shared by `install` and `winre repair`: `SERVICING_DESK_TEST_KILL_AT=N` kills this process
 * (SIGKILL, no clean-up) at the N-th boundary of a run (each journal write, each command's end, mid-step),
 * so tests can prove a rerun reaches the same state as an uninterrupted run.
 */
export function killHook(env: NodeJS.ProcessEnv): ((point: string) => void) | undefined {
  const at = Number(env.SERVICING_DESK_TEST_KILL_AT)
  if (!Number.isInteger(at) || at < 1) return undefined
  let n = 0
  return (point) => {
    n += 1
    if (n === at) {
      process.stderr.write(`test hook: killed at boundary ${n} (${point})\n`)
      process.kill(process.pid, 'SIGKILL')
    }
  }
}
