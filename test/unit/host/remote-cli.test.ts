/**
 * `--computer` in the CLI: `training:<machine>` reaches a training machine over the training
 * transport; the scan prints the pre-flight in plain words and "on <PC> over WinRM"; the report says it too;
 * a bad name or a mix with --machine is refused in words.
 */
import { describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'

const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, SERVICING_DESK_HOME: home }, encoding: 'utf8' })

describe('servicing-desk --computer', () => {
  it('scan --computer training:<machine> prints the pre-flight and "on <PC> over WinRM"', async () => {
    const home = await tempDir('sd-remote-cli-')
    const r = cli(home, 'scan', '--computer', 'training:arm64-missing-checkpoint')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(
      'Pre-flight:\n  Reachable: FIELD-ARM-07 answered over WinRM.\n  Administrator there: yes.\n  Native architecture: ARM64.\n  Build: 26100.1150.',
    )
    expect(r.stdout).toContain("Machine: on FIELD-ARM-07 over WinRM (training machine 'arm64-missing-checkpoint')")
  })

  it('report --computer says "on <PC> over WinRM"', async () => {
    const home = await tempDir('sd-remote-cli-')
    const out = join(home, 'r.html')
    execFileSync(
      process.execPath,
      [CLI, 'report', '--computer', 'training:x64-component-store-corrupt', '--out', out],
      { env: { ...process.env, SERVICING_DESK_HOME: home }, stdio: 'ignore' },
    )
    expect(readFileSync(out, 'utf8')).toContain('Remote PC — on HD-DESK-114 over WinRM')
  })

  it('refuses a name that is not a computer name, and --computer with --machine', async () => {
    const home = await tempDir('sd-remote-cli-')
    expect(cli(home, 'scan', '--computer', 'a b;c').stderr).toContain("'a b;c' is not a computer name")
    expect(cli(home, 'scan', '--computer', 'PC1', '--machine', 'x64-healthy').stderr).toContain(
      'Give either --computer or --machine/--snapshot, not both.',
    )
    // Off Windows a real PC cannot be reached: said so, with the way to rehearse.
    if (process.platform !== 'win32')
      expect(cli(home, 'scan', '--computer', 'FRONTDESK-03').stderr).toContain('needs Windows')
  })
})
