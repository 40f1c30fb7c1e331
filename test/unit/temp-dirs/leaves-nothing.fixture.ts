/**
 * Run by test/unit/temp-dirs.test.ts in a child vitest (TMPDIR set to a private folder): makes folders the
 * ways the unit tests do — at load time, in a test, asynchronously, read-only inside, with a symlink out —
 * and writes to TEMP_DIRS_LOG what it made and whether they were all still there when its own afterAll ran.
 */
import { afterAll, expect, it } from 'vitest'
import { appendFileSync, chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir, tempDirSync } from '../temp-dirs.ts'

const made = [tempDirSync('sd-fixture-load-')]

it('makes folders in a test, one with read-only folders inside and a symlink to a folder outside', async () => {
  const dir = await tempDir('sd-fixture-async-')
  made.push(dir)
  mkdirSync(join(dir, 'ro', 'inner'), { recursive: true })
  writeFileSync(join(dir, 'ro', 'inner', 'f.txt'), 'x')
  chmodSync(join(dir, 'ro', 'inner'), 0o555)
  chmodSync(join(dir, 'ro'), 0o500)
  symlinkSync(process.env.TEMP_DIRS_OUTSIDE!, join(dir, 'link'), 'dir')
})

it('keeps them for the next test of the same file', () => {
  made.push(tempDirSync('sd-fixture-sync-'))
  expect(made.every((d) => existsSync(d))).toBe(true)
})

afterAll(() => {
  appendFileSync(
    process.env.TEMP_DIRS_LOG!,
    `${JSON.stringify({ made, allThereInFileAfterAll: made.every((d) => existsSync(d)) })}\n`,
  )
})
