/**
 * The plan's step for a build known without its KB: the PC is behind a build a public source states (a CVE record's
 * fixed build) whose KB no page read names, so the plan cannot install it; it says where the fact came from and
 * sends the person to the Microsoft Update Catalog to find the KB by the update's title, then to install it.
 * Pure; one function compose.ts calls after the newest update with a KB.
 */
import type { PcPlanStep } from '../../preload/model/pc-plan.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { BEHIND_BUILD_ID } from '../../preload/model/finding-state.ts'
import type { Branch } from '../knowledge/servicing-chains.ts'
import { buildWithoutKbBy, cumulativeUpdateTitle } from '../knowledge/build-without-kb.ts'

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
): { step: PcPlanStep; note: string } | null {
  const beyond = buildWithoutKbBy(branch.id, day)
  if (!beyond || beyond.ubr <= ubr) return null
  const target = `${build}.${beyond.ubr}`
  const title = arch && arch !== 'arm' ? cumulativeUpdateTitle(branch.id, arch, beyond.month) : null
  const esu =
    branch.esu && beyond.released >= branch.esu.since
      ? ` On ${branch.product} ${branch.displayVersion} it installs only on a PC enrolled in Extended Security Updates.`
      : ''
  return {
    step: {
      id: `find-kb-${target.replace('.', '-')}`,
      kind: 'wait',
      title: `Find the KB of ${target} (released ${beyond.released}) in the Microsoft Update Catalog`,
      why: `${beyond.says} The plan cannot install an update whose KB it does not know.${esu}`,
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
      fixes: findings.filter((f) => f.id === BEHIND_BUILD_ID).map((f) => f.id),
    },
    note: `${beyond.says.replace(/\.$/, '')}: ${beyond.sourceText}`,
  }
}
