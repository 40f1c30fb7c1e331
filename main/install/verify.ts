/**
 * Verify: re-scan the machine (or image) after the plan; success only when every target is installed
 * (not merely pending) and the build/UBR moved to at least the level the plan expects.
 */
import type { Host } from '../host/host.ts'
import type { Journal, Verification } from '../../preload/model/plan.ts'
import { readServicingLevel, kbState, type ServicingLevel } from './servicing-level.ts'


export async function verifyInstallation(host: Host, journal: Journal): Promise<Verification> {
  const plan = journal.plan
  const before = { build: plan.machine.build, ubr: plan.machine.ubr }
  let level: ServicingLevel
  if (plan.scope.kind === 'image' && plan.scope.wim) level = await readWimLevel(host, plan.scope.wim.path, plan.scope.wim.index)
  else level = await readServicingLevel(host, plan.scope)
  const after = { build: level.build, ubr: level.ubr }
  const wimOnly = plan.scope.kind === 'image' && plan.scope.wim !== null
  const targets = plan.targets.map((kb) => {
    const st = kbState(level, kb)
    return { kb, state: st, installed: st === 'installed' }
  })
  const allInstalled = targets.every((t) => t.installed)
  const nothingPlanned = plan.steps.length === 0
  const expectedUbr = plan.expected?.ubr ?? null
  const moved = after.ubr !== null && (expectedUbr !== null ? after.ubr >= expectedUbr : before.ubr !== null && after.ubr > before.ubr)
  const verified = allInstalled && (moved || nothingPlanned)
  const where = plan.scope.kind === 'image' ? `The image${wimOnly ? ` ${plan.scope.wim?.path}` : ''}` : 'The PC'
  const level2 = (b: { build: number | null; ubr: number | null }) => `${b.build ?? '?'}.${b.ubr ?? '?'}`
  const detail = verified
    ? `${where} is at ${level2(after)}${plan.scope.kind === 'online' ? ` (was ${level2(before)})` : ''}; ${targets.map((t) => t.kb).join(', ')} installed.`
    : !allInstalled
      ? `${targets.filter((t) => !t.installed).map((t) => `${t.kb} is ${t.state}`).join('; ')}; ${where.charAt(0).toLowerCase()}${where.slice(1)} is at ${level2(after)}.`
      : `${where} is at ${level2(after)}, below the expected ${plan.expected ? level2(plan.expected) : 'level'}.`
  return { verified, before, after, targets, detail }
}

/**
 * `DISM /Get-WimInfo /WimFile:<wim> /Index:<n>`: `Version : 10.0.26100` and `ServicePack Build : 8246`
 * give the committed image's level (learn.microsoft.com dism-image-management-command-line-options).
 */
async function readWimLevel(host: Host, wim: string, index: number): Promise<ServicingLevel> {
  const r = await host.run({ name: 'install.dism-get-wiminfo', file: 'dism.exe', args: ['/English', '/Get-WimInfo', `/WimFile:${wim}`, `/Index:${index}`], timeoutMs: 5 * 60_000 })
  const build = /^\s*Version\s*:\s*10\.0\.(\d+)/m.exec(r.stdout)
  const ubr = /^\s*ServicePack Build\s*:\s*(\d+)/m.exec(r.stdout)
  return { build: build ? Number(build[1]) : null, ubr: ubr ? Number(ubr[1]) : null, packages: [], available: r.ok, evidence: r.commandLine }
}

