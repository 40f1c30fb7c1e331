/**
 * A training machine's restart plays out as on a PC: it clears what a restart clears
 * (pending flags, CBS_E_PENDING on the next install), the update that waited for it finishes in the update
 * history (no "In progress" afterwards), and the last boot time moves forward to the restart.
 */
import { describe, it, expect } from 'vitest'
import { lastBootOf, restartMachine, restartPending } from '../../../main/training/state.ts'
import { trainingProfile, trainingProfiles } from '../../../main/training/profiles/index.ts'
import { renderUpdateHistory } from '../../../main/training/renderers/history.ts'
import { freshServices } from '../install/helpers.ts'

const pendingRestart = () => trainingProfile('x64-pending-restart')!

describe('restartMachine', () => {
  it('finishes the update-history entry of the update the restart completed', async () => {
    const before = pendingRestart()
    expect(before.history.find((h) => h.title.includes('(KB5094126)'))?.resultCode).toBe(1)
    const after = restartMachine(before, new Date('2026-11-23T09:00:00Z'))
    expect(after.history.find((h) => h.title.includes('(KB5094126)'))).toMatchObject({ resultCode: 2, hresult: 0 })
    expect(after.history.some((h) => h.resultCode === 1)).toBe(false)
    // The failure stays what it was: a restart does not rewrite history.
    expect(after.history.find((h) => h.title.includes('(KB5095011)'))).toMatchObject({
      resultCode: 4,
      hresult: -2146498554,
    })
    // As the probe reads it: ResultCode 2.
    const rows = JSON.parse(
      (
        await renderUpdateHistory({
          state: after,
          spec: { name: 'history.update-session', file: 'x', args: [], timeoutMs: 1 },
          options: {},
        })
      ).stdout,
    ) as { Title: string; ResultCode: number }[]
    expect(rows.find((r) => r.Title.includes('KB5094126'))?.ResultCode).toBe(2)
  })

  it('moves the last boot time to the restart and leaves no restart pending', () => {
    const before = pendingRestart()
    expect(restartPending(before)).toBe(true)
    const after = restartMachine(before, new Date('2026-11-23T09:00:00Z'))
    expect(lastBootOf(after)).toBe('2026-11-23T09:00:00.000Z')
    expect(restartPending(after)).toBe(false)
    expect(restartMachine(after, new Date('2026-11-24T10:30:00Z')).lastBoot).toBe('2026-11-24T10:30:00.000Z')
  })
})

describe('lastBootOf a profile', () => {
  it('is before what waits for a restart and before the newest failure (they happened since the boot)', () => {
    const s = pendingRestart()
    const boot = Date.parse(lastBootOf(s))
    expect(boot).toBeLessThan(Date.parse('2026-06-10T07:58:31Z'))
    expect(lastBootOf(s)).toBe('2026-06-10T06:58:31.000Z')
  })
  it('is after the newest update on a machine with nothing pending or failed (the restart that completed it)', () => {
    const s = trainingProfile('x64-healthy')!
    const newest = Math.max(...s.history.map((h) => Date.parse(h.date)))
    expect(Date.parse(lastBootOf(s))).toBeGreaterThan(newest)
  })
  it('is a valid time on every profile', () => {
    for (const p of trainingProfiles) expect(Number.isFinite(Date.parse(lastBootOf(p))), p.name).toBe(true)
  })
})

describe('x64-pending-restart: the update that failed with CBS_E_PENDING', () => {
  it('is refused before the restart, and installs and verifies after `repair restart`', async () => {
    const { services } = freshServices()
    const ref = { kind: 'training', name: 'x64-pending-restart' } as const
    await expect(
      services.install.install(await services.install.makePlan({ ref, kbs: ['KB5095011'] }), {}),
    ).rejects.toThrow(/restart is pending/)

    const restart = await services.repairs.run(ref, 'restart')
    expect(restart.verified).toBe(true)

    const done = await services.install.install(await services.install.makePlan({ ref, kbs: ['KB5095011'] }), {})
    expect(done.status).toBe('completed')
    expect(done.verification).toMatchObject({ verified: true, targets: [{ kb: 'KB5095011', installed: true }] })
  })
})
