/**
 * Several CLI commands in one process, for the browser tests that ask the CLI several questions about one state
 * (every-surface.spec.ts): one CLI start instead of one per question. `node test/e2e/cli-batch.ts OUT.json
 * '[["diagnose","--machine","x64-healthy","--json"], …]'` runs each argv as `servicing-desk <argv>` runs it (the
 * program bin.ts runs, main/cli/run-cli.ts, its output captured: test/unit/cli-child.ts), one after another in the
 * order given, with SERVICING_DESK_HOME as the data folder; writes [{ code, stdout, stderr }, …] to OUT.json (a
 * file, not stdout: a command may write to the process's stdout itself).
 */
import { writeFileSync } from 'node:fs'
import { runCliInProcess } from '../unit/cli-child.ts'

const [out, asks] = process.argv.slice(2)
const home = process.env.SERVICING_DESK_HOME
if (!out || !asks || !home) {
  process.stderr.write(
    'usage: SERVICING_DESK_HOME=DIR node test/e2e/cli-batch.ts OUT.json \'[["diagnose", "--json"], …]\'\n',
  )
  process.exit(2)
}
const answers = []
for (const argv of JSON.parse(asks) as string[][]) answers.push(await runCliInProcess(home, argv))
writeFileSync(out, JSON.stringify(answers))
