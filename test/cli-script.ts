/**
 * The script the tests start the CLI with: the built CLI (out/cli/servicing-desk.js) when the build is
 * current — `npm test` builds before the unit and browser tests — else its sources, main/cli/bin.ts, so a test run
 * alone after a change still tests that change. Decided once per test file (bin/built-cli.mjs compares every
 * source the build holds with out/cli/inputs.json). An absolute path: it runs from any working folder.
 */
import { cliScript } from '../bin/built-cli.mjs'

export const CLI = cliScript()
