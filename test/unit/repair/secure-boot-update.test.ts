/**
 * `secure-boot-update` on x64-secureboot-2011: the diagnosis offers Windows' own Secure Boot certificate
 * update (AvailableUpdates 0x5944 with reg.exe, the Secure-Boot-Update task with schtasks.exe, a restart), and the run
 * ends verified by UEFICA2023Status Updated and event 1808 (the knowledge's `start-update`). The training machine moves
 * NotStarted → InProgress (the task) → Updated (the restart) and answers in reg.exe's and schtasks' own words. Where
 * the firmware refused the update (events 1795/1796/1802/1803), or Secure Boot is off, it is not offered.
 */
import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { commandOf } from '../../../main/repair/step-kinds.ts'
import { secureBootUpdateRepair } from '../../../main/repair/definitions/secure-boot-update.ts'
import {
  renderSecureBootAvailableUpdates,
  renderSecureBootTaskRun,
} from '../../../main/training/renderers/boot-chain.ts'
import { trainingProfile } from '../../../main/training/profiles/index.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { loadFixture } from '../../fixtures/load.ts'

const M = 'x64-secureboot-2011'
const ref = { kind: 'training' as const, name: M }
const env = { hostKind: 'training' as const, dataDir: 'C:\\ProgramData\\ServicingDesk', resumeCommand: null }
const bootChain = (s: MachineSnapshot) => (s.bootChain?.status === 'known' ? s.bootChain.value : null)

