/**
 * Never offer what cannot take: an ESU update on a Windows 10 22H2 PC whose enrolment cannot be read, and an update
 * this app's install ended "not applicable" for at the PC's level now, are findings that say why and what instead,
 * with no install to press.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { behindNewest } from '../../../main/diagnose/behind-newest.ts'

describe('never offer what cannot take', () => {
  it('Windows 10 22H2: KB5129236 needs an ESU licence, said so, and no install is offered', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-esu-') })
    const ref = { kind: 'training', name: 'x64-winre-partition-full' } as const
    const d = await services.diagnose({ machine: ref })
    const f = d.findings.find((x) => x.id === 'newer-update-available')!
    expect(f.title).toMatch(/KB5129236.*needs an ESU licence/)
    expect(f.repair).toBeNull()
    expect(f.remedies.every((r) => r.repair === null)).toBe(true)
    expect(f.remedies[0]!.text).toMatch(/slmgr\.vbs \/dlv all/)
    const offers = await services.repairs.offers(ref)
    expect((offers.elsewhere ?? []).filter((e) => e.repairId === 'install-update')).toEqual([])
  })

  it('an install that ended "not applicable" is remembered on the timeline with the level it was tried at', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-na-') })
    const ref = { kind: 'training', name: 'x64-winre-partition-full' } as const
    // Installed anyway (the person pressed it on the CLI): Windows answers not applicable, nothing changes.
    const plan = await services.install.makePlan({ ref, kbs: ['KB5129236'] })
    await services.install.install(plan, {})
    const d = await services.diagnose({ machine: ref })
    const run = d.timeline!.events.find((e) => e.run?.kind === 'install')
    expect(run?.run?.unchanged).toEqual({ kbs: ['KB5129236'], kind: 'not-applicable', ubr: 3803 })
  })

  it('an install that ended "not applicable" is not offered again as "install it again": the failed-update finding says why', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-na-again-') })
    const ref = { kind: 'training', name: 'x64-winre-partition-full' } as const
    const plan = await services.install.makePlan({ ref, kbs: ['KB5129236'] })
    await services.install.install(plan, {})
    const d = await services.diagnose({ machine: ref })
    const f = d.findings.find((x) => x.id === 'update-not-installed' && x.kbs?.includes('KB5129236'))!
    expect(f.repair).toBeNull()
    expect(f.title).toBe('KB5129236 is still not installed: Windows answered that it does not apply to this PC')
    expect(f.causes[0]).toMatch(/answered "not applicable" without changing anything; .* it is not offered again\.$/)
    expect(f.remedies.every((r) => r.repair === null)).toBe(true)
    expect(d.findings.filter((x) => x.state === 'current' && x.repair === 'install-update')).toEqual([])
    const offers = await services.repairs.offers(ref)
    expect((offers.elsewhere ?? []).filter((e) => e.repairId === 'install-update')).toEqual([])
  })

  it('the newest update is not offered again after it ended "not applicable" at this level; offered again at another', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-na2-') })
    const ref = { kind: 'training', name: 'x64-healthy' } as const
    const d = await services.diagnose({ machine: ref })
    const snapshot = await services.scan(ref)
    const rest = d.findings.filter((f) => f.id !== 'newer-update-available')
    const event = (ubr: number) =>
      ({
        lastBootAt: null,
        events: [
          {
            at: '2026-11-20T10:00:00Z',
            kind: 'app-run',
            title: 'Install KB5129195',
            run: {
              kind: 'install',
              id: 'p1',
              repairId: 'install',
              kbs: ['KB5129195'],
              status: 'completed',
              verified: false,
              at: '2026-11-20T10:00:00Z',
              detail: 'x',
              unchanged: { kbs: ['KB5129195'], kind: 'not-applicable', ubr },
            },
          },
        ],
      }) as never
    expect(behindNewest(rest, snapshot, null)[0]!.repair).toBe('install-update')
    const f = behindNewest(rest, snapshot, event(8655))[0]!
    expect(f.repair).toBeNull()
    expect(f.title).toBe('KB5129195 did not apply to this PC; it is at 26100.8655')
    expect(f.causes[0]).toMatch(/"not applicable": nothing changed, so it is not offered again/)
    expect(behindNewest(rest, snapshot, event(1150))[0]!.repair).toBe('install-update')
  })
})
