/**
 * What is installed right now, online or in a mounted image: the facts the executor re-checks after a
 * crash and verify reads at the end. Read with `DISM /Get-Packages` (the image version is in its header).
 */
import type { Host } from '../host/host.ts'
import type { PlanScope } from '../../preload/model/plan.ts'
import { parseDismPackages } from '../parse/dism-packages.ts'
import { knownUpdate } from '../knowledge/servicing-chains.ts'

export interface ServicingLevel {
  build: number | null
  ubr: number | null
  /** Identity → state (`installed`, `install-pending`, …). */
  packages: Array<{ identity: string; state: string; kb: string | null }>
  /** False when the image is not mounted (image scope). */
  available: boolean
  evidence: string
}

export async function readServicingLevel(host: Host, scope: PlanScope): Promise<ServicingLevel> {
  const args =
    scope.kind === 'image'
      ? ['/English', `/Image:${scope.dir}`, '/Get-Packages']
      : ['/English', '/Online', '/Get-Packages']
  const name = scope.kind === 'image' ? 'install.dism-image-get-packages' : 'packages.dism-get-packages'
  const r = await host.run({ name, file: 'dism.exe', args, timeoutMs: 10 * 60_000 })
  const parsed = parseDismPackages(r.stdout)
  const v = /^10\.0\.(\d+)\.(\d+)$/.exec(parsed.imageVersion ?? '')
  return {
    build: v ? Number(v[1]) : null,
    ubr: v ? Number(v[2]) : null,
    packages: parsed.packages.map((p) => ({ identity: p.identity, state: p.state, kb: p.kb })),
    available: r.ok && parsed.packages.length > 0,
    evidence: r.commandLine,
  }
}

/**
 * A KB's state on the machine: `installed`, `pending` (needs the restart) or `absent`. A cumulative
 * update counts as installed when its RollupFix version (or a later UBR) is installed; the checkpoint's
 * content is present whenever the UBR is at or above it (servicing-facts §3).
 */
export function kbState(level: ServicingLevel, kb: string): 'installed' | 'pending' | 'absent' {
  const u = knownUpdate(kb)
  const rollups = level.packages.filter((p) => /^Package_for_RollupFix~/i.test(p.identity))
  const ver = (id: string) => /~~(\d+)\.(\d+)\./.exec(id)
  for (const p of level.packages) {
    const byKb = p.kb?.toUpperCase() === kb.toUpperCase() || p.identity.toUpperCase().includes(`_${kb.toUpperCase()}~`)
    const byVersion = u?.kind === 'lcu' && rollups.includes(p) && Number(ver(p.identity)?.[2] ?? -1) === u.ubr
    if (byKb || byVersion) {
      if (p.state === 'installed' || p.state === 'superseded') return 'installed'
      if (p.state === 'install-pending') return 'pending'
    }
  }
  if (
    u?.kind === 'lcu' &&
    level.ubr !== null &&
    level.ubr >= u.ubr &&
    level.build !== null &&
    (level.build === u.baseBuild || level.build === 26200)
  )
    return 'installed'
  if (u?.kind === 'lcu') {
    const installedAbove = rollups.some(
      (p) => (p.state === 'installed' || p.state === 'superseded') && Number(ver(p.identity)?.[2] ?? -1) >= u.ubr,
    )
    if (installedAbove) return 'installed'
  }
  return 'absent'
}