describe('repair secure-boot-update', () => {
  it('is offered on the 2011-only PC, runs reg.exe and schtasks.exe by name, restarts, and ends verified (Updated, event 1808); the findings are gone', async () => {
    const services = createServices({ dataDir: join(tempDirSync('sd-sbu-'), 'data'), platform: 'linux' })
    const offers = (await services.repairs.offers(ref)).offers
    const offer = offers.find((o) => o.repairId === 'secure-boot-update')
    expect(offer, JSON.stringify(offers.map((o) => o.repairId))).toBeDefined()
    const plan = (
      await services.repairs.planForPc(
        { kind: 'snapshot', id: services.importSnapshot(JSON.stringify(await services.scan(ref))).id },
        'secure-boot-update',
      )
    ).plan
    expect(plan.steps.map((s) => [s.kind, commandOf(s, env)?.file, commandOf(s, env)?.args.join(' ')])).toEqual([
      [
        'secure-boot-available-updates',
        'reg.exe',
        'add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f',
      ],
      ['secure-boot-task-run', 'schtasks.exe', '/Run /TN \\Microsoft\\Windows\\PI\\Secure-Boot-Update'],
      ['restart', 'shutdown.exe', '/r /t 0'],
    ])
    const run = await services.repairs.run(ref, 'secure-boot-update')
    expect(run.verified, run.verification?.detail).toBe(true)
    const after = bootChain(await services.scan(ref))!
    expect(after.servicing.uefiCa2023Status).toBe('Updated')
    expect(after.events.map((e) => e.id)).toContain(1808)
    expect(after.db.windowsUefiCa2023).toBe(true)
    expect(after.bootManager.signer).toBe('windows-uefi-ca-2023')
    const ids = (await services.diagnose({ machine: ref })).findings
      .filter((f) => f.state === 'current')
      .map((f) => f.id)
    expect(ids).not.toContain('secure-boot-2023-missing')
    expect(ids).not.toContain('boot-manager-2011')
    // Done: it is not offered again.
    expect((await services.repairs.offers(ref)).offers.map((o) => o.repairId)).not.toContain('secure-boot-update')
  })

  it('the model moves NotStarted → InProgress with the task → Updated with the restart, and only then logs 1808', async () => {
    const services = createServices({ dataDir: join(tempDirSync('sd-sbu-'), 'data'), platform: 'linux' })
    const host = services.hostFor(ref)
    const status = async () => bootChain(await services.scan(ref))!
    expect((await status()).servicing.uefiCa2023Status).toBe('NotStarted')
    const plan = (
      await services.repairs.planForPc(
        { kind: 'snapshot', id: services.importSnapshot(JSON.stringify(await services.scan(ref))).id },
        'secure-boot-update',
      )
    ).plan
    const spec = (kind: string) => commandOf(plan.steps.find((s) => s.kind === kind)!, env)!
    // The task before AvailableUpdates asks for anything changes nothing.
    expect((await host.run(spec('secure-boot-task-run'))).exitCode).toBe(0)
    expect((await status()).servicing.uefiCa2023Status).toBe('NotStarted')
    expect((await host.run(spec('secure-boot-available-updates'))).exitCode).toBe(0)
    expect((await status()).servicing.availableUpdates).toBe(0x5944)
    await host.run(spec('secure-boot-task-run'))
    const midSnap = await services.scan(ref)
    // InProgress is not verified; the restart is what finishes it.
    expect(secureBootUpdateRepair.verify({ snapshot: midSnap, journal: {} as never })).toMatchObject({
      verified: false,
      detail: expect.stringMatching(/InProgress and event 1808 is not in the System log/),
    })
    const mid = await status()
    expect(mid.servicing.uefiCa2023Status).toBe('InProgress')
    expect(mid.db.windowsUefiCa2023).toBe(true)
    expect(mid.kek.kek2023).toBe(true)
    expect(mid.bootManager.signer).toBe('windows-production-pca-2011')
    expect(mid.events.map((e) => e.id)).not.toContain(1808)
    await host.run(spec('restart'))
    const end = await status()
    expect(end.servicing.uefiCa2023Status).toBe('Updated')
    expect(end.events.slice(0, 2).map((e) => e.id)).toEqual([1808, 1799])
    expect(end.bootManager.signer).toBe('windows-uefi-ca-2023')
    const endSnap = await services.scan(ref)
    expect(secureBootUpdateRepair.verify({ snapshot: endSnap, journal: {} as never }).verified).toBe(true)
    // Updated without event 1808 (or 1808 without Updated) is not enough: the knowledge checks both.
    const no1808 = {
      ...endSnap,
      bootChain: { ...endSnap.bootChain!, value: { ...end, events: end.events.filter((e) => e.id !== 1808) } },
    } as MachineSnapshot
    expect(secureBootUpdateRepair.verify({ snapshot: no1808, journal: {} as never }).verified).toBe(false)
    const notUpdated = {
      ...endSnap,
      bootChain: {
        ...endSnap.bootChain!,
        value: { ...end, servicing: { ...end.servicing, uefiCa2023Status: 'InProgress' } },
      },
    } as MachineSnapshot
    expect(secureBootUpdateRepair.verify({ snapshot: notUpdated, journal: {} as never }).verified).toBe(false)
  })

  it("the training machine answers in reg.exe's and schtasks' own words", () => {
    const state = trainingProfile(M)!
    const reg = renderSecureBootAvailableUpdates({
      state,
      spec: {
        name: 'repair.secureboot-available-updates',
        file: 'reg.exe',
        args: [
          'add',
          'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot',
          '/v',
          'AvailableUpdates',
          '/t',
          'REG_DWORD',
          '/d',
          '0x5944',
          '/f',
        ],
        timeoutMs: 1,
      },
      options: {},
    }) as { stdout: string; state: TrainingState }
    expect(reg.stdout).toBe(loadFixture('secure-boot/reg-add-success.txt').text)
    expect(reg.state.bootChain!.registry.secureBoot.AvailableUpdates).toBe(0x5944)
    const task = '\\Microsoft\\Windows\\PI\\Secure-Boot-Update'
    const run = renderSecureBootTaskRun({
      state: reg.state,
      spec: { name: 'repair.secureboot-task-run', file: 'schtasks.exe', args: ['/Run', '/TN', task], timeoutMs: 1 },
      options: {},
    }) as { stdout: string }
    expect(run.stdout).toBe(
      loadFixture('secure-boot/schtasks-run-success.txt').text.replace('"Security Script"', `"${task}"`),
    )
    // Another key, value or task is not modelled: refused, never guessed.
    expect(
      (
        renderSecureBootAvailableUpdates({
          state,
          spec: {
            name: 'x',
            file: 'reg.exe',
            args: ['add', 'HKLM\\SOFTWARE\\Other', '/v', 'AvailableUpdates', '/t', 'REG_DWORD', '/d', '0x5944', '/f'],
            timeoutMs: 1,
          },
          options: {},
        }) as { exitCode: number }
      ).exitCode,
    ).toBe(1)
    expect(
      (
        renderSecureBootTaskRun({
          state,
          spec: { name: 'x', file: 'schtasks.exe', args: ['/Run', '/TN', '\\Other'], timeoutMs: 1 },
          options: {},
        }) as { exitCode: number }
      ).exitCode,
    ).toBe(1)
  })

  it('is not offered where it cannot work: the firmware refused (1795, 1796, 1802, 1803), or Secure Boot is off', async () => {
    const services = createServices({ dataDir: join(tempDirSync('sd-sbu-'), 'data'), platform: 'linux' })
    const snapshot = await services.scan(ref)
    const findings = (await services.diagnose({ machine: ref })).findings
    expect(secureBootUpdateRepair.offer({ snapshot, findings })).not.toBeNull()
    const b = bootChain(snapshot)!
    for (const id of [1795, 1796, 1802, 1803]) {
      const refused = {
        ...snapshot,
        bootChain: {
          ...snapshot.bootChain!,
          value: { ...b, events: [{ id, time: null, level: 'Error', message: 'x' }, ...b.events] },
        },
      } as MachineSnapshot
      expect(secureBootUpdateRepair.offer({ snapshot: refused, findings }), String(id)).toBeNull()
      expect(secureBootUpdateRepair.plan({ snapshot: refused, findings, ref, env, reason: '' }).refused).toMatch(
        new RegExp(`event.* ${id}`),
      )
    }
    const off = {
      ...snapshot,
      bootChain: { ...snapshot.bootChain!, value: { ...b, secureBoot: 'off' } },
    } as MachineSnapshot
    expect(secureBootUpdateRepair.offer({ snapshot: off, findings })).toBeNull()
  })
})
