/**
 * One verdict everywhere: on every training machine, as shipped and after every repair and
 * install the app can do there, every surface shows the same findings, states, severities and offered repairs,
 * and no surface says OK where another says problem. The surfaces: the app's calls (What's wrong = `diagnose`,
 * Fix it = `repairOffers` and the findings' Fix-it buttons, Proof = `exportReport`), the Overview's tiles
 * (assessHealth over the snapshot and the verdict, as the machine store gives them), and the CLI's
 * `diagnose --json`, `repairs --json`, `winre --json` and `report --out r.json`, run in process (runCli).
 * After a verified run, the finding it fixed is not current anywhere.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { runCliInProcess } from '../cli-in-process.ts'
import { PassThrough } from 'node:stream'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { runCli } from '../../../main/cli/run-cli.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { ReportSchema, type Report } from '../../../preload/model/report.ts'
import { assessHealth, areaOfFinding, englishHealthWords } from '../../../preload/model/health.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import type { RepairOffers } from '../../../preload/model/repair.ts'
import type { WinreReport } from '../../../preload/model/winre.ts'
import { tempDirSync } from '../temp-dirs.ts'

type Services = ReturnType<typeof createServices>

const home = join(tempDirSync('sd-one-verdict-'), 'data')
const oldHome = process.env.SERVICING_DESK_HOME
beforeAll(() => {
  process.env.SERVICING_DESK_HOME = home
})
afterAll(() => {
  if (oldHome === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = oldHome
})

/** The CLI in process, on the same data folder as the services: its JSON on stdout (or the file it wrote). */
async function cli(...argv: string[]): Promise<unknown> {
  const { code, out, err } = await runCliInProcess(...argv)
  if (code !== 0) throw new Error(`${argv.join(' ')}: exit ${code}: ${err}`)
  return JSON.parse(out)
}

/** A finding as every surface must agree on it. */
const verdictOf = (fs: readonly Finding[]) =>
  fs.map((f) => `${f.id} ${f.state ?? 'current'} ${f.severity} ${f.repair ?? '-'}`).sort()
/** The WinRE assessment's findings and the diagnosis' finding for the same fact. */
const WINRE_FACT: Record<string, string> = {
  disabled: 'winre-disabled',
  'image-missing': 'winre-disabled',
  'partition-too-small': 'winre-partition-too-small',
  stale: 'winre-stale',
  'boot-after-revocation': 'boot-manager-2011',
}

async function surfaces(services: Services, machine: MachineRef, opts: { cli?: boolean } = {}) {
  const handlers = createHandlers(services)
  const d = await invokeCall(handlers, 'diagnose', { machine })
  const r = await invokeCall(handlers, 'exportReport', { machine, format: 'json' })
  const o = await invokeCall(handlers, 'repairOffers', { machine })
  if (!d.ok || !r.ok || !o.ok) throw new Error(JSON.stringify(!d.ok ? d : !r.ok ? r : o))
  const report: Report = ReportSchema.parse(JSON.parse(r.value.content))
  const name = machine.kind === 'training' ? machine.name : 'this-pc'
  if (opts.cli === false)
    return {
      findings: d.value.findings,
      tiles: assessHealth(report.snapshot, englishHealthWords, d.value.findings, { verdict: true }),
      report,
      exported: r.value,
      timeline: d.value.timeline,
      cliReport: null,
      cliRepairs: null,
    }
  const file = join(home, `r-${name}.json`)
  const cliDiagnose = (await cli('diagnose', '--machine', name, '--json')) as { findings: Finding[] }
  const cliRepairs = (await cli('repairs', '--machine', name, '--json')) as RepairOffers
  const cliWinre = (await cli('winre', '--machine', name, '--json')) as WinreReport
  const out = new PassThrough()
  process.exitCode = undefined
  expect(await runCli(['report', '--machine', name, '--out', file], createOutput(out, out))).toBe(0)
  process.exitCode = undefined
  const cliReport = ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  agreeEverywhere(`${name}`, {
    app: d.value.findings,
    report: report.diagnosis.findings,
    cliDiagnose: cliDiagnose.findings,
    cliReport: cliReport.diagnosis.findings,
    offers: o.value,
    cliRepairs,
    cliWinre,
  })
  // Tiles as the Overview renders them: the machine's verdict (findings with their states) decides.
  return {
    findings: d.value.findings,
    tiles: assessHealth(report.snapshot, englishHealthWords, d.value.findings, { verdict: true }),
    report,
    exported: r.value,
    timeline: d.value.timeline,
    cliReport,
    cliRepairs,
  }
}

