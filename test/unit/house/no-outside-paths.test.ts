/**
 * The tree runs from any clone: no code, test or knowledge file names a folder of the machine it was written on
 * (`/work/…`). A reference such a file needs is kept in the repository.
 */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '../../..')
// The folder this project's machines keep their clones and references in (a test's own made-up home folder is data).
const OUTSIDE = /(?<![\w.])\/work\/[\w.-]+/g

describe('no path outside the repository', () => {
  it('finds such a path, and only where one is written', () => {
    expect("readFileSync('/work/shared/reference/x.md'); a/work/b; '/workshop'".match(OUTSIDE)).toEqual([
      '/work/shared',
    ])
  })

  it('no code, test, script or knowledge file names one', () => {
    const files = execFileSync('git', ['ls-files', 'main', 'renderer', 'preload', 'scripts', 'test', 'bin'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(?:[cm]?[jt]sx?|json|ps1)$/.test(f) && !f.startsWith('test/fixtures/'))
    const found: string[] = []
    for (const f of files) {
      if (f === 'test/unit/house/no-outside-paths.test.ts') continue
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(OUTSIDE)) found.push(`${f}:${i + 1}: ${m[0]}`)
        })
    }
    expect(found, 'keep what the file needs in the repository').toEqual([])
  })
})
