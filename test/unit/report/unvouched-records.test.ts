/**
 * The report's and the timeline's side of the journal trust path, fast: no services, no scan. A finished
 * Fix-it repair journal written by the app's own store (sealed with this data folder's key) counts; the same journal
 * with its seal taken out, or sealed by another copy (another key), or read when this copy's key cannot be read, is a
 * record this copy cannot vouch for: listed with `sealed` false/null and a note that says why, and it becomes no
 * timeline run (so no finding becomes history through it). test/unit/runner/unvouched-journals.test.ts proves the
 * same through the whole app (verdict, report check, offer); this file pins each branch.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import type { RepairJournal, RepairPlan } from '../../../preload/model/repair.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { Plan, PlanPackage } from '../../../preload/model/plan.ts'

// Loaded fresh for this file (mutation testing: module-level text counts).
let J: typeof import('../../../main/report/journals.ts')
let T: typeof import('../../../main/report/app-runs.ts')
let RepairJournalStore: typeof import('../../../main/repair/journal.ts')['RepairJournalStore']
let UNVOUCHED: string
let JournalStore: typeof import('../../../main/install/journal.ts')['JournalStore']
let withEntry: typeof import('../../../main/install/journal.ts')['withEntry']
let SC: typeof import('../../../main/install/step-commands.ts')
let sealed: typeof import('../../../main/runner/journal-seal.ts')['sealed']
beforeAll(async () => {
  vi.resetModules()
  J = await import('../../../main/report/journals.ts')
  T = await import('../../../main/report/app-runs.ts')
  ;({ RepairJournalStore } = await import('../../../main/repair/journal.ts'))
  ;({ UNVOUCHED } = await import('../../../main/runner/journal.ts'))
  ;({ JournalStore, withEntry } = await import('../../../main/install/journal.ts'))
  SC = await import('../../../main/install/step-commands.ts')
  ;({ sealed } = await import('../../../main/runner/journal-seal.ts'))
})

const M: Extract<MachineRef, { kind: 'training' }> = { kind: 'training', name: 'pc-unvouched' }
const AT = '2026-11-23T10:00:00.000Z'
const plan: RepairPlan = {
  repairId: 'restart',
  title: 'Restart',
  summary: '',
  machine: M,
  reason: 'pending',
  createdAt: AT,
  warnings: [],
  manual: [],
  refused: null,
  steps: [
    {
      id: 's1-restart',
      kind: 'restart',
      params: { delaySeconds: 0 },
      title: 'Restart',
      explanation: 'x',
      gate: 'always',
      mayFail: false,
      destructive: true,
    },
  ],
} as RepairPlan

/** A data folder holding one finished, verified restart repair written by this copy's store (sealed). */
function home(runId = 'run-1'): { dir: string; file: string } {
  const dir = tempDirSync('sd-unvouched-records-')
  const store = new RepairJournalStore(dir)
  store.create(runId, plan, new Date(AT))
  const j: RepairJournal = {
    ...store.load(runId),
    status: 'completed',
    updatedAt: '2026-11-23T10:05:00.000Z',
    entries: [
      {
        stepId: 's1-restart',
        phase: 'finished',
        at: '2026-11-23T10:04:00.000Z',
        result: { outcome: 'done', exitCode: 0, commandLine: 'shutdown.exe /r /t 0', output: '' },
      },
    ],
    verification: { verified: true, checkedAt: '2026-11-23T10:05:00.000Z', detail: 'no restart pending' },
  } as RepairJournal
  store.save(j)
  return { dir, file: store.file(runId) }
}
const target: PlanPackage = {
  kb: 'KB5086672',
  fileName: 'windows11.0-kb5086672-x64.msu',
  arch: 'x64',
  sha1: null,
  sha256: 'ab'.repeat(32),
  path: 'C:\\kit\\windows11.0-kb5086672-x64.msu',
  role: 'target',
  build: 26100,
  ubr: 8117,
  sizeBytes: 10,
}
/** A finished install (completed, its step done) of this machine, written by this copy's install journal store (sealed). */
function installed(dir: string, id = 'plan-1'): string {
  const s1 = SC.addPackageStep(1, { kind: 'online' }, target, [target], 'sequence', [])
  const p: Plan = {
    schemaVersion: 2,
    id,
    createdAt: AT,
    machine: { ref: M, name: M.name, nativeArch: 'x64', build: 26100, ubr: 1150, branch: null },
    targets: ['KB5086672'],
    method: 'sequence',
    scope: { kind: 'online' },
    preflight: [],
    steps: [s1],
    packages: [target],
    skipped: [],
    expected: null,
    refused: null,
    notes: [],
  } as Plan
  const store = new JournalStore(dir)
  const j = store.create(p, new Date(AT))
  const started = withEntry(
    j,
    { phase: 'started', stepId: s1.id, at: '2026-11-23T10:05:00.000Z', attempt: 1 },
    'running',
  )
  store.save(
    withEntry(
      started,
      {
        phase: 'finished',
        stepId: s1.id,
        at: '2026-11-23T10:06:00.000Z',
        result: { kind: 'ok' },
        exitCode: 0,
        durationMs: 5,
        rechecked: false,
      },
      'completed',
    ),
  )
  return store.file(id)
}
const records = (dir: string) => J.readRunRecords(dir, M, M.name)
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>