const problem = (f: Finding) => f.severity !== 'info' && f.state !== 'past'

/** Findings, states, severities and offered repairs: the same on every surface. */
function agreeEverywhere(
  where: string,
  s: {
    app: Finding[]
    report: Finding[]
    cliDiagnose: Finding[]
    cliReport: Finding[]
    offers: RepairOffers
    cliRepairs: RepairOffers
    cliWinre: WinreReport
  },
) {
  const truth = verdictOf(s.app)
  expect(verdictOf(s.cliDiagnose), `${where}: diagnose --json vs the app's What's wrong`).toEqual(truth)
  expect(verdictOf(s.report), `${where}: the Proof screen's report vs What's wrong`).toEqual(truth)
  expect(verdictOf(s.cliReport), `${where}: report --out r.json vs What's wrong`).toEqual(truth)
  expect(
    s.app.every((f) => f.state !== undefined),
    `${where}: a finding without a state`,
  ).toBe(true)
  // Fix it: the app's buttons are the findings' repairs (past findings offer none); repairs lists exactly those.
  const buttons = [...new Set(s.app.filter((f) => f.repair && f.state !== 'past').map((f) => f.repair!))].sort()
  expect(
    s.app.filter((f) => f.state === 'past' && f.repair),
    `${where}: a past finding offers a repair`,
  ).toEqual([])
  const listed = (r: RepairOffers) =>
    [
      ...new Set([
        ...r.offers.filter((x) => !x.unfinished).map((x) => x.repairId),
        ...(r.elsewhere ?? []).map((x) => x.repairId),
      ]),
    ].sort()
  expect(listed(s.offers), `${where}: the app's Fix it list vs its Fix-it buttons`).toEqual(buttons)
  expect(listed(s.cliRepairs), `${where}: repairs --json vs the app's Fix-it buttons`).toEqual(buttons)
  // One severity per fact: winre --json and the diagnosis name the same WinRE facts with the same severity.
  for (const w of s.cliWinre.health.findings) {
    const id = WINRE_FACT[w.id]
    if (!id || w.severity === 'info') continue
    const f = s.app.find((x) => x.id === id && x.state !== 'past')
    expect(f ? `${f.id} ${f.severity}` : null, `${where}: winre finds "${w.title}" (${w.severity})`).toBe(
      `${id} ${w.severity}`,
    )
  }
  for (const f of s.app.filter((x) => x.state !== 'past' && Object.values(WINRE_FACT).includes(x.id))) {
    const w = s.cliWinre.health.findings.find((x) => WINRE_FACT[x.id] === f.id)
    expect(w ? `${f.id} ${w.severity}` : null, `${where}: the diagnosis finds "${f.title}", winre does not`).toBe(
      `${f.id} ${f.severity}`,
    )
  }
}
const reportId = (area: string) => (area === 'failures' ? 'latest-attempt' : area)

