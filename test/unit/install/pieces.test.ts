/** Exit-code meanings, DISM progress parsing, the journal file, and the PowerShell export. */
import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { DismProgress, exitMeaning } from '../../../main/install/step-outcome.ts'
import { JournalStore, JournalError, interrupted, withEntry } from '../../../main/install/journal.ts'
import { planToPowerShell, psQuote } from '../../../main/install/script-export.ts'
import { planInstallation } from '../../../main/install/planner.ts'
import { addPackageStep, restartStep } from '../../../main/install/step-commands.ts'
import { freshServices, kit, arm64 } from './helpers.ts'
import type { PlanPackage } from '../../../preload/model/plan.ts'

const pkg: PlanPackage = {
  kb: 'KB5086672',
  fileName: 'a.msu',
  arch: 'arm64',
  sha1: null,
  sha256: null,
  path: 'C:\\kit\\a.msu',
  role: 'target',
  build: 26100,
  ubr: 8117,
  sizeBytes: null,
}
const add = addPackageStep(1, { kind: 'online' }, pkg, [pkg], 'sequence', [])

describe('exitMeaning', () => {
  it('treats 0 as done, 3010 as done-with-restart, 0x800F081E as not applicable, 2359302 as already installed', () => {
    expect(exitMeaning(add, 0)).toEqual({ kind: 'ok' })
    expect(exitMeaning(add, 3010)).toEqual({ kind: 'restart-required' })
    expect(exitMeaning(add, 0x800f081e)).toEqual({ kind: 'not-applicable' })
    expect(exitMeaning(add, -2146498530)).toEqual({ kind: 'not-applicable' })
    expect(exitMeaning(add, 0x80240017)).toEqual({ kind: 'not-applicable' })
    expect(exitMeaning(add, 2359302)).toEqual({ kind: 'already-installed' })
  })
  it('turns anything else into a failure with the normalised code, signed or not', () => {
    expect(exitMeaning(add, 0x800f0922)).toEqual({ kind: 'failed', code: '0x800F0922' })
    expect(exitMeaning(add, -2147010798)).toEqual({ kind: 'failed', code: '0x80073712' })
    expect(exitMeaning(add, 1)).toEqual({ kind: 'failed', code: '0x00000001' })
    expect(exitMeaning(restartStep(2, [], []), 0x800f081e)).toEqual({ kind: 'failed', code: '0x800F081E' })
  })
})

describe('DismProgress', () => {
  it('reads real bar lines and spreads "Processing i of n" over the whole', () => {
    const p = new DismProgress()
    expect(p.line('[===========================69.0%========                  ]')).toBeCloseTo(0.69)
    expect(
      p.line('Processing 2 of 2 - Adding package Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.8117.1.10'),
    ).toBe(0.5)
    expect(p.line('[===========                20.0%                          ]')).toBeCloseTo(0.6)
    expect(p.line('[==========================100.0%==========================]')).toBe(1)
    expect(p.line('The operation completed successfully.')).toBeNull()
    expect(p.line('')).toBeNull()
    expect(p.line('[ garbage %]')).toBeNull()
  })
})