describe('a journal this copy sealed', () => {
  it('is a run, sealed, with no note; the timeline takes it', async () => {
    const { dir } = home()
    const r = records(dir)
    expect(r.runs.map((x) => [x.kind, x.journal, x.outcome, x.sealed])).toEqual([
      ['repair', 'repairs/run-1.json', 'completed', true],
    ])
    expect(r.notes).toEqual([])
    const t = await T.readAppRuns(dir, M, M.name)
    expect(t.runs.map((x) => [x.kind, x.id, x.status, x.verified])).toEqual([
      ['repair', 'repairs/run-1.json', 'completed', true],
    ])
    expect(t.notes).toEqual([])
  })
})

describe('a finished journal this copy cannot vouch for', () => {
  const cases: Array<[string, (dir: string, file: string) => void, boolean | null, RegExp]> = [
    [
      'its seal taken out',
      (_, f) => {
        const { seal: _s, ...body } = json(f)
        writeFileSync(f, JSON.stringify(body))
      },
      false,
      /does not carry this copy's seal: an earlier version's, edited, or not the app's/,
    ],
    [
      'sealed by another copy (another key)',
      (_, f) => {
        const other = home()
        writeFileSync(f, readFileSync(other.file))
      },
      false,
      /does not carry this copy's seal/,
    ],
    [
      'edited after it was sealed',
      (_, f) => {
        const j = json(f)
        j.updatedAt = '2026-11-24T00:00:00.000Z'
        writeFileSync(f, JSON.stringify(j))
      },
      false,
      /does not carry this copy's seal/,
    ],
    [
      "read when this copy's key is not a readable file (its seal cannot be checked)",
      (dir) => {
        rmSync(join(dir, 'keys'), { recursive: true, force: true })
        mkdirSync(join(dir, 'keys', 'journal.key'), { recursive: true })
      },
      false,
      /does not carry this copy's seal/,
    ],
  ]
  it.each(cases)('%s: listed apart with the reason, and no timeline run', async (_, spoil, sealed, why) => {
    const { dir, file } = home()
    spoil(dir, file)
    const r = records(dir)
    expect(r.runs.map((x) => [x.journal, x.sealed])).toEqual([['repairs/run-1.json', sealed]])
    expect(r.notes).toHaveLength(1)
    expect(r.notes[0]).toMatch(why)
    expect(r.notes[0]).toBe(J.unvouchedNote(r.runs[0]!))
    expect(r.notes[0]).toContain(`The repair journal repairs/run-1.json is ${UNVOUCHED} (`)
    expect(r.notes[0]).toMatch(/\): it is shown, never resumed, and nothing it says counts\.$/)
    const t = await T.readAppRuns(dir, M, M.name)
    expect(t.runs).toEqual([])
    expect(t.notes).toEqual(r.notes)
  })

  it('beside a sealed one: only the sealed one is a timeline run', async () => {
    // Ids longer than the file suffix: the seal is checked for the id the file name gives.
    const { dir } = home('run-aa1')
    const other = home('run-bb2')
    const { seal: _s, ...body } = json(other.file)
    writeFileSync(join(dir, 'repairs', 'run-bb2.json'), JSON.stringify(body))
    expect(records(dir).runs.map((x) => [x.journal, x.sealed])).toEqual([
      ['repairs/run-aa1.json', true],
      ['repairs/run-bb2.json', false],
    ])
    expect((await T.readAppRuns(dir, M, M.name)).runs.map((x) => x.id)).toEqual(['repairs/run-aa1.json'])
  })
})

