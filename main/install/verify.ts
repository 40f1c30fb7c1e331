/**
 * Verify: re-scan the machine (or image) after the plan; success only when every target is installed
 * (not merely pending) and the build/UBR moved to at least the level the plan expects.
 */
import { parseDismImageInfo } from '../parse/dism-image-info.ts'
import type { Host } from '../host/host.ts'
import type { Journal, Verification } from '../../preload/model/plan.ts'
import { readServicingLevel, kbState, type ServicingLevel } from './servicing-level.ts'
import { winreUpdateByKb, parseWinreVersion } from '../knowledge/winre-targets.ts'
import { knownUpdate } from '../knowledge/servicing-chains.ts'
import { winreRegistryVersionCommand } from '../machine/winre-commands.ts'
import { parseRegQuery, regValue } from '../parse/reg-query.ts'

export async function verifyInstallation(host: Host, journal: Journal): Promise<Verification> {
  const plan = journal.plan
  const before = { build: plan.machine.build, ubr: plan.machine.ubr }
  let level: ServicingLevel
  if (plan.scope.kind === 'image' && plan.scope.wim)
    level = await readWimLevel(host, plan.scope.wim.path, plan.scope.wim.index)
  else level = await readServicingLevel(host, plan.scope)
  const after = { build: level.build, ubr: level.ubr }
  const wimOnly = plan.scope.kind === 'image' && plan.scope.wim !== null
  const targets = plan.targets.map((kb) => {
    const st = kbState(level, kb)
    return { kb, state: st, installed: st === 'installed' }
  })
  const allInstalled = targets.every((t) => t.installed)
  const nothingPlanned = plan.steps.length === 0
  // An expected UBR that rests on an unverified knowledge entry is never the sole proof: then the package
  // state (every target installed) and a UBR that moved up decide, and the detail says so.
  const unverifiedUbr =
    plan.expected !== null &&
    plan.targets.some((kb) => {
      const u = knownUpdate(kb)
      return u !== null && u.kind === 'lcu' && u.ubr === plan.expected?.ubr && !u.verified
    })
  const expectedUbr = unverifiedUbr ? null : (plan.expected?.ubr ?? null)
  // No expected level at all (an update the knowledge and its Catalog title do not place, e.g. a .NET update that
  // leaves the build as it is): the plan says so and the package state alone decides.
  const moved =
    plan.expected === null && plan.scope.kind === 'online'
      ? true
      : after.ubr !== null &&
        (expectedUbr !== null ? after.ubr >= expectedUbr : before.ubr !== null && after.ubr > before.ubr)
  // A WinRE update (KB5034441) does not move the build: it is proven by WinRE's own version instead.
  const winreTargets = plan.scope.kind === 'online' ? plan.targets.flatMap((kb) => winreUpdateByKb(kb) ?? []) : []
  const winreOnly = winreTargets.length > 0 && plan.expected === null
  const winre = winreOnly ? await readWinreVersion(host) : null
  const want = winreOnly
    ? winreTargets
        .map((t) => t.winreVersion)
        .sort((a, b) => (parseWinreVersion(b)?.[3] ?? 0) - (parseWinreVersion(a)?.[3] ?? 0))[0]
    : null
  const winreCurrent =
    winreOnly &&
    (() => {
      const have = parseWinreVersion(winre)
      const w = parseWinreVersion(want)
      return have !== null && w !== null && have[2] === w[2] && have[3] >= w[3]
    })()
  const verified = allInstalled && (winreOnly ? winreCurrent : moved || nothingPlanned)
  const where = plan.scope.kind === 'image' ? `The image${wimOnly ? ` ${plan.scope.wim?.path}` : ''}` : 'The PC'
  const level2 = (b: { build: number | null; ubr: number | null }) => `${b.build ?? '?'}.${b.ubr ?? '?'}`
  const detail = verified
    ? winreOnly
      ? `WinRE is at ${winre} (${want} expected); ${targets.map((t) => t.kb).join(', ')} installed; the PC stays at ${level2(after)}.`
      : `${where} is at ${level2(after)}${plan.scope.kind === 'online' ? ` (was ${level2(before)})` : ''}; ${targets.map((t) => t.kb).join(', ')} installed.`
    : !allInstalled
      ? `${targets
          .filter((t) => !t.installed)
          .map((t) => `${t.kb} is ${t.state}`)
          .join('; ')}; ${where.charAt(0).toLowerCase()}${where.slice(1)} is at ${level2(after)}.`
      : winreOnly
        ? `WinRE is at ${winre ?? 'an unknown version'}, below the ${want} the update brings.`
        : `${where} is at ${level2(after)}, below the expected ${plan.expected ? level2(plan.expected) : 'level'}.`
  const caveat =
    unverifiedUbr && plan.expected
      ? ` The expected build ${level2(plan.expected)} is unverified (one secondary source), so this was verified by the package state instead.`
      : ''
  return { verified, before, after, targets, detail: detail + caveat }
}

/**
 * `DISM /Get-WimInfo /WimFile:<wim> /Index:<n>`: `Version : 10.0.26100` and `ServicePack Build : 8117`
 * give the committed image's level (learn.microsoft.com dism-image-management-command-line-options).
 */
async function readWimLevel(host: Host, wim: string, index: number): Promise<ServicingLevel> {
  const r = await host.run({
    name: 'install.dism-get-wiminfo',
    file: 'dism.exe',
    args: ['/English', '/Get-WimInfo', `/WimFile:${wim}`, `/Index:${index}`],
    timeoutMs: 5 * 60_000,
  })
  return { ...readWimInfoLevel(r.stdout, index), packages: [], available: r.ok, evidence: r.commandLine }
}

/**
 * The build and UBR of image `index` in `DISM /Get-WimInfo` text, through the one parser of that output
 * (parse/dism-image-info.ts). It keeps DISM's own header `Version: 10.0.x.y` apart from the image's
 * `Version : 10.0.x`: reading the first `Version` line took the host's DISM build for the image's.
 */
export function readWimInfoLevel(stdout: string, index: number): { build: number | null; ubr: number | null } {
  const images = parseDismImageInfo(stdout).images
  const image = images.find((i) => i.index === index) ?? (images.length === 1 ? images[0] : undefined)
  const build = image?.version ? /^10\.0\.(\d+)/.exec(image.version)?.[1] : undefined
  return { build: build ? Number(build) : null, ubr: image?.spBuild ?? null }
}

/** The registry's WinREVersion (what KB5034441 itself checks), or null when it cannot be read. */
async function readWinreVersion(host: Host): Promise<string | null> {
  const r = await host.run(winreRegistryVersionCommand)
  if (!r.ok) return null
  const v = regValue(parseRegQuery(r.stdout), 'WinREVersion')
  return typeof v === 'string' && v.trim() ? v.trim() : null
}
