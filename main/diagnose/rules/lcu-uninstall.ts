/**
 * Removing a cumulative update failed the usual way: update history shows an *uninstall* of the cumulative
 * update the PC runs now failing with WU_E_UH_DOESNOTSUPPORTACTION (0x80242004, "the update does not support
 * uninstall"). Microsoft, on every combined SSU+LCU update page ("If you want to remove the LCU"): "Running
 * wusa.exe with the /uninstall switch on the combined package will not work because the combined package
 * contains the SSU. You cannot remove the SSU from the system after installation." — "use the DISM
 * /Remove-Package command line option with the LCU package name as the argument" (DISM /online /get-packages).
 * (Read in MicrosoftDocs/azure-stack-docs azure-local/security-update/security-update.md, the notes for KB5065426
 * 26100.6584, whose support.microsoft.com page is REMOVE_LCU_SOURCE.)
 * The repair `remove-package` does that with the identity from this PC's package list.
 */
import type { Rule, Finding } from '../rule.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { known } from '../facts.ts'
import { finding, customRemedy, technical } from '../finding.ts'
import { knownUpdate } from '../../knowledge/servicing-chains.ts'

export const WU_E_UH_DOESNOTSUPPORTACTION = '0x80242004'
export const REMOVE_LCU_SOURCE =
  'https://support.microsoft.com/topic/september-9-2025-kb5065426-os-build-26100-6584-77a41d9b-1b7c-4198-b9a5-3c4b6706dea9'

const ubrOf = (version: string | null) => Number(/^\d+\.(\d+)\./.exec(version ?? '')?.[1] ?? NaN)
const isLcu = (identity: string) => /^Package_for_RollupFix~/i.test(identity)

export interface BlockedLcuUninstall {
  kb: string
  /** The installed RollupFix package of that update (from the package list). */
  identity: string
  ubr: number
  build: number
  /** The newest other cumulative update in the package list: the build the PC returns to, or null. */
  previousUbr: number | null
  checkpoint: boolean
  attempts: { date: string | null; title: string }[]
}

/** The cumulative update the PC runs whose uninstall failed with 0x80242004, or null. */
export function blockedLcuUninstall(snapshot: MachineSnapshot | null): BlockedLcuUninstall | null {
  const hist = known(snapshot?.history) ?? []
  const os = known(snapshot?.os)
  const pk = known(snapshot?.packages)
  if (!os || !pk || os.ubr == null || os.build == null) return null
  const tried = hist.filter(
    (h) =>
      h.operation === 'uninstall' &&
      (h.result === 'failed' || h.result === 'aborted') &&
      h.hresult === WU_E_UH_DOESNOTSUPPORTACTION &&
      h.kb,
  )
  for (const kb of [...new Set(tried.map((h) => h.kb!))]) {
    const u = knownUpdate(kb)
    if (u?.kind !== 'lcu' || u.ubr !== os.ubr) continue
    const pkg = pk.packages.find((p) => isLcu(p.identity) && ubrOf(p.version) === u.ubr && p.state === 'installed')
    if (!pkg) continue
    const earlier = pk.packages
      .filter((p) => isLcu(p.identity) && p !== pkg && (p.state === 'installed' || p.state === 'superseded'))
      .map((p) => ubrOf(p.version))
      .filter((n) => n < u.ubr)
    return {
      kb,
      identity: pkg.identity,
      ubr: u.ubr,
      build: os.build,
      previousUbr: earlier.length ? Math.max(...earlier) : null,
      checkpoint: u.checkpoint,
      attempts: tried.filter((h) => h.kb === kb).map((h) => ({ date: h.date, title: h.title })),
    }
  }
  return null
}

export const lcuUninstallRule: Rule = {
  id: 'lcu-uninstall-blocked',
  evaluate(input): Finding[] {
    const b = blockedLcuUninstall(input.snapshot)
    if (!b) return []
    const runnable = !b.checkpoint && b.previousUbr !== null
    return [
      finding({
        id: 'lcu-uninstall-blocked',
        title: `${b.kb} could not be uninstalled the usual way: remove its cumulative update package on its own`,
        technical: `${technical(WU_E_UH_DOESNOTSUPPORTACTION)}; removable with DISM /Remove-Package`,
        severity: 'warning',
        confidence: 0.9,
        causes: [
          `${b.kb} came as a combined package with its servicing stack update; Microsoft: wusa /uninstall does not work on the combined package because it contains the SSU, and the SSU cannot be removed after installation.`,
          `The cumulative update itself can be removed with DISM /Remove-Package and its package name from DISM /Get-Packages: here ${b.identity}.`,
          b.previousUbr !== null
            ? `The PC then returns to build ${b.build}.${b.previousUbr}.`
            : 'No earlier cumulative update is in the package list, so the build it would return to is unknown.',
          ...(b.checkpoint
            ? [`${b.kb} is a checkpoint cumulative update: later updates build on it, so removing it is not offered.`]
            : []),
        ],
        remedies: [
          customRemedy(
            'remove-lcu',
            `Remove ${b.kb}'s cumulative update package on its own`,
            `DISM /Online /Remove-Package with the cumulative update's package name, then restart. The servicing stack stays. Windows Update offers ${b.kb} again later: pause updates if it must stay off.`,
            // /NoRestart: without it DISM asks "Do you want to restart the computer now? (Y/N)" and takes the next pasted
            // line as the answer; the box restarts with its own line.
            [
              'DISM /Online /Get-Packages /Format:Table',
              `DISM /Online /Remove-Package /PackageName:${b.identity} /NoRestart`,
              'shutdown /r /t 0',
            ],
            runnable ? 'remove-package' : null,
            [REMOVE_LCU_SOURCE],
          ),
        ],
        evidence: [
          ...b.attempts.slice(0, 3).map((a) => ({
            source: 'Windows Update history',
            excerpt: `${a.date ?? ''}  uninstall failed  ${WU_E_UH_DOESNOTSUPPORTACTION}  ${a.title}`.trim(),
          })),
          { source: 'Installed packages (DISM)', excerpt: `${b.identity}  Installed` },
        ],
        repair: runnable ? 'remove-package' : null,
        codes: [WU_E_UH_DOESNOTSUPPORTACTION],
      }),
    ]
  },
}
