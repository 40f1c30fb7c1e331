/**
 * Journals written before the one journal format: real files written by Servicing Desk at main
 * cb5cba5 (test/fixtures/old-journals/README.md) are read, converted to the one format with their seal checked as
 * before, resumed, and listed by the report; one that cannot be converted and says it ended is moved to
 * `<data>/journals/archived/` with a note the report shows; one that may not have ended stays and is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { readRunRecords } from '../../../main/report/journals.ts'
import { JournalStore } from '../../../main/install/journal.ts'
import { WinreJournalStore } from '../../../main/winre/run-journal.ts'
import { RepairJournalStore } from '../../../main/repair/journal.ts'
import { archivedJournals } from '../../../main/runner/journal.ts'
import { RunJournalSchema } from '../../../preload/model/run-journal.ts'
import { runCliInProcess } from '../cli-child.ts'
import { ReportSchema } from '../../../preload/model/report.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { acquireRunLock, RunLockBusyError, type RunLock } from '../../../main/install/run-lock.ts'

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'old-journals')
const PLAN = '20261123T141214-N-VmJWNKkwj2xUonzEs6Ug-arm64-missing-checkpoint-KB5086672'
const WINRE = 'x64-winre-partition-full-winre-67a36cfd24'
const RUN = '20261123T141215-x64-pending-restart-restart'

/**
 * The data folder the old journals were written in, holding them again as main wrote them (the key kept the app's
 * alone, as main made it). The same path: a journal's plan holds its data folder's paths (a package, a kit), and a
 * plan whose paths are another folder's is not the builder's there.
 */
// The literal path, not tmpdir(): `npm test` points TMPDIR at /dev/shm (scripts/test.ts), where a plan written under
// /tmp is another folder's plan and rightly refused.
const HOME = '/tmp/sd-old-journals-fixture'
/**
 * One path for every copy of the suite on this computer: a second clone's run beside this one (green with a
 * second copy running) would empty it under this file's feet (seen: ENOTEMPTY, a journal changed between two reads).
 * So this file holds the app's own run lock on it (`HOME.lock`, a dead holder's taken over) from its first test to its
 * last, and waits while another copy holds it.
 */
let fixtureLock: RunLock | null = null
beforeAll(async () => {
  for (;;) {
    try {
      fixtureLock = acquireRunLock(HOME, { what: 'The old-journals fixture' })
      return
    } catch (err) {
      if (!(err instanceof RunLockBusyError)) throw err
    }
    await sleep(100)
  }
})
afterAll(() => {
  rmSync(HOME, { recursive: true, force: true })
  fixtureLock?.release()
})
function oldHome(): string {
  const home = HOME
  rmSync(home, { recursive: true, force: true })
  cpSync(FIXTURE, home, { recursive: true })
  chmodSync(join(home, 'keys'), 0o700)
  chmodSync(join(home, 'keys', 'journal.key'), 0o600)
  return home
}
const raw = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>