/** The assertions, with the machine and the moment in every message. */
function agree(where: string, s: Awaited<ReturnType<typeof surfaces>>) {
  const problems = s.findings.filter(problem)
  // A note never ranks above a problem, in the diagnosis and as the report's top cause.
  const now = s.findings.filter((f) => f.state !== 'past')
  const firstNote = now.findIndex((f) => f.severity === 'info')
  if (firstNote >= 0)
    expect(
      now.slice(firstNote).every((f) => f.severity === 'info'),
      `${where}: a note ranks above a problem`,
    ).toBe(true)
  // History comes after everything that holds now.
  const firstPast = s.findings.findIndex((f) => f.state === 'past')
  if (firstPast >= 0)
    expect(
      s.findings.slice(firstPast).every((f) => f.state === 'past'),
      `${where}: history ranks above what holds now`,
    ).toBe(true)
  expect(s.report.topCause?.id ?? null, `${where}: top cause`).toBe(problems[0]?.id ?? null)
  for (const f of problems) {
    const area = areaOfFinding(f.id)
    const tile = s.tiles.find((t) => t.id === area)!
    expect(tile.level, `${where}: the ${area} tile says OK while the diagnosis finds "${f.title}"`).not.toBe('ok')
    const check = s.report.verification.checks.find((c) => c.id === reportId(area))!
    expect(check.ok, `${where}: the report's ${area} check passes while the diagnosis finds "${f.title}"`).not.toBe(
      true,
    )
  }
  for (const t of s.tiles) {
    const check = s.report.verification.checks.find((c) => c.id === reportId(t.id))!
    // The tile and the report's check are the same verdict: OK ⇔ pass, unknown ⇔ unknown.
    expect(check.ok, `${where}: tile ${t.id} is ${t.level}, the report's check is ${check.ok}`).toBe(
      t.level === 'unknown' ? null : t.level === 'ok',
    )
  }
  // Verification fails while a problem remains; it passes only when nothing is found anywhere.
  if (problems.length) expect(s.report.verification.status, `${where}: verification`).not.toBe('healthy')
  if (s.report.verification.status === 'healthy')
    expect(
      s.tiles.every((t) => t.level === 'ok' || t.level === 'unknown'),
      `${where}: healthy report with a problem tile`,
    ).toBe(true)
  // No pass, no green latest-update tile and no "no problem found" while the app offers an install.
  const offered = now.filter((f) => f.repair === 'install-update' || f.repair === 'install-checkpoint')
  if (offered.length) {
    expect(
      s.report.verification.status,
      `${where}: verification passes while "${offered[0]!.title}" is offered`,
    ).not.toBe('healthy')
    expect(
      s.tiles.find((t) => t.id === 'failures')!.level,
      `${where}: latest-update tile OK while "${offered[0]!.title}" is offered`,
    ).not.toBe('ok')
  }
  expect(s.exported.verificationStatus).toBe(s.report.verification.status)
}

async function installKb(services: Services, machine: MachineRef, kb: string, method?: 'folder' | 'sequence') {
  const plan = await services.install.makePlan({ ref: machine, kbs: [kb], ...(method ? { method } : {}) })
  if (plan.refused) return null
  return services.install.install(plan, {})
}

async function winreRepair(services: Services, machine: MachineRef) {
  const { repair } = await services.winre.report(machine)
  if (repair.refused || repair.steps.length === 0) return null
  return services.winre.repair(machine, repair.id)
}

/** What the app can do on each machine, in the order a technician would try it. */
const actions: Record<string, Array<[string, (s: Services, m: MachineRef) => Promise<unknown>]>> = {
  'arm64-missing-checkpoint': [
    ['install KB5086672', (s, m) => installKb(s, m, 'KB5086672')],
    ['winre repair', winreRepair],
  ],
  'x64-component-store-corrupt': [
    ['repair restore-health', (s, m) => s.repairs.run(m, 'restore-health')],
    ['install KB5048685', (s, m) => installKb(s, m, 'KB5048685')],
    ['winre repair', winreRepair],
  ],
  'x64-winre-partition-full': [
    ['install KB5034441', (s, m) => installKb(s, m, 'KB5034441')],
    ['winre repair', winreRepair],
    ['install KB5034441 again', (s, m) => installKb(s, m, 'KB5034441')],
  ],
  'arm64-winre-disabled': [
    ['winre repair', winreRepair],
    ['install KB5129195 (the newest update)', (s, m) => installKb(s, m, 'KB5129195')],
  ],
  'x64-pending-restart': [
    ['install KB5095011 (refused: restart pending)', (s, m) => installKb(s, m, 'KB5095011')],
    ['repair restart', (s, m) => s.repairs.run(m, 'restart')],
    ['install KB5095011', (s, m) => installKb(s, m, 'KB5095011')],
    ['winre repair', winreRepair],
  ],
  'x64-healthy': [
    ['install KB5129195 (the newest update)', (s, m) => installKb(s, m, 'KB5129195')],
    ['winre repair', winreRepair],
  ],
  'x64-efi-partition-full': [
    ['install KB5094126 (fails: the EFI partition is full)', (s, m) => installKb(s, m, 'KB5094126', 'sequence')],
    ['repair free-esp-space', (s, m) => s.repairs.run(m, 'free-esp-space')],
    ['install KB5094126', (s, m) => installKb(s, m, 'KB5094126', 'sequence')],
    ['winre repair', winreRepair],
  ],
  'x64-secureboot-2011': [
    ['repair secure-boot-update', (s, m) => s.repairs.run(m, 'secure-boot-update')],
    ['winre repair', winreRepair],
    ['install KB5129195 (the newest update)', (s, m) => installKb(s, m, 'KB5129195')],
  ],
  'x64-wu-components-broken': [
    ['install KB5094126 (fails: Windows Update data damaged)', (s, m) => installKb(s, m, 'KB5094126')],
    ['repair reset-wu-components', (s, m) => s.repairs.run(m, 'reset-wu-components')],
    ['install KB5094126', (s, m) => installKb(s, m, 'KB5094126')],
    ['winre repair', winreRepair],
  ],
  'x64-lcu-uninstall-blocked': [
    ['repair remove-package', (s, m) => s.repairs.run(m, 'remove-package')],
    ['winre repair', winreRepair],
  ],
  'x64-store-corrupt-iso': [
    ['repair restore-health (from the mounted medium)', (s, m) => s.repairs.run(m, 'restore-health')],
    ['install KB5048685', (s, m) => installKb(s, m, 'KB5048685')],
    ['winre repair', winreRepair],
  ],
}

