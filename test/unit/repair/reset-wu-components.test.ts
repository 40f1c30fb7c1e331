/**
 * `reset-wu-components` on x64-wu-components-broken: KB5094126 fails with 0x80092003 while
 * SoftwareDistribution\DataStore, \Download and catroot2 are damaged; the diagnosis proposes the reset; `repair` stops the services,
 * renames those three folders — Microsoft's list, never the whole SoftwareDistribution — (kept, named in the journal, never deleted), starts the services and ends verified; the
 * update then installs and verifies and the diagnosis is clean. Interrupted at every boundary, a resume ends
 * the same. The step kinds refuse anything but their own service and folder names.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import type { RepairRun } from '../../../preload/model/repair.ts'
import { STEP_KINDS, commandOf } from '../../../main/repair/step-kinds.ts'
import { parseServices } from '../../../main/parse/services.ts'
import { renderWuRename } from '../../../main/training/renderers/wu-components.ts'
import { trainingProfile } from '../../../main/training/profiles/index.ts'
import { runCliInProcess } from '../cli-child.ts'
import { hangMs } from '../../load.ts'

const M = 'x64-wu-components-broken'
// In this process (the same commander program bin.ts runs): nothing here is killed and every call is `--yes` or asks
// nothing, so a child adds nothing asserted; the real process killed and resumed is test/unit/repair/crash-resume.test.ts.
const cli = (home: string, args: string[]) => runCliInProcess(home, args)
const state = (home: string) => JSON.parse(readFileSync(join(home, 'training', `${M}.json`), 'utf8'))
const env = { hostKind: 'training' as const, dataDir: '/tmp/sd', resumeCommand: null }

describe('repair reset-wu-components', () => {
  it('KB5094126 fails with 0x80092003, the reset runs verified (folders kept), then KB5094126 installs and verifies and the diagnosis is clean', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-wureset-')
    const before = await cli(home, ['install', '--kb', 'KB5094126', '--machine', M, '--yes', '--json'])
    const b = JSON.parse(before.stdout)
    expect(b.verified, 'the update fails while the folders are damaged').toBe(false)
    expect(JSON.stringify(b.journal)).toMatch(/0x80092003|-2146885629|2148081667/)

    const diag0 = JSON.parse((await cli(home, ['diagnose', '--machine', M, '--json'])).stdout)
    const f = diag0.findings.find((x: { id: string }) => x.id === 'wu-components')
    expect(f.repair).toBe('reset-wu-components')
    expect(f.codes).toEqual(['0x80092003'])

    const list = await cli(home, ['repairs', '--machine', M, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const offer = JSON.parse(list.stdout).offers.find((o: { repairId: string }) => o.repairId === 'reset-wu-components')
    const lines: string[] = offer.steps.map((s: { commandLine: string }) => s.commandLine)
    expect(lines).toHaveLength(5)
    expect(lines[0]).toMatch(
      /^& "\$env:SystemRoot\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" -NoProfile -Command \{ \$action = 'Stop'; \$names = 'bits','wuauserv','cryptsvc','msiserver';/,
    )
    expect(lines[1]).toMatch(
      /Join-Path \$env:SystemRoot 'SoftwareDistribution\\DataStore'; \$name = 'DataStore\.sd-\d{8}-\d{6}'; \$restart = @\('cryptsvc','bits','wuauserv'\)/,
    )
    expect(lines[2]).toMatch(
      /Join-Path \$env:SystemRoot 'SoftwareDistribution\\Download'; \$name = 'Download\.sd-\d{8}-\d{6}'/,
    )
    expect(lines[3]).toMatch(/Join-Path \$env:SystemRoot 'System32\\catroot2'; \$name = 'catroot2\.sd-\d{8}-\d{6}'/)
    // Never the whole SoftwareDistribution.
    expect(lines.join('\n')).not.toMatch(/'SoftwareDistribution'/)
    expect(lines[4]).toMatch(/\$action = 'Start'; \$names = 'cryptsvc','bits','wuauserv';/)
    // Nothing is deleted or re-registered.
    expect(lines.join('\n')).not.toMatch(/Remove-Item|\brd\b|rmdir|\bdel\b|regsvr32/i)
    expect(offer.manual[0].commands.join('\n')).toMatch(
      /ren %SystemRoot%\\SoftwareDistribution\\DataStore\.sd-\d{8}-\d{6} DataStore/,
    )

    const run = await cli(home, ['repair', 'reset-wu-components', '--machine', M, '--yes', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout) as RepairRun
    expect(r.verified).toBe(true)
    expect(r.verification?.detail).toMatch(
      /kept as %SystemRoot%\\SoftwareDistribution\\DataStore\.sd-\d{8}-\d{6}, %SystemRoot%\\SoftwareDistribution\\Download\.sd-\d{8}-\d{6} and %SystemRoot%\\System32\\catroot2\.sd-\d{8}-\d{6}/,
    )
    // The start step printed Get-Service rows that the services parser reads: all three run.
    const started = parseServices(
      r.results
        .find((x) => x.stepId === 's5-start-services')!
        .output.split('\n')
        .find((l) => l.startsWith('['))!,
    )
    expect(started.services.map((s) => `${s.name}:${s.status}`)).toEqual([
      'cryptsvc:running',
      'bits:running',
      'wuauserv:running',
    ])
    const folders = Object.keys(state(home).wuFolders).sort()
    expect(folders).toHaveLength(6)
    expect(folders.filter((k) => /\.sd-\d{8}-\d{6}$/.test(k)).map((k) => k.replace(/\d{8}-\d{6}$/, 'STAMP'))).toEqual([
      'SoftwareDistribution\\DataStore.sd-STAMP',
      'SoftwareDistribution\\Download.sd-STAMP',
      'System32\\catroot2.sd-STAMP',
    ])
    // On this machine: the default machine is another one. (JSON keeps the command's own name.)
    expect(r.next.map((n) => n.commands[0])).toHaveLength(1)
    expect(r.next[0]!.commands[0]).toMatch(new RegExp(`^servicing-desk install --kb KB5094126 --machine ${M}$`))

    const install = await cli(home, ['install', '--kb', 'KB5094126', '--machine', M, '--yes', '--json'])
    expect(install.code, install.stderr).toBe(0)
    expect(JSON.parse(install.stdout).verified).toBe(true)
    expect(state(home).os.ubr).toBe(8655)
    const diag = JSON.parse((await cli(home, ['diagnose', '--machine', M, '--json'])).stdout)
    expect(
      diag.findings.filter(
        (x: { severity: string; state?: string }) =>
          x.state !== 'past' && (x.severity === 'error' || x.severity === 'critical'),
      ),
    ).toEqual([])
  })

  it('interrupted at every boundary, a resume ends like the uninterrupted run (each folder renamed once)', {
    timeout: hangMs(300_000),
  }, async () => {
    const ref = { kind: 'training' as const, name: M }
    const baseHome = tempDirSync('sd-wureset-base-')
    let points = 0
    const base = await createServices({ dataDir: baseHome, platform: 'linux' }).repairs.run(
      ref,
      'reset-wu-components',
      {
        checkpointHook: () => {
          points++
        },
      },
    )
    expect(base.verified).toBe(true)
    const outcomes = (x: RepairRun) =>
      x.results.map((y) => `${y.stepId}:${y.outcome === 'rechecked' ? 'done' : y.outcome}`)
    const shape = (home: string) =>
      Object.entries(state(home).wuFolders as Record<string, { damaged: boolean }>)
        .map(([k, v]) => `${k.replace(/\d{8}-\d{6}$/, 'STAMP')}:${v.damaged}`)
        .sort()
    expect(points).toBe(5 * 3 + 1) // started, command, finished per step; ended
    let cases = 0
    for (let n = 1; n <= points; n++) {
      const home = tempDirSync(`sd-wureset-crash-${n}-`)
      let seen = 0
      await expect(
        createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'reset-wu-components', {
          checkpointHook: () => {
            if (++seen === n) throw new Error(`crash at ${n}`)
          },
        }),
      ).rejects.toThrow(`crash at ${n}`)
      const r = await createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'reset-wu-components')
      expect(r.verified, `crash ${n}`).toBe(true)
      expect(outcomes(r), `crash ${n}`).toEqual(outcomes(base))
      expect(shape(home), `crash ${n}`).toEqual(shape(baseHome))
      expect(state(home).services, `crash ${n}`).toEqual(state(baseHome).services)
      cases++
    }
    expect(cases).toBe(points)
  })

  it('a folder in use cannot be renamed: DataStore while wuauserv runs (the sharing-violation text, exit 1), and the step starts the services it was given again', async () => {
    const s = trainingProfile(M)!
    const spec = commandOf(
      {
        id: 's2',
        kind: 'wu-folder-rename',
        params: { folder: 'DataStore', stamp: '20261123-010000' },
        title: '',
        explanation: '',
        gate: 'always',
        mayFail: false,
        destructive: true,
      },
      env,
    )!
    const out = await renderWuRename({ state: s, spec, options: {} })
    expect(out.exitCode).toBe(1)
    expect(JSON.parse(out.stdout)).toEqual({
      From: 'C:\\Windows\\SoftwareDistribution\\DataStore',
      To: 'C:\\Windows\\SoftwareDistribution\\DataStore.sd-20261123-010000',
      Renamed: false,
      Note: 'The process cannot access the file because it is being used by another process.',
      Restarted: [],
    })
    expect(out.state).toBeUndefined()
    // With services to start again: a stopped BITS is started by the failing step itself.
    const stopped = structuredClone(s)
    stopped.services.find((x) => x.name === 'bits')!.status = 'Stopped'
    const spec2 = commandOf(
      {
        id: 's2',
        kind: 'wu-folder-rename',
        params: { folder: 'DataStore', stamp: '20261123-010000', restart: ['cryptsvc', 'bits', 'wuauserv'] },
        title: '',
        explanation: '',
        gate: 'always',
        mayFail: false,
        destructive: true,
      },
      env,
    )!
    const out2 = await renderWuRename({ state: stopped, spec: spec2, options: {} })
    expect(out2.exitCode).toBe(1)
    expect(JSON.parse(out2.stdout).Restarted).toEqual(['cryptsvc', 'bits', 'wuauserv'])
    expect(out2.state!.services.find((x) => x.name === 'bits')!.status).toBe('Running')
  })

  it('the step kinds accept only their own service and folder names and a plain stamp (11 hostile cases: the whole SoftwareDistribution among them)', () => {
    const rename = STEP_KINDS['wu-folder-rename'].params
    const stop = STEP_KINDS['wu-services-stop'].params
    const bad: Array<[typeof rename | typeof stop, unknown]> = [
      [rename, { folder: 'WinSxS', stamp: '20261123-010000' }],
      [rename, { folder: 'SoftwareDistribution', stamp: '20261123-010000' }],
      [rename, { folder: 'catroot2', stamp: '20261123-010000', restart: ['TrustedInstaller'] }],
      [rename, { folder: 'SoftwareDistribution\\..\\System32', stamp: '20261123-010000' }],
      [rename, { folder: 'catroot2', stamp: "x'; Remove-Item C:\\ -Recurse; '" }],
      [rename, { folder: 'catroot2', stamp: '20261123-010000', extra: 1 }],
      [rename, { folder: 'catroot2' }],
      [stop, { services: ['TrustedInstaller'] }],
      [stop, { services: ["wuauserv'; Stop-Computer; '"] }],
      [stop, { services: [] }],
      [stop, { services: ['wuauserv', 'bits', 'cryptsvc', 'msiserver', 'wuauserv'] }],
    ]
    let ran = 0
    for (const [schema, p] of bad) {
      expect(schema.safeParse(p).success, JSON.stringify(p)).toBe(false)
      ran++
    }
    expect(ran).toBe(11)
    expect(rename.safeParse({ folder: 'catroot2', stamp: '20261123-010000' }).success).toBe(true)
  })
})
