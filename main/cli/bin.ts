#!/usr/bin/env node
/** The `servicing-desk` command. Runs on Node 22 directly from TypeScript (type stripping). */
import { runCli } from './run-cli.ts'

process.exitCode = await runCli(process.argv.slice(2))
