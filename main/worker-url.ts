/**
 * Where a worker_threads entry is, beside the module that starts it: `<name>.ts` when that module runs from
 * source, else the built `<name>.js` (electron-vite puts entries in out/main, shared chunks one folder below).
 * Null when the build did not ship it.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export function workerScriptUrl(here: string, name: string): URL | null {
  const candidates = here.endsWith('.ts') ? [`./${name}.ts`] : [`./${name}.js`, `../${name}.js`]
  for (const rel of candidates) {
    const u = new URL(rel, here)
    if (u.protocol !== 'file:' || existsSync(fileURLToPath(u))) return u
  }
  return null
}
