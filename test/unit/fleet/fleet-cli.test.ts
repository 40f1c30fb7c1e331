/** `servicing-desk fleet …`: the commands a technician types, end to end on a small training fleet. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCliInProcess } from '../cli-in-process.ts'
import { tempDir } from '../temp-dirs.ts'

let home = ''
let fleetDir = ''
// The in-process CLI reads its data folder from the environment: this file's own, given back after it.
const before = process.env.SERVICING_DESK_HOME
afterAll(() => { if (before === undefined) delete process.env.SERVICING_DESK_HOME; else process.env.SERVICING_DESK_HOME = before })
beforeAll(async () => {
  home = await tempDir('sd-fleet-cli-')
  process.env.SERVICING_DESK_HOME = home
  fleetDir = join(await tempDir('sd-fleet-cli-data-'), 'fleet')
  const r = await runCliInProcess('fleet', 'training', '--out', fleetDir, '--devices', '30', '--snapshots')
  expect(r.code).toBe(0)
}, 120_000)

describe('fleet on the command line', () => {
  it('imports a folder, groups by cause in plain words, shows a device and writes the report', async () => {
    const imp = await runCliInProcess('fleet', 'import', fleetDir, '--json')
    expect(imp.code).toBe(0)
    expect(JSON.parse(imp.out)).toMatchObject({ devices: 30, rejected: [] })
    const groups = await runCliInProcess('fleet', 'groups')
    expect(groups.out).toMatch(/The EFI system partition is full .* \[esp-full\]\n {2}\d+ devices \([\d.]+%\): \d+ still failing, 0 fixed, 0 not reported; codes 0x800F0922/)
    const truth = JSON.parse(readFileSync(join(fleetDir, 'truth.json'), 'utf8')) as { name: string; cause: string }[]
    const one = truth.find((t) => t.cause === 'winre-disabled')!
    const dev = await runCliInProcess('fleet', 'device', one.name)
    expect(dev.out).toMatch(new RegExp(`^${one.name}: The Windows Recovery Environment is turned off — still failing`))
    expect(dev.out).toMatch(/timeline:\n.*Intune run state \(export\)/)
    expect(dev.out).toMatch(/judged from collected file of /)
    const report = join(home, 'fleet.csv')
    expect((await runCliInProcess('fleet', 'report', '--out', report)).code).toBe(0)
    expect(readFileSync(report, 'utf8').split('\r\n')[0]).toBe('Device,Cause,State,Evidence time,Fixed at,Architecture,Build')
    const out = join(home, 'fix')
    const fix = await runCliInProcess('fleet', 'fix', 'esp-full', '--out', out)
    expect(fix.code).toBe(0)
    expect(existsSync(join(out, 'Remediate.ps1'))).toBe(true)
  }, 120_000)

  it('says plainly what is wrong with what it was given', async () => {
    expect(await runCliInProcess('fleet', 'import', join(home, 'nothing-here.csv'))).toMatchObject({ code: 2, err: expect.stringMatching(/no such file or folder/) })
    expect((await runCliInProcess('fleet', 'import', fleetDir, '--kind', 'spreadsheet')).err).toMatch(/--kind must be one of: lines, intune-graph/)
    expect(await runCliInProcess('fleet', 'device', 'NO-SUCH-PC')).toMatchObject({ code: 2, err: expect.stringMatching(/No device 'NO-SUCH-PC'/) })
    expect((await runCliInProcess('fleet', 'fix', 'none', '--out', join(home, 'x'))).err).toMatch(/No group of failing devices named 'none'/)
    expect((await runCliInProcess('fleet', 'report', '--out', join(home, 'r.txt'))).err).toMatch(/must end in \.html, \.json or \.csv/)
  }, 60_000)
})

describe('the other commands', () => {
  it('do not load the fleet store (no SQLite warning on their stderr)', async () => {
    const { spawnSync } = await import('node:child_process')
    const r = spawnSync(process.execPath, ['main/cli/bin.ts', 'explain', '0x800f0922'], { encoding: 'utf8', env: { ...process.env, SERVICING_DESK_HOME: home } })
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/SQLite/)
  }, 60_000)
})