describe('an install journal', () => {
  it('sealed: a run and a report action; unsealed: listed apart with its note, and no action, no note of its own in the actions', async () => {
    const { dir } = home()
    const file = installed(dir)
    const r = records(dir)
    expect(r.runs.map((x) => [x.kind, x.journal, x.sealed])).toEqual([
      ['repair', 'repairs/run-1.json', true],
      ['install', 'journals/plan-1.json', true],
    ])
    expect((await J.readActions(dir, M, M.name)).actions.map((a) => a.planId)).toEqual(['plan-1'])
    const { seal: _s, ...body } = json(file)
    writeFileSync(file, JSON.stringify(body))
    const after = records(dir)
    expect(after.runs.map((x) => [x.kind, x.sealed])).toEqual([
      ['repair', true],
      ['install', false],
    ])
    expect(after.notes).toEqual([J.unvouchedNote(after.runs[1]!)])
    expect(after.notes[0]).toMatch(/^The install journal journals\/plan-1\.json is a record this copy cannot vouch for/)
    const actions = await J.readActions(dir, M, M.name)
    expect(actions.actions).toEqual([])
    expect(actions.notes).toEqual([])
    expect((await T.readAppRuns(dir, M, M.name)).runs.map((x) => x.kind)).toEqual(['repair'])
  })
})

describe('a WinRE run journal', () => {
  /** A finished WinRE repair of this machine, as the report reads it, sealed with this data folder's key (or not). */
  function winre(dir: string, seal: boolean): string {
    const body = {
      repairId: 'w1',
      machine: M,
      status: 'completed',
      createdAt: AT,
      updatedAt: '2026-11-23T10:07:00.000Z',
      repair: {
        id: 'w1',
        addresses: [],
        steps: [
          { id: 's1', title: 'Enable WinRE', destructive: true, command: { commandLine: 'reagentc.exe /enable' } },
        ],
      },
      entries: [{ phase: 'finished', stepId: 's1', at: '2026-11-23T10:07:00.000Z', run: { ok: true, exitCode: 0 } }],
      verification: { verified: true, detail: 'WinRE is enabled' },
    }
    mkdirSync(join(dir, 'winre-repairs'), { recursive: true })
    const file = join(dir, 'winre-repairs', 'w1.run.json')
    writeFileSync(file, JSON.stringify(seal ? sealed(dir, 'winre-repair', 'w1', body) : body))
    return file
  }

  it('sealed: a run and a report action; unsealed or sealed for another id: listed apart with its note, and no action', async () => {
    const { dir } = home()
    winre(dir, true)
    expect(
      records(dir)
        .runs.map((x) => [x.kind, x.sealed])
        .sort(),
    ).toEqual([
      ['repair', true],
      ['winre-repair', true],
    ])
    expect(J.winreActions(dir, M, []).map((a) => a.action.planId)).toEqual(['w1'])
    expect((await T.readAppRuns(dir, M, M.name)).runs.map((x) => x.kind).sort()).toEqual(['repair', 'winre-repair'])
    winre(dir, false)
    const r = records(dir)
    expect(r.runs.map((x) => [x.kind, x.sealed]).sort()).toEqual([
      ['repair', true],
      ['winre-repair', false],
    ])
    expect(r.notes).toEqual([J.unvouchedNote(r.runs.find((x) => x.kind === 'winre-repair')!)])
    expect(r.notes[0]).toMatch(
      /^The WinRE run journal winre-repairs\/w1\.run\.json is a record this copy cannot vouch for/,
    )
    expect(J.winreActions(dir, M, [])).toEqual([])
    expect((await T.readAppRuns(dir, M, M.name)).runs.map((x) => x.kind)).toEqual(['repair'])
    // The seal is for its own id: the same journal sealed as another repair does not count.
    const other = JSON.parse(readFileSync(winre(dir, true), 'utf8')) as Record<string, unknown>
    writeFileSync(join(dir, 'winre-repairs', 'w2.run.json'), JSON.stringify(other))
    rmSync(join(dir, 'winre-repairs', 'w1.run.json'))
    expect(
      records(dir)
        .runs.map((x) => [x.kind, x.sealed])
        .sort(),
    ).toEqual([
      ['repair', true],
      ['winre-repair', false],
    ])
    expect(J.winreActions(dir, M, [])).toEqual([])
  })
})

