/** The CLI run in this process (no child): its exit code, stdout and stderr, with process.exitCode left as found. */
import { PassThrough } from 'node:stream'
import { runCli } from '../../main/cli/run-cli.ts'
import { createOutput } from '../../main/cli/output.ts'

export async function runCliInProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough()
  const err = new PassThrough()
  let o = ''
  let e = ''
  out.on('data', (c) => {
    o += c
  })
  err.on('data', (c) => {
    e += c
  })
  process.exitCode = undefined
  const code = await runCli(argv, createOutput(out, err))
  process.exitCode = undefined
  return { code, out: o, err: e }
}
