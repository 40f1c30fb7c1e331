/**
 * The journal attacks: a run resumes only what the app itself planned. Each case plants a journal as
 * an attacker with write access to the data folder would (no key: the app's key file is 0600 and theirs to read
 * only as the same user), and checks that nothing in it runs and the machine is untouched. This file imports
 * only modules that main had before the fix, so it runs (and fails) against it too.
 */
import { describe, it, expect } from 'vitest'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { planDigest } from '../../../main/install/plan-digest.ts'
import { WinreJournalStore } from '../../../main/winre/run-journal.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { pcPathFor } from '../../../main/host/pc-path.ts'
import { buildStep, planCommandProblems } from '../../../main/install/step-commands.ts'
import { buildWinreStep, winreRepairProblems } from '../../../main/winre/step-builder.ts'

describe('planted journals never run', () => {
  it('a repair journal named for restart whose one step removes the cumulative update: refused, not offered, the package stays', async () => {
    const home = tempDirSync('sd-planted-repair-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const M = 'x64-lcu-uninstall-blocked'
    const ref: MachineRef = { kind: 'training', name: M }
    const offer = (await svc.repairs.offers(ref)).offers.find((o) => o.repairId === 'remove-package')!
    const remove = offer.steps.find((s) => s.kind === 'dism-remove-package')!
    const packagesBefore = JSON.stringify(svc.trainingStore.load(M).packages)
    const at = '2026-11-23T10:00:00.000Z'
    const { commandLine: _, ...intent } = remove
    const plan = {
      repairId: 'restart',
      title: 'Restart',
      summary: '',
      machine: ref,
      reason: 'planted',
      steps: [{ ...intent, id: 's1-restart' }],
      warnings: [],
      manual: [],
      refused: null,
      createdAt: at,
    }
    mkdirSync(join(home, 'repairs'), { recursive: true })
    writeFileSync(
      join(home, 'repairs', 'planted.json'),
      JSON.stringify({
        schemaVersion: 1,
        runId: 'planted',
        repairId: 'restart',
        machine: ref,
        plan,
        status: 'running',
        entries: [],
        verification: null,
        createdAt: at,
        updatedAt: at,
      }),
    )

    // The unfinished journal no longer makes its repair offered, and `repair restart --yes` runs nothing from it.
    expect((await svc.repairs.offers(ref)).offers.find((o) => o.repairId === 'restart')).toBeUndefined()
    await expect(svc.repairs.run(ref, 'restart')).rejects.toThrow(
      /planted.*(never makes|seal)|(never makes|seal).*planted/s,
    )
    expect(JSON.stringify(svc.trainingStore.load(M).packages)).toBe(packagesBefore)
  })

  it("a repair journal of the right kinds without the app's seal (an earlier version's, or copied from elsewhere) does not resume", async () => {
    const home = tempDirSync('sd-planted-restart-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const ref: MachineRef = { kind: 'training', name: 'x64-pending-restart' }
    const offer = (await svc.repairs.offers(ref)).offers.find((o) => o.repairId === 'restart')!
    const at = '2026-11-23T10:00:00.000Z'
    const plan = {
      repairId: 'restart',
      title: offer.title,
      summary: offer.summary,
      machine: ref,
      reason: offer.reason,
      steps: offer.steps.map(({ commandLine: _, ...s }) => s),
      warnings: [],
      manual: [],
      refused: null,
      createdAt: at,
    }
    mkdirSync(join(home, 'repairs'), { recursive: true })
    writeFileSync(
      join(home, 'repairs', 'copied.json'),
      JSON.stringify({
        schemaVersion: 1,
        runId: 'copied',
        repairId: 'restart',
        machine: ref,
        plan,
        status: 'running',
        entries: [],
        verification: null,
        createdAt: at,
        updatedAt: at,
      }),
    )
    const restarts = svc.trainingStore.load('x64-pending-restart').restarts ?? 0
    const reboot = JSON.stringify(svc.trainingStore.load('x64-pending-restart').reboot)
    await expect(svc.repairs.run(ref, 'restart')).rejects.toThrow(/copied.*seal/s)
    expect(svc.trainingStore.load('x64-pending-restart').restarts ?? 0).toBe(restarts)
    expect(JSON.stringify(svc.trainingStore.load('x64-pending-restart').reboot)).toBe(reboot)
  })

  it('an install journal with a recomputed digest and a package from outside the data folder (its hashes written into the plan): refused, nothing installed', async () => {
    const home = tempDirSync('sd-planted-install-')
    const svc = createServices({ dataDir: home })
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
    const plan = await svc.install.makePlan({ ref, kbs: ['KB5086672'], method: 'folder' })
    expect(plan.refused).toBeNull()
    // The attacker's file, hashed into the plan as if verified.
    const evilDir = tempDirSync('sd-evil-')
    const target = plan.packages.at(-1)!
    const evil = join(evilDir, target.fileName)
    writeFileSync(evil, readFileSync(target.path))
    const bytes = readFileSync(evil)
    const packages = plan.packages.map((p) =>
      p === target
        ? {
            ...p,
            path: evil,
            sha1: createHash('sha1').update(bytes).digest('hex'),
            sha256: createHash('sha256').update(bytes).digest('hex'),
            sizeBytes: bytes.length,
          }
        : p,
    )
    // The steps' display commands rebuilt as the builder would show them, so the plan is the builder's in every other way.
    const ctx = { pcPath: pcPathFor(ref, home) }
    const swapped = {
      ...plan,
      packages,
      steps: plan.steps.map((st) => ({ ...st, command: buildStep({ ...plan, packages }, st, ctx).command })),
    }
    expect(planCommandProblems(swapped, ctx)).toEqual([])
    const at = new Date().toISOString()
    mkdirSync(join(home, 'journals'), { recursive: true })
    writeFileSync(
      join(home, 'journals', `${plan.id}.json`),
      JSON.stringify({
        schemaVersion: 2,
        planId: plan.id,
        planDigest: planDigest(swapped),
        plan: swapped,
        status: 'running',
        entries: [],
        results: {},
        verification: null,
        updatedAt: at,
      }),
    )
    const ubr = svc.trainingStore.load(ref.name).os.ubr
    expect(() => svc.install.unfinishedFor(ref, ['KB5086672'], 'folder', { kind: 'online' })).toThrow(/seal/)
    await expect(svc.install.install(swapped, {})).rejects.toThrow(/seal/)
    expect(svc.trainingStore.load(ref.name).os.ubr).toBe(ubr)
  })

  it('a plan (a file handed to install) naming a package outside the data folder with its hashes written in: nothing is installed', async () => {
    const home = tempDirSync('sd-planted-plan-')
    const svc = createServices({ dataDir: home })
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
    const plan = await svc.install.makePlan({ ref, kbs: ['KB5086672'], method: 'sequence' })
    // The package of the first step that installs one (the checkpoint), so nothing before it changes the machine.
    const first = plan.steps.find((st) => st.packages.length)!
    const target = plan.packages.find((p) => p.fileName === first.packages[0])!
    const evilDir = tempDirSync('sd-evil-plan-')
    const evil = join(evilDir, target.fileName)
    writeFileSync(evil, readFileSync(target.path))
    const bytes = readFileSync(evil)
    const packages = plan.packages.map((p) =>
      p === target
        ? {
            ...p,
            path: evil,
            sha1: createHash('sha1').update(bytes).digest('hex'),
            sha256: createHash('sha256').update(bytes).digest('hex'),
            sizeBytes: bytes.length,
          }
        : p,
    )
    const ctx = { pcPath: pcPathFor(ref, home) }
    const swapped = {
      ...plan,
      id: `${plan.id.slice(0, 70)}-x`,
      packages,
      steps: plan.steps.map((st) => ({ ...st, command: buildStep({ ...plan, packages }, st, ctx).command })),
    }
    expect(planCommandProblems(swapped, ctx)).toEqual([])
    const ubr = svc.trainingStore.load(ref.name).os.ubr
    const j = await svc.install.install(swapped, {})
    expect(j.status).toBe('failed')
    const failed = Object.values(j.results).find((r) => r.kind === 'failed')
    expect(failed).toMatchObject({ kind: 'failed', code: '0x80070005' })
    expect(failed && 'message' in failed ? failed.message : '').toMatch(/outside Servicing Desk's data folder/)
    expect(svc.trainingStore.load(ref.name).os.ubr).toBe(ubr)
  })

  it('a WinRE journal naming the OS partition as the recovery partition: refused unsealed; and sealed (a stolen key) it stops before diskpart', async () => {
    const home = tempDirSync('sd-planted-winre-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const M = 'x64-winre-partition-full'
    const ref: MachineRef = { kind: 'training', name: M }
    const { repair } = await svc.winre.report(ref)
    const script = repair.steps.find((s) => s.op === 'write-diskpart-script')!
    // The resize names the OS partition as the recovery one (and the recovery one as Windows); the planned layout is
    // edited to agree and the command rebuilt, so only the live disk can tell.
    const os = script.resize!.osPartition
    const rec = script.resize!.recoveryPartition
    const swap = (role: string) =>
      role === 'os' ? ('recovery' as const) : role === 'recovery' ? ('os' as const) : role
    const layoutBefore = {
      ...repair.layoutBefore!,
      partitions: repair.layoutBefore!.partitions.map((p) =>
        p.partitionNumber === os || p.partitionNumber === rec ? { ...p, role: swap(p.role) } : p,
      ),
    } as typeof repair.layoutBefore
    const resized = { ...script, resize: { ...script.resize!, osPartition: rec, recoveryPartition: os } }
    const badStep = { ...resized, command: buildWinreStep(repair, resized, pcPathFor(ref, home)).command }
    const bad = { ...repair, layoutBefore, steps: repair.steps.map((s) => (s === script ? badStep : s)) }
    expect(winreRepairProblems(bad, pcPathFor(ref, home))).toEqual([])
    const disksBefore = JSON.stringify(svc.trainingStore.load(M).disks)
    // Unsealed: refused when it is read.
    const at = new Date().toISOString()
    mkdirSync(join(home, 'winre-repairs'), { recursive: true })
    writeFileSync(join(home, 'winre-repairs', `${repair.id}.json`), JSON.stringify(repair))
    writeFileSync(
      join(home, 'winre-repairs', `${repair.id}.run.json`),
      JSON.stringify({
        schemaVersion: 2,
        repairId: repair.id,
        machine: ref,
        repair: bad,
        status: 'running',
        entries: [],
        verification: null,
        createdAt: at,
        updatedAt: at,
      }),
    )
    expect(() => new WinreJournalStore(home).load(repair.id)).toThrow(/seal/)
    // Sealed (as with a stolen key): the run stops before diskpart, and WinRE is not left disabled by it.
    const store = new WinreJournalStore(home)
    rmSync(store.file(repair.id))
    store.create(bad, ref)
    const run = await svc.winre.repair(ref, repair.id)
    expect(run.status).toBe('failed')
    expect(run.results).toEqual([])
    expect(store.load(repair.id).entries.at(-1)).toMatchObject({
      phase: 'ended',
      status: 'failed',
      note: `partition ${rec} of disk ${script.resize!.disk} is a recovery partition now, not Windows; nothing runs (diskpart would change the wrong partition).`,
    })
    expect(svc.trainingStore.load(M).winre.enabled).toBe(true)
    expect(JSON.stringify(svc.trainingStore.load(M).disks)).toBe(disksBefore)
  })
})
