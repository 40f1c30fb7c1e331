#!/usr/bin/env node
/**
 * The `servicing-desk` command. Built into out/cli/servicing-desk.js (vite.cli.config.ts), which
 * bin/servicing-desk.mjs runs when it is current; else Node runs this file from TypeScript (type stripping).
 * The built entry turns Node's compile cache on first (compile-cache.ts: where, and when it does not), in a folder for
 * this build (named by this file's size and time), and has its imports of its own chunks resolved by URL
 * (chunk-resolve.ts), then loads the rest; run from the TypeScript sources it does neither (a development start, whose
 * modules change as they are edited, and whose `.ts` imports are Node's to resolve).
 */
import { startCompileCache } from './compile-cache.ts'
import { resolveChunksByUrl } from './chunk-resolve.ts'

if (import.meta.filename.endsWith('.js')) {
  // Every function of a chunk compiled with its chunk, not on its first call: Node's compile cache then holds them all
  // (it keeps what was compiled when it wrote the chunk's entry), so a later start reads their bytecode instead of
  // compiling each function a command calls (V8's lazy compile, the largest cost left at start). Measured against the
  // same build without it (CPU by getrusage, 30 runs each, interleaved twice, load under 1, `node -e 0` 27-35 ms):
  // diagnose --code 80 -> 66 ms, diagnose --machine 147 -> 116, repairs 138 -> 120, explain and knowledge unchanged.
  // Set before the first chunk loads; a parser flag, read at each compile (Node's `v8.setFlagsFromString`). The first
  // start after a build compiles more.
  process.getBuiltinModule('node:v8').setFlagsFromString('--no-lazy')
  const self = process.getBuiltinModule('node:fs').statSync(import.meta.filename, { throwIfNoEntry: false })
  if (self) startCompileCache({ build: `${self.size.toString(36)}-${Math.trunc(self.mtimeMs).toString(36)}` })
  resolveChunksByUrl(import.meta.url)
}
const { cliMain } = await import('./cli-main.ts')
process.exitCode = await cliMain(process.argv.slice(2))