describe('JournalStore', () => {
  it('writes atomically, reads back, refuses a second create, and explains damage plainly', async () => {
    const { dir, services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'] })
    const store = new JournalStore(dir)
    const j = store.create(plan)
    expect(store.load(plan.id)).toEqual(j)
    expect(() => store.create(plan)).toThrow(JournalError)
    const j2 = withEntry(
      j,
      { phase: 'started', stepId: 's1-add-KB5086672', at: '2026-11-21T08:00:00Z', attempt: 1 },
      'running',
    )
    store.save(j2)
    expect(interrupted(store.load(plan.id), 's1-add-KB5086672')).toBe(true)
    expect(store.unfinished().map((x) => x.planId)).toEqual([plan.id])
    writeFileSync(store.file(plan.id), '{"schemaVersion":1,')
    expect(() => store.load(plan.id)).toThrow(/is not JSON/)
    writeFileSync(store.file(plan.id), '{"schemaVersion":1}')
    expect(() => store.load(plan.id)).toThrow(
      /is from an earlier version of Servicing Desk \(format 1\) and is not supported, so nothing in it runs\./,
    )
    writeFileSync(store.file(plan.id), '{"schemaVersion":2}')
    expect(() => store.load(plan.id)).toThrow(/is damaged: planId/)
    expect(() => store.load('../etc')).toThrow(/Invalid plan id/)
    expect(() => store.load('nope')).toThrow(/No journal for plan nope/)
  })
})

describe('planToPowerShell', () => {
  it('quotes for PowerShell', () => {
    expect(psQuote("C:\\it's here")).toBe("'C:\\it''s here'")
  })
  it("writes every step's command in order with hash checks, unsigned exit-code tests and resume across restarts", async () => {
    const { dir, services } = freshServices()
    const snapshot = await services.scan(arm64)
    const plan = planInstallation({
      id: 'p1',
      createdAt: '2026-11-21T08:00:00Z',
      targets: ['KB5086672'],
      snapshot,
      machineRef: arm64,
      packages: kit(dir, 'KB5086672', 'arm64'),
      method: 'sequence',
      scope: { kind: 'online' },
      elevated: true,
    })
    const ps = planToPowerShell(plan)
    expect(ps.startsWith('#Requires -RunAsAdministrator')).toBe(true)
    const i1 = ps.indexOf('# Step 1 of 4: Install KB5043080 (checkpoint)')
    const i3 = ps.indexOf('# Step 3 of 4: Install KB5086672')
    expect(i1).toBeGreaterThan(0)
    expect(i3).toBeGreaterThan(i1)
    expect(ps).toMatch(
      new RegExp(
        `& \\(Join-Path \\$env:SystemRoot 'System32\\\\Dism\\.exe'\\) '/English' '/Online' '/Add-Package' '/PackagePath:${plan.packages[0].path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' '/NoRestart'`,
      ),
    )
    expect(ps).toContain(
      `-Algorithm SHA256 -LiteralPath '${plan.packages[1].path}').Hash -ne '${plan.packages[1].sha256!.toUpperCase()}'`,
    )
    expect(ps).toContain('$code -eq 2148468766')
    expect(ps).toContain("CurrentVersion\\RunOnce' -Name 'ServicingDesk'")
    expect(ps.match(/exit 3010/g)).toHaveLength(2)
  })
  it('a refused plan becomes a script that stops with the reason', async () => {
    const { dir, services } = freshServices()
    const snapshot = await services.scan(arm64)
    const plan = planInstallation({
      id: 'p2',
      createdAt: '2026-11-21T08:00:00Z',
      targets: ['KB5086672'],
      snapshot,
      machineRef: arm64,
      packages: kit(dir, 'KB5086672', 'x64'),
      method: 'folder',
      scope: { kind: 'online' },
      elevated: true,
    })
    expect(planToPowerShell(plan)).toMatch(
      /throw 'This plan was refused: x64 package .* cannot be installed on this arm64 PC/,
    )
    expect(planToPowerShell(plan)).not.toMatch(/dism\.exe/i)
  })
})

describe('verifyInstallation', () => {
  it('is not verified while the target only waits for the restart, and is once the build moved', async () => {
    const { services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'] })
    const waiting = await services.install.install(plan, { confirmRestart: async () => false })
    const { verifyInstallation } = await import('../../../main/install/verify.ts')
    const host = services.hostFor(arm64)
    const before = await verifyInstallation(host, waiting)
    expect(before.verified).toBe(false)
    expect(before.targets).toEqual([{ kb: 'KB5086672', state: 'pending', installed: false }])
    expect(before.detail).toBe('KB5086672 is pending; the PC is at 26100.1150.')
    const done = await services.install.install(plan, {})
    expect(done.verification).toMatchObject({ verified: true, after: { build: 26100, ubr: 8117 } })
  })
})
