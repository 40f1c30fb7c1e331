import { describe, it, expect, beforeAll } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { DiagnoseOutputSchema, type DiagnoseOutput } from '../../../preload/model/diagnosis.ts'
import { tempDirSync } from '../temp-dirs.ts'

// Real behaviour: each training machine is scanned through its Host and its CBS.log/DISM.log are streamed.
const services = createServices({ dataDir: tempDirSync('sd-diag-'), platform: 'linux' })
const results = new Map<string, DiagnoseOutput>()

beforeAll(async () => {
  for (const m of services.listTrainingMachines().machines) {
    results.set(
      m.name,
      DiagnoseOutputSchema.parse(await services.diagnose({ machine: { kind: 'training', name: m.name } })),
    )
  }
})

describe('diagnose on every training machine', () => {
  it('arm64-missing-checkpoint: the missing checkpoint KB5043080 first, with history and CBS.log evidence', () => {
    const d = results.get('arm64-missing-checkpoint')!
    const top = d.findings[0]!
    expect(top).toMatchObject({ id: 'missing-checkpoint', severity: 'critical', repair: 'install-checkpoint' })
    expect(top.title).toContain('KB5043080')
    expect(top.confidence).toBeGreaterThanOrEqual(0.9)
    expect(top.evidence.some((e) => e.source === 'Windows Update history' && e.excerpt.includes('KB5086672'))).toBe(
      true,
    )
    expect(top.evidence.some((e) => e.source.endsWith('CBS.log') && e.excerpt.includes('arm64~~26100.8117'))).toBe(true)
    // The remedy is the app's own install of the target: it fetches the checkpoint for the PC's native architecture
    // and installs it first (no by-hand path to a file that is not there).
    expect(top.remedies[0]!.commands[0]).toBe('servicing-desk install --kb KB5086672')
    // The emulated process is information, and the generic installer reading ranks below.
    expect(d.findings.find((f) => f.id === 'emulated-process')?.severity).toBe('info')
  })

  it('x64-component-store-corrupt: store corruption first, RestoreHealth with a source of build 22621.4317', () => {
    const top = results.get('x64-component-store-corrupt')!.findings[0]!
    expect(top).toMatchObject({ id: 'component-store-corruption', repair: 'restore-health' })
    expect(top.codes).toContain('0x80073712')
    expect(top.remedies.map((r) => r.id)).toEqual(['R4', 'R5', 'R6', 'R7', 'R10'])
    expect(top.remedies[1]!.text).toContain('22621.4317')
    expect(top.evidence.some((e) => /CSI Payload Corrupt|Hydration failed/.test(e.excerpt))).toBe(true)
    expect(top.evidence.some((e) => /manifest missing for package Package_for_KB5044285/.test(e.excerpt))).toBe(true)
  })

  it('x64-winre-partition-full: recovery partition too small, with the 83 MB free cited', () => {
    const top = results.get('x64-winre-partition-full')!.findings[0]!
    expect(top).toMatchObject({ id: 'winre-partition-too-small', repair: 'winre-resize' })
    expect(top.evidence.some((e) => /KB5034441/.test(e.excerpt))).toBe(true)
    expect(top.evidence.some((e) => /83 MB free/.test(e.excerpt))).toBe(true)
    expect(top.evidence.some((e) => /CBS_E_INSUFFICIENT_DISK_SPACE/.test(e.excerpt))).toBe(true)
  })

  it('arm64-winre-disabled: WinRE off', () => {
    const top = results.get('arm64-winre-disabled')!.findings.find((f) => f.severity !== 'info')!
    expect(top).toMatchObject({ id: 'winre-disabled', repair: 'winre-enable' })
  })

  it('x64-pending-restart: restart first, with CBS_E_PENDING and the reboot sources', () => {
    const top = results.get('x64-pending-restart')!.findings[0]!
    expect(top).toMatchObject({ id: 'pending-restart', repair: 'restart' })
    expect(top.codes).toContain('0x800F0806')
    expect(top.evidence.some((e) => e.source === 'Reboot-pending checks')).toBe(true)
  })

  it('x64-healthy: no false alarm; only the newer update it lacks is offered', () => {
    const d = results.get('x64-healthy')!
    expect(
      d.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id} ${f.severity} ${f.repair} ${f.kbs?.join()}`),
    ).toEqual(['newer-update-available warning install-update KB5129195'])
  })
})

describe('diagnose without a machine', () => {
  it('a typed code alone gives its known meaning and the installer reading for 0x800F0922', async () => {
    const d = await services.diagnose({ code: '800f0922' })
    expect(d.findings[0]!.id).toBe('installer-failed')
    expect(d.findings[0]!.causes.join(' ')).toMatch(/not primarily a network error/)
  })

  it('pasted CBS text of the scheduled-task case names SecureBootEncodeUEFI', async () => {
    const { loadFixture } = await import('../../fixtures/load.ts')
    const d = await services.diagnose({ text: loadFixture('cbs-log/0x800f0922-scheduled-task.log').text })
    // The task's name is on the technical line, behind Technical details; the title says it in plain words.
    expect(d.findings[0]!.technical).toMatch(/SecureBootEncodeUEFI/)
    expect(d.findings[0]!.confidence).toBeGreaterThanOrEqual(0.85)
    // 0x80070002 is only the inner step here: it must not outrank the installer finding.
    expect(d.findings.findIndex((f) => f.id === 'file-not-found')).not.toBe(0)
  })

  it('0x8007045B is called an effect, 0x800F081E a wrong package, 0x80070422 disabled services, 0x80070070 disk space', async () => {
    expect((await services.diagnose({ code: '0x8007045B' })).findings[0]!.id).toBe('shutdown-in-progress-effect')
    expect((await services.diagnose({ code: '-2146498530' })).findings[0]!.id).toBe('wrong-arch-or-branch')
    expect((await services.diagnose({ code: '1058' })).findings[0]!.id).toBe('services-disabled')
    expect((await services.diagnose({ code: '0x80070070' })).findings[0]!.id).toBe('low-disk-space')
    expect((await services.diagnose({ code: '0x800f0823' })).findings[0]!.id).toBe('servicing-stack-required')
    expect((await services.diagnose({ code: '0x800f0982' })).findings[0]!.id).toBe('psfx-delta')
  })

  it('an unknown code is decoded and called unknown; text that is no code is a note, not a crash', async () => {
    const d = await services.diagnose({ code: '0x80071234' })
    expect(d.findings[0]!.title).toBe("An error code Servicing Desk's knowledge does not hold")
    expect(d.findings[0]!.technical).toContain('0x80071234')
    const bad = await services.diagnose({ code: 'not a code' })
    expect(bad.findings).toEqual([])
    expect(bad.notes[0]).toMatch(/does not look like an error code/)
  })
})

describe('WinRE findings use the WinRE knowledge', () => {
  it('arm64-winre-disabled also reports WinRE stale against KB5089593 (10.0.26100.8455)', () => {
    const stale = results.get('arm64-winre-disabled')!.findings.find((f) => f.id === 'winre-stale')
    expect(stale).toMatchObject({ repair: 'winre-update', severity: 'warning' })
    expect(stale!.title).toContain('KB5089593')
  })
})
