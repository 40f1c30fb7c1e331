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
import {
  allKnownUpdates,
  branchForBuild,
  compareKey,
  type Branch,
  type KnownUpdate,
} from '../knowledge/servicing-chains.ts'
import type { Timeline } from '../../preload/model/timeline.ts'
import { known, osContext } from './facts.ts'
import { buildWithoutKbBy, cumulativeUpdateTitle, type BuildWithoutKb } from '../knowledge/build-without-kb.ts'
import { customRemedy, finding } from './finding.ts'

import { BEHIND_BUILD_ID, BEHIND_NEWEST_ID } from '../../preload/model/finding-state.ts'
export { BEHIND_BUILD_ID, BEHIND_NEWEST_ID }

/** The newest released (not preview) cumulative update of a branch on or before `day` (YYYY-MM-DD), or null. */
export function newestReleasedBy(branchId: string, day: string): KnownUpdate | null {
  return (
    allKnownUpdates()
      .filter((u) => u.kind === 'lcu' && !u.preview && u.branchIds.includes(branchId) && (!day || u.released <= day))
      .sort((a, b) => compareKey(b.released, a.released) || b.ubr - a.ubr)[0] ?? null
  )
}

/**
 * Why an update cannot take on this PC, from its facts (null: it can): a branch serviced only under Extended Security
 * Updates after its end of support (Windows 10 22H2) — this PC's enrolment is not readable, and an unenrolled PC answers
 * "not applicable" without changing anything. Architecture and the servicing stack are the install planner's checks.
 */
export function esuBlock(branch: Branch, update: KnownUpdate, os: { edition: string | null }): string | null {
  const esu = branch.esu
  if (!esu || update.released < esu.since) return null
  if (os.edition && esu.exemptEditions.includes(os.edition)) return null
  return `${update.kb} is an Extended Security Update: ${branch.product} ${branch.displayVersion} left support on ${esu.since}, and since then Windows installs its updates only on a PC enrolled in ESU (an ESU licence or the consumer enrolment). This PC's enrolment cannot be read, and a package that does not apply ends "not applicable" without changing anything.`
}

/** This app's install of `kb` on this PC that changed nothing (Windows: not applicable), at the PC's UBR now. */
export function installChangedNothing(
  timeline: Timeline | null | undefined,
  kb: string,
  ubr: number,
): { at: string; kind: 'not-applicable' | 'already-installed' } | null {
  for (const e of [...(timeline?.events ?? [])].reverse()) {
    const u = e.run?.unchanged
    if (u?.kbs.includes(kb) && (u.ubr === null || u.ubr === ubr)) return { at: e.at, kind: u.kind }
  }
  return null
}