/** Fix-its that rename, move or remove something: their run carries the undo. */
const UNDOABLE = new Set(['reset-wu-components', 'free-esp-space', 'remove-package'])

/** The findings a verified run fixed: those whose offered repair it was (an install: of its updates). */
function fixedBy(result: unknown, before: Finding[]): Finding[] {
  const r = result as {
    repairId?: string
    verified?: boolean
    verification?: { verified?: boolean } | null
    plan?: { targets?: string[] }
  } | null
  if (!r) return []
  const verified = r.verified === true || r.verification?.verified === true
  if (!verified) return []
  if (r.repairId && !r.plan) return before.filter((f) => f.state !== 'past' && f.repair === r.repairId)
  if (r.plan?.targets)
    return before.filter(
      (f) =>
        f.state !== 'past' &&
        (f.repair === 'install-update' || f.repair === 'install-checkpoint') &&
        (f.kbs ?? []).some((kb) => r.plan!.targets!.includes(kb)),
    )
  return []
}

describe('one verdict on every training machine, before and after every repair', () => {
  const services = createServices({ dataDir: home, platform: 'linux' })
  for (const m of services.listTrainingMachines().machines) {
    it(m.name, async () => {
      const machine: MachineRef = { kind: 'training', name: m.name }
      let now = await surfaces(services, machine)
      agree(`${m.name} before`, now)
      // Every repair the machine offers as shipped is one the walk runs.
      const runs = (actions[m.name] ?? []).map(([what]) => what)
      for (const f of now.findings.filter((x) => x.repair && x.state !== 'past')) {
        const kind = f.repair!.startsWith('winre-')
          ? 'winre repair'
          : f.repair!.startsWith('install-')
            ? 'install '
            : `repair ${f.repair}`
        expect(
          runs.some((w) => w.startsWith(kind)),
          `${m.name}: offers ${f.repair} (${f.title}), the walk never runs it`,
        ).toBe(true)
      }
      for (const [what, act] of actions[m.name] ?? []) {
        const before = now.findings
        const result = await act(services, machine)
        now = await surfaces(services, machine)
        agree(`${m.name} after ${what}`, now)
        // After a verified run, the finding it fixed is not current anywhere (every surface agrees, above).
        for (const f of fixedBy(result, before)) {
          const still = now.findings.find((x) => x.id === f.id && x.state !== 'past')
          expect(
            still ? `${still.id} ${still.state}` : null,
            `${m.name} after ${what} (verified): "${f.title}" is still current`,
          ).toBe(null)
          // …and it moved to history with the run that fixed it, never vanished.
          expect(
            now.findings.some((x) => x.id === f.id && x.state === 'past' && !!x.resolvedBy),
            `${m.name} after ${what} (verified): "${f.title}" is not in the history`,
          ).toBe(true)
        }
        // report --out r.json (and the Proof screen's report, and the ticket summary) list a Fix-it run with its undo.
        const fixIt = result as { runId?: string; repairId?: string; verified?: boolean } | null
        if (fixIt?.runId && fixIt.repairId) {
          for (const [which, rep] of [
            ['report --out r.json', now.cliReport],
            ['the Proof screen', now.report],
          ] as const) {
            const run = rep?.runs.find((x) => x.kind === 'repair' && x.id === fixIt.runId)
            expect(run?.definition, `${m.name} after ${what}: ${which} does not list the run`).toBe(fixIt.repairId)
            if (UNDOABLE.has(fixIt.repairId))
              expect(run!.undo.length, `${m.name} after ${what}: ${which} lists no undo`).toBeGreaterThan(0)
          }
          expect(now.exported.summary, `${m.name} after ${what}: the ticket summary`).toContain(
            `Done: ${now.report.runs.find((x) => x.id === fixIt.runId)!.title}`,
          )
        }
        const errors = now.findings
          .filter((x) => x.state !== 'past' && (x.severity === 'error' || x.severity === 'critical'))
          .map((x) => x.id)
        // "Done" means the update is installed: after the restart, the .NET update that failed with 0x800F0806 is
        // the one current error, offered as its install; after its install nothing is.
        if (m.name === 'x64-pending-restart' && what === 'repair restart') {
          expect(errors, 'x64-pending-restart after the restart: the failed update is still to install').toEqual([
            'update-not-installed',
          ])
          expect(now.findings.find((x) => x.id === 'update-not-installed')).toMatchObject({
            repair: 'install-update',
            kbs: ['KB5095011'],
          })
          expect(
            (now.cliRepairs!.elsewhere ?? []).map((x) => `${x.repairId} ${x.kb}`),
            'repairs after the restart',
          ).toEqual(['install-update KB5095011'])
        }
        if (m.name === 'x64-pending-restart' && what === 'install KB5095011')
          expect(errors, 'x64-pending-restart after the install').toEqual([])
        if (m.name === 'x64-pending-restart' && what === 'install KB5095011')
          expect(
            (result as { verification?: { verified: boolean } }).verification?.verified,
            'install --kb KB5095011 after the restart',
          ).toBe(true)
        if (m.name === 'x64-wu-components-broken' && what === 'repair reset-wu-components') {
          expect(errors, 'x64-wu-components-broken after the reset: KB5094126 is still to install').toEqual([
            'update-not-installed',
          ])
          expect(
            [
              ...now.cliRepairs!.offers.map((x) => x.repairId),
              ...(now.cliRepairs!.elsewhere ?? []).map((x) => `${x.repairId} ${x.kb}`),
            ],
            'repairs after the reset',
          ).toEqual(['install-update KB5094126'])
          expect(now.findings.find((x) => x.id === 'wu-components')).toMatchObject({ state: 'past' })
        }
        if (m.name === 'x64-wu-components-broken' && what === 'install KB5094126') {
          expect(errors, 'x64-wu-components-broken after the install').toEqual([])
          // The PC is still behind its branch's newest update: that install is the one offer left, so no pass.
          expect(
            now.findings
              .filter((x) => x.state !== 'past' && x.severity !== 'info')
              .map((x) => `${x.id} ${x.kbs?.join()}`),
          ).toEqual(['newer-update-available KB5129195'])
          // Healthy but behind: "Update available", not "Problems remain".
          expect(now.report.verification.status).toBe('update-available')
        }
      }
    })
  }

  it('x64-winre-partition-full: verification does not pass while the recovery partition is too small', async () => {
    const s = await surfaces(
      createServices({ dataDir: tempDirSync('sd-one-verdict-'), platform: 'linux' }),
      { kind: 'training', name: 'x64-winre-partition-full' },
      { cli: false },
    )
    expect(s.report.topCause?.id).toBe('winre-partition-too-small')
    expect(s.report.verification.status).toBe('problems')
    expect(s.report.verification.checks.find((c) => c.id === 'winre')).toMatchObject({ ok: false })
  })

  it('every machine has its actions listed (a new training machine must say what the app can do there)', () => {
    expect(Object.keys(actions).sort()).toEqual(
      services
        .listTrainingMachines()
        .machines.map((m) => m.name)
        .sort(),
    )
  })
})
