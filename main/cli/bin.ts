#!/usr/bin/env node
/**
 * The `servicing-desk` command. Built into out/cli/servicing-desk.js (vite.cli.config.ts), which
 * bin/servicing-desk.mjs runs when it is current; else Node runs this file from TypeScript (type stripping).
 */
import { runCli } from './run-cli.ts'
import { quietOnClosedPipe } from './closed-pipe.ts'
import { writeToDescriptors } from './std-write.ts'

quietOnClosedPipe()
writeToDescriptors()
process.exitCode = await runCli(process.argv.slice(2))
