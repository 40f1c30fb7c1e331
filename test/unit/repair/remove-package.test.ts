/**
 * `remove-package` on x64-lcu-uninstall-blocked: the uninstall of KB5094126 failed with
 * 0x80242004; the diagnosis proposes DISM /Remove-Package with the identity from the PC's package list; the
 * repair removes it (Uninstall Pending, 3010), restarts, and ends verified on the earlier build 26100.8117 with
 * the warnings (build it returns to, SSU stays). Interrupted at every boundary, a resume ends the same. The
 * training model's output reads like the captured DISM transcript; identities are checked strictly.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import type { RepairRun } from '../../../preload/model/repair.ts'
import { STEP_KINDS } from '../../../main/repair/step-kinds.ts'
import { repairScript } from '../../../main/repair/script.ts'
import { parseDismOutput } from '../../../main/parse/dism-output.ts'
import { renderDismRemovePackage } from '../../../main/training/renderers/dism-remove.ts'
import { trainingProfile } from '../../../main/training/profiles/index.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { runCliInProcess } from '../cli-child.ts'
import { hangMs } from '../../load.ts'

const M = 'x64-lcu-uninstall-blocked'
const LCU = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10'
// In this process (the same commander program bin.ts runs): nothing here is killed and every call is `--yes` or asks
// nothing, so a child adds nothing asserted; the real process killed and resumed is test/unit/repair/crash-resume.test.ts.
const cli = (home: string, args: string[]) => runCliInProcess(home, args)
const state = (home: string) => JSON.parse(readFileSync(join(home, 'training', `${M}.json`), 'utf8'))

describe('repair remove-package', () => {
  it('offers DISM /Remove-Package with the identity from the package list, runs it verified (back to 26100.8117), and the diagnosis is clean', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-rmpkg-')
    const diag0 = JSON.parse((await cli(home, ['diagnose', '--machine', M, '--json'])).stdout)
    const f = diag0.findings.find((x: { id: string }) => x.id === 'lcu-uninstall-blocked')
    expect(f.repair).toBe('remove-package')
    expect(f.codes).toEqual(['0x80242004'])

    const list = await cli(home, ['repairs', '--machine', M, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const offer = JSON.parse(list.stdout).offers.find((o: { repairId: string }) => o.repairId === 'remove-package')
    expect(offer.steps.map((s: { commandLine: string }) => s.commandLine)).toEqual([
      `%SystemRoot%\\System32\\Dism.exe /English /Online /Remove-Package /PackageName:${LCU} /NoRestart`,
      '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
    ])
    expect(offer.warnings.join('\n')).toMatch(/returns to build 26100\.8117/)
    expect(offer.warnings.join('\n')).toMatch(/servicing stack update .* stays/)

    const run = await cli(home, ['repair', 'remove-package', '--machine', M, '--yes', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout) as RepairRun
    expect(r.verified).toBe(true)
    expect(r.verification?.detail).toBe(`Re-scanned: ${LCU} is no longer installed and the PC runs build 26100.8117.`)
    expect(r.results.map((x) => `${x.stepId}:${x.outcome}:${x.exitCode}`)).toEqual([
      's1-remove-kb5094126:done:3010',
      's2-restart:done:0',
    ])
    const s = state(home)
    expect(s.os.ubr).toBe(8117)
    expect(s.packages.map((p: { identity: string }) => p.identity)).not.toContain(LCU)
    // The servicing stack that came with it stays; the earlier cumulative update is the installed one again.
    expect(
      s.packages.find((p: { identity: string }) => p.identity.startsWith('Package_for_ServicingStack_8655'))?.state,
    ).toBe('Installed')
    expect(
      s.packages.find((p: { identity: string }) => p.identity.includes('RollupFix') && p.identity.includes('.8117.'))
        ?.state,
    ).toBe('Installed')
    const diag = JSON.parse((await cli(home, ['diagnose', '--machine', M, '--json'])).stdout)
    expect(
      diag.findings.filter(
        (x: { id: string; severity: string; state?: string }) =>
          x.state !== 'past' &&
          (x.id === 'lcu-uninstall-blocked' || x.severity === 'error' || x.severity === 'critical'),
      ),
    ).toEqual([])
  })

  it('interrupted at every boundary, a resume ends like the uninterrupted run (removed once, one restart)', {
    timeout: hangMs(300_000),
  }, async () => {
    const ref = { kind: 'training' as const, name: M }
    const baseHome = tempDirSync('sd-rmpkg-base-')
    let points = 0
    const base = await createServices({ dataDir: baseHome, platform: 'linux' }).repairs.run(ref, 'remove-package', {
      checkpointHook: () => {
        points++
      },
    })
    expect(base.verified).toBe(true)
    expect(points).toBe(2 * 3 + 1)
    const outcomes = (x: RepairRun) =>
      x.results.map((y) => `${y.stepId}:${y.outcome === 'rechecked' ? 'done' : y.outcome}`)
    let cases = 0
    for (let n = 1; n <= points; n++) {
      const home = tempDirSync(`sd-rmpkg-crash-${n}-`)
      let seen = 0
      await expect(
        createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'remove-package', {
          checkpointHook: () => {
            if (++seen === n) throw new Error(`crash at ${n}`)
          },
        }),
      ).rejects.toThrow(`crash at ${n}`)
      const r = await createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'remove-package')
      expect(r.verified, `crash ${n}`).toBe(true)
      expect(outcomes(r), `crash ${n}`).toEqual(outcomes(base))
      expect(state(home).packages, `crash ${n}`).toEqual(state(baseHome).packages)
      expect(state(home).os.ubr, `crash ${n}`).toBe(8117)
      expect(state(home).restarts, `crash ${n}`).toBe(1)
      cases++
    }
    expect(cases).toBe(points)
  })

  it('the training model prints what the captured DISM transcript shows, and refuses the servicing stack', async () => {
    const cap = parseDismOutput(loadFixture('dism-remove/remove-rollupfix-26100.txt').text, 0)
    const s = trainingProfile(M)!
    const spec = {
      name: 'repair.dism-remove-package',
      file: 'dism.exe',
      args: ['/English', '/Online', '/Remove-Package', `/PackageName:${LCU}`, '/NoRestart'],
      timeoutMs: 60_000,
    }
    // The captured case: a superseded cumulative update leaves at once (here the 8117 one, Superseded on this PC).
    const old = s.packages.find((p) => p.identity.includes('RollupFix') && p.state === 'Superseded')!.identity
    const gone = await renderDismRemovePackage({
      state: s,
      spec: { ...spec, args: ['/English', '/Online', '/Remove-Package', `/PackageName:${old}`, '/NoRestart'] },
      options: {},
    })
    const same = parseDismOutput(gone.stdout, gone.exitCode)
    expect(cap.result).toBe('success')
    expect([same.result, same.operation, gone.exitCode]).toEqual([cap.result, cap.operation, 0])
    expect(gone.stdout).toContain(
      `Processing 1 of 1 - Removing package ${old}\r\n[==========================100.0%==========================]\r\nThe operation completed successfully.`,
    )
    // The installed one needs the restart: DISM says so and exits 3010.
    const out = await renderDismRemovePackage({ state: s, spec, options: {} })
    const mine = parseDismOutput(out.stdout, out.exitCode)
    expect([mine.result, mine.operation]).toEqual(['restart-required', cap.operation])
    expect(out.stdout).toContain(`Processing 1 of 1 - Removing package ${LCU}`)
    expect(out.exitCode).toBe(3010)
    const ssu = s.packages.find((p) => p.identity.startsWith('Package_for_ServicingStack_8655'))!.identity
    const refused = await renderDismRemovePackage({
      state: s,
      spec: { ...spec, args: ['/English', '/Online', '/Remove-Package', `/PackageName:${ssu}`, '/NoRestart'] },
      options: {},
    })
    expect(refused.exitCode >>> 0).toBe(0x800f0825)
    expect(refused.state).toBeUndefined()
  })

  it("as a script for a snapshot's PC: 3010 counts as success and no component-store verdict is printed", async () => {
    const offers = await createServices({ dataDir: tempDirSync('sd-rmpkg-script-'), platform: 'linux' }).repairs.offers(
      { kind: 'training', name: M },
    )
    const o = offers.offers.find((x) => x.repairId === 'remove-package')!
    const env = { hostKind: 'this-pc' as const, dataDir: 'C:\\ProgramData\\ServicingDesk', resumeCommand: null }
    const ps = repairScript(
      {
        repairId: 'remove-package',
        title: o.title,
        summary: o.summary,
        machine: { kind: 'training', name: M },
        reason: o.reason,
        steps: o.steps,
        warnings: o.warnings,
        manual: o.manual,
        refused: null,
        createdAt: '2026-11-23T00:00:00Z',
      },
      env,
      M,
    )
    expect(ps).toContain(
      `& (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Online' '/Remove-Package' '/PackageName:${LCU}' '/NoRestart'`,
    )
    expect(ps).toContain('if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) { throw')
    expect(ps).not.toMatch(/component store corruption|\$healthy = \$true/)
    expect(ps).toContain('All steps ran. To verify, scan this PC again')
  })

  it('the step kind accepts only a package identity (8 hostile cases)', () => {
    const p = STEP_KINDS['dism-remove-package'].params
    const bad = [
      '<identity>',
      '',
      `${LCU} /Quiet`,
      `${LCU}"`,
      'C:\\Windows\\x.cab',
      `${LCU}&shutdown /s`,
      'Package_for_RollupFix~31bf3856ad364e35~amd64~~',
      'x'.repeat(300),
    ]
    let ran = 0
    for (const identity of bad) {
      expect(p.safeParse({ identity }).success, identity).toBe(false)
      ran++
    }
    expect(ran).toBe(8)
    expect(p.safeParse({ identity: LCU }).success).toBe(true)
    expect(p.safeParse({ identity: LCU, extra: 1 }).success).toBe(false)
  })
})
