#!/usr/bin/env node
/**
 * `servicing-desk` (the package's `bin`) and `npm run cli`: runs the built CLI (out/cli/servicing-desk.js, made by
 * `npm run build`) when it is current, so a command starts without compiling TypeScript or loading what it does not
 * use. Not built, or a source changed since: the TypeScript sources run (main/cli/bin.ts, Node's type stripping),
 * after one line on stderr saying so — the same commands and answers, a slower start.
 */
import { builtCli, projectRoot } from './built-cli.mjs'

const { pathToFileURL } = process.getBuiltinModule('node:url')
const { join } = process.getBuiltinModule('node:path')

const built = builtCli()
if (built.path) await import(pathToFileURL(built.path).href)
else {
  process.stderr.write(
    `servicing-desk: running from the TypeScript sources (slower start): ${built.reason}; \`npm run build\` builds it.\n`,
  )
  await import(pathToFileURL(join(projectRoot, 'main', 'cli', 'bin.ts')).href)
}
