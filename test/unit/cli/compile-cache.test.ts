/**
 * Where the built CLI keeps Node's compile cache, and when it keeps none (main/cli/compile-cache.ts): a folder of this
 * user's cache root that only this user can write, never on Windows, never through a link; a folder that cannot be made
 * leaves the start uncached. Real folders in a temp folder; Node's enableCompileCache replaced by a recorder. What the
 * built CLI does with the cache (it fills it, and a changed chunk runs as changed) is in fast-start.test.ts.
 */
import { describe, expect, it } from 'vitest'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { PRUNE_AFTER_MS, compileCacheDir, startCompileCache } from '../../../main/cli/compile-cache.ts'
import { tempDirSync } from '../temp-dirs.ts'

const uid = typeof process.geteuid === 'function' ? process.geteuid() : -1
const posix = process.platform !== 'win32'

function recorder() {
  const dirs: string[] = []
  return {
    dirs,
    enable: (dir: string) => {
      dirs.push(dir)
      return { status: 1, directory: dir }
    },
  }
}

describe('the compile cache folder', () => {
  it("is the user's cache root + servicing-desk/compile-cache; none on Windows or without a home", () => {
    expect(compileCacheDir({ HOME: '/home/ana' }, 'linux')).toEqual({
      root: '/home/ana/.cache',
      dir: '/home/ana/.cache/servicing-desk/compile-cache',
    })
    expect(compileCacheDir({ HOME: '/home/ana', XDG_CACHE_HOME: '/var/cache/ana/' }, 'linux')?.dir).toBe(
      '/var/cache/ana/servicing-desk/compile-cache',
    )
    // A relative XDG_CACHE_HOME is invalid (XDG base directory spec): ignored.
    expect(compileCacheDir({ HOME: '/home/ana', XDG_CACHE_HOME: 'rel/cache' }, 'linux')?.root).toBe('/home/ana/.cache')
    expect(compileCacheDir({ HOME: '/Users/ana' }, 'darwin')?.dir).toBe(
      '/Users/ana/Library/Caches/servicing-desk/compile-cache',
    )
    expect(
      compileCacheDir({ HOME: 'C:\\Users\\ana', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32'),
    ).toBeNull()
    expect(compileCacheDir({}, 'linux')).toBeNull()
    expect(startCompileCache({ env: { HOME: '/home/ana' }, platform: 'win32', enable: recorder().enable })).toBeNull()
  })

  it.runIf(posix && uid >= 0)('is made mode 0700 under a root only this user writes, and handed to Node', () => {
    const root = tempDirSync('sd-cc-root-')
    chmodSync(root, 0o755)
    const r = recorder()
    const dir = startCompileCache({
      env: { HOME: '/nowhere', XDG_CACHE_HOME: root },
      platform: 'linux',
      enable: r.enable,
    })
    expect(dir).toBe(join(root, 'servicing-desk/compile-cache'))
    expect(r.dirs).toEqual([dir])
    for (const d of [join(root, 'servicing-desk'), dir!]) expect(lstatSync(d).mode & 0o777, d).toBe(0o700)
    // Again: the folders are there and still fit.
    expect(
      startCompileCache({ env: { HOME: '/nowhere', XDG_CACHE_HOME: root }, platform: 'linux', enable: r.enable }),
    ).toBe(dir)
    // A missing cache root is made too (~/.cache on a fresh account).
    const home = tempDirSync('sd-cc-home-')
    expect(startCompileCache({ env: { HOME: home }, platform: 'linux', enable: r.enable })).toBe(
      join(home, '.cache/servicing-desk/compile-cache'),
    )
    expect(lstatSync(join(home, '.cache')).mode & 0o777).toBe(0o700)
  })

  it.runIf(posix && uid >= 0)(
    'is not used where someone else could write it: a shared root, a folder others may write, a link, another owner',
    () => {
      const r = recorder()
      const use = (root: string, o: { uid?: number } = {}) =>
        startCompileCache({
          env: { HOME: '/nowhere', XDG_CACHE_HOME: root },
          platform: 'linux',
          enable: r.enable,
          ...o,
        })
      // A root anyone may write (as /tmp is).
      const shared = tempDirSync('sd-cc-shared-')
      chmodSync(shared, 0o777)
      expect(use(shared)).toBeNull()
      // servicing-desk/ made group-writable after the fact.
      const grp = tempDirSync('sd-cc-grp-')
      mkdirSync(join(grp, 'servicing-desk'), { mode: 0o700 })
      chmodSync(join(grp, 'servicing-desk'), 0o770)
      expect(use(grp)).toBeNull()
      // compile-cache/ a link to a folder elsewhere.
      const linked = tempDirSync('sd-cc-link-')
      const elsewhere = tempDirSync('sd-cc-elsewhere-')
      mkdirSync(join(linked, 'servicing-desk'), { mode: 0o700 })
      symlinkSync(elsewhere, join(linked, 'servicing-desk/compile-cache'))
      expect(use(linked)).toBeNull()
      // A file where the folder goes.
      const file = tempDirSync('sd-cc-file-')
      writeFileSync(join(file, 'servicing-desk'), 'x')
      expect(use(file)).toBeNull()
      // Folders of another user (the process's user is told apart from their owner).
      const mine = tempDirSync('sd-cc-mine-')
      expect(use(mine, { uid: uid + 1 })).toBeNull()
      expect(r.dirs).toEqual([])
    },
  )

  it.runIf(posix)('leaves the start uncached, at once, where the folder cannot be made or Node refuses it', () => {
    const r = recorder()
    // Under /proc: Node's recursive mkdir never returns there (22.23); each folder is made alone, so this ends.
    if (process.platform === 'linux')
      expect(
        startCompileCache({
          env: { HOME: '/nowhere', XDG_CACHE_HOME: '/proc/sd-no-such' },
          platform: 'linux',
          enable: r.enable,
        }),
      ).toBeNull()
    expect(
      startCompileCache({
        env: { HOME: '/nowhere', XDG_CACHE_HOME: '/dev/null/x' },
        platform: 'linux',
        enable: r.enable,
      }),
    ).toBeNull()
    expect(r.dirs).toEqual([])
    const root = tempDirSync('sd-cc-refused-')
    // NODE_DISABLE_COMPILE_CACHE (status DISABLED) or a folder Node cannot use (FAILED): not in use, no error.
    expect(
      startCompileCache({
        env: { HOME: '/nowhere', XDG_CACHE_HOME: root },
        platform: 'linux',
        enable: () => ({ status: 3, message: 'Disabled by NODE_DISABLE_COMPILE_CACHE' }),
      }),
    ).toBeNull()
    expect(
      startCompileCache({
        env: { HOME: '/nowhere', XDG_CACHE_HOME: root },
        platform: 'linux',
        enable: () => ({ status: 0, message: 'Cannot create cache directory' }),
      }),
    ).toBeNull()
    expect(
      startCompileCache({
        env: { HOME: '/nowhere', XDG_CACHE_HOME: root },
        platform: 'linux',
        enable: () => {
          throw new Error('no')
        },
      }),
    ).toBeNull()
  })

  it.runIf(posix && uid >= 0)(
    "gives each build a folder of its own; a build's first start removes builds unchanged for a week",
    () => {
      const root = tempDirSync('sd-cc-builds-')
      const r = recorder()
      const use = (build: string, now: number) =>
        startCompileCache({
          env: { HOME: '/nowhere', XDG_CACHE_HOME: root },
          platform: 'linux',
          enable: r.enable,
          build,
          now,
        })
      const cache = join(root, 'servicing-desk/compile-cache')
      const t0 = Date.now()
      expect(use('a-1', t0)).toBe(join(cache, 'a-1'))
      expect(use('b-2', t0)).toBe(join(cache, 'b-2'))
      expect(readdirSync(cache).sort()).toEqual(['a-1', 'b-2'])
      // a-1 last written 8 days ago, b-2 1 day ago: a later start of b-2 removes nothing (not its first), c-3's first
      // start removes a-1 and keeps b-2; c-3's second start leaves the others.
      const day = 24 * 3600_000
      utimesSync(join(cache, 'a-1'), new Date(t0 - 8 * day), new Date(t0 - 8 * day))
      utimesSync(join(cache, 'b-2'), new Date(t0 - day), new Date(t0 - day))
      expect(use('b-2', t0)).toBe(join(cache, 'b-2'))
      expect(existsSync(join(cache, 'a-1'))).toBe(true)
      expect(use('c-3', t0)).toBe(join(cache, 'c-3'))
      expect(readdirSync(cache).sort()).toEqual(['b-2', 'c-3'])
      expect(use('c-3', t0 + PRUNE_AFTER_MS + day)).toBe(join(cache, 'c-3'))
      expect(readdirSync(cache).sort()).toEqual(['b-2', 'c-3'])
      for (const d of readdirSync(cache)) expect(lstatSync(join(cache, d)).mode & 0o777, d).toBe(0o700)
      // A build name that is not a plain word is not used as a folder.
      for (const bad of ['', '..', '.x', 'a/b', 'a b']) expect(use(bad, t0), JSON.stringify(bad)).toBeNull()
    },
  )
})
