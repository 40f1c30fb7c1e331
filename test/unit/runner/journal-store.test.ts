/**
 * The one journal store (main/runner/journal.ts), alone: where a journal is, how it is written (whole, sealed, its
 * plan's digest recomputed), the one refusal path (every reason, word for word), the formats before the one
 * journal (converted, refused, or archived with a note), and the lists. A Fix-it repair plan made by hand is the
 * journal's plan; the kind's own check is a stand-in that refuses one marked step. Fast: no services, no scan.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import {
  RunJournalStore,
  archiveDir,
  archivedJournals,
  isUnfinished,
  type JournalFailure,
  type JournalKindSpec,
} from '../../../main/runner/journal.ts'
import { digestOf, repairFromRun, repairToRun } from '../../../main/runner/journal-views.ts'
import { journalKey, sealOf } from '../../../main/runner/journal-seal.ts'
import { RepairJournalSchema, type RepairJournal, type RepairPlan } from '../../../preload/model/repair.ts'
import type { RunJournalOf } from '../../../preload/model/run-journal.ts'
import type { MachineRef } from '../../../preload/model/common.ts'

class Failed extends Error {
  readonly failure: JournalFailure
  readonly file: string
  constructor(failure: JournalFailure, message: string, file: string) {
    super(message)
    this.failure = failure
    this.file = file
  }
}

const spec: JournalKindSpec<'repair'> = {
  kind: 'repair',
  folder: 'runs-here',
  suffix: '.j.json',
  idPattern: /^[a-z0-9-]{1,12}$/,
  idNoun: 'run',
  label: (id) => `journal of run ${id}`,
  what: (id) => `the journal of run ${id}`,
  error: (failure, message, file) => new Failed(failure, message, file),
  check: (j) => (j.plan.steps.some((s) => s.kind === 'forbidden') ? 'holds a step no definition makes' : null),
  legacy: {
    version: 1,
    schema: RepairJournalSchema,
    toRun: (old: RepairJournal) => repairToRun(old),
    check: (old: RepairJournal) => (old.repairId !== old.plan.repairId ? 'names two repairs' : null),
  },
  sealAdvice: 'Look at the PC first.',
}
const plainSpec: JournalKindSpec<'repair'> = {
  ...spec,
  sealAdvice: undefined,
  legacy: { ...spec.legacy, check: undefined },
}

const M: MachineRef = { kind: 'training', name: 'pc-1' }
const AT = '2026-11-23T10:00:00.000Z'
function plan(kind = 'restart'): RepairPlan {
  return {
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
        kind,
        params: { delaySeconds: 0 },
        title: 'Restart',
        explanation: 'x',
        gate: 'always',
        mayFail: false,
        destructive: true,
      },
    ],
  } as RepairPlan
}
function journal(id: string, over: Partial<RunJournalOf<'repair'>> = {}): RunJournalOf<'repair'> {
  const p = plan()
  return {
    schema: 'servicing-desk/run-journal',
    schemaVersion: 1,
    kind: 'repair',
    id,
    machine: M,
    createdAt: AT,
    updatedAt: AT,
    planDigest: digestOf(p),
    plan: p,
    status: 'running',
    entries: [],
    verification: null,
    ...over,
  }
}
const home = () => tempDirSync('sd-journal-store-')
const make = (dir = home(), s = spec) => new RunJournalStore(dir, s)
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>
function failure(f: () => unknown): Failed {
  try {
    f()
  } catch (e) {
    if (e instanceof Failed) return e
    throw e
  }
  throw new Error('did not fail')
}

describe('the store: where, and written whole', () => {
  it("file: the kind's folder and ending; an id outside the kind's pattern is refused", () => {
    const dir = home()
    const s = make(dir)
    expect(s.dir).toBe(join(dir, 'runs-here'))
    expect(s.dataDir).toBe(dir)
    expect(s.file('a-1')).toBe(join(dir, 'runs-here', 'a-1.j.json'))
    for (const bad of ['', 'A', '../x', 'a'.repeat(13), 'a.b']) {
      const e = failure(() => s.file(bad))
      expect([e.failure, e.message, e.file]).toEqual(['invalid', `Invalid run id '${bad}'.`, bad])
    }
  })

  it("create writes the journal sealed, the plan's digest recomputed and the head forced; a second create is refused", () => {
    const dir = home()
    const s = make(dir)
    expect(s.exists('a')).toBe(false)
    const j = journal('a', { planDigest: '0'.repeat(64) })
    expect(s.create(j)).toBe(j)
    expect(s.exists('a')).toBe(true)
    const whole = { ...j, planDigest: digestOf(j.plan) }
    const text = readFileSync(s.file('a'), 'utf8')
    expect(text).toBe(
      JSON.stringify(
        { ...whole, seal: sealOf(journalKey(dir), 'repair', 'a', JSON.parse(JSON.stringify(whole))) },
        null,
        1,
      ),
    )
    const e = failure(() => s.create(journal('a')))
    expect([e.failure, e.message, e.file]).toEqual([
      'exists',
      'A journal for run a exists already; resume it instead.',
      s.file('a'),
    ])
    expect(readFileSync(s.file('a'), 'utf8')).toBe(text)
    expect(s.load('a')).toEqual(whole)
  })

  it('save replaces the journal whole; a folder that cannot be made names the journal', () => {
    const s = make()
    s.create(journal('a'))
    s.save(journal('a', { status: 'completed', updatedAt: '2026-11-23T11:00:00.000Z' }))
    expect(s.load('a')).toMatchObject({ status: 'completed', updatedAt: '2026-11-23T11:00:00.000Z' })
    expect(readdirSync(s.dir)).toEqual(['a.j.json'])
    const dir = home()
    writeFileSync(join(dir, 'runs-here'), 'a file where the folder should be')
    expect(() => make(dir).save(journal('a'))).toThrow(/the journal of run a/)
  })
})

describe('the one refusal path', () => {
  const cases: Array<[string, (s: RunJournalStore<'repair'>) => void, JournalFailure, (f: string) => string | RegExp]> =
    [
      ['no file', () => {}, 'missing', () => 'No journal for run a.'],
      [
        'a folder where the file should be',
        (s) => mkdirSync(s.file('a'), { recursive: true }),
        'missing',
        (f) => `The journal of run a cannot be read (EISDIR): ${f}.`,
      ],
      [
        'not JSON',
        (s) => writeFileSync(s.file('a'), '{"schema":'),
        'refused',
        (f) => new RegExp(`^The journal of run a \\(${esc(f)}\\) is damaged: it is not JSON \\(.+\\)\\.$`),
      ],
      [
        'a later format of the one journal',
        (s) => writeFileSync(s.file('a'), JSON.stringify({ ...journal('a'), schemaVersion: 2 })),
        'refused',
        (f) =>
          `The journal of run a (${f}) is from a later version of Servicing Desk (format 2) and is not supported, so nothing in it runs.`,
      ],
      [
        'two fields wrong: both named',
        (s) => writeFileSync(s.file('a'), JSON.stringify({ ...journal('a'), status: 'x', entries: 1 })),
        'refused',
        (f) => new RegExp(`^The journal of run a \\(${esc(f)}\\) is damaged: status: [^;]+; entries: [^;]+\\.$`),
      ],
      [
        'a file holding null',
        (s) => writeFileSync(s.file('a'), 'null'),
        'refused',
        (f) => new RegExp(`^The journal of run a \\(${esc(f)}\\) is damaged: \\(root\\): `),
      ],
      [
        'a file holding a list',
        (s) => writeFileSync(s.file('a'), '[{"schema":"servicing-desk/run-journal","schemaVersion":9}]'),
        'refused',
        (f) => new RegExp(`^The journal of run a \\(${esc(f)}\\) is damaged: \\(root\\): `),
      ],
      [
        'a field wrong at the root',
        (s) => writeFileSync(s.file('a'), JSON.stringify({ ...journal('a'), extra: 1 })),
        'refused',
        () => /is damaged: \(root\): /,
      ],
      [
        "another kind's journal",
        (s) => writeFileSync(s.file('a'), JSON.stringify({ ...journal('a'), kind: 'winre-repair' })),
        'refused',
        () => /is damaged: /,
      ],
      [
        "another run's journal",
        (s) => writeFileSync(s.file('a'), JSON.stringify(journal('b'))),
        'refused',
        (f) => `The journal of run a (${f}) names another run (b), so nothing in it runs.`,
      ],
      [
        'its plan edited',
        (s) => writeFileSync(s.file('a'), JSON.stringify({ ...journal('a'), plan: { ...plan(), title: 'Edited' } })),
        'refused',
        (f) =>
          `The journal of run a (${f}) holds a plan that is not the one it was made for (its digest differs), so nothing in it runs.`,
      ],
      [
        "the kind's own check",
        (s) =>
          writeFileSync(
            s.file('a'),
            JSON.stringify({ ...journal('a'), plan: plan('forbidden'), planDigest: digestOf(plan('forbidden')) }),
          ),
        'refused',
        (f) => `The journal of run a (${f}) holds a step no definition makes, so nothing in it runs.`,
      ],
      [
        'not ended and no seal',
        (s) => writeFileSync(s.file('a'), JSON.stringify(journal('a'))),
        'refused',
        (f) =>
          `The journal of run a (${f}) has not ended, and it carries no seal of this copy of Servicing Desk (it was written by an earlier version, or not by the app), so nothing in it runs. Look at the PC first.`,
      ],
      [
        'not ended and sealed over something else',
        (s) => {
          s.create(journal('a'))
          writeFileSync(s.file('a'), JSON.stringify({ ...read(s.file('a')), updatedAt: 'later' }))
        },
        'refused',
        (f) =>
          `The journal of run a (${f}) has not ended, and its seal is not this copy of Servicing Desk's for what it holds (it was changed, or written elsewhere), so nothing in it runs. Look at the PC first.`,
      ],
    ]
  let ran = 0
  for (const [name, damage, kind, message] of cases) {
    it(name, () => {
      const s = make()
      mkdirSync(s.dir, { recursive: true })
      damage(s)
      const e = failure(() => s.load('a'))
      expect(e.failure).toBe(kind)
      expect(e.file).toBe(s.file('a'))
      const m = message(s.file('a'))
      if (typeof m === 'string') expect(e.message).toBe(m)
      else expect(e.message).toMatch(m)
      ran++
    })
  }
  it('ran every case', () => expect(ran).toBe(cases.length))

  it("a journal of another kind, whole and valid, is refused by this kind's store", () => {
    const dir = home()
    make(dir).create(journal('a', { status: 'completed' }))
    const other = new RunJournalStore(dir, { ...spec, kind: 'winre-repair' } as unknown as JournalKindSpec<'repair'>)
    expect(failure(() => other.load('a')).message).toBe(
      `The journal of run a (${other.file('a')}) is a repair journal, not a winre-repair one, so nothing in it runs.`,
    )
  })

  it('a write that fails names the journal', () => {
    const s = make()
    mkdirSync(join(s.file('a'), 'x'), { recursive: true })
    expect(() => s.save(journal('a'))).toThrow(/the journal of run a/)
  })

  it('without advice, the seal refusal ends at "runs."', () => {
    const s = make(home(), plainSpec)
    mkdirSync(s.dir, { recursive: true })
    writeFileSync(s.file('a'), JSON.stringify(journal('a')))
    expect(failure(() => s.load('a')).message).toMatch(/\), so nothing in it runs\.$/)
  })

  it("a run that ended without the app's seal is a record this copy cannot vouch for; one with it, ended or not, loads", () => {
    const s = make()
    mkdirSync(s.dir, { recursive: true })
    for (const status of ['completed', 'failed'] as const) {
      writeFileSync(s.file('a'), JSON.stringify(journal('a', { status })))
      const e = failure(() => s.load('a'))
      expect(e.failure).toBe('unvouched')
      expect(e.message).toBe(
        `The journal of run a (${s.file('a')}) is a record this copy cannot vouch for: its run ended, but it carries no seal of this copy of Servicing Desk (it was written by an earlier version, or not by the app); it is shown, and nothing it says counts.`,
      )
      writeFileSync(s.file('a'), JSON.stringify({ ...journal('a', { status }), seal: 'f'.repeat(64) }))
      expect(failure(() => s.load('a')).message).toMatch(
        /cannot vouch for: its run ended, but its seal is not this copy of Servicing Desk's for what it holds/,
      )
      s.save(journal('a', { status }))
      expect(s.load('a').status).toBe(status)
    }
    for (const status of ['running', 'cancelled'] as const) {
      writeFileSync(s.file('a'), JSON.stringify(journal('a', { status })))
      expect(() => s.load('a')).toThrow(/has not ended/)
    }
    s.save(journal('a', { status: 'cancelled' }))
    expect(s.load('a').status).toBe('cancelled')
  })

  it('isUnfinished: every status but completed, failed and abandoned', () => {
    expect(
      ['pending', 'running', 'awaiting-restart', 'cancelled', 'completed', 'failed', 'abandoned'].filter((status) =>
        isUnfinished({ status }),
      ),
    ).toEqual(['pending', 'running', 'awaiting-restart', 'cancelled'])
  })
})

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('the format before the one journal', () => {
  const old = (id: string, over: Partial<RepairJournal> = {}): RepairJournal => ({
    ...repairFromRun(journal(id)),
    ...over,
  })
  const put = (s: RunJournalStore<'repair'>, id: string, body: unknown) => {
    mkdirSync(s.dir, { recursive: true })
    writeFileSync(s.file(id), JSON.stringify(body))
  }

  it('an ended one is converted; read again it is the same; nothing on disk changes', () => {
    const dir = home()
    const s = make(dir)
    const body = old('a', { status: 'completed' })
    put(s, 'a', { ...body, seal: sealOf(journalKey(dir), 'repair', 'a', body) })
    const before = readFileSync(s.file('a'), 'utf8')
    expect(s.load('a')).toEqual({ ...journal('a'), status: 'completed' })
    expect(readFileSync(s.file('a'), 'utf8')).toBe(before)
  })

  it('an unfinished one carries the seal made over it as it was written', () => {
    const dir = home()
    const s = make(dir)
    const body = old('a')
    put(s, 'a', { ...body, seal: sealOf(journalKey(dir), 'repair', 'a', body) })
    expect(s.load('a').status).toBe('running')
    put(s, 'a', body)
    expect(() => s.load('a')).toThrow(/has not ended, and it carries no seal/)
  })

  it("refused: damaged, a later format, its own check, another run, the kind's check", () => {
    const s = make()
    const f = s.file('a')
    const cases: Array<[unknown, string | RegExp]> = [
      [{ ...old('a'), status: 'odd' }, new RegExp(`^The journal of run a \\(${esc(f)}\\) is damaged: status: `)],
      [
        { ...old('a'), schemaVersion: 2 },
        `The journal of run a (${f}) is from a later version of Servicing Desk (format 2) and is not supported, so nothing in it runs.`,
      ],
      [
        { ...old('a'), repairId: 'restore-health' },
        `The journal of run a (${f}) names two repairs, so nothing in it runs.`,
      ],
      [old('b', { status: 'completed' }), `The journal of run a (${f}) names another run (b), so nothing in it runs.`],
      [
        { ...old('a', { status: 'completed' }), plan: plan('forbidden') },
        `The journal of run a (${f}) holds a step no definition makes, so nothing in it runs.`,
      ],
    ]
    for (const [body, message] of cases) {
      put(s, 'a', body)
      const e = failure(() => s.load('a'))
      expect(e.failure).toBe('refused')
      if (typeof message === 'string') expect(e.message).toBe(message)
      else expect(e.message).toMatch(message)
    }
    expect(existsSync(archiveDir(s.dataDir))).toBe(false)
  })

  it('a format given as text, or none at all, is damaged, never archived; a later format that says it ended stays', () => {
    const dir = home()
    const s = make(dir)
    const { schemaVersion: _, ...none } = old('a', { status: 'completed' })
    for (const body of [{ ...old('a', { status: 'completed' }), schemaVersion: '0' }, none]) {
      put(s, 'a', body)
      expect(failure(() => s.load('a')).message).toMatch(/is damaged: schemaVersion: /)
    }
    put(s, 'a', { ...old('a'), schemaVersion: 2, status: 'completed' })
    expect(failure(() => s.load('a')).message).toMatch(
      /is from a later version of Servicing Desk \(format 2\) and is not supported, so nothing in it runs\.$/,
    )
    expect(existsSync(s.file('a'))).toBe(true)
    expect(archivedJournals(dir)).toEqual([])
  })

  it('a kind without a check of its old format reads it as it is', () => {
    const dir = home()
    const s = make(dir, plainSpec)
    const body = old('a', { status: 'completed', repairId: 'restore-health' })
    put(s, 'a', { ...body, seal: sealOf(journalKey(dir), 'repair', 'a', body) })
    expect(s.load('a').status).toBe('completed')
    put(s, 'a', body)
    expect(failure(() => s.load('a')).failure).toBe('unvouched')
  })

  it('a legacy toRun that yields another digest is refused', () => {
    const s = make(home(), {
      ...spec,
      legacy: { ...spec.legacy, toRun: (o: RepairJournal) => ({ ...repairToRun(o), planDigest: 'f'.repeat(64) }) },
    })
    put(s, 'a', old('a', { status: 'completed' }))
    expect(failure(() => s.load('a')).message).toBe(
      `The journal of run a (${s.file('a')}) holds a plan that is not the one it was made for (its digest differs), so nothing in it runs.`,
    )
  })

  it('an earlier format that says it ended is moved to the archive with a note; one that may not have ended, or says nothing, stays', () => {
    const dir = home()
    const s = make(dir)
    const f = s.file('a')
    for (const status of ['running', 'cancelled', 7, undefined]) {
      put(s, 'a', { ...old('a'), schemaVersion: 0, status })
      expect(failure(() => s.load('a')).message).toBe(
        `The journal of run a (${f}) is from an earlier version of Servicing Desk (format 0) and is not supported, so nothing in it runs.`,
      )
      expect(existsSync(f)).toBe(true)
    }
    expect(archivedJournals(dir)).toEqual([])
    for (const [id, status, says] of [
      ['a', 'completed', 'completed'],
      ['b', 'abandoned', 'was given up'],
    ] as const) {
      const body = JSON.stringify({ ...old(id), schemaVersion: 0, status })
      put(s, id, JSON.parse(body))
      const e = failure(() => s.load(id))
      expect(e.message).toBe(
        `The journal of run ${id} (${s.file(id)}) is from an earlier version of Servicing Desk (format 0) and is not supported, so nothing in it runs. It says the run ended (${status}), so it was moved to journals/archived/repair-${id}.j.json.`,
      )
      expect(existsSync(s.file(id))).toBe(false)
      expect(readFileSync(join(archiveDir(dir), `repair-${id}.j.json`), 'utf8')).toBe(body)
      const note = read(join(archiveDir(dir), `repair-${id}.j.json.note.json`))
      expect(note).toEqual({
        kind: 'repair',
        id,
        from: `runs-here/${id}.j.json`,
        to: `journals/archived/repair-${id}.j.json`,
        at: note.at,
        note: `It is from an earlier version of Servicing Desk (format 0), which this version cannot read; it says the run ${says}. Nothing in it runs.`,
      })
      expect(Date.parse(String(note.at))).toBeGreaterThan(Date.parse('2026-01-01'))
    }
    expect(archivedJournals(dir).map((a) => a.id)).toEqual(['a', 'b'])
  })
})

describe('the lists', () => {
  it('list: every journal of the kind, sealed, refused or not vouched for, in name order; archived ones and other files are not listed', () => {
    const dir = home()
    const s = make(dir)
    expect(s.list()).toEqual({ journals: [], damaged: [], damagedOf: [], unvouched: [] })
    s.create(journal('a', { status: 'completed' }))
    s.create(journal('b'))
    writeFileSync(s.file('c'), 'not json')
    writeFileSync(join(s.dir, 'abcdefghi.txt'), "not a journal: its name does not end as the kind's do")
    writeFileSync(join(s.dir, 'Bad.j.json'), 'not json')
    writeFileSync(join(s.dir, 'd.json'), 'not json')
    writeFileSync(
      s.file('e'),
      JSON.stringify({ ...repairFromRun(journal('e')), schemaVersion: 0, status: 'completed' }),
    )
    writeFileSync(s.file('f'), JSON.stringify(journal('f', { status: 'completed' })))
    // Damaged, but still naming its machine: the list says which (a journal holds up its own PC only).
    writeFileSync(s.file('g'), JSON.stringify({ ...journal('g'), id: 'another' }))
    const { journals, damaged, damagedOf, unvouched } = s.list()
    expect(journals.map((j) => j.id)).toEqual(['a', 'b'])
    expect(unvouched.map((u) => [u.journal.id, u.file, u.reason])).toEqual([
      ['f', s.file('f'), expect.stringMatching(/^it carries no seal/)],
    ])
    expect(damaged.map((e) => e.message)).toEqual([
      expect.stringMatching(/^The journal of run c .* is damaged: it is not JSON/),
      expect.stringMatching(/^The journal of run g .* names another run \(another\)/),
    ])
    expect(damaged[0]).toBeInstanceOf(Failed)
    expect(damagedOf.map((d) => [d.id, d.machine, d.error])).toEqual([
      ['c', null, damaged[0]],
      ['g', M, damaged[1]],
    ])
    expect(archivedJournals(dir).map((a) => a.id)).toEqual(['e'])
  })

  it('unfinished: not ended, newest first; with a machine, only its own', () => {
    const s = make()
    const other: MachineRef = { kind: 'training', name: 'pc-2' }
    s.create(journal('a', { updatedAt: '2026-11-23T10:01:00.000Z' }))
    s.create(journal('b', { updatedAt: '2026-11-23T10:03:00.000Z', status: 'cancelled' }))
    s.create(journal('c', { updatedAt: '2026-11-23T10:02:00.000Z', machine: other }))
    s.create(journal('d', { updatedAt: '2026-11-23T10:04:00.000Z', status: 'completed' }))
    expect(s.unfinished().map((j) => j.id)).toEqual(['b', 'c', 'a'])
    expect(s.unfinished(M).map((j) => j.id)).toEqual(['b', 'a'])
    expect(s.unfinished(other).map((j) => j.id)).toEqual(['c'])
  })

  it('archivedJournals: none without the folder; a note that is not one is skipped; oldest first', () => {
    const dir = home()
    expect(archivedJournals(dir)).toEqual([])
    mkdirSync(archiveDir(dir), { recursive: true })
    const note = (id: string, at: string) => ({
      kind: 'repair',
      id,
      from: `repairs/${id}.json`,
      to: `journals/archived/repair-${id}.json`,
      at,
      note: 'n',
    })
    writeFileSync(join(archiveDir(dir), 'a.note.json'), JSON.stringify(note('a', '2026-11-23T12:00:00.000Z')))
    writeFileSync(join(archiveDir(dir), 'b.note.json'), JSON.stringify(note('b', '2026-11-23T11:00:00.000Z')))
    writeFileSync(join(archiveDir(dir), 'c.note.json'), '{')
    writeFileSync(join(archiveDir(dir), 'd.note.json'), JSON.stringify({ ...note('d', 'x'), extra: 1 }))
    writeFileSync(join(archiveDir(dir), 'e.json'), JSON.stringify(note('e', '2026-11-23T10:00:00.000Z')))
    expect(archivedJournals(dir).map((a) => a.id)).toEqual(['b', 'a'])
    expect(archiveDir(dir)).toBe(join(dir, 'journals', 'archived'))
  })
})
