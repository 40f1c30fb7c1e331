/**
 * The plan's step for a build known without its KB: the PC is behind a build a public source states (a CVE record's
 * fixed build) whose KB no page read names, so the plan cannot install it; it says where the fact came from and
 * sends the person to the Microsoft Update Catalog to find the KB by the update's title, then to install it.
 * When the plan could search the Catalog itself (pc-plan-service.ts, on a PC with internet), the row it found by that
 * title is the install of that KB instead of the wait; when it found none or could not search, the wait says why in
 * the search's own words. Pure; compose.ts calls it after the newest update with a KB.
 */
import type { PcPlanStep } from '../../preload/model/pc-plan.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { BEHIND_BUILD_ID } from '../../preload/model/finding-state.ts'
import type { Branch } from '../knowledge/servicing-chains.ts'
import { buildWithoutKbBy, cumulativeUpdateTitle, type BuildWithoutKb } from '../knowledge/build-without-kb.ts'
import type { CatalogMonthFact } from '../catalog/month-lookup.ts'

/**
 * What the plan's own Catalog search said about a build known without its KB: the row it found (its KB and build from
 * the title), or why there is none — the search's own words ("The Catalog lists no cumulative update …"), the error it
 * ended with, or why it was not made (a training machine has no internet).
 */
export type CatalogAnswer = { found: CatalogMonthFact } | { none: string }

/** What the plan searches the Catalog for: the branch's cumulative update of the build's month, for the PC's architecture. */
export interface CatalogNeed {
  branchId: string
  arch: MachineArch
  month: string
  /** The build the search must reach (`26100.9974`) and its UBR. */
  build: string
  ubr: number
}

/** The Catalog search a build known without its KB asks for, or null (no such build above `ubr`, or no architecture). */
export function catalogNeed(
  branch: Branch,
  build: number,
  ubr: number,
  arch: MachineArch | null,
  day: string,
): CatalogNeed | null {
  const beyond = buildWithoutKbBy(branch.id, day)
  if (!beyond || beyond.ubr <= ubr || !arch || arch === 'arm') return null
  return { branchId: branch.id, arch, month: beyond.month, build: `${build}.${beyond.ubr}`, ubr: beyond.ubr }
}

/** The install step of the KB the plan's Catalog search found for `beyond`. */
function foundStep(
  branch: Branch,
  beyond: BuildWithoutKb,
  target: string,
  fact: CatalogMonthFact,
  fixes: string[],
): { step: PcPlanStep; note: string } {
  const to = fact.build ?? target
  return {
    step: {
      id: `install-${fact.kb.toLowerCase()}`,
      kind: 'install',
      title: `Install ${fact.kb}, the newest update for ${branch.product} ${branch.displayVersion} (found in the Microsoft Update Catalog)`,
      why: `${beyond.says} The plan searched the Microsoft Update Catalog for it and found "${fact.title}", so it installs ${fact.kb} and brings the PC to ${to}.`,
      precondition: `The PC is below ${to}, and the package the Catalog lists for ${fact.kb} matches its architecture and servicing stack; the file is checked against the hash the Catalog's download dialog gives, as every install's (the installer checks it again).`,
      risk: 'reversible',
      restarts: 1,
      kb: fact.kb,
      bringsTo: to,
      fixes,
    },
    note: `${fact.kb} is not in the knowledge: ${fact.says}`,
  }
}

/**
 * The wait step and the note for the newest build of the branch known without its KB, released by `day` and above
 * `ubr` (the PC's UBR, or the UBR the plan's install brings it to); null when there is none.
 */
export function findKbStep(
  branch: Branch,
  build: number,
  ubr: number,
  arch: MachineArch | null,
  day: string,
  findings: readonly Finding[],
  catalog?: CatalogAnswer | null,
): { step: PcPlanStep; note: string } | null {
  const beyond = buildWithoutKbBy(branch.id, day)
  if (!beyond || beyond.ubr <= ubr) return null
  const target = `${build}.${beyond.ubr}`
  const fixes = findings.filter((f) => f.id === BEHIND_BUILD_ID).map((f) => f.id)
  // The row found must reach the build the source states (a row of that month below it is an earlier release).
  const reached = (f: CatalogMonthFact) => f.build !== null && Number(f.build.split('.')[1]) >= beyond.ubr
  const esu =
    branch.esu && beyond.released >= branch.esu.since
      ? ` On ${branch.product} ${branch.displayVersion} it installs only on a PC enrolled in Extended Security Updates.`
      : ''
  // An ESU-only update is never installed on a PC whose enrolment cannot be read: the KB found is said, not installed.
  if (catalog && 'found' in catalog && reached(catalog.found) && !esu)
    return foundStep(branch, beyond, target, catalog.found, fixes)
  const searched =
    catalog && 'found' in catalog
      ? reached(catalog.found)
        ? ` The Microsoft Update Catalog names it: "${catalog.found.title}".`
        : ` The plan searched the Microsoft Update Catalog: the row it found, "${catalog.found.title}", is not ${target}.`
      : catalog
        ? ` ${catalog.none}`
        : ''
  const title = arch && arch !== 'arm' ? cumulativeUpdateTitle(branch.id, arch, beyond.month) : null
  return {
    step: {
      id: `find-kb-${target.replace('.', '-')}`,
      kind: 'wait',
      title: `Find the KB of ${target} (released ${beyond.released}) in the Microsoft Update Catalog`,
      why: `${beyond.says} The plan cannot install an update whose KB it does not know.${searched}${esu}`,
      precondition: 'A person does this; the plan cannot.',
      risk: 'read-only',
      restarts: 0,
      instructions: [
        title
          ? `Search the Microsoft Update Catalog (https://www.catalog.update.microsoft.com) for "${title}": the row's title ends with the KB and the build ${target}.`
          : `Search the Microsoft Update Catalog for the ${beyond.month} cumulative update of ${branch.product} ${branch.displayVersion} for this PC's architecture: the row's title ends with the KB and the build ${target}.`,
        `Or, on a PC with internet: servicing-desk knowledge catalog --branch ${branch.id} --arch ${arch ?? '<x64|arm64|x86>'} --month ${beyond.month} reads the KB and the build from the Catalog's title.`,
        `Then install that KB (Install screen, or servicing-desk install --kb <KB>) and restart when asked; the PC is current when it reports ${target} or later.`,
      ],
      fixes,
    },
    note: `${beyond.says.replace(/\.$/, '')}: ${beyond.sourceText}`,
  }
}
