/**
 * Runs the CLI (the built one when current, else `node main/cli/bin.ts …`: test/cli-script.ts) as a child process with its own data home, for the tests that
 * need a real process: killed at a numbered boundary (`killAt`, read by main/cli/kill-hook.ts) or run to
 * its end. No terminal (stdin closed), so a question is refused unless `--yes` is given.
 *
 * `runCliInProcess` runs the same program (main/cli/run-cli.ts, what bin.ts runs: commander, the command, its
 * error → exit code) in the test's own process, its output captured: about a second cheaper per call, for the
 * calls that need no separate process (nothing killed, `--yes` or no question asked).
 */
import { execFile } from 'node:child_process'
import { Writable } from 'node:stream'
import { CLI } from '../cli-script.ts'
import { hangMs } from '../load.ts'

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function runCli(
  home: string,
  args: string[],
  opts: { killAt?: number; timeoutMs?: number } = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: home }
  if (opts.killAt) env.SERVICING_DESK_TEST_KILL_AT = String(opts.killAt)
  else delete env.SERVICING_DESK_TEST_KILL_AT
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', env, timeout: hangMs(opts.timeoutMs ?? 300_000) },
      (_err, stdout, stderr) => {
        resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr })
      },
    )
    child.stdin?.end()
  })
}

/**
 * The CLI's program in this process with SERVICING_DESK_HOME = home (restored after), stdout and stderr
 * captured, process.exitCode restored after. Never kills: `SERVICING_DESK_TEST_KILL_AT` is unset while it runs.
 */
export async function runCliInProcess(home: string, args: string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(String(chunk))
        done()
      },
    })
  const saved = {
    home: process.env.SERVICING_DESK_HOME,
    kill: process.env.SERVICING_DESK_TEST_KILL_AT,
    exitCode: process.exitCode,
  }
  process.env.SERVICING_DESK_HOME = home
  delete process.env.SERVICING_DESK_TEST_KILL_AT
  try {
    // Loaded on first use: the files that only spawn the CLI do not load its program.
    const [{ runCli: runCliProgram }, { createOutput }] = await Promise.all([
      import('../../main/cli/run-cli.ts'),
      import('../../main/cli/output.ts'),
    ])
    const code = await runCliProgram(
      args,
      createOutput(
        sink((t) => {
          stdout += t
        }),
        sink((t) => {
          stderr += t
        }),
      ),
    )
    return { code, signal: null, stdout, stderr }
  } finally {
    if (saved.home === undefined) delete process.env.SERVICING_DESK_HOME
    else process.env.SERVICING_DESK_HOME = saved.home
    if (saved.kill !== undefined) process.env.SERVICING_DESK_TEST_KILL_AT = saved.kill
    process.exitCode = saved.exitCode
  }
}
