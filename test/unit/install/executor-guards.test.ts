/**
 * The executor's guards, each alone and in process: a refused plan never runs; a package whose
 * bytes, SHA-1, SHA-256 or size is not the plan's is never installed (either hash is enough, no hash is
 * refused); after a failure nothing later runs and the failed journal is on disk; a finished journal is not
 * run again. executePlan is called directly (the install service checks some of these too, which would hide
 * the executor's own check), on the training machine arm64-missing-checkpoint with the real planner's plan.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { executePlan, checkPackages } from '../../../main/install/executor.ts'
import type { Plan, PlanPackage } from '../../../preload/model/plan.ts'
import { executorSetup } from './planned-machine.ts'
import { tempDirSync } from '../temp-dirs.ts'

async function setup(method: 'sequence' | 'folder' = 'sequence') {
  const base = await executorSetup(method)
  const { host, journals, commands } = base
  const run = (p: Plan) =>
    executePlan(journals.create(p), { host, journals, commands, confirmRestart: async () => true })
  return { ...base, run }
}

describe('executor: a refused plan', () => {
  it('is never run: executePlan throws and the machine is unchanged', async () => {
    const { plan, run, machine } = await setup()
    expect(plan.refused).toBeNull()
    const before = machine()
    await expect(
      run({ ...plan, refused: 'Packages prepared for x64 cannot be installed on this arm64 PC.' }),
    ).rejects.toThrow(/^This plan was refused: Packages prepared for x64/)
    expect(machine().os).toEqual(before.os)
    expect(machine().restarts).toBe(before.restarts)
  })
})

describe('executor: the package check before an install step', () => {
  it('a package whose bytes changed after planning (same size) is not installed; the step fails with ERROR_CRC', async () => {
    const { plan, run, machine } = await setup()
    const p = plan.packages[0]!
    const bytes = readFileSync(p.path)
    bytes[bytes.length - 1] ^= 0xff
    writeFileSync(p.path, bytes)
    const before = machine()
    const j = await run(plan)
    expect(j.status).toBe('failed')
    expect(j.results[plan.steps[0]!.id]).toMatchObject({ kind: 'failed', code: '0x80070017' })
    expect(machine().os.ubr).toBe(before.os.ubr)
  })

  it('after the failure nothing later runs: every later step is skipped, and the failed journal is on disk', async () => {
    const { plan, run, journals } = await setup()
    rmSync(plan.packages[0]!.path)
    const j = await run(plan)
    const [first, ...later] = plan.steps
    expect(j.results[first!.id]).toMatchObject({ kind: 'failed', code: '0x80070002' })
    expect(later.length).toBeGreaterThan(0)
    for (const s of later)
      expect(j.results[s.id], s.id).toEqual({ kind: 'skipped', reason: `${first!.id} failed; nothing after it runs.` })
    expect(journals.load(plan.id).status).toBe('failed')
  })

  it('a journal that already ended is returned as it is, nothing run again', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const ended = { ...journals.create(plan), status: 'failed' as const }
    const before = machine()
    expect(await executePlan(ended, { host, journals, commands })).toBe(ended)
    const completed = { ...ended, status: 'completed' as const }
    expect(await executePlan(completed, { host, journals, commands })).toBe(completed)
    expect(machine().os).toEqual(before.os)
  })
})

describe('executor: a run, a cancel, a declined restart and a resume', () => {
  it('runs to the end: completed, verified, every step succeeded, the last entry is the verification', async () => {
    const { plan, run } = await setup()
    const j = await run(plan)
    expect(j.status).toBe('completed')
    expect(j.verification?.verified).toBe(true)
    expect(plan.steps.map((s) => j.results[s.id]?.kind)).toEqual(['restart-required', 'ok', 'restart-required', 'ok'])
    expect(j.entries.at(-1)).toMatchObject({ phase: 'verified', verified: true })
  })

  it('cancelled before it starts: the first step is cancelled, the journal says so, nothing installed', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const before = machine()
    const ac = new AbortController()
    ac.abort()
    const j = await executePlan(journals.create(plan), { host, journals, commands, signal: ac.signal })
    expect(j.status).toBe('cancelled')
    expect(j.results[plan.steps[0]!.id]).toEqual({ kind: 'cancelled' })
    expect(j.results[plan.steps[1]!.id]).toBeUndefined()
    expect(j.entries).toEqual([
      {
        phase: 'finished',
        stepId: plan.steps[0]!.id,
        at: expect.any(String),
        result: { kind: 'cancelled' },
        exitCode: null,
        durationMs: 0,
        rechecked: false,
      },
      { phase: 'cancelled', at: expect.any(String) },
    ])
    expect(machine().os.ubr).toBe(before.os.ubr)
  })

  it('a declined restart leaves it awaiting the restart, not restarted; resumed, it finishes without repeating the first step', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const first = await executePlan(journals.create(plan), {
      host,
      journals,
      commands,
      confirmRestart: async () => false,
    })
    expect(first.status).toBe('awaiting-restart')
    expect(machine().restarts).toBe(0)
    expect(first.entries.at(-1)).toMatchObject({ phase: 'restart-requested', afterStepId: plan.steps[0]!.id })
    const done = await executePlan(journals.load(plan.id), {
      host,
      journals,
      commands,
      confirmRestart: async () => true,
    })
    expect(done.status).toBe('completed')
    expect(
      done.entries.filter((e) => e.phase === 'started' && 'stepId' in e && e.stepId === plan.steps[0]!.id),
    ).toHaveLength(1)
    expect(done.entries.find((e) => e.phase === 'resumed')).toMatchObject({
      note: `Resumed with 1 of ${plan.steps.length} steps done.`,
    })
  })
})

describe('checkPackages: each comparison alone', () => {
  const dir = tempDirSync('sd-exec-guard-')
  const file = join(dir, 'windows11.0-kb5043080-arm64.msu')
  writeFileSync(file, 'package bytes')
  const sha1 = 'b3b5e0d0e4c3c9a0e0d0a4c64f9c2c7bb0a3d3d4'
  const real = { sha1: '', sha256: '' }
  const pkg = (over: Partial<PlanPackage> = {}): PlanPackage =>
    ({
      kb: 'KB5043080',
      fileName: 'windows11.0-kb5043080-arm64.msu',
      arch: 'arm64',
      sha1: real.sha1,
      sha256: real.sha256,
      path: file,
      role: 'checkpoint',
      build: 26100,
      ubr: 1742,
      sizeBytes: 13,
      ...over,
    }) as PlanPackage
  const step = { id: 's1-add-KB5043080' }

  it('the right file passes (and the test knows its real hashes)', async () => {
    const { hashFile } = await import('../../../main/download/file-hashes.ts')
    const h = await hashFile(file)
    real.sha1 = h.sha1
    real.sha256 = h.sha256
    expect(await checkPackages([pkg()], step)).toBeNull()
  })

  it('a SHA-1 that differs fails (SHA-256 right)', async () => {
    expect(await checkPackages([pkg({ sha1 })], step)).toMatchObject({ kind: 'failed', code: '0x80070017' })
  })

  it('a SHA-256 that differs fails (SHA-1 right)', async () => {
    expect(await checkPackages([pkg({ sha256: 'c'.repeat(64) })], step)).toMatchObject({
      kind: 'failed',
      code: '0x80070017',
    })
  })

  it('a size that differs fails (hashes right)', async () => {
    expect(await checkPackages([pkg({ sizeBytes: 14 })], step)).toMatchObject({ kind: 'failed', code: '0x80070017' })
  })

  it('either hash is enough: only a SHA-1, or only a SHA-256, passes when it matches', async () => {
    expect(await checkPackages([pkg({ sha256: null })], step)).toBeNull()
    expect(await checkPackages([pkg({ sha1: null })], step)).toBeNull()
    expect(await checkPackages([pkg({ sizeBytes: null })], step)).toBeNull()
  })

  it('only a SHA-1 that differs fails; only a SHA-256 that differs fails', async () => {
    expect(await checkPackages([pkg({ sha256: null, sha1 })], step)).toMatchObject({
      kind: 'failed',
      code: '0x80070017',
    })
    expect(await checkPackages([pkg({ sha1: null, sha256: 'c'.repeat(64) })], step)).toMatchObject({
      kind: 'failed',
      code: '0x80070017',
    })
  })

  it('no hash at all is refused (ERROR_INVALID_DATA)', async () => {
    expect(await checkPackages([pkg({ sha1: null, sha256: null })], step)).toMatchObject({
      kind: 'failed',
      code: '0x8007000D',
    })
  })

  it('a step with no package is refused', async () => {
    expect(await checkPackages([], step)).toMatchObject({ kind: 'failed', code: '0x8007000D', evidence: [] })
  })

  it('a missing file is ERROR_FILE_NOT_FOUND', async () => {
    expect(await checkPackages([pkg({ path: join(dir, 'gone.msu') })], step)).toMatchObject({
      kind: 'failed',
      code: '0x80070002',
    })
  })

  it('the second package is checked too', async () => {
    expect(await checkPackages([pkg(), pkg({ sha256: 'c'.repeat(64) })], step)).toMatchObject({
      kind: 'failed',
      code: '0x80070017',
    })
  })

  it("folder method: another .msu/.cab in the target's folder is refused; other files are not", async () => {
    const folder = tempDirSync('sd-exec-folder-')
    const f = join(folder, 'windows11.0-kb5043080-arm64.msu')
    writeFileSync(f, 'package bytes')
    const p = pkg({ path: f })
    expect(await checkPackages([p], step, undefined, true)).toBeNull()
    writeFileSync(join(folder, 'readme.txt'), 'x')
    expect(await checkPackages([p], step, undefined, true)).toBeNull()
    writeFileSync(join(folder, 'OTHER.CAB'), 'x')
    expect(await checkPackages([p], step, undefined, true)).toMatchObject({ kind: 'failed', code: '0x8007000D' })
    expect(await checkPackages([p], step, undefined, false)).toBeNull()
  })
})
