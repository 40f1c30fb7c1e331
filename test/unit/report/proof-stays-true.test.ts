/**
 * Proof that stays true: a reset archives the machine's journals (no "Verified" line from before it), a run
 * that changed nothing is not listed, and the ticket summary names the host, the original error, what was
 * done and the verified state. In process (createServices + makeReport), no child process.
 */
import { describe, it, expect } from 'vitest'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { summaryOf } from '../../../main/report/summary.ts'
import { ReportSchema, type Report } from '../../../preload/model/report.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'

const machine: MachineRef = { kind: 'training', name: 'arm64-missing-checkpoint' }

async function report(services: ReturnType<typeof createServices>): Promise<Report> {
  const r = await invokeCall(createHandlers(services), 'exportReport', { machine, format: 'json' })
  if (!r.ok) throw new Error(JSON.stringify(r))
  return ReportSchema.parse(JSON.parse(r.value.content))
}

async function install(services: ReturnType<typeof createServices>, kb: string) {
  const plan = await services.install.makePlan({ ref: machine, kbs: [kb] })
  return services.install.install(plan, {})
}

describe('proof that stays true', () => {
  it('lists a run once (a second, no-op run is left out); after a reset nothing from before shows and the journals are archived', async () => {
    const dataDir = tempDirSync('sd-proof-')
    const services = createServices({ dataDir, platform: 'linux' })
    expect((await install(services, 'KB5086672')).verification?.verified).toBe(true)
    const again = await install(services, 'KB5086672')
    expect(Object.values(again.results).every((r) => r.kind !== 'ok' && r.kind !== 'restart-required')).toBe(true)
    const before = await report(services)
    expect(before.actions).toHaveLength(1)
    const summary = summaryOf(before)
    expect(summary.match(/Done: install KB5086672 — completed/g)).toHaveLength(1)
    expect(summary).toMatch(/^Host: FIELD-ARM-07$/m)
    // Plain words in front, the code and the verification's detail on the technical line under them.
    expect(summary).toMatch(/^Original error: as seen in .*\n {2}technical: error code 0x800F0922$/m)
    expect(summary).toMatch(/^Verified after the last install: yes\n {2}technical: The PC is at 26100\.\d+/m)

    const { archivedTo } = services.resetTrainingMachine(machine.name)
    expect(archivedTo).not.toBeNull()
    expect(readdirSync(join(archivedTo!, 'journals')).length).toBe(2)
    expect(
      existsSync(join(dataDir, 'journals'))
        ? readdirSync(join(dataDir, 'journals')).filter((n) => n.endsWith('.json'))
        : [],
    ).toEqual([])
    const after = await report(services)
    expect(after.snapshot.os.status === 'known' && after.snapshot.os.value.ubr).toBe(1150)
    expect(after.actions).toEqual([])
    const s2 = summaryOf(after)
    expect(s2).not.toMatch(/Verified/i)
    expect(s2).toMatch(/^ {2}technical: error code 0x800F0922$/m)
    expect(s2).toMatch(/cause: The checkpoint update KB5043080 is missing/)
    const { renderReportHtml } = await import('../../../main/report/html.ts')
    expect(renderReportHtml(after)).toContain('<span class="mono" id="original-error">0x800F0922</span>')
  })

  it('a WinRE repair is listed as done (its steps and verification), and archived by a reset like the installs', async () => {
    const dataDir = tempDirSync('sd-proof-')
    const services = createServices({ dataDir, platform: 'linux' })
    const ref: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
    const { repair } = await services.winre.report(ref)
    expect((await services.winre.repair(ref, repair.id)).verification?.verified).toBe(true)
    const r = await invokeCall(createHandlers(services), 'exportReport', { machine: ref, format: 'json' })
    if (!r.ok) throw new Error(JSON.stringify(r))
    const rep = ReportSchema.parse(JSON.parse(r.value.content))
    expect(rep.actions.map((a) => [a.kind, a.status, a.verification?.verified])).toEqual([
      ['winre-repair', 'completed', true],
    ])
    expect(rep.actions[0].steps.find((s) => s.title.startsWith('Confirm with reagentc'))?.result).toBe('checked')
    expect(summaryOf(rep)).toMatch(/^Done: WinRE repair — completed; verified: yes$/m)
    services.resetTrainingMachine(ref.name)
    const after = await invokeCall(createHandlers(services), 'exportReport', { machine: ref, format: 'json' })
    expect(after.ok && ReportSchema.parse(JSON.parse(after.value.content)).actions).toEqual([])
  })

  it('a journal whose verified level is above the machine today (its data was reinstalled) is not shown', async () => {
    const dataDir = tempDirSync('sd-proof-')
    const services = createServices({ dataDir, platform: 'linux' })
    await install(services, 'KB5086672')
    // The training state goes back to the profile without the archive (as when the app's data is reinstalled).
    services.trainingStore.reset(machine.name)
    const r = await report(services)
    expect(r.actions).toEqual([])
    expect(summaryOf(r)).not.toMatch(/Verified/i)
  })
})