describe('files that are no journal of their kind', () => {
  it('are notes, never runs: JSON that is no journal in each folder, and an install journal that cannot be read', async () => {
    const { dir } = home()
    mkdirSync(join(dir, 'journals'), { recursive: true })
    mkdirSync(join(dir, 'winre-repairs'), { recursive: true })
    writeFileSync(join(dir, 'journals', 'not-a-plan.json'), '{"x":1}')
    writeFileSync(join(dir, 'winre-repairs', 'not-a-repair.run.json'), '{"x":1}')
    writeFileSync(join(dir, 'repairs', 'not-a-run.json'), '{"x":1}')
    const r = records(dir)
    expect(r.runs.map((x) => [x.journal, x.sealed])).toEqual([['repairs/run-1.json', true]])
    expect(r.notes).toEqual([
      'The install journal not-a-plan.json is not an install journal this version reads; it is left as it is.',
      'The WinRE run journal not-a-repair.run.json is not a run journal this version reads; it is left as it is.',
      'The repair journal not-a-run.json is not a repair journal this version reads; it is left as it is.',
    ])
    // The report's actions: an install journal that cannot be read is said (an unvouched one is skipped silently, above).
    writeFileSync(join(dir, 'journals', 'broken.json'), '{')
    const notes = (await J.readActions(dir, M, M.name)).notes
    expect(notes.filter((n) => n.startsWith('The install journal broken.json could not be read: '))).toHaveLength(1)
  })
})

describe('the words and the rule', () => {
  it('vouched: only a run this copy sealed', () => {
    expect(J.vouched({ sealed: true })).toBe(true)
    expect(J.vouched({ sealed: false })).toBe(false)
    expect(J.vouched({ sealed: null })).toBe(false)
  })

  it('the note names the kind of journal and why', () => {
    expect(J.unvouchedNote({ kind: 'install', journal: 'journals/p.json', sealed: false })).toBe(
      `The install journal journals/p.json is ${UNVOUCHED} (it does not carry this copy's seal: an earlier version's, edited, or not the app's): it is shown, never resumed, and nothing it says counts.`,
    )
    expect(J.unvouchedNote({ kind: 'winre-repair', journal: 'winre-repairs/w.run.json', sealed: null })).toBe(
      `The WinRE run journal winre-repairs/w.run.json is ${UNVOUCHED} (this copy's journal key cannot be read to check its seal): it is shown, never resumed, and nothing it says counts.`,
    )
    expect(J.unvouchedNote({ kind: 'repair', journal: 'repairs/r.json', sealed: false })).toMatch(
      /^The repair journal repairs\/r\.json is /,
    )
    expect(UNVOUCHED).toBe('a record this copy cannot vouch for')
  })

  it('a snapshot has no runs of this app', async () => {
    const { dir } = home()
    // Even a journal that cannot be read (which any machine's list would note) is nothing to a snapshot.
    writeFileSync(join(dir, 'repairs', 'broken.json'), '{')
    expect((await T.readAppRuns(dir, M, M.name)).notes).toHaveLength(1)
    expect(await T.readAppRuns(dir, { kind: 'snapshot', name: 'x' } as unknown as MachineRef, M.name)).toEqual({
      runs: [],
      notes: [],
    })
  })
})
