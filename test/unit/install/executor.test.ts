/** The executor end to end on training machines: install → restart → verify, failures, cancel, restart asked, journal. */
import { describe, it, expect } from 'vitest'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { addPackageStep, restartStep } from '../../../main/install/step-commands.ts'
import { freshServices, arm64 } from './helpers.ts'
import { pcPathFor } from '../../../main/host/pc-path.ts'
import { stepSucceeded, type JournalEntry, type PlanMethod, type PlanScope } from '../../../preload/model/plan.ts'
import { InstallRunJournalSchema } from '../../../preload/model/run-journal.ts'
import type { StepProgress } from '../../../main/install/executor.ts'

const image: PlanScope = { kind: 'image', dir: 'C:\\Mount', wim: { path: 'C:\\Media\\install.wim', index: 1 } }

async function run(method: PlanMethod, scope: PlanScope = { kind: 'online' }) {
  const { services } = freshServices()
  const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method, scope })
  const progress: StepProgress[] = []
  const onDisk: string[] = []
  const journal = await services.install.install(plan, {
    onProgress: (p) => progress.push(p),
    // Each entry is on disk before the executor moves on.
    onJournal: (e) =>
      onDisk.push(
        JSON.parse(readFileSync(services.install.journals.file(plan.id), 'utf8')).entries.at(-1).phase +
          (e.phase === 'finished' ? '' : ''),
      ),
  })
  return { services, plan, journal, progress, onDisk }
}

describe('executePlan on arm64-missing-checkpoint', () => {
  it('folder: installs KB5043080 then KB5086672 in one DISM call, restarts, and verifies 26100.8117', async () => {
    const { services, journal, progress, onDisk } = await run('folder')
    expect(journal.status).toBe('completed')
    expect(journal.verification?.verified).toBe(true)
    expect(journal.verification?.after).toEqual({ build: 26100, ubr: 8117 })
    expect(journal.verification?.before).toEqual({ build: 26100, ubr: 1150 })
    expect(Object.values(journal.results).map((r) => r.kind)).toEqual(['restart-required', 'ok'])
    expect(services.trainingStore.load(arm64.name).restarts).toBe(1)
    expect(
      InstallRunJournalSchema.parse(JSON.parse(readFileSync(services.install.journals.file(journal.planId), 'utf8')))
        .status,
    ).toBe('completed')
    expect(onDisk).toEqual(journal.entries.map((e) => e.phase))
    // Progress from DISM's bars: rises to 1 for the add step, never falls.
    const add = progress.filter((p) => p.stepId === journal.plan.steps[0].id).map((p) => p.fraction ?? 0)
    expect(add.length).toBeGreaterThan(5)
    expect(add.at(-1)).toBe(1)
    expect(add.every((f, i) => i === 0 || f >= add[i - 1])).toBe(true)
    expect(add.some((f) => f > 0.3 && f < 0.7)).toBe(true)
  })

  it("sequence: checkpoint, restart, target, restart; ends at or above KB5086672's build", async () => {
    const { journal } = await run('sequence')
    expect(journal.plan.steps.map((s) => s.kbs.join('+') || s.kind)).toEqual([
      'KB5043080',
      'restart',
      'KB5086672',
      'restart',
    ])
    expect(journal.status).toBe('completed')
    expect(journal.verification?.verified).toBe(true)
    expect(journal.verification?.after.ubr).toBeGreaterThanOrEqual(8117)
    expect(journal.entries.filter((e) => e.phase === 'restarted').map((e) => (e as { ubr: number }).ubr)).toEqual([
      1742, 8117,
    ])
  })

  it('--image: mounts, adds checkpoint then target offline, commits; the WIM is at 26100.8117 and the PC untouched', async () => {
    for (const method of ['folder', 'sequence'] as const) {
      const { journal, services } = await run(method, image)
      expect(journal.status).toBe('completed')
      expect(journal.verification?.verified).toBe(true)
      expect(journal.verification?.after).toEqual({ build: 26100, ubr: 8117 })
      expect(services.trainingStore.load(arm64.name).os.ubr).toBe(1150)
    }
  })

  it('asks before restarting; declined, it waits (awaiting-restart) and a later run resumes and finishes', async () => {
    const { services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method: 'folder' })
    const asked: string[] = []
    const first = await services.install.install(plan, {
      confirmRestart: async (s) => {
        asked.push(s.id)
        return false
      },
    })
    expect(asked).toEqual(['s2-restart'])
    expect(first.status).toBe('awaiting-restart')
    expect(first.verification).toBeNull()
    expect(services.install.unfinishedFor(arm64, ['KB5086672'], 'folder', { kind: 'online' })?.planId).toBe(plan.id)
    const second = await services.install.install(plan, { confirmRestart: async () => true })
    expect(second.status).toBe('completed')
    expect(second.verification?.verified).toBe(true)
    // The add step ran once: the resumed run did not repeat it.
    expect(second.entries.filter((e) => e.phase === 'started' && e.stepId === 's1-add-KB5086672')).toHaveLength(1)
    expect(second.entries.some((e) => e.phase === 'resumed')).toBe(true)
  })

  it('cancels between steps: the running step finishes, the next one is recorded cancelled, and resume completes', async () => {
    const { services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method: 'sequence' })
    const controller = new AbortController()
    const j = await services.install.install(plan, {
      signal: controller.signal,
      onJournal: (e: JournalEntry) => {
        if (e.phase === 'finished' && e.stepId === 's1-add-KB5043080') controller.abort()
      },
    })
    expect(j.status).toBe('cancelled')
    expect(j.results['s1-add-KB5043080'].kind).toBe('restart-required')
    expect(j.results['s2-restart'].kind).toBe('cancelled')
    const done = await services.install.install(plan, {})
    expect(done.status).toBe('completed')
    expect(done.verification?.verified).toBe(true)
  })
})

