/** An attack on the kit: `install --kit DIR` with a file that has no independent hash must install nothing. */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'

function cli(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SERVICING_DESK_HOME: home },
    input: '',
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('install --kit with unverifiable files', () => {
  it('a random-bytes MSU with no manifest and no SHA-1 in its name: exits non-zero, no journal, nothing installed', () => {
    const h = tempDirSync('sd-sec-kit-')
    const kit = join(h, 'hostile-kit')
    mkdirSync(kit)
    writeFileSync(join(kit, 'windows11.0-kb5086672-arm64.msu'), randomBytes(4096))
    const r = cli(
      h,
      'install',
      '--kit',
      kit,
      '--kb',
      'KB5086672',
      '--machine',
      'arm64-missing-checkpoint',
      '--yes',
      '--json',
    )
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/can be verified, so nothing is installed/)
    expect(r.stderr).toMatch(/no independent hash/)
    const journals = join(h, 'journals')
    expect(existsSync(journals) ? readdirSync(journals) : []).toEqual([])
  })
})
