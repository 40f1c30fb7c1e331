/** `npm test` installs the checks' tools itself (the README's `npm ci && npm test` on a fresh clone): when is a tool folder (re)installed. */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { needsInstall, tools } from '../../../scripts/ensure-tools.ts'
import { tempDirSync } from '../temp-dirs.ts'

function toolDir(): string {
  const dir = tempDirSync('sd-tool-')
  writeFileSync(join(dir, 'package-lock.json'), '{}')
  return dir
}

describe('needsInstall', () => {
  it('installs a tool whose package or hidden lockfile is missing, or whose lockfile changed after the install', () => {
    const dir = toolDir()
    expect(needsInstall(dir, '@x/tool')).toBe(true) // fresh clone: nothing installed
    mkdirSync(join(dir, 'node_modules/@x/tool'), { recursive: true })
    expect(needsInstall(dir, '@x/tool')).toBe(true) // no node_modules/.package-lock.json: an install that did not finish
    writeFileSync(join(dir, 'node_modules/.package-lock.json'), '{}')
    const past = new Date(Date.now() - 60_000)
    utimesSync(join(dir, 'package-lock.json'), past, past)
    expect(needsInstall(dir, '@x/tool')).toBe(false) // installed after the lockfile was written
    const future = new Date(Date.now() + 60_000)
    utimesSync(join(dir, 'package-lock.json'), future, future)
    expect(needsInstall(dir, '@x/tool')).toBe(true) // the lockfile changed (a pull): install again
  })

  it('knows every folder under tools/ that has a lockfile', () => {
    const root = join(import.meta.dirname, '../../..')
    const folders = readdirSync(join(root, 'tools')).filter((n) =>
      readdirSync(join(root, 'tools', n)).includes('package-lock.json'),
    )
    expect(folders.length).toBeGreaterThanOrEqual(2)
    expect(folders.sort()).toEqual(Object.keys(tools).sort())
  })
})
