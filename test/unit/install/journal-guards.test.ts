/**
 * The installation journal's guards, each alone and in process: the plan id is a safe file name;
 * a journal is created once and never overwritten; a journal that is not JSON, of another format version,
 * not a journal, of another plan, whose plan was edited (digest) or is not the builder's (commands) is
 * refused with its reason; a training machine's journal is checked with that machine's path mapping; the
 * lists (all, damaged, unfinished) and the entry helpers (withEntry, interrupted, attempts). Hand-made plans
 * from the real step constructors; no services, no scan.
 */
import { journalKey, sealOf } from '../../../main/runner/journal-seal.ts'
import { describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { JournalError, JournalStore, attempts, interrupted, withEntry } from '../../../main/install/journal.ts'
import { installFromRun, installToRun } from '../../../main/runner/journal-views.ts'
import { planDigest } from '../../../main/install/plan-digest.ts'
import { addPackageStep, restartStep } from '../../../main/install/step-commands.ts'
import { pcPathFor } from '../../../main/host/pc-path.ts'
import type { JournalEntry, Plan, PlanPackage } from '../../../preload/model/plan.ts'
import { tempDirSync } from '../temp-dirs.ts'

const target: PlanPackage = {
  kb: 'KB5086672',
  fileName: 'windows11.0-kb5086672-arm64.msu',
  arch: 'arm64',
  sha1: null,
  sha256: 'ab'.repeat(32),
  path: 'C:\\kit\\windows11.0-kb5086672-arm64.msu',
  role: 'target',
  build: 26100,
  ubr: 8117,
  sizeBytes: 10,
}

function makePlan(id: string, over: Partial<Plan> = {}): Plan {
  const s1 = addPackageStep(1, { kind: 'online' }, target, [target], 'sequence', [])
  return {
    schemaVersion: 2,
    id,
    createdAt: '2026-11-22T08:00:00Z',
    machine: { ref: null, name: 'PC-7', nativeArch: 'arm64', build: 26100, ubr: 1150, branch: null },
    targets: ['KB5086672'],
    method: 'sequence',
    scope: { kind: 'online' },
    preflight: [],
    steps: [s1, restartStep(2, [s1.id], ['KB5086672'])],
    packages: [target],
    skipped: [],
    expected: null,
    refused: null,
    notes: [],
    ...over,
  }
}
const store = () => new JournalStore(tempDirSync('sd-journal-guard-'))
const at = '2026-11-22T09:00:00.000Z'
const rewrite = (s: JournalStore, id: string, f: (j: Record<string, unknown>) => unknown) =>
  writeFileSync(s.file(id), JSON.stringify(f(JSON.parse(readFileSync(s.file(id), 'utf8')))))

describe('journal: the plan id is a safe file name', () => {
  it('letters, digits, _ and - up to 80 characters; anything else is refused (count asserted)', () => {
    const s = store()
    expect(s.file('p_1-A')).toBe(join(s.dir, 'p_1-A.json'))
    expect(s.file('a'.repeat(80))).toBe(join(s.dir, `${'a'.repeat(80)}.json`))
    const bad = ['', 'a'.repeat(81), '../etc', 'a/b', 'a b', 'a.json', 'x\n', '\nx', 'ä']
    let ran = 0
    for (const id of bad) {
      expect(() => s.file(id), JSON.stringify(id)).toThrow(new JournalError(`Invalid plan id '${id}'.`))
      ran++
    }
    expect(ran).toBe(9)
    expect(s.dir).toMatch(/[/\\]journals$/)
  })
})

describe('journal: create', () => {
  it("writes a pending journal with the plan's digest, the canonical plan and the time, and refuses a second one", () => {
    const s = store()
    const plan = makePlan('p1')
    const { sizeBytes: _, ...noSize } = target
    const j = s.create({ ...plan, packages: [noSize as PlanPackage] }, new Date(at))
    const canonical = { ...plan, packages: [{ ...target, sizeBytes: null }] }
    expect(j).toEqual({
      schemaVersion: 2,
      planId: 'p1',
      planDigest: planDigest(canonical),
      plan: canonical,
      status: 'pending',
      entries: [],
      results: {},
      verification: null,
      updatedAt: at,
    })
    // The file is the journal in the one format (preload/model/run-journal.ts) and the app's seal over it
    // (main/runner/journal-seal.ts), nothing else.
    const run = installToRun(j)
    const seal = sealOf(journalKey(s.dir.replace(/[\\/]journals$/, '')), 'install', 'p1', run)
    expect(readFileSync(s.file('p1'), 'utf8')).toBe(JSON.stringify({ ...run, seal }, null, 1))
    expect(run).toMatchObject({
      schema: 'servicing-desk/run-journal',
      schemaVersion: 1,
      kind: 'install',
      id: 'p1',
      machine: null,
      createdAt: plan.createdAt,
      planDigest: planDigest(canonical),
    })
    expect(s.exists('p1')).toBe(true)
    expect(s.exists('p2')).toBe(false)
    expect(() => s.create(plan)).toThrow(new JournalError('A journal for plan p1 exists already; resume it instead.'))
    expect(s.load('p1')).toEqual(j)
  })

  it('a journal folder that cannot be made is a plain error naming the journal', () => {
    const dir = tempDirSync('sd-journal-guard-')
    writeFileSync(join(dir, 'journals'), 'a file where the folder should be')
    expect(() => new JournalStore(dir).create(makePlan('p1'))).toThrow(/the installation journal of plan p1/)
  })
})

describe('journal: load refuses what it cannot trust, with the reason', () => {
  const cases: [string, (s: JournalStore) => void, (file: string) => string | RegExp][] = [
    ['no file', () => {}, () => 'No journal for plan p1.'],
    [
      'not JSON',
      (s) => writeFileSync(s.file('p1'), '{"schemaVersion":2,'),
      (f) => new RegExp(`^The journal of plan p1 \\(${esc(f)}\\) is damaged: it is not JSON \\(.+\\)\\.$`),
    ],
    [
      'format 1 (the old install format, which stored commands), not ended: stays, refused',
      (s) => rewrite(s, 'p1', (j) => ({ ...installFromRun(j as never), schemaVersion: 1 })),
      (f) =>
        `The journal of plan p1 (${f}) is from an earlier version of Servicing Desk (format 1) and is not supported, so nothing in it runs.`,
    ],
    [
      'format 1, ended: moved to the archive with a note',
      (s) => rewrite(s, 'p1', (j) => ({ ...installFromRun(j as never), schemaVersion: 1, status: 'completed' })),
      (f) =>
        `The journal of plan p1 (${f}) is from an earlier version of Servicing Desk (format 1) and is not supported, so nothing in it runs. It says the run ended (completed), so it was moved to journals/archived/install-p1.json.`,
    ],
    [
      'format 3 of the old install format',
      (s) => rewrite(s, 'p1', (j) => ({ ...installFromRun(j as never), schemaVersion: 3 })),
      (f) =>
        `The journal of plan p1 (${f}) is from a later version of Servicing Desk (format 3) and is not supported, so nothing in it runs.`,
    ],
    [
      'format 2 of the one journal',
      (s) => rewrite(s, 'p1', (j) => ({ ...j, schemaVersion: 2 })),
      (f) =>
        `The journal of plan p1 (${f}) is from a later version of Servicing Desk (format 2) and is not supported, so nothing in it runs.`,
    ],
    [
      'three fields wrong: the first two are named',
      (s) => rewrite(s, 'p1', (j) => ({ ...j, status: 'done', entries: 'none', verification: 5 })),
      (f) => new RegExp(`^The journal of plan p1 \\(${esc(f)}\\) is damaged: status: [^;]+; entries: [^;]+\\.$`),
    ],
    [
      'a nested field wrong (its path joined with dots)',
      (s) =>
        rewrite(s, 'p1', (j) => ({
          ...j,
          plan: { ...(j.plan as object), machine: { ...(j.plan as { machine: object }).machine, build: 'x' } },
        })),
      () => /is damaged: plan\.machine\.build: /,
    ],
    [
      'a file holding null',
      (s) => writeFileSync(s.file('p1'), 'null'),
      (f) => new RegExp(`^The journal of plan p1 \\(${esc(f)}\\) is damaged: `),
    ],
    [
      'a format given as text',
      (s) => rewrite(s, 'p1', (j) => ({ ...j, schemaVersion: '2' })),
      () => /is damaged: schemaVersion: /,
    ],
    [
      "another plan's journal under this name",
      (s) => rewrite(s, 'p1', (j) => ({ ...j, id: 'p9' })),
      (f) => `The journal of plan p1 (${f}) names another plan (p9), so nothing in it runs.`,
    ],
    [
      'another plan inside the journal',
      (s) =>
        rewrite(s, 'p1', (j) => {
          const plan = { ...(j.plan as object), id: 'p8' }
          return { ...j, plan, planDigest: planDigest(plan) }
        }),
      (f) => `The journal of plan p1 (${f}) names another plan (p8), so nothing in it runs.`,
    ],
    [
      'its plan edited (the digest differs)',
      (s) => rewrite(s, 'p1', (j) => ({ ...j, plan: { ...(j.plan as object), notes: ['edited'] } })),
      (f) =>
        `The journal of plan p1 (${f}) holds a plan that is not the one it was made for (its digest differs), so nothing in it runs.`,
    ],
    [
      "a plan that is not the builder's, digest updated",
      (s) =>
        rewrite(s, 'p1', (j) => {
          const plan = structuredClone(j.plan) as Plan
          plan.steps[0]!.command.file = 'cmd.exe'
          return { ...j, plan, planDigest: planDigest(plan) }
        }),
      (f) =>
        new RegExp(
          `^The journal of plan p1 \\(${esc(f)}\\) holds a plan Servicing Desk did not build \\(Step s1-add-KB5086672 says it runs `,
        ),
    ],
  ]
  let ran = 0
  for (const [name, damage, message] of cases) {
    it(name, () => {
      const s = store()
      if (name !== 'no file') s.create(makePlan('p1'))
      damage(s)
      let err: unknown = null
      try {
        s.load('p1')
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(JournalError)
      const m = message(s.file('p1'))
      if (typeof m === 'string') expect((err as Error).message).toBe(m)
      else expect((err as Error).message).toMatch(m)
      ran++
    })
  }
  it('ran every case', () => expect(ran).toBe(14))

  it("a training machine's journal is checked with that machine's path mapping (its commands name C:\\ProgramData\\ServicingDesk)", () => {
    const dataDir = tempDirSync('sd-journal-guard-')
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
    const local = { ...target, path: join(dataDir, 'kits', 'a', target.fileName) }
    const s1 = addPackageStep(1, { kind: 'online' }, local, [local], 'sequence', [], {
      pcPath: pcPathFor(ref, dataDir),
    })
    expect(s1.command.args).toContain(`/PackagePath:C:\\ProgramData\\ServicingDesk\\kits\\a\\${target.fileName}`)
    const plan = makePlan('p-training', { machine: { ...makePlan('x').machine, ref }, packages: [local], steps: [s1] })
    const s = new JournalStore(dataDir)
    s.create(plan)
    expect(s.load('p-training').plan).toEqual(plan)
    // The same journal in another data folder maps the package elsewhere: not the builder's command there.
    const other = new JournalStore(tempDirSync('sd-journal-guard-'))
    mkdirSync(other.dir, { recursive: true })
    writeFileSync(other.file('p-training'), readFileSync(s.file('p-training')))
    expect(() => other.load('p-training')).toThrow(/holds a plan Servicing Desk did not build/)
  })
})

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('journal: the lists', () => {
  it('all: every readable journal, newest first; damaged: each unreadable one with its reason; unfinished: not completed or failed', () => {
    const s = store()
    expect([s.all(), s.damaged(), s.unfinished()]).toEqual([[], [], []])
    const statuses = ['pending', 'running', 'awaiting-restart', 'cancelled', 'completed', 'failed'] as const
    statuses.forEach((status, i) => {
      const j = s.create(makePlan(`p${i}`), new Date(Date.UTC(2026, 10, 22, 8, i)))
      s.save({ ...j, status })
    })
    writeFileSync(join(s.dir, 'broken.json'), 'not json')
    writeFileSync(join(s.dir, 'notes.txt'), 'not a journal')
    expect(s.all().map((j) => j.planId)).toEqual(['p5', 'p4', 'p3', 'p2', 'p1', 'p0'])
    expect(s.unfinished().map((j) => j.planId)).toEqual(['p3', 'p2', 'p1', 'p0'])
    const damaged = s.damaged()
    expect(damaged).toHaveLength(1)
    expect(damaged[0]).toBeInstanceOf(JournalError)
    expect(damaged[0]!.message).toMatch(/^The journal of plan broken .* is damaged: it is not JSON/)
  })
})

describe('journal: entries', () => {
  const j = new JournalStore(tempDirSync('sd-journal-guard-')).create(makePlan('p1'), new Date(at))
  const startedE = (stepId: string, attempt = 1): JournalEntry => ({
    phase: 'started',
    stepId,
    at: '2026-11-22T09:01:00.000Z',
    attempt,
  })
  const finishedE = (stepId: string): JournalEntry => ({
    phase: 'finished',
    stepId,
    at: '2026-11-22T09:02:00.000Z',
    result: { kind: 'ok' },
    exitCode: 0,
    durationMs: 5,
    rechecked: false,
  })

  it("withEntry adds the entry, records a finished step's result, sets the status (or keeps it) and the time; the old journal is untouched", () => {
    const a = withEntry(j, startedE('s1'), 'running')
    expect(a).toEqual({ ...j, entries: [startedE('s1')], status: 'running', updatedAt: '2026-11-22T09:01:00.000Z' })
    const b = withEntry(a, finishedE('s1'))
    expect(b).toEqual({
      ...a,
      entries: [startedE('s1'), finishedE('s1')],
      results: { s1: { kind: 'ok' } },
      updatedAt: '2026-11-22T09:02:00.000Z',
    })
    expect(Object.keys(a.results)).toEqual([])
    expect(Object.keys(withEntry(b, finishedE('s2')).results)).toEqual(['s1', 's2'])
    expect(j.entries).toEqual([])
    expect(j.status).toBe('pending')
  })

  it('interrupted: the step\'s last started/finished entry is "started"; attempts counts its starts', () => {
    const e = (...entries: JournalEntry[]) => ({ entries })
    expect(interrupted(e(), 's1')).toBe(false)
    expect(interrupted(e(startedE('s1')), 's1')).toBe(true)
    expect(interrupted(e(startedE('s1'), finishedE('s1')), 's1')).toBe(false)
    expect(interrupted(e(startedE('s1'), finishedE('s1'), startedE('s1', 2)), 's1')).toBe(true)
    expect(interrupted(e(startedE('s1'), finishedE('s2'), { phase: 'cancelled', at }), 's1')).toBe(true)
    expect(interrupted(e(startedE('s2')), 's1')).toBe(false)
    expect(interrupted(e(finishedE('s1'), startedE('s2')), 's1')).toBe(false)
    expect(attempts(e(), 's1')).toBe(0)
    expect(attempts(e(startedE('s1'), finishedE('s1'), startedE('s2'), startedE('s1', 2)), 's1')).toBe(2)
  })
})
