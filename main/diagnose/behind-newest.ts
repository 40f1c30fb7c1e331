/**
 * A PC behind the newest update of its branch: "up to date" is said only when the PC's build and UBR
 * reach the newest released cumulative update the knowledge lists for its branch (optional previews left out, as
 * servicing-chains.ts newestUpdateForBranch does), judged at the snapshot's date. Otherwise that update is offered
 * (`install-update` with its KB), with the evidence: the installed build and UBR beside the newest listed.
 *
 * Added after the verdict's last step, like a failed update still not installed (not-installed.ts), and only when no
 * other repair or install is offered: what the verdict already asks for comes first (a damaged store, a restart, an
 * update being removed on purpose), and the newest update comes next.
 *
 * Pure: the findings with their states and the snapshot in, the finding to add out.
 */
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { allKnownUpdates, branchForBuild, compareKey, type KnownUpdate } from '../knowledge/servicing-chains.ts'
import { known, osContext } from './facts.ts'
import { customRemedy, finding } from './finding.ts'

import { BEHIND_NEWEST_ID } from '../../preload/model/finding-state.ts'
export { BEHIND_NEWEST_ID }

/** The newest released (not preview) cumulative update of a branch on or before `day` (YYYY-MM-DD), or null. */
export function newestReleasedBy(branchId: string, day: string): KnownUpdate | null {
  return allKnownUpdates()
    .filter((u) => u.kind === 'lcu' && !u.preview && u.branchIds.includes(branchId) && (!day || u.released <= day))
    .sort((a, b) => compareKey(b.released, a.released) || b.ubr - a.ubr)[0] ?? null
}

export function behindNewest(findings: readonly Finding[], snapshot: MachineSnapshot | null): Finding[] {
  if (!snapshot) return []
  // Another repair or install the verdict offers comes first (a damaged store, a pending restart, an update being removed
  // on purpose): the newest update is the next step once none is left.
  if (findings.some((f) => f.state !== 'past' && f.severity !== 'info' && f.repair)) return []
  if (findings.some((f) => f.state !== 'past' && (f.repair === 'install-update' || f.repair === 'install-checkpoint'))) return []
  const os = known(snapshot.os)
  if (!os || os.build == null || os.ubr == null) return []
  const branch = branchForBuild(os.build, osContext(os))
  if (!branch) return []
  const newest = newestReleasedBy(branch.id, (snapshot.takenAt ?? '').slice(0, 10))
  if (!newest || newest.ubr <= os.ubr) return []
  const name = `${branch.product} ${branch.displayVersion}`.trim()
  return [{
    ...finding({
      id: BEHIND_NEWEST_ID,
      title: `A newer update is available: ${newest.kb} (${os.build}.${newest.ubr}); this PC is at ${os.build}.${os.ubr}`,
      technical: `${name}: installed ${os.build}.${os.ubr}; the newest cumulative update the knowledge lists for the branch is ${newest.kb} (${os.build}.${newest.ubr}, released ${newest.released})`,
      severity: 'warning',
      confidence: newest.verified ? 0.9 : 0.7,
      causes: [`The PC is not up to date: ${newest.kb}, released on ${newest.released}, is newer than what is installed, and nothing has installed it yet.`],
      remedies: [customRemedy('install-newest', `Install ${newest.kb}`, `Install ${newest.kb} and restart when asked; the update is done when the PC reports ${os.build}.${newest.ubr} or later.`, [], 'install-update')],
      evidence: [
        { source: 'Installed build (Windows version)', excerpt: `${os.build}.${os.ubr}` },
        { source: 'Servicing knowledge: newest update of the branch', excerpt: `${newest.kb}  ${os.build}.${newest.ubr}  released ${newest.released}  ${newest.title}` },
      ],
      repair: 'install-update',
      codes: [],
      kbs: [newest.kb],
    }),
    state: 'current',
    since: null,
  }]
}
