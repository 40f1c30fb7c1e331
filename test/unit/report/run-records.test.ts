/**
 * One reader for every run: `report --out r.json` lists installs, WinRE repairs and Fix-it repairs
 * as RunRecords (preload/model/run-record.ts), each with its outcome, verification, what changed and how to
 * undo what it renamed, moved or removed. A journal that cannot be read is a note, never dropped silently.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { readRunRecords } from '../../../main/report/journals.ts'
import { RunRecordsSchema, type RunRecord } from '../../../preload/model/run-record.ts'
import { ReportSchema } from '../../../preload/model/report.ts'
import { runCliInProcess } from '../cli-child.ts'
import { hangMs } from '../../load.ts'

const STORE = 'x64-component-store-corrupt'

describe('every run from one reader', () => {
  it('report --out r.json lists the Fix-it repair, the install and the WinRE repair of the machine, oldest first, verified', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-runs-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const ref = { kind: 'training', name: STORE } as const
    const fix = await svc.repairs.run(ref, 'restore-health')
    expect(fix.verified).toBe(true)
    const plan = await svc.install.makePlan({ ref, kbs: ['KB5046633'] })
    const installed = await svc.install.install(plan, {})
    expect(installed.verification?.verified).toBe(true)
    const { repair } = await svc.winre.report(ref)
    const winre = await svc.winre.repair(ref, repair.id)
    expect(winre.status).toBe('completed')
    // Another machine's run is not this machine's.
    await svc.repairs.run({ kind: 'training', name: 'x64-pending-restart' }, 'restart')

    const out = join(home, 'r.json')
    const r = await runCliInProcess(home, ['report', '--machine', STORE, '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const report = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')))
    expect(report.runs.map((x) => `${x.kind}:${x.definition}:${x.outcome}:${x.verified}`)).toEqual([
      'repair:restore-health:completed:true',
      'install:install:completed:true',
      'winre-repair:winre:completed:true',
    ])
    expect(report.runs.map((x) => x.sealed)).toEqual([true, true, true])
    const [f, i, w] = report.runs
    expect(f.id).toBe(fix.runId)
    expect(f.steps.length).toBe(fix.steps.length)
    expect(f.startedAt! <= f.endedAt!).toBe(true)
    expect(i.id).toBe(plan.id)
    expect(i.targets).toEqual(['KB5046633'])
    expect(i.before).toEqual({ build: 22631, ubr: installed.verification!.before.ubr })
    expect(i.after).toEqual({ build: 22631, ubr: 4460 })
    expect(i.changed.join('\n')).toMatch(/KB5046633/)
    expect(w.id).toBe(repair.id)
    expect(w.changed.join('\n')).toMatch(/WinRE is enabled/)
    expect(w.steps.filter((s) => s.result === 'ok').length).toBeGreaterThan(0)
    expect(report.runs.every((x) => x.undo.length === 0)).toBe(true)
  })

  it('names what reset-wu-components renamed, free-esp-space moved and remove-package removed, and how to put each back', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-runs-undo-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const runs: Record<string, RunRecord> = {}
    for (const [m, id] of [
      ['x64-wu-components-broken', 'reset-wu-components'],
      ['x64-efi-partition-full', 'free-esp-space'],
      ['x64-lcu-uninstall-blocked', 'remove-package'],
    ] as const) {
      const ref = { kind: 'training', name: m } as const
      expect((await svc.repairs.run(ref, id)).status).toBe('completed')
      const read = readRunRecords(home, ref, m)
      expect(read.runs.map((x) => x.definition)).toEqual([id])
      runs[id] = read.runs[0]
    }
    const wu = runs['reset-wu-components'].undo
    expect(wu.map((u) => `${u.what}:${u.from}:${u.done}`)).toEqual([
      'renamed-folder:%SystemRoot%\\SoftwareDistribution\\DataStore:true',
      'renamed-folder:%SystemRoot%\\SoftwareDistribution\\Download:true',
      'renamed-folder:%SystemRoot%\\System32\\catroot2:true',
    ])
    expect(wu[0].to).toMatch(/^%SystemRoot%\\SoftwareDistribution\\DataStore\.sd-\d{8}-\d{6}$/)
    expect(wu[0].commands).toContain(`ren "${wu[0].to}" DataStore`)
    const esp = runs['free-esp-space'].undo
    expect(esp.length).toBeGreaterThan(0)
    expect(esp[0].what).toBe('moved-folder')
    expect(esp[0].to).toMatch(/^C:\\ProgramData\\ServicingDesk\\esp-moved\\/)
    expect(esp[0].commands[1]).toMatch(
      /^%SystemRoot%\\System32\\Robocopy\.exe "C:\\ProgramData\\ServicingDesk\\esp-moved\\[^"]+" "[D-Z]:\\EFI\\[^"]+" \/E \/MOVE$/,
    )
    const pkg = runs['remove-package'].undo
    expect(pkg.map((u) => u.what)).toEqual(['removed-package'])
    expect(pkg[0].from).toMatch(/^Package_for_RollupFix~31bf3856ad364e35~amd64~~/)
    expect(pkg[0].done).toBe(true)
    expect(runs['remove-package'].changed.length).toBeGreaterThan(0)
  })

  it('a remote PC sees only its own runs: a Fix-it journal of another computer is not listed (names in any case)', () => {
    const home = tempDirSync('sd-runs-remote-')
    mkdirSync(join(home, 'repairs'), { recursive: true })
    const journal = (runId: string, computer: string) =>
      JSON.stringify({
        runId,
        repairId: 'restart',
        machine: { kind: 'remote', computer },
        status: 'running',
        plan: {
          title: 'Restart',
          repairId: 'restart',
          steps: [{ id: 's1', kind: 'restart', params: { delaySeconds: 0 }, title: 'Restart', destructive: true }],
        },
        entries: [],
        updatedAt: '2026-01-01T00:00:00Z',
      })
    writeFileSync(join(home, 'repairs', 'a.json'), journal('a', 'FRONTDESK-03'))
    writeFileSync(join(home, 'repairs', 'b.json'), journal('b', 'HD-DESK-114'))
    const read = RunRecordsSchema.parse(
      readRunRecords(home, { kind: 'remote', computer: 'frontdesk-03' }, 'FRONTDESK-03'),
    )
    expect(read.runs.map((r) => r.id)).toEqual(['a'])
  })

  it('a journal that is not JSON, or not a journal, is a note; an unfinished one is interrupted', () => {
    const home = tempDirSync('sd-runs-bad-')
    for (const d of ['journals', 'winre-repairs', 'repairs']) mkdirSync(join(home, d), { recursive: true })
    writeFileSync(join(home, 'journals', 'p1.json'), '{"half":')
    writeFileSync(join(home, 'winre-repairs', 'w1.run.json'), '[]')
    writeFileSync(
      join(home, 'repairs', 'r1.json'),
      JSON.stringify({
        runId: 'r1',
        repairId: 'restart',
        machine: { kind: 'this-pc' },
        status: 'running',
        plan: {
          title: 'Restart',
          repairId: 'restart',
          steps: [{ id: 's1', kind: 'restart', params: { delaySeconds: 0 }, title: 'Restart', destructive: true }],
        },
        entries: [{ phase: 'started', at: '2026-01-01T00:00:00Z', stepId: 's1', attempt: 1 }],
        updatedAt: '2026-01-01T00:00:00Z',
      }),
    )
    const read = RunRecordsSchema.parse(readRunRecords(home, { kind: 'this-pc' }, 'PC'))
    expect(read.notes.join('\n')).toMatch(/install journal p1\.json could not be read/)
    expect(read.notes.join('\n')).toMatch(/WinRE run journal w1\.run\.json is not a run journal/)
    expect(read.runs.map((x) => `${x.kind}:${x.outcome}:${x.steps[0].result}`)).toEqual(['repair:interrupted:not-run'])
    expect(read.runs[0].endedAt).toBeNull()
    // Not written by this copy (no seal): shown, with a note that it is never resumed and counts for nothing.
    expect(read.runs[0].sealed).toBe(false)
    expect(read.notes.join('\n')).toMatch(
      /repair journal repairs\/r1\.json is a record this copy cannot vouch for \(it does not carry this copy's seal.* never resumed, and nothing it says counts/,
    )
  })
})
