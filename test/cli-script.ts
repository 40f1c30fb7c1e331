/**
 * The script the tests start the CLI with: the built CLI (out/cli/servicing-desk.js) when the build is
 * current — `npm test` builds before the unit and browser tests — else its sources, main/cli/bin.ts, so a test run
 * alone after a change still tests that change. Decided once per test file (bin/built-cli.mjs compares every
 * source the build holds with out/cli/inputs.json). An absolute path: it runs from any working folder.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { builtCli, cliScript, projectRoot } from '../bin/built-cli.mjs'

export const CLI = cliScript()

// The sources cost about twice the built CLI's CPU per start: when a build is there but not used, say which source
// made it stale, so a whole run that falls back (a file rewritten during the run) is seen and can be traced.
if (CLI.endsWith('bin.ts') && existsSync(join(projectRoot, 'out', 'cli', 'inputs.json')))
  process.stderr.write(`test/cli-script.ts: the CLI runs from its sources: ${builtCli().reason}\n`)
