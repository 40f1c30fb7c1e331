/**
 * test/unit/temp-dirs.ts: the folders unit tests make are gone when the test file is done — read-only ones
 * too — and are still there until then. The last case runs a real test file in a child vitest with its own
 * TMPDIR, as a user that read-only permissions apply to: nobody, when these tests run as root — or, when the checkout
 * is in a folder nobody cannot enter, root without the capabilities that skip permission checks.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { removeTree, tempDir, tempDirSync } from './temp-dirs.ts'
import { hangMs } from '../load.ts'

describe('tempDirSync and tempDir', () => {
  it('make distinct, empty folders in the temp folder, named with the prefix', async () => {
    const a = tempDirSync('sd-tempdirs-')
    const b = await tempDir('sd-tempdirs-')
    expect(a).not.toBe(b)
    for (const d of [a, b]) {
      expect(d.startsWith(join(tmpdir(), 'sd-tempdirs-'))).toBe(true)
      expect(d.length).toBe(join(tmpdir(), 'sd-tempdirs-').length + 6)
      expect(statSync(d).isDirectory()).toBe(true)
      expect(readdirSync(d)).toEqual([])
    }
  })
})

describe('removeTree', () => {
  it('removes a tree with read-only folders and files in it', () => {
    const d = tempDirSync('sd-tempdirs-ro-')
    mkdirSync(join(d, 'a', 'b'), { recursive: true })
    writeFileSync(join(d, 'a', 'b', 'f.txt'), 'x')
    chmodSync(join(d, 'a', 'b', 'f.txt'), 0o444)
    chmodSync(join(d, 'a', 'b'), 0o555)
    chmodSync(join(d, 'a'), 0o500)
    expect(removeTree(d)).toBe(true)
    expect(existsSync(d)).toBe(false)
  })

  it('removes a symlink inside, not what it points to', () => {
    const outside = tempDirSync('sd-tempdirs-outside-')
    writeFileSync(join(outside, 'keep.txt'), 'keep')
    const d = tempDirSync('sd-tempdirs-link-')
    symlinkSync(outside, join(d, 'link'), 'dir')
    expect(removeTree(d)).toBe(true)
    expect(existsSync(d)).toBe(false)
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep')
  })

  it('is true for a folder that is already gone', () => {
    const d = tempDirSync('sd-tempdirs-gone-')
    expect(removeTree(d)).toBe(true)
    expect(removeTree(d)).toBe(true)
  })
})

describe('a test file that makes temp folders', () => {
  it('leaves none behind, keeps them until its own afterAll has run, and does not follow a symlink out', () => {
    // As root, permissions are not checked: run the child as nobody so that the read-only folders count.
    const asRoot = process.getuid?.() === 0
    // nobody must be able to reach its folders: a private TMPDIR (mode 700, as `mktemp -d` makes) would
    // stop it at the door, so then they go in /tmp.
    const reachable = (d: string): boolean =>
      d.split(sep).every((_, i, parts) => {
        const p = parts.slice(0, i + 1).join(sep) || sep
        return (statSync(p).mode & 0o001) !== 0
      })
    // A checkout nobody cannot reach (a clone under a folder only root can enter): the child stays root
    // but without the two capabilities that skip permission checks (setpriv, util-linux), so read-only still counts.
    const asNobody = asRoot && reachable(process.cwd())
    const capless = asRoot && !asNobody
    const base = asNobody && !reachable(tmpdir()) ? '/tmp' : tmpdir()
    const childTmp = tempDirSync('sd-tempdirs-tmp-', base)
    const outside = tempDirSync('sd-tempdirs-outside-', base)
    const childHome = tempDirSync('sd-tempdirs-home-', base)
    writeFileSync(join(outside, 'keep.txt'), 'keep')
    const log = join(outside, 'log.jsonl')
    if (asNobody) for (const d of [childTmp, outside, childHome]) chownSync(d, 65534, 65534)
    const env: NodeJS.ProcessEnv = {}
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v
    Object.assign(env, {
      TMPDIR: childTmp,
      HOME: childHome,
      TEMP_DIRS_LOG: log,
      TEMP_DIRS_OUTSIDE: outside,
      NO_COLOR: '1',
    })
    const child = [
      process.execPath,
      'node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      'test/unit/temp-dirs/vitest.config.ts',
      '--configLoader',
      'runner',
    ]
    const [file, ...args] = capless
      ? ['setpriv', '--inh-caps=-all', '--bounding-set=-dac_override,-dac_read_search', '--', ...child]
      : child
    const r = spawnSync(file!, args, {
      env,
      encoding: 'utf8',
      timeout: hangMs(60_000),
      ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/2 passed/)

    const record = JSON.parse(readFileSync(log, 'utf8')) as { made: string[]; allThereInFileAfterAll: boolean }
    expect(record.made).toHaveLength(3)
    expect(record.allThereInFileAfterAll).toBe(true)
    for (const d of record.made) {
      expect(d.startsWith(childTmp + sep)).toBe(true)
      expect(existsSync(d)).toBe(false)
    }
    expect(readdirSync(childTmp)).toEqual([])
    expect(lstatSync(outside).isDirectory()).toBe(true)
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep')
  })
})