describe('executePlan on x64-component-store-corrupt', () => {
  it('catches 0x80073712, runs nothing after it, and the diagnosis names the corruption with CBS.log evidence', async () => {
    const { services } = freshServices()
    const ref = { kind: 'training', name: 'x64-component-store-corrupt' } as const
    const plan = await services.install.makePlan({ ref, kbs: ['KB5048685'], method: 'sequence' })
    expect(plan.refused).toBeNull()
    const j = await services.install.install(plan, {})
    expect(j.status).toBe('failed')
    const r = j.results[plan.steps[0].id]
    expect(r.kind).toBe('failed')
    if (r.kind !== 'failed') return
    expect(r.code).toBe('0x80073712')
    expect(r.message).toBe('The component store has been corrupted.')
    const f = r.diagnosis?.[0]
    expect(f?.id).toBe('component-store-corruption')
    expect(f?.technical).toMatch(/ERROR_SXS_COMPONENT_STORE_CORRUPT \(0x80073712\)/)
    expect(
      f?.evidence.some((e) => /CBS\.log \(lines written during s1-/.test(e.source) && /0x80073712/.test(e.excerpt)),
    ).toBe(true)
    expect(
      r.evidence.some((e) => /CBS\.log/.test(e.source) && /STATUS_SXS_COMPONENT_STORE_CORRUPT/.test(e.excerpt)),
    ).toBe(true)
    expect(
      f?.evidence.some((e) =>
        e.source.startsWith('exit code of %SystemRoot%\\System32\\Dism.exe /English /Online /Add-Package'),
      ),
    ).toBe(true)
    // The restart after it never ran.
    expect(j.results[plan.steps[1].id]).toEqual({
      kind: 'skipped',
      reason: `${plan.steps[0].id} failed; nothing after it runs.`,
    })
    expect(j.entries.filter((e) => e.phase === 'started').map((e) => (e as { stepId: string }).stepId)).toEqual([
      plan.steps[0].id,
    ])
    expect(services.trainingStore.load(ref.name).restarts).toBe(0)
    // Running it again does not retry the failed step blindly.
    const again = await services.install.install(plan, {})
    expect(again.entries.filter((e) => e.phase === 'started')).toHaveLength(1)
    expect(stepSucceeded(again.results[plan.steps[0].id])).toBe(false)
  })
})

describe('order matters', () => {
  it('the target before its checkpoint fails with 0x800F0922, and the diagnosis names the missing checkpoint', async () => {
    const { services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method: 'sequence' })
    // What a double-click does: the target alone (its own folder, so DISM finds no checkpoint beside it).
    const target = plan.packages[1]
    const alone = join(dirname(dirname(target.path)), 'alone', target.fileName)
    mkdirSync(dirname(alone), { recursive: true })
    copyFileSync(target.path, alone)
    // The plan records intent: the target's file is the copy that stands alone, and the builder derives DISM's argv from it.
    const moved = { ...target, path: alone }
    // On a training machine the command names the file by the modelled PC's path (host/pc-path.ts).
    const pcPath = pcPathFor(arm64, services.dataDir)!
    const step = addPackageStep(1, plan.scope, moved, [moved], 'sequence', [], { pcPath })
    const wrong = {
      ...plan,
      id: `${plan.id}-wrong`,
      packages: [plan.packages[0], moved],
      steps: [step, restartStep(2, [step.id], [moved.kb])],
    }
    const j = await services.install.install(wrong, {})
    expect(j.status).toBe('failed')
    expect(step.command.args).toContain(`/PackagePath:${pcPath(alone)}`)
    expect(pcPath(alone)).toMatch(
      /^C:\\ProgramData\\ServicingDesk\\kits\\install\\alone\\windows11\.0-kb5086672-arm64_[0-9a-f]{40}\.msu$/,
    )
    const r = j.results[step.id]
    expect(r.kind === 'failed' && r.code).toBe('0x800F0922')
    const ids = r.kind === 'failed' ? (r.diagnosis ?? []).map((f) => f.id) : []
    expect(ids[0]).toMatch(/checkpoint/)
    expect(services.trainingStore.load(arm64.name).os.ubr).toBe(1150)
  })
})

