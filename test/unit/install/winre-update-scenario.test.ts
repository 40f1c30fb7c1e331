/**
 * x64-winre-partition-full plays out its own story: the WinRE update KB5034441 fails with 0x80070643 while
 * the recovery partition has less than 250 MB free (KB5034441, KB5028997), and after the WinRE repair
 * (the KB5028997 resize) the same install succeeds and verifies by WinRE's version, not the build.
 * In process (createServices with the local training Catalog), so no child process is spawned.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'

const ref: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }

async function installKb(svc: ReturnType<typeof createServices>, kb: string) {
  const plan = await svc.install.makePlan({ ref, kbs: [kb] })
  expect(plan.refused).toBeNull()
  return svc.install.install(plan, {})
}

describe('KB5034441 on x64-winre-partition-full', () => {
  it('fails with 0x80070643 before the WinRE repair, then installs and verifies by the WinRE version after it', async () => {
    const svc = createServices({ dataDir: tempDirSync('sd-winre-kb-'), platform: 'linux' })
    const failed = await installKb(svc, 'KB5034441')
    expect(failed.status).toBe('failed')
    const add = Object.values(failed.results).find((r) => r.kind === 'failed')
    expect(add).toMatchObject({ kind: 'failed', code: '0x80070643' })
    expect(failed.verification?.verified ?? false).toBe(false)
    // The machine is unchanged: WinRE still at its old version, the partition still full.
    const mid = await svc.scan(ref)
    expect(mid.winre.status === 'known' && mid.winre.value.version).toBe('10.0.19041.3636')

    const { repair } = await svc.winre.report(ref)
    const run = await svc.winre.repair(ref, repair.id)
    expect(run.verification?.verified).toBe(true)

    const ok = await installKb(svc, 'KB5034441')
    expect(ok.status).toBe('completed')
    expect(ok.verification).toMatchObject({ verified: true })
    expect(ok.verification!.detail).toMatch(/WinRE is at 10\.0\.19041\.\d+/)
  })

  it('does not verify a WinRE update whose WinRE did not move (WinRE disabled: the package installs, WinRE stays old)', async () => {
    const svc = createServices({ dataDir: tempDirSync('sd-winre-kb-'), platform: 'linux' })
    const st = svc.trainingStore.load('x64-winre-partition-full')
    st.winre.enabled = false
    svc.trainingStore.save(st)
    const j = await installKb(svc, 'KB5034441')
    expect(j.status).toBe('completed')
    expect(j.verification).toMatchObject({ verified: false })
    expect(j.verification!.detail).toMatch(/WinRE is at 10\.0\.19041\.3636, below the 10\.0\.19041\.3920/)
  })
})

describe('plan ids', () => {
  it("a second plan for the same machine and KB in the same second gets its own id (it does not pick up the first run's journal)", async () => {
    const dataDir = tempDirSync('sd-plan-id-')
    const svc = createServices({ dataDir, platform: 'linux' })
    const { createInstallService } = await import('../../../main/install/install-service.ts')
    const fixed = new Date('2026-11-22T10:00:00Z')
    const install = createInstallService({
      dataDir,
      platform: 'linux',
      hostFor: svc.hostFor,
      scan: svc.scan,
      now: () => fixed,
    })
    const a = await install.makePlan({ ref, kbs: ['KB5034441'] })
    const first = await install.install(a, {})
    expect(first.status).toBe('failed')
    const b = await install.makePlan({ ref, kbs: ['KB5034441'] })
    expect(b.id).not.toBe(a.id)
    // Unguessable: the time, then 128 random bits (22 base64url characters), then the machine and KB.
    for (const id of [a.id, b.id]) expect(id).toMatch(/^20261122T100000-[A-Za-z0-9_-]{22}-/)
  })
})
