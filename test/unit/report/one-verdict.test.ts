/**
 * One verdict everywhere: on every training machine, before and after every repair and install the app
 * can do there, no surface says OK where another says problem. The surfaces: the diagnosis (What's wrong,
 * `diagnose`), the Overview's tiles (assessHealth over the snapshot and the machine's findings, as the
 * machine store gives them), and the report (`report`, the Proof screen: its checks, status and top cause).
 * In process (createServices + the call handlers), no child process.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { ReportSchema, type Report } from '../../../preload/model/report.ts'
import { assessHealth, areaOfFinding, englishHealthWords } from '../../../preload/model/health.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import { tempDirSync } from '../temp-dirs.ts'

type Services = ReturnType<typeof createServices>

async function surfaces(services: Services, machine: MachineRef) {
  const handlers = createHandlers(services)
  const d = await invokeCall(handlers, 'diagnose', { machine })
  const r = await invokeCall(handlers, 'exportReport', { machine, format: 'json' })
  if (!d.ok || !r.ok) throw new Error(JSON.stringify(d.ok ? r : d))
  const report: Report = ReportSchema.parse(JSON.parse(r.value.content))
  const tiles = assessHealth(report.snapshot, englishHealthWords, d.value.findings)
  return { findings: d.value.findings, tiles, report, exported: r.value }
}

const problem = (f: Finding) => f.severity !== 'info'
const reportId = (area: string) => (area === 'failures' ? 'latest-attempt' : area)

/** The assertions, with the machine and the moment in every message. */
function agree(where: string, s: Awaited<ReturnType<typeof surfaces>>) {
  const problems = s.findings.filter(problem)
  // A note never ranks above a problem, in the diagnosis and as the report's top cause.
  const firstNote = s.findings.findIndex((f) => f.severity === 'info')
  if (firstNote >= 0) expect(s.findings.slice(firstNote).every((f) => f.severity === 'info'), `${where}: a note ranks above a problem`).toBe(true)
  expect(s.report.topCause?.id ?? null, `${where}: top cause`).toBe(problems[0]?.id ?? null)
  for (const f of problems) {
    const area = areaOfFinding(f.id)
    const tile = s.tiles.find((t) => t.id === area)!
    expect(tile.level, `${where}: the ${area} tile says OK while the diagnosis finds "${f.title}"`).not.toBe('ok')
    const check = s.report.verification.checks.find((c) => c.id === reportId(area))!
    expect(check.ok, `${where}: the report's ${area} check passes while the diagnosis finds "${f.title}"`).not.toBe(true)
  }
  for (const t of s.tiles) {
    const check = s.report.verification.checks.find((c) => c.id === reportId(t.id))!
    // The tile and the report's check are the same verdict: OK ⇔ pass, unknown ⇔ unknown.
    expect(check.ok, `${where}: tile ${t.id} is ${t.level}, the report's check is ${check.ok}`).toBe(t.level === 'unknown' ? null : t.level === 'ok')
  }
  // Verification fails while a problem remains; it passes only when nothing is found anywhere.
  if (problems.length) expect(s.report.verification.status, `${where}: verification`).not.toBe('healthy')
  if (s.report.verification.status === 'healthy') expect(s.tiles.every((t) => t.level === 'ok'), `${where}: healthy report with a non-OK tile`).toBe(true)
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
  'arm64-missing-checkpoint': [['install KB5086672', (s, m) => installKb(s, m, 'KB5086672')], ['winre repair', winreRepair]],
  'x64-component-store-corrupt': [['install KB5048685', (s, m) => installKb(s, m, 'KB5048685')], ['winre repair', winreRepair]],
  'x64-winre-partition-full': [['install KB5034441', (s, m) => installKb(s, m, 'KB5034441')], ['winre repair', winreRepair], ['install KB5034441 again', (s, m) => installKb(s, m, 'KB5034441')]],
  'arm64-winre-disabled': [['winre repair', winreRepair]],
  'x64-pending-restart': [
    ['install KB5095011 (refused: restart pending)', (s, m) => installKb(s, m, 'KB5095011')],
    ['restart', (s, m) => s.hostFor(m).run({ name: 'install.restart', file: 'shutdown.exe', args: ['/r', '/t', '0'], timeoutMs: 60_000 })],
    ['install KB5095011', (s, m) => installKb(s, m, 'KB5095011')],
    ['winre repair', winreRepair],
  ],
  'x64-healthy': [['winre repair', winreRepair]],
  'x64-efi-partition-full': [
    ['install KB5094126 (fails: the EFI partition is full)', (s, m) => installKb(s, m, 'KB5094126', 'sequence')],
    ['repair free-esp-space', (s, m) => s.repairs.run(m, 'free-esp-space')],
    ['install KB5094126', (s, m) => installKb(s, m, 'KB5094126', 'sequence')],
    ['winre repair', winreRepair],
  ],
  'x64-secureboot-2011': [['winre repair', winreRepair]],
  'x64-wu-components-broken': [
    ['install KB5094126 (fails: Windows Update data damaged)', (s, m) => installKb(s, m, 'KB5094126')],
    ['repair reset-wu-components', (s, m) => s.repairs.run(m, 'reset-wu-components')],
    ['install KB5094126', (s, m) => installKb(s, m, 'KB5094126')],
    ['winre repair', winreRepair],
  ],
  'x64-lcu-uninstall-blocked': [['repair remove-package', (s, m) => s.repairs.run(m, 'remove-package')], ['winre repair', winreRepair]],
  'x64-store-corrupt-iso': [['repair restore-health (from the mounted medium)', (s, m) => s.repairs.run(m, 'restore-health')], ['install KB5048685', (s, m) => installKb(s, m, 'KB5048685')]],
}

describe('one verdict on every training machine, before and after every repair', () => {
  const services = createServices({ dataDir: tempDirSync('sd-one-verdict-'), platform: 'linux' })
  for (const m of services.listTrainingMachines().machines) {
    it(m.name, async () => {
      const machine: MachineRef = { kind: 'training', name: m.name }
      agree(`${m.name} before`, await surfaces(services, machine))
      for (const [what, act] of actions[m.name] ?? []) {
        await act(services, machine)
        agree(`${m.name} after ${what}`, await surfaces(services, machine))
      }
    }, 60_000)
  }

  it('x64-winre-partition-full: verification does not pass while the recovery partition is too small', async () => {
    const s = await surfaces(createServices({ dataDir: tempDirSync('sd-one-verdict-'), platform: 'linux' }), { kind: 'training', name: 'x64-winre-partition-full' })
    expect(s.report.topCause?.id).toBe('winre-partition-too-small')
    expect(s.report.verification.status).toBe('problems')
    expect(s.report.verification.checks.find((c) => c.id === 'winre')).toMatchObject({ ok: false })
  })

  it('every machine has its actions listed (a new training machine must say what the app can do there)', () => {
    expect(Object.keys(actions).sort()).toEqual(services.listTrainingMachines().machines.map((m) => m.name).sort())
  })
})
