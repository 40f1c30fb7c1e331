/**
 * The repair commands end to end on training machines, through the CLI's program (run in this process:
 * runCliInProcess, the commander program bin.ts runs; the refusal without a terminal as a child process, stdin closed):
 * - x64-component-store-corrupt: `repairs` offers restore-health with its exact commands; `repair
 *   restore-health --yes --json` ends "verified": true after the ladder (WU rung fails with 0x800F081F, the
 *   same-build rung repairs, sfc is skipped); `diagnose` then has no critical/error finding about the store,
 *   and `install --kb KB5046633` (the update that failed with 0x80073712) ends verified at 22631.4460.
 * - x64-pending-restart: `repair restart` clears the pending restart, then `install --kb KB5086672` ends verified.
 * - Refusals: no terminal without --yes, a snapshot, an unknown id, a repair not offered here.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { runCli, runCliInProcess } from '../cli-child.ts'
import { hangMs } from '../../load.ts'

const cli = (home: string, args: string[]) => runCliInProcess(home, args)

const STORE = 'x64-component-store-corrupt'

describe('repair restore-health on the corrupt-store machine', () => {
  it('lists the ladder, runs it, verifies, and the diagnosis no longer reports a damaged store', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-repair-store-')
    const list = await cli(home, ['repairs', '--machine', STORE, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const offers = JSON.parse(list.stdout)
    const offer = offers.offers.find((o: { repairId: string }) => o.repairId === 'restore-health')
    expect(offer.steps.map((s: { commandLine: string }) => s.commandLine)).toEqual([
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /ScanHealth',
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /RestoreHealth',
      expect.stringMatching(/^\(in the app\) download KB5044285 \(x64\) from the Catalog, verify its hash/),
      expect.stringMatching(/^%SystemRoot%\\System32\\expand\.exe -F:\* .*KB5044285-x64\.msu .*msu$/),
      expect.stringMatching(/^%SystemRoot%\\System32\\expand\.exe -F:\* .*Windows11\.0-KB5044285-x64\.cab .*source$/),
      expect.stringMatching(
        /^%SystemRoot%\\System32\\Dism\.exe \/English \/Online \/Cleanup-Image \/RestoreHealth \/Source:.*KB5044285-x64.source \/LimitAccess$/,
      ),
      '%SystemRoot%\\System32\\sfc.exe /scannow',
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /CheckHealth',
    ])
    expect(offer.manual[0].commands).toEqual(['D:\\setup.exe /auto upgrade /dynamicupdate disable'])

    const run = await cli(home, ['repair', 'restore-health', '--machine', STORE, '--yes', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout)
    expect(r).toMatchObject({ status: 'completed', verified: true, resumed: false })
    expect(r.results.map((x: { stepId: string; outcome: string }) => `${x.stepId}:${x.outcome}`)).toEqual([
      's1-scan-health:done',
      's2-restore-wu:not-fixed',
      's3-fetch-source:done',
      's4-expand-msu:done',
      's5-expand-cab:done',
      's6-restore-source:done',
      's7-sfc:skipped',
      's8-check-health:done',
    ])
    expect(r.results[1].output).toContain('The source files could not be found.')
    expect(r.results[1].exitCode).toBe(0x800f081f)
    expect(r.results[7].output).toContain('No component store corruption detected.')
    // On this machine: the default machine is another one. (JSON keeps the command's own name.)
    expect(r.next[0].commands).toHaveLength(1)
    expect(r.next[0].commands[0]).toMatch(new RegExp(`^servicing-desk install --kb KB5046633 --machine ${STORE}$`))
    expect(r.journal.entries.filter((e: { phase: string }) => e.phase === 'started')).toHaveLength(7)

    const diag = await cli(home, ['diagnose', '--machine', STORE, '--json'])
    const findings = JSON.parse(diag.stdout).findings as Array<{
      id: string
      severity: string
      codes: string[]
      repair: string | null
      state?: string
    }>
    // The damaged store is history now (it moves there with the run that fixed it), never current.
    const bad = findings.filter(
      (f) =>
        f.state !== 'past' &&
        (f.severity === 'critical' || f.severity === 'error') &&
        (f.id.includes('store') || f.codes.includes('0x80073712')),
    )
    expect(bad).toEqual([])
    expect(findings.find((f) => f.id === 'component-store-corruption')).toMatchObject({ state: 'past' })
    expect(findings.find((f) => f.id === 'component-store-repaired')).toMatchObject({
      severity: 'info',
      repair: 'install-update',
    })
    // The update that had failed with 0x80073712 now installs and verifies (its own plan, restart and re-scan).
    const retry = await cli(home, ['install', '--kb', 'KB5046633', '--machine', STORE, '--yes', '--json'])
    expect(retry.code, retry.stderr).toBe(0)
    expect(JSON.parse(retry.stdout)).toMatchObject({
      verified: true,
      journal: { verification: { after: { build: 22631, ubr: 4460 } } },
    })
    // Nothing more to repair: the offer is gone.
    const again = JSON.parse((await cli(home, ['repairs', '--machine', STORE, '--json'])).stdout)
    expect(again.offers.map((o: { repairId: string }) => o.repairId)).not.toContain('restore-health')
  })
})

describe('repair restart on the pending-restart machine', () => {
  it('clears the pending restart, then install --kb KB5086672 ends verified', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-repair-restart-')
    const before = await cli(home, [
      'install',
      '--kb',
      'KB5086672',
      '--machine',
      'x64-pending-restart',
      '--yes',
      '--json',
    ])
    expect(before.code).not.toBe(0)
    const run = await cli(home, ['repair', 'restart', '--machine', 'x64-pending-restart', '--yes', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout)
    expect(r).toMatchObject({ status: 'completed', verified: true })
    expect(r.results.map((x: { commandLine: string }) => x.commandLine)).toEqual([
      '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
    ])
    const state = JSON.parse(readFileSync(join(home, 'training', 'x64-pending-restart.json'), 'utf8'))
    expect(state.restarts).toBe(1)
    expect(state.reboot).toMatchObject({ cbsRebootPending: false, wuRebootRequired: false })
    const install = await cli(home, [
      'install',
      '--kb',
      'KB5086672',
      '--machine',
      'x64-pending-restart',
      '--yes',
      '--json',
    ])
    expect(install.code, install.stderr).toBe(0)
    expect(JSON.parse(install.stdout)).toMatchObject({ verified: true })
  })
})

describe('repair refuses what it cannot do', () => {
  it('no terminal without --yes, a snapshot, an unknown id, a repair not offered', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-repair-refuse-')
    const noTty = await runCli(home, ['repair', 'restart', '--machine', 'x64-pending-restart'], {
      timeoutMs: 120_000,
    })
    expect(noTty.code).toBe(2)
    expect(noTty.stderr).toMatch(/No terminal to confirm on/)
    const unknown = await cli(home, ['repair', 'format-c', '--machine', 'x64-pending-restart', '--yes'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/not offered/)
    const notHere = await cli(home, ['repair', 'restore-health', '--machine', 'x64-healthy', '--yes'])
    expect(notHere.code).not.toBe(0)
    expect(notHere.stderr).toMatch(/not offered for x64-healthy/)
    const snapFile = join(home, 'snap.json')
    const scan = await cli(home, ['scan', '--machine', STORE, '--out', snapFile])
    expect(scan.code, scan.stderr).toBe(0)
    const snap = await cli(home, ['repair', 'restore-health', '--snapshot', snapFile, '--yes'])
    expect(snap.code).not.toBe(0)
    // The snapshot's repairs are offered as scripts to save instead.
    const dir = tempDirSync('sd-repair-script-')
    const scripts = await cli(home, ['repairs', '--snapshot', snapFile, '--script', dir, '--json'])
    expect(scripts.code, scripts.stderr).toBe(0)
    const out = JSON.parse(scripts.stdout)
    expect(out.readOnly).toBe(true)
    expect(out.scripts).toHaveLength(out.offers.length)
    const ps = readFileSync(out.scripts[0], 'utf8')
    expect(ps).toContain(
      "& (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Online' '/Cleanup-Image' '/ScanHealth'",
    )
    expect(ps).toContain('#Requires -RunAsAdministrator')
  })
})
