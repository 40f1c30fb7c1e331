/**
 * The built command line (out/cli/servicing-desk.js, vite.cli.config.ts) when it is current: every source file it
 * was built from still has the size and modification time out/cli/inputs.json recorded. A source changed since the
 * build (or no build) gives null with the reason, and the caller runs the TypeScript sources instead: a stale bundle
 * is never run. Plain JavaScript, so checking costs no type stripping (about 300 stat calls, a few milliseconds).
 * Used by bin/servicing-desk.mjs (`npm run cli`, the package's `bin`) and by the tests that start the CLI.
 */
// Node's built-ins as the CommonJS objects Node holds (an ES import of node:fs reads every export through its facade:
// ~10 ms of CPU on a loaded machine, more than the check itself).
const { readFileSync, statSync } = process.getBuiltinModule('node:fs')
const { join, resolve } = process.getBuiltinModule('node:path')

/** The project folder this file belongs to. */
export const projectRoot = resolve(import.meta.dirname, '..')

/** `{ path }` of the built entry in `dir` when it is current, else `{ path: null, reason }`. */
export function builtCli(root = projectRoot, dir = join(root, 'out', 'cli')) {
  const entry = join(dir, 'servicing-desk.js')
  let manifest
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'))
    statSync(entry)
  } catch {
    return { path: null, reason: 'the CLI is not built (out/cli)' }
  }
  if (!Array.isArray(manifest?.inputs) || manifest.inputs.length === 0)
    return { path: null, reason: 'out/cli/inputs.json lists no sources' }
  const base = root.endsWith('/') || root.endsWith('\\') ? root : `${root}/`
  for (const [rel, size, mtimeMs] of manifest.inputs) {
    // A plain concatenation (rel is relative, with forward slashes): join() per file costs more than the stat.
    let s
    try {
      s = statSync(base + rel, { throwIfNoEntry: false })
    } catch {
      s = undefined
    }
    if (!s) return { path: null, reason: `${rel} is gone since the CLI was built` }
    // Within a millisecond: a copy that keeps times (cp -p) may round below that.
    if (s.size !== size || Math.abs(s.mtimeMs - mtimeMs) >= 1)
      return { path: null, reason: `${rel} changed since the CLI was built` }
  }
  return { path: entry, reason: null }
}

/** The script a test (or any caller) starts the CLI with: the built entry when current, else main/cli/bin.ts. */
export function cliScript(root = projectRoot) {
  return builtCli(root).path ?? join(root, 'main', 'cli', 'bin.ts')
}