describe('journals of the formats before the one journal', () => {
  it('each is read and converted: the install and the repair as ended, the WinRE repair as interrupted (sealed, so resumable)', () => {
    const home = oldHome()
    expect(raw(join(home, 'journals', `${PLAN}.json`)).schemaVersion).toBe(2)
    expect(raw(join(home, 'journals', `${PLAN}.json`)).schema).toBeUndefined()
    const winre = new WinreJournalStore(home)
    const w = winre.load(WINRE)
    expect(w).toMatchObject({
      repairId: WINRE,
      status: 'running',
      machine: { kind: 'training', name: 'x64-winre-partition-full' },
    })
    expect(w.entries.map((e) => e.phase)).toEqual(['started'])
    expect(winre.unfinishedFor({ kind: 'training', name: 'x64-winre-partition-full' })?.repairId).toBe(WINRE)
    const r = new RepairJournalStore(home).load(RUN)
    expect(r).toMatchObject({ runId: RUN, repairId: 'restart', status: 'completed' })
    expect(r.entries.filter((e) => e.phase === 'finished').length).toBe(r.plan.steps.length)
    // Reading changes nothing on disk.
    expect(raw(join(home, 'winre-repairs', `${WINRE}.run.json`)).schemaVersion).toBe(2)
  })

  it('the report reads all three as runs, sealed, from the one reader', () => {
    const home = oldHome()
    const install = readRunRecords(
      home,
      { kind: 'training', name: 'arm64-missing-checkpoint' },
      'arm64-missing-checkpoint',
    )
    expect(install.runs.map((x) => `${x.kind}:${x.outcome}:${x.verified}:${x.sealed}`)).toEqual([
      'install:completed:true:true',
    ])
    const winre = readRunRecords(
      home,
      { kind: 'training', name: 'x64-winre-partition-full' },
      'x64-winre-partition-full',
    )
    expect(winre.runs.map((x) => `${x.kind}:${x.outcome}:${x.sealed}`)).toEqual(['winre-repair:interrupted:true'])
    expect(winre.runs[0]!.steps[0]!.result).toBe('not-run')
    const repair = readRunRecords(home, { kind: 'training', name: 'x64-pending-restart' }, 'x64-pending-restart')
    expect(repair.runs.map((x) => `${x.kind}:${x.definition}:${x.outcome}:${x.sealed}`)).toEqual([
      'repair:restart:completed:true',
    ])
    expect([install.notes, winre.notes, repair.notes]).toEqual([[], [], []])
  })

  it('the interrupted WinRE repair resumes from its old journal, finishes, and is written back in the one format, sealed', async () => {
    const home = oldHome()
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const ref = { kind: 'training', name: 'x64-winre-partition-full' } as const
    // The WinRE update the repair adds, where the app had put it (the training catalog's bytes: their SHA-256 is the plan's).
    writeTrainingKit(join(home, 'kits', 'winre', 'KB5087593-x64'), 'KB5087593', 'x64')
    expect(svc.trainingStore.load(ref.name).winre.enabled).toBe(false)
    const run = await svc.winre.repair(ref, WINRE)
    expect(run.resumed).toBe(true)
    expect(run.status).toBe('completed')
    expect(svc.trainingStore.load(ref.name).winre.enabled).toBe(true)
    const now = raw(join(home, 'winre-repairs', `${WINRE}.run.json`))
    expect(RunJournalSchema.parse(now)).toMatchObject({ kind: 'winre-repair', id: WINRE, status: 'completed' })
    expect(now.seal).toMatch(/^[0-9a-f]{64}$/)
    const read = readRunRecords(home, ref, ref.name)
    expect(read.runs.map((x) => `${x.outcome}:${x.resumed}:${x.sealed}`)).toEqual(['completed:true:true'])
  })

  it('an old journal edited after it was written (its seal no longer holds) is refused, nothing runs', async () => {
    const home = oldHome()
    const file = join(home, 'winre-repairs', `${WINRE}.run.json`)
    const j = raw(file)
    writeFileSync(file, JSON.stringify({ ...j, updatedAt: '2026-11-23T15:00:00.000Z' }))
    expect(() => new WinreJournalStore(home).load(WINRE)).toThrow(
      /has not ended, and its seal is not this copy of Servicing Desk's/,
    )
    const svc = createServices({ dataDir: home, platform: 'linux' })
    await expect(svc.winre.repair({ kind: 'training', name: 'x64-winre-partition-full' }, WINRE)).rejects.toThrow(
      /seal/,
    )
    expect(svc.trainingStore.load('x64-winre-partition-full').winre.enabled).toBe(false)
  })

  it('one of a format this version cannot convert that says it ended is archived with a note the report shows; one that may not have ended stays', async () => {
    const home = oldHome()
    const file = join(home, 'journals', `${PLAN}.json`)
    const ended = raw(file)
    // The same journal, its format said to be 1 (the install format that stored commands): it ended (completed).
    writeFileSync(file, JSON.stringify({ ...ended, schemaVersion: 1 }))
    const store = new JournalStore(home)
    expect(store.damaged()).toEqual([])
    expect(existsSync(file)).toBe(false)
    expect(readdirSync(join(home, 'journals', 'archived')).sort()).toEqual([
      `install-${PLAN}.json`,
      `install-${PLAN}.json.note.json`,
    ])
    expect(readFileSync(join(home, 'journals', 'archived', `install-${PLAN}.json`), 'utf8')).toBe(
      JSON.stringify({ ...ended, schemaVersion: 1 }),
    )
    expect(archivedJournals(home)).toMatchObject([
      { kind: 'install', id: PLAN, from: `journals/${PLAN}.json`, to: `journals/archived/install-${PLAN}.json` },
    ])
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
    const notes = readRunRecords(home, ref, ref.name).notes
    expect(notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The install journal journals/${PLAN}\\.json was moved to journals/archived/install-${PLAN}\\.json \\(.+\\): It is from an earlier version of Servicing Desk \\(format 1\\), which this version cannot read; it says the run completed\\. Nothing in it runs\\.$`,
        ),
      ),
    ])
    // `report --out r.json` says it too.
    const report = join(home, 'r.json')
    const out = await runCliInProcess(home, ['report', '--machine', ref.name, '--out', report])
    expect(out.code, out.stderr).toBe(0)
    expect(ReportSchema.parse(raw(report)).diagnosis.notes).toContainEqual(notes[0])

    // Not ended (running): it stays where it is, refused, and is listed as damaged (it stops new installs).
    const home2 = oldHome()
    expect(archivedJournals(home2)).toEqual([])
    const file2 = join(home2, 'journals', `${PLAN}.json`)
    writeFileSync(file2, JSON.stringify({ ...raw(file2), schemaVersion: 1, status: 'running' }))
    const damaged = new JournalStore(home2).damaged()
    expect(damaged.map((e) => e.message)).toEqual([
      `The journal of plan ${PLAN} (${file2}) is from an earlier version of Servicing Desk (format 1) and is not supported, so nothing in it runs.`,
    ])
    expect(existsSync(file2)).toBe(true)
    expect(archivedJournals(home2)).toEqual([])
    rmSync(home2, { recursive: true, force: true })
  })
})
