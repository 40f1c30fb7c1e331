/**
 * Node's compile cache for the built command line: `module.enableCompileCache(dir)` before the bundle's
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
 *
 * Each build has a folder of its own in it (`build`: the entry's size and time, bin.ts), since every build's chunks are
 * new files and Node never removes an entry: the first start of a build (which writes its cache anyway) removes the
 * folders of builds first started PRUNE_AFTER_MS or longer ago (a folder's time is its first start's: nothing is
 * written at a warm start), so the cache holds recent builds (a few MB each), not every build there ever was; a build
 * still in use after that writes its cache again.
 */
const { lstatSync, mkdirSync, readdirSync, rmSync } = process.getBuiltinModule('node:fs')

/** A build's folder made this long ago is removed by another build's first start. */
export const PRUNE_AFTER_MS = 7 * 24 * 3600_000

export interface CompileCacheOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** The effective user id folders must belong to (default process.geteuid()). */
  uid?: number
  /** module.enableCompileCache (a test passes its own). */
  enable?: (dir: string) => { status: number; message?: string; directory?: string }
  /** This build's name (letters, digits, `.`, `-`): its cache goes to a folder of that name, the others' are pruned. */
  build?: string
  /** The time now (default Date.now()), for the pruning. */
  now?: number
}

/** The cache folder for this user and platform, with the folder its checks start from; null where none is used. */
export function compileCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { root: string; dir: string } | null {
  if (platform === 'win32' || !env.HOME?.startsWith('/')) return null
  const xdg = platform === 'darwin' ? undefined : env.XDG_CACHE_HOME
  const root = xdg?.startsWith('/')
    ? xdg.replace(/\/+$/, '') || '/'
    : `${env.HOME.replace(/\/+$/, '')}${platform === 'darwin' ? '/Library/Caches' : '/.cache'}`
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
export function startCompileCache(o: CompileCacheOptions = {}): string | null {
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
  let dir = at.dir
  if (o.build !== undefined) {
    if (!/^[\w.-]+$/.test(o.build) || o.build.startsWith('.')) return null
    dir = `${at.dir}/${o.build}`
    const first = !lstatSync(dir, { throwIfNoEntry: false })
    if (!ownFolder(dir, uid, true)) return null
    if (first) prune(at.dir, o.build, o.now ?? Date.now())
  }
  const enable = o.enable ?? process.getBuiltinModule('node:module').enableCompileCache
  if (typeof enable !== 'function') return null
  try {
    const r = enable(dir)
    // ENABLED (1) or ALREADY_ENABLED (2, NODE_COMPILE_CACHE): in use; FAILED (0) or DISABLED (3): not.
    return r.status === 1 || r.status === 2 ? (r.directory ?? dir) : null
  } catch {
    return null
  }
}

/** Removes the folders of other builds in `dir` last written PRUNE_AFTER_MS or longer before `now`; a failure is ignored. */
function prune(dir: string, keep: string, now: number): void {
  try {
    for (const name of readdirSync(dir)) {
      if (name === keep) continue
      const st = lstatSync(`${dir}/${name}`, { throwIfNoEntry: false })
      if (st?.isDirectory() && now - st.mtimeMs >= PRUNE_AFTER_MS)
        rmSync(`${dir}/${name}`, { recursive: true, force: true })
    }
  } catch {
    // Another start pruning at the same time, or a folder not ours to remove: the cache works without it.
  }
}
