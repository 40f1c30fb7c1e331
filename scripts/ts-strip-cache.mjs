/**
 * A cache of type-stripped TypeScript for the test run's child processes (`npm test` loads it with
 * `NODE_OPTIONS=--import=…` in the unit-test step only) and for the browser preview `npm start` runs
 * (scripts/start.ts, cache in .cache/ts-strip); the packaged app and the CLI never use it.
 *
 * Why: the unit tests start the CLI as a child process a few hundred times (kill-at-every-step tests), and each
 * process strips the types of ~250 modules again with Node's built-in stripper; that was about half of every
 * CLI start (measured: `explain` 2.4 s → 1.0 s at load 1.7 with the cache warm). Node's own compile cache does
 * not cover type stripping in Node 22, so this hook does the one thing Node would do — `stripTypeScriptTypes`
 * in 'strip' mode, which keeps every position, so stack traces are unchanged — and keeps the result under
 * `SD_TS_CACHE`, keyed by the SHA-1 of the source (a changed file is a new key; nothing is ever stale).
 * Files under node_modules, and anything not `file:…/*.ts`, load as Node loads them.
 */
import * as nodeModule from 'node:module'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

// A namespace import: on a Node without these (npm itself may run on an older system Node and inherits
// NODE_OPTIONS), the hook is simply not installed.
const { registerHooks, stripTypeScriptTypes } = nodeModule
const dir = process.env.SD_TS_CACHE
if (dir && typeof registerHooks === 'function' && typeof stripTypeScriptTypes === 'function') {
  mkdirSync(dir, { recursive: true })
  // stripTypeScriptTypes is marked experimental; its one-time warning would land in every child's stderr,
  // which tests read. Only that warning is dropped.
  const emitWarning = process.emitWarning
  process.emitWarning = (warning, ...rest) => {
    if (String(warning).startsWith('stripTypeScriptTypes is an experimental feature')) return
    return emitWarning.call(process, warning, ...rest)
  }
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/'))
        return nextLoad(url, context)
      const source = readFileSync(fileURLToPath(url), 'utf8')
      const file = join(dir, `${createHash('sha1').update(source).digest('hex')}.js`)
      let out
      try {
        out = readFileSync(file, 'utf8')
      } catch {
        out = stripTypeScriptTypes(source, { mode: 'strip' })
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
        try {
          writeFileSync(tmp, out)
          renameSync(tmp, file)
        } catch {
          /* a full or read-only cache only costs speed */
        }
      }
      return { format: 'module', source: out, shortCircuit: true }
    },
  })
}