describe('nothing is installed without a verified hash', () => {
  async function planned() {
    const { services } = freshServices()
    const plan = await services.install.makePlan({
      ref: arm64,
      kbs: ['KB5086672'],
      method: 'sequence',
      scope: { kind: 'online' },
    })
    return { services, plan }
  }

  it('a package changed on disk after planning fails its step before DISM runs; the PC is untouched and nothing after it runs', async () => {
    const { services, plan } = await planned()
    const checkpoint = plan.packages.find((p) => p.kb === 'KB5043080')!
    const { appendFileSync } = await import('node:fs')
    appendFileSync(checkpoint.path, 'x')
    const before = services.trainingStore.load(arm64.name)
    const journal = await services.install.install(plan, {})
    expect(journal.status).toBe('failed')
    const first = journal.results[plan.steps[0].id]
    expect(first).toMatchObject({
      kind: 'failed',
      code: '0x80070017',
      message: expect.stringMatching(/is not the file that was verified.*Nothing was installed/),
    })
    expect(
      Object.values(journal.results)
        .slice(1)
        .every((r) => r.kind === 'skipped'),
    ).toBe(true)
    const after = services.trainingStore.load(arm64.name)
    expect(after.os.ubr).toBe(before.os.ubr)
    expect(after.packages).toEqual(before.packages)
  })

  it('a missing package file, or one the plan gives no hash for, is refused the same way', async () => {
    const { services, plan } = await planned()
    const { rmSync } = await import('node:fs')
    rmSync(plan.packages.find((p) => p.kb === 'KB5043080')!.path)
    const j1 = await services.install.install(plan, {})
    expect(j1.results[plan.steps[0].id]).toMatchObject({ kind: 'failed', code: '0x80070002' })

    const { services: s2, plan: p2 } = await planned()
    const noHash = {
      ...p2,
      id: `${p2.id}-nohash`,
      packages: p2.packages.map((p) => ({ ...p, sha1: null, sha256: null })),
    }
    const j2 = await s2.install.install(noHash, {})
    expect(j2.results[noHash.steps[0].id]).toMatchObject({
      kind: 'failed',
      code: '0x8007000D',
      message: expect.stringMatching(/no SHA-1 or SHA-256/),
    })
    expect(s2.trainingStore.load(arm64.name).os.ubr).toBe(1150)
  })
})
