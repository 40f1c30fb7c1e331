/**
 * "Up to date" only with the evidence: a PC whose build and UBR are below the newest released cumulative
 * update its branch has (the one `knowledge` names) is offered that update — a current finding with the installed
 * build/UBR beside the newest listed — so verification does not pass, the latest-update tile is not green and no
 * "No problem found" is said. On x64-healthy (26100.8655, KB5129195 at 26100.9457 listed): offered; once it is
 * installed and verified, the finding is history; the PC is then behind only the November 2026 build a CVE record states
 * without its KB (26100.9974), said as such with no install offered.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { ReportSchema } from '../../../preload/model/report.ts'
import { assessHealth, englishHealthWords, noProblemWords } from '../../../preload/model/health.ts'
import { branchForBuild, machineContext, newestUpdateForBranch } from '../../../main/knowledge/servicing-chains.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'

const home = join(tempDirSync('sd-up-to-date-'), 'data')
const oldHome = process.env.SERVICING_DESK_HOME
beforeAll(() => {
  process.env.SERVICING_DESK_HOME = home
})
afterAll(() => {
  if (oldHome === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = oldHome
})

const services = createServices({ dataDir: home, platform: 'linux' })
const handlers = createHandlers(services)

async function said(machine: MachineRef) {
  const d = await invokeCall(handlers, 'diagnose', { machine })
  const r = await invokeCall(handlers, 'exportReport', { machine, format: 'json' })
  if (!d.ok || !r.ok) throw new Error(JSON.stringify(!d.ok ? d : r))
  const report = ReportSchema.parse(JSON.parse(r.value.content))
  const findings = d.value.findings
  const tiles = assessHealth(report.snapshot, englishHealthWords, findings, { verdict: true })
  return { findings, report, tiles, words: noProblemWords(findings) }
}

describe('"up to date" only when the PC has its branch\'s newest update', () => {
  for (const m of services.listTrainingMachines().machines) {
    it(`${m.name} as shipped`, async () => {
      const machine: MachineRef = { kind: 'training', name: m.name }
      const s = await said(machine)
      const os = s.report.snapshot.os.status === 'known' ? s.report.snapshot.os.value : null
      if (!os || os.ubr == null) return
      const branch = branchForBuild(os.build, machineContext(os))
      const newest = branch ? newestUpdateForBranch(branch.id) : null
      if (!newest || newest.released > s.report.snapshot.takenAt.slice(0, 10) || newest.ubr <= os.ubr) return
      const now = s.findings.filter((f) => f.state !== 'past')
      // Behind: an install is offered, or another repair the verdict asks for first (the newest update comes next), never a pass.
      expect(
        now.some((f) => f.severity !== 'info' && f.repair),
        `${m.name} at ${os.build}.${os.ubr}, ${newest.kb} (${newest.ubr}) listed: nothing offered`,
      ).toBe(true)
      if (
        !now.some(
          (f) =>
            f.severity !== 'info' && f.repair && f.repair !== 'install-update' && f.repair !== 'install-checkpoint',
        )
      ) {
        expect(
          now.some((f) => f.repair === 'install-update' || f.repair === 'install-checkpoint'),
          `${m.name}: behind ${newest.kb} and no install offered`,
        ).toBe(true)
      }
      expect(s.report.verification.status, `${m.name}: verification passes while behind ${newest.kb}`).not.toBe(
        'healthy',
      )
      if (now.some((f) => f.repair === 'install-update' || f.repair === 'install-checkpoint'))
        expect(
          s.tiles.find((t) => t.id === 'failures')!.level,
          `${m.name}: green latest-update tile while an install is offered`,
        ).not.toBe('ok')
      if (!now.some((f) => f.severity !== 'info'))
        expect(s.words, `${m.name}: "no problem found" while behind ${newest.kb}`).not.toMatch(
          /^No (current )?problem found/,
        )
    })
  }

  it('x64-healthy: KB5129195 is offered with its evidence; after its install only the November build without its KB is left, offered nowhere', async () => {
    const machine: MachineRef = { kind: 'training', name: 'x64-healthy' }
    const before = await said(machine)
    const f = before.findings.find((x) => x.state !== 'past' && x.repair === 'install-update')
    expect(f, 'x64-healthy: the newest update is not offered').toBeDefined()
    expect(f!.kbs).toEqual(['KB5129195'])
    expect(f!.severity).toBe('warning')
    const evidence = f!.evidence.map((e) => e.excerpt).join('\n')
    expect(evidence).toContain('26100.8655')
    expect(evidence).toContain('KB5129195')
    expect(evidence).toContain('26100.9457')
    expect(before.report.verification.checks.find((c) => c.id === 'offered-installs')).toMatchObject({ ok: false })
    const plan = await services.install.makePlan({ ref: machine, kbs: ['KB5129195'] })
    expect(plan.refused ?? null).toBeNull()
    const run = await services.install.install(plan, {})
    expect(run.verification?.verified).toBe(true)
    const after = await said(machine)
    // KB5129195 is the newest update the knowledge has a KB for; Microsoft's CVE record states a newer build
    // (26100.9974, 2026-11-10) whose KB no page read names: the PC is still behind, with nothing to install blindly.
    expect(
      after.findings
        .filter((x) => x.state !== 'past' && x.severity !== 'info')
        .map((x) => `${x.id} ${x.repair} ${x.title}`),
      'x64-healthy after KB5129195',
    ).toEqual([
      'newer-build-available null A newer build is out: 26100.9974 (released 2026-11-10); this PC is at 26100.9457',
    ])
    expect(
      after.findings.find((x) => x.id === f!.id),
      'the offer moved to history',
    ).toMatchObject({ state: 'past' })
    expect(after.report.verification.status).toBe('update-available')
    expect(after.report.verification.checks.find((c) => c.id === 'offered-installs')).toMatchObject({
      ok: false,
      detail: 'A newer build is out: 26100.9974 (released 2026-11-10); this PC is at 26100.9457.',
    })
  })
})

describe('after a run, every surface follows the evidence', () => {
  it('x64-winre-partition-full after the WinRE repair: KB5034441 (a WinRE update WinRE is now past) is offered nowhere', async () => {
    const machine: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
    const before = await said(machine)
    expect(before.findings.some((f) => f.state !== 'past' && f.kbs?.includes('KB5034441'))).toBe(true)
    const { repair } = await services.winre.report(machine)
    const run = await services.winre.repair(machine, repair.id)
    expect(run.verification?.verified).toBe(true)
    const after = await said(machine)
    const winre = after.report.snapshot.winre.status === 'known' ? after.report.snapshot.winre.value.version : null
    expect(winre, 'WinRE after the repair').toBe('10.0.19041.7290')
    // WinRE 10.0.19041.7290 (KB5087593) is past what KB5034441 brings (10.0.19041.3920): installing it again is not a step.
    const offered = after.findings.filter((f) => f.state !== 'past' && f.kbs?.includes('KB5034441'))
    expect(
      offered.map((f) => f.title),
      'still asks for KB5034441 after the WinRE repair',
    ).toEqual([])
    const offers = await invokeCall(handlers, 'repairOffers', { machine })
    if (!offers.ok) throw new Error(JSON.stringify(offers))
    expect(
      (offers.value.elsewhere ?? []).map((e) => e.kb),
      'Fix it',
    ).not.toContain('KB5034441')
    // The latest-update tile: the failed KB5034441 is history, said as resolved, not a problem of its own.
    const tile = after.tiles.find((t) => t.id === 'failures')!
    expect(tile.headline ?? '', 'the latest-update tile').not.toContain('KB5034441')
    expect(
      after.report.verification.checks.find((c) => c.id === 'offered-installs')?.detail ?? '',
      'the report',
    ).not.toContain('KB5034441')
  })
})

describe('x64-secureboot-2011: the Recovery tile follows the WinRE boot manager', () => {
  it('is not green while WinRE would stop booting after the PCA 2011 revocation, and the WinRE plan names the Secure Boot repair', async () => {
    const machine: MachineRef = { kind: 'training', name: 'x64-secureboot-2011' }
    const s = await said(machine)
    expect(s.findings.find((f) => f.id === 'boot-manager-2011')).toMatchObject({
      state: 'current',
      repair: 'secure-boot-update',
    })
    expect(s.tiles.find((t) => t.id === 'winre')!.level, 'the Recovery tile').not.toBe('ok')
    expect(s.report.verification.checks.find((c) => c.id === 'winre')!.ok, "the report's WinRE check").not.toBe(true)
    const w = await services.winre.report(machine)
    expect(w.health.findings.some((f) => f.id === 'boot-after-revocation' && f.severity !== 'info')).toBe(true)
    expect(w.repair.notes.join(' '), 'the Recovery screen').not.toMatch(/Nothing to repair/)
    expect(w.repair.notes.join(' ')).toContain("Start Windows' Secure Boot certificate update")
  })
})
