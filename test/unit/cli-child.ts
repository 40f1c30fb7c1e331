/**
 * Runs the CLI (`node main/cli/bin.ts …`) as a child process with its own data home, for the tests that
 * need a real process: killed at a numbered boundary (`killAt`, read by main/cli/kill-hook.ts) or run to
 * its end. No terminal (stdin closed), so a question is refused unless `--yes` is given.
 */
import { execFile } from 'node:child_process'

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export function runCli(home: string, args: string[], opts: { killAt?: number; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: home }
  if (opts.killAt) env.SERVICING_DESK_TEST_KILL_AT = String(opts.killAt)
  else delete env.SERVICING_DESK_TEST_KILL_AT
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['main/cli/bin.ts', ...args], { encoding: 'utf8', env, timeout: opts.timeoutMs ?? 60_000 }, (_err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr })
    })
    child.stdin?.end()
  })
}