export function behindNewest(
  findings: readonly Finding[],
  snapshot: MachineSnapshot | null,
  timeline?: Timeline | null,
): Finding[] {
  if (!snapshot) return []
  const os = known(snapshot.os)
  if (!os || os.build == null || os.ubr == null) return []
  const branch = branchForBuild(os.build, osContext(os))
  if (!branch) return []
  const day = (snapshot.takenAt ?? '').slice(0, 10)
  const newest = newestReleasedBy(branch.id, day)
  // A build a source states without its KB (a CVE record's), newer than the newest update with a KB.
  const beyond = buildWithoutKbBy(branch.id, day || '9999-12-31')
  const name = `${branch.product} ${branch.displayVersion}`.trim()
  if ((!newest || newest.ubr <= os.ubr) && beyond && beyond.ubr > os.ubr) {
    if (
      findings.some((f) => f.state !== 'past' && (f.repair === 'install-update' || f.repair === 'install-checkpoint'))
    )
      return []
    return [behindBuildWithoutKb(branch, os, beyond)]
  }
  if (!newest || newest.ubr <= os.ubr) return []
  // Never offer what cannot take: the finding says why, and what instead, with no install to press.
  const esu = esuBlock(branch, newest, os)
  const tried = installChangedNothing(timeline, newest.kb, os.ubr)
  if (esu || tried) {
    const why =
      esu ??
      `${newest.kb} was installed here on ${tried!.at.slice(0, 10)} and Windows answered "${tried!.kind === 'not-applicable' ? 'not applicable' : 'already installed'}": nothing changed, so it is not offered again.`
    return [
      {
        ...finding({
          id: BEHIND_NEWEST_ID,
          title: esu
            ? `A newer update exists, ${newest.kb} (${os.build}.${newest.ubr}), but it needs an ESU licence; this PC is at ${os.build}.${os.ubr}`
            : `${newest.kb} did not apply to this PC; it is at ${os.build}.${os.ubr}`,
          technical: `${name}: installed ${os.build}.${os.ubr}; newest listed ${newest.kb} (${os.build}.${newest.ubr}, released ${newest.released})${esu ? `; Extended Security Updates only since ${branch.esu!.since}` : `; last install ended ${tried!.kind}`}`,
          severity: 'warning',
          confidence: newest.verified ? 0.9 : 0.7,
          causes: [why],
          remedies: [
            esu
              ? customRemedy(
                  'esu-licence',
                  'Confirm the ESU licence, then install',
                  `Check that the PC is enrolled in Extended Security Updates (slmgr.vbs /dlv all lists an ESU product as Licensed); an organization installs and activates its ESU key, a home PC enrols in Settings > Windows Update. Then install ${newest.kb}, or upgrade the PC to Windows 11.`,
                  ['cscript //nologo %SystemRoot%\\System32\\slmgr.vbs /dlv all'],
                  null,
                  [branch.esu!.source],
                )
              : customRemedy(
                  'check-applicability',
                  'Find out why it does not apply',
                  `Check the PC's edition, architecture and licence against ${newest.kb}'s page (an ESU update needs an ESU licence; an update for another edition or architecture never applies), and read the CBS log's applicability lines.`,
                  [],
                  null,
                ),
          ],
          evidence: [
            { source: 'Installed build (Windows version)', excerpt: `${os.build}.${os.ubr}` },
            {
              source: 'Servicing knowledge: newest update of the branch',
              excerpt: `${newest.kb}  ${os.build}.${newest.ubr}  released ${newest.released}  ${newest.title}`,
            },
          ],
          repair: null,
          codes: [],
          kbs: [newest.kb],
        }),
        state: 'current',
        since: null,
      },
    ]
  }
  // Another repair or install the verdict offers comes first (a damaged store, a pending restart, an update being removed
  // on purpose): the newest update is the next step once none is left.
  if (findings.some((f) => f.state !== 'past' && f.severity !== 'info' && f.repair)) return []
  if (findings.some((f) => f.state !== 'past' && (f.repair === 'install-update' || f.repair === 'install-checkpoint')))
    return []
  return [
    {
      ...finding({
        id: BEHIND_NEWEST_ID,
        title: `A newer update is available: ${newest.kb} (${os.build}.${newest.ubr}); this PC is at ${os.build}.${os.ubr}`,
        technical: `${name}: installed ${os.build}.${os.ubr}; the newest cumulative update the knowledge lists for the branch is ${newest.kb} (${os.build}.${newest.ubr}, released ${newest.released})`,
        severity: 'warning',
        confidence: newest.verified ? 0.9 : 0.7,
        causes: [
          `The PC is not up to date: ${newest.kb}, released on ${newest.released}, is newer than what is installed, and nothing has installed it yet.`,
          ...(beyond && beyond.ubr > newest.ubr
            ? [
                `Beyond it, ${beyond.says[0]!.toLowerCase()}${beyond.says.slice(1)} Once ${newest.kb} is in, its KB is found in the Microsoft Update Catalog.`,
              ]
            : []),
        ],
        remedies: [
          customRemedy(
            'install-newest',
            `Install ${newest.kb}`,
            `Install ${newest.kb} and restart when asked; the update is done when the PC reports ${os.build}.${newest.ubr} or later.`,
            [],
            'install-update',
          ),
        ],
        evidence: [
          { source: 'Installed build (Windows version)', excerpt: `${os.build}.${os.ubr}` },
          {
            source: 'Servicing knowledge: newest update of the branch',
            excerpt: `${newest.kb}  ${os.build}.${newest.ubr}  released ${newest.released}  ${newest.title}`,
          },
        ],
        repair: 'install-update',
        codes: [],
        kbs: [newest.kb],
      }),
      state: 'current',
      since: null,
    },
  ]
}

/**
 * The PC is at (or above) the newest update with a KB, below a newer build a source states without its KB: behind,
 * said with the source; nothing to install blindly, so the remedy is to find the KB in the Catalog by its title.
 */
function behindBuildWithoutKb(
  branch: Branch,
  os: { build: number | null; ubr: number | null; nativeArch?: string | null; edition: string | null },
  beyond: BuildWithoutKb,
): Finding {
  const at = `${os.build}.${os.ubr}`
  const arch = os.nativeArch === 'x64' || os.nativeArch === 'arm64' || os.nativeArch === 'x86' ? os.nativeArch : null
  const title = arch ? cumulativeUpdateTitle(branch.id, arch, beyond.month) : null
  const esu =
    branch.esu && beyond.released >= branch.esu.since && !(os.edition && branch.esu.exemptEditions.includes(os.edition))
      ? ` On ${branch.product} ${branch.displayVersion} it installs only on a PC enrolled in Extended Security Updates.`
      : ''
  return {
    ...finding({
      id: BEHIND_BUILD_ID,
      title: `A newer build is out: ${beyond.build} (released ${beyond.released}); this PC is at ${at}`,
      technical: `${branch.product} ${branch.displayVersion}: installed ${at}; ${beyond.says}`,
      severity: 'warning',
      confidence: 0.9,
      causes: [
        `The PC is not up to date: ${beyond.says} Microsoft's CVE record ${beyond.source} names it as the build that fixes the vulnerability; no page read names its KB.${esu}`,
      ],
      remedies: [
        customRemedy(
          'find-kb-in-catalog',
          `Find the KB of ${beyond.build} in the Microsoft Update Catalog`,
          `${title ? `Search the Microsoft Update Catalog for "${title}" (the row's title names the KB and the build ${beyond.build}), or on` : 'On'} a PC with internet run servicing-desk knowledge catalog --branch ${branch.id} --arch ${arch ?? '<x64|arm64|x86>'} --month ${beyond.month}; then install that KB and restart when asked. The update is done when the PC reports ${beyond.build} or later.`,
          [],
          null,
          [beyond.source],
        ),
      ],
      evidence: [
        { source: 'Installed build (Windows version)', excerpt: at },
        {
          source: 'Servicing knowledge: newest build of the branch (its KB is not known)',
          excerpt: `${beyond.build}  released ${beyond.released}  (source ${beyond.source})`,
        },
      ],
      repair: null,
      codes: [],
      kbs: [],
    }),
    state: 'current',
    since: null,
  }
}
