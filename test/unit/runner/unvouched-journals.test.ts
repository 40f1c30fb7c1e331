/**
 * A journal's claims count only with this copy's seal. A finished repair journal — copied from another
 * copy of the app (its seal made under another key) or with its seal taken out — is planted in the data folder of a
 * machine whose component store is still damaged. It must change no verdict (the finding stays current, not history),
 * no report check (the top cause is still found), no offer (the repair is still offered, and runs), and be shown as
 * a record this copy cannot vouch for. Uses only modules main had before the fix, so it runs (and fails) there too.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { makeReport } from '../../../main/report/export-report.ts'
import { summaryOf } from '../../../main/report/summary.ts'
import { renderReportHtml } from '../../../main/report/html.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { hangMs } from '../../load.ts'

const M = 'x64-component-store-corrupt'
const ref: MachineRef = { kind: 'training', name: M }
const STORE_FINDING = /component store is damaged/

/** The journal of a verified restore-health run, made by another copy of the app (another data folder, another key). */
let elsewhere: { file: string; name: string }
beforeAll(async () => {
  const home = tempDirSync('sd-unvouched-source-')
  const svc = createServices({ dataDir: home, platform: 'linux' })
  const run = await svc.repairs.run(ref, 'restore-health')
  expect(run.verified).toBe(true)
  const name = readdirSync(join(home, 'repairs')).find((n) => n.endsWith('.json'))!
  elsewhere = { file: join(home, 'repairs', name), name }
  // Then the install the store blocked, and the WinRE repair: a whole copy's history, for the report case below.
  const plan = await svc.install.makePlan({ ref, kbs: ['KB5046633'] })
  expect((await svc.install.install(plan, {})).verification?.verified).toBe(true)
  const { repair } = await svc.winre.report(ref)
  expect((await svc.winre.repair(ref, repair.id)).status).toBe('completed')
  sourceHome = home
}, hangMs(600_000))
let sourceHome: string

function plant(how: 'foreign' | 'unsealed'): { home: string; svc: ReturnType<typeof createServices> } {
  const home = tempDirSync(`sd-unvouched-${how}-`)
  const svc = createServices({ dataDir: home, platform: 'linux' })
  mkdirSync(join(home, 'repairs'), { recursive: true })
  const to = join(home, 'repairs', elsewhere.name)
  if (how === 'foreign') copyFileSync(elsewhere.file, to)
  else {
    const { seal: _seal, ...body } = JSON.parse(readFileSync(elsewhere.file, 'utf8')) as Record<string, unknown>
    writeFileSync(to, JSON.stringify(body))
  }
  return { home, svc }
}

describe.each(['foreign', 'unsealed'] as const)('a finished repair journal, %s, planted in the data folder', (how) => {
  it('leaves the damaged store a current finding, never history; the note calls it a record this copy cannot vouch for', async () => {
    const { svc } = plant(how)
    const d = await svc.diagnose({ machine: ref })
    const store = d.findings.find((f) => STORE_FINDING.test(f.title))!
    expect(store).toBeDefined()
    expect(store.state).not.toBe('past')
    expect(store.resolvedBy ?? null).toBeNull()
    expect(d.notes.join('\n')).toMatch(/cannot vouch for/)
  })

  it('keeps the repair offered, and running it repairs the store (the planted run is not taken for the answer)', {
    timeout: hangMs(600_000),
  }, async () => {
    const { svc } = plant(how)
    const offers = await svc.repairs.offers(ref)
    expect(offers.offers.map((o) => o.repairId)).toContain('restore-health')
    expect(await svc.repairs.lastRun(ref, 'restore-health')).toBeNull()
    const damagedBefore = svc.trainingStore.load(M).componentStore?.damaged.length ?? 0
    expect(damagedBefore).toBeGreaterThan(0)
    const run = await svc.repairs.run(ref, 'restore-health')
    expect(run.runId).not.toBe(elsewhere.name.replace(/\.json$/, ''))
    expect(svc.trainingStore.load(M).componentStore?.damaged.length ?? 0).toBe(0)
  })

  it('the report still names the store as the cause, fails the check, and shows the run apart as not vouched for', async () => {
    const { home, svc } = plant(how)
    const report = await makeReport(
      {
        scan: (m) => svc.scan(m),
        dataDir: home,
        appVersion: 'test',
        diagnose: (_s, m) => svc.diagnose({ machine: m }),
      },
      ref,
    )
    expect(report.topCause?.title).toMatch(STORE_FINDING)
    expect(report.verification.checks.find((c) => c.id === 'top-cause')?.ok).toBe(false)
    expect(
      report.diagnosis.findings
        .filter((f) => f.state === 'past')
        .map((f) => f.title)
        .join('\n'),
    ).not.toMatch(STORE_FINDING)
    const summary = summaryOf(report)
    expect(summary).not.toMatch(/^Done: Repair the component store/m)
    expect(summary).toMatch(/cannot vouch for/)
    const html = renderReportHtml(report)
    expect(html).not.toMatch(/data-run="repair"/)
    expect(html).toMatch(/cannot vouch for/)
  })
})

describe('a whole history copied from another copy of the app (install, WinRE and Fix-it journals, sealed there)', () => {
  it('counts for nothing here: no action done, no finding resolved, every run shown as not vouched for', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-unvouched-all-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    for (const [dir, suffix] of [
      ['journals', '.json'],
      ['winre-repairs', '.run.json'],
      ['repairs', '.json'],
    ] as const) {
      mkdirSync(join(home, dir), { recursive: true })
      for (const n of readdirSync(join(sourceHome, dir)).filter((x) => x.endsWith(suffix)))
        copyFileSync(join(sourceHome, dir, n), join(home, dir, n))
    }
    const report = await makeReport(
      {
        scan: (m) => svc.scan(m),
        dataDir: home,
        appVersion: 'test',
        diagnose: (_s, m) => svc.diagnose({ machine: m }),
      },
      ref,
    )
    expect(report.runs.map((r) => r.kind).sort()).toEqual(['install', 'repair', 'winre-repair'])
    expect(report.runs.every((r) => r.sealed === false)).toBe(true)
    expect(report.actions).toEqual([])
    expect(report.diagnosis.findings.filter((f) => f.state === 'past')).toEqual([])
    expect(report.verification.status).toBe('problems')
    expect(summaryOf(report).match(/^Not vouched for: /gm)).toHaveLength(3)
    // The same three journals, in the copy that sealed them, are what was done there.
    const there = createServices({ dataDir: sourceHome, platform: 'linux' })
    const own = await makeReport(
      {
        scan: (m) => there.scan(m),
        dataDir: sourceHome,
        appVersion: 'test',
        diagnose: (_s, m) => there.diagnose({ machine: m }),
      },
      ref,
    )
    expect(own.runs.every((r) => r.sealed === true)).toBe(true)
    expect(own.actions.length).toBeGreaterThan(0)
  })
})
