/**
 * Node's compile cache for the built command line (issue 54 §1): `module.enableCompileCache(dir)` before the bundle's
 * modules load, so a start after the first reads V8's compiled top-level code of each chunk from disk instead of
 * parsing it (explain ~187 -> ~174 M instructions warm; the first start, which writes the cache, costs ~6 M more).
 * Node keys each entry by the file's path and a hash of its content, and V8 checks the source's length and its own
 * version and flags, so a rebuilt or edited chunk misses and is compiled from its text: a cache never runs old code.
 *
 * Where: a folder of this user's own cache (`$XDG_CACHE_HOME` or ~/.cache on Linux, ~/Library/Caches on macOS) named
 * servicing-desk/compile-cache, each folder made mode 0700 when missing. A cache is code, so it is used only when no one else can write it:
 * that folder and each folder from the cache root down are real folders (no link), owned by this user and writable
 * by neither group nor others; else nothing is cached (the rule data-dir-guard.ts holds the data folder to). Never on
 * Windows: there the CLI runs elevated, and a per-user folder is writable by the same user's unelevated programs,
 * which could then plant code an administrator's start would run (the data folder's guard is about exactly that).
 * A folder that cannot be made or written leaves the start uncached, never failed. `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off; a `NODE_COMPILE_CACHE` already set is left as Node set it.
 */
const { lstatSync, mkdirSync } = process.getBuiltinModule('node:fs')

export interface CompileCacheOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** The effective user id folders must belong to (default process.geteuid()). */
  uid?: number
  /** module.enableCompileCache (a test passes its own). */
  enable?: (dir: string) => { status: number; message?: string; directory?: string }
}

/** The cache folder for this user and platform, with the folder its checks start from; null where none is used. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { root: string; dir: string } | null {
  if (platform === 'win32' || !env.HOME?.startsWith('/')) return null
  const xdg = platform === 'darwin' ? undefined : env.XDG_CACHE_HOME
  const root = xdg?.startsWith('/') ? xdg.replace(/\/+$/, '') || '/' : `${env.HOME.replace(/\/+$/, '')}${platform === 'darwin' ? '/Library/Caches' : '/.cache'}`
  return { root, dir: `${root}/servicing-desk/compile-cache` }
}

/**
 * `path` as a real folder of user `uid` that neither its group nor others may write, made (mode 0700) when missing
 * and `make`; false otherwise. One folder at a time: Node's recursive mkdir never returns under /proc (seen: 22.23).
 */
function ownFolder(path: string, uid: number, make: boolean): boolean {
  try {
    let st = lstatSync(path, { throwIfNoEntry: false })
    if (!st && make) {
      mkdirSync(path, { mode: 0o700 })
      st = lstatSync(path)
    }
    return !!st && st.isDirectory() && !st.isSymbolicLink() && st.uid === uid && (st.mode & 0o022) === 0
  } catch {
    return false
  }
}

/**
 * Turns Node's compile cache on in this user's cache folder when that folder is safe to read code from (see above).
 * Returns the folder used, or null (Windows, no home, a folder others could write, Node refusing it).
 */
export function useCompileCache(o: CompileCacheOptions = {}): string | null {
  const env = o.env ?? process.env
  const platform = o.platform ?? process.platform
  const at = compileCacheDir(env, platform)
  const uid = o.uid ?? (typeof process.geteuid === 'function' ? process.geteuid() : -1)
  if (!at || uid < 0) return null
  // The cache root (~/.cache; 0755 is usual: other programs of this user share it, no one else) is made when missing.
  if (!ownFolder(at.root, uid, true)) return null
  let path = at.root === '/' ? '' : at.root
  for (const part of at.dir.slice(at.root.length).split('/').filter(Boolean)) {
    path = `${path}/${part}`
    if (!ownFolder(path, uid, true)) return null
  }
  const enable = o.enable ?? process.getBuiltinModule('node:module').enableCompileCache
  if (typeof enable !== 'function') return null
  try {
    const r = enable(at.dir)
    // ENABLED (1) or ALREADY_ENABLED (2, NODE_COMPILE_CACHE): in use; FAILED (0) or DISABLED (3): not.
    return r.status === 1 || r.status === 2 ? (r.directory ?? at.dir) : null
  } catch {
    return null
  }
}
