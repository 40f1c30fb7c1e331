/**
 * The packages probe: every installed CBS package and its state, the effective LCU level (highest
 * installed Package_for_RollupFix → build.UBR), the servicing stack version, and whether the branch's
 * checkpoint (KB5043080 = 26100.1742 on 24H2/25H2) is present.
 *
 * Prefers Get-WindowsPackage as JSON (language independent); falls back to `DISM /English /Get-Packages`.
 */
import { packageStateAsDism } from '../../../preload/model/package-state-words.ts'
import type { Probe } from '../probe.ts'
import { ProbeError, commandEvidence } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import {
  parseDismPackages,
  WINDOWS_PACKAGE_SCRIPT,
  effectiveLcu,
  servicingStackVersion,
} from '../../parse/dism-packages.ts'
import { checkpointStatus, machineContext, type MachineContext } from '../../knowledge/servicing-chains.ts'
import type { InstalledPackage, MachineSnapshot, PackagesFact } from '../../../preload/model/snapshot.ts'
import type { Evidence } from '../../../preload/model/common.ts'

export const windowsPackageCommand: CommandSpec = powershellSpec(
  'packages.get-windowspackage',
  WINDOWS_PACKAGE_SCRIPT,
  120_000,
)

export const dismGetPackagesCommand: CommandSpec = {
  name: 'packages.dism-get-packages',
  file: 'dism.exe',
  args: ['/Online', '/English', '/Get-Packages'],
  timeoutMs: 180_000,
  outputEncoding: 'console',
}

export const packagesProbe: Probe<'packages'> = {
  id: 'packages',
  timeoutMs: 240_000,
  collect: [
    { kind: 'command', spec: windowsPackageCommand },
    { kind: 'command', spec: dismGetPackagesCommand },
  ],
  async run({ host, signal }) {
    const evidence: Evidence[] = []
    let packages: InstalledPackage[] | null = null
    const ps = await host.run(windowsPackageCommand, { signal })
    if (ps.ok) {
      const r = parseDismPackages(ps.stdout)
      if (r.packages.length > 0) {
        packages = r.packages
        evidence.push({ source: 'Get-WindowsPackage -Online (JSON)', excerpt: summarize(r.packages) })
      }
    }
    if (packages === null) {
      evidence.push({
        source: 'Get-WindowsPackage -Online (JSON)',
        excerpt: ps.ok ? 'No packages in the answer.' : commandEvidence(ps).excerpt,
      })
      const dism = await host.run(dismGetPackagesCommand, { signal })
      const r = parseDismPackages(dism.stdout)
      if (!dism.ok || r.packages.length === 0) {
        throw new ProbeError(
          `Neither Get-WindowsPackage nor DISM listed the packages${r.error ? ` (DISM error ${r.error})` : ''}.`,
          [...evidence, commandEvidence(dism)],
        )
      }
      packages = r.packages
      evidence.push({ source: dism.commandLine, excerpt: summarize(r.packages) })
    }
    return { value: summarizePackages(packages), evidence }
  },
}

/**
 * Derives the LCU level, the servicing stack version and the checkpoint status from a package list. `ctx`
 * (the OS facts: edition, product name) tells Windows Server 2025 from Windows 11 24H2 on build 26100;
 * without it a 26100 PC below UBR 30000 is judged as the client (the probe alone cannot know the edition).
 */
export function summarizePackages(packages: InstalledPackage[], ctx?: MachineContext): PackagesFact {
  const lcu = effectiveLcu(packages)
  const ssu = servicingStackVersion(packages)
  const cp = checkpointStatus(
    lcu?.build ?? null,
    lcu?.ubr ?? null,
    ctx && { productName: ctx.productName, edition: ctx.edition, installationType: ctx.installationType },
  )
  let reason = lcu
    ? `Effective LCU ${lcu.build}.${lcu.ubr} (${lcu.identity}). ${cp.reason}`
    : `No installed Package_for_RollupFix was found. ${cp.reason}`
  let present = lcu ? cp.present : null
  // The checkpoint's own RollupFix identity (e.g. 26100.1742.1.10), still listed (installed or superseded), also proves it.
  if (cp.kb && cp.build !== null && cp.ubr !== null) {
    const own = packages.find(
      (p) =>
        /^Package_for_RollupFix~/i.test(p.identity) &&
        (p.version ?? '').startsWith(`${cp.build}.${cp.ubr}.`) &&
        (p.state === 'installed' || p.state === 'superseded'),
    )
    if (own) {
      present = true
      reason += ` The checkpoint package ${own.identity} is listed as ${own.state}.`
    }
  }
  return {
    packages,
    lcu,
    checkpoint: { kb: cp.kb, build: cp.build, ubr: cp.ubr, present, reason },
    servicingStackVersion: ssu,
  }
}

/**
 * The packages fact judged again with the snapshot's OS facts (scan.ts calls it once every probe is in):
 * the packages probe runs beside the OS probe and cannot see the edition, so a Server 2025 PC's checkpoint
 * is decided here. The fact's evidence is kept; an unknown fact (or unknown OS) is returned unchanged.
 */
export function judgePackagesWithOs(
  packages: MachineSnapshot['packages'],
  os: MachineSnapshot['os'],
): MachineSnapshot['packages'] {
  if (packages.status !== 'known' || os.status !== 'known') return packages
  return { ...packages, value: summarizePackages(packages.value.packages, machineContext(os.value)) }
}

function summarize(packages: InstalledPackage[]): string {
  const key = packages.filter(
    (p) => /^Package_for_(RollupFix|ServicingStack|KB)/i.test(p.identity) || p.state !== 'installed',
  )
  const lines = key
    .slice(0, 30)
    .map((p) => `${p.identity}  ${packageStateAsDism(p.state)}${p.installTime ? `  ${p.installTime}` : ''}`)
  return [`${packages.length} packages.`, ...lines].join('\n')
}
