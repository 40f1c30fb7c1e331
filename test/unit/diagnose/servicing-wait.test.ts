/**
 * Servicing told by its waits (TrustedInstaller that does not exit, a pending transaction in pending.xml), from
 * Microsoft's documentation of the pending state (CBS_E_PENDING; KB968440), on texts of our own: a restart is the cause's
 * step, never "No servicing problem found".
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

describe('servicing that waits for a restart', () => {
  it('a tool waiting for TrustedInstaller, or TrustedInstaller that never exits, is servicing work that does not end', () => {
    // With no restart named, the work does not end (a hang); beside a restart the text names, or told by the servicing
    // stack's pending transaction, it waits for that restart.
    for (const t of [
      'The build hangs at "Waiting for the Windows Modules Installer to exit..." after the first batch of updates.',
      'After installing the updates TiWorker.exe never exits, so the next round never starts.',
      'The provisioning script loops forever: waiting for TrustedInstaller.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'servicing-hang:trustedinstaller-runs'])
    }
    for (const t of [
      'Pending reboot detected. The build hangs at "Waiting for the Windows Modules Installer to exit...".',
      'C:\\Windows\\WinSxS\\pending.xml is there and nothing else installs.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'pending-restart:servicing-waits'])
    }
    const f = diagnose({ text: 'Stuck waiting for TrustedInstaller' }).findings[0]!
    expect(f.remedies.map((r) => r.id)).toEqual(['R1', 'pending-check'])
  })
  it('a wait the run goes on from (the tool restarts the machine after it) is a routine step, not the cause', () => {
    const t = [
      '==> vm: Installing Windows updates...',
      '==> vm: Waiting for the Windows Modules Installer to exit...',
      '==> vm: Restarting the machine...',
      '==> vm: Restart complete',
    ].join('\n')
    expect(causeOf(t).id).not.toBe('pending-restart:servicing-waits')
  })
  it('pending.xml named as a step someone tried (delete, rename) is not the state', () => {
    expect(causeOf('The update rolls back at 99%. Tried: delete pending.xml and migration.xml, no luck.').id).not.toBe(
      'pending-restart:servicing-waits',
    )
  })
  it('a text whose failure code names the cause keeps that finding', () => {
    expect(causeOf('DISM failed with 0x800f0906 while TrustedInstaller was still running').id).not.toBe(
      'pending-restart:servicing-waits',
    )
  })
})
