/**
 * `remove-package`: removes the cumulative update the PC runs when its uninstall failed the usual way
 * (0x80242004: wusa /uninstall does not work on a combined SSU+LCU package — Microsoft, "If you want to remove
 * the LCU" on each such update's page): `DISM /Online /Remove-Package /PackageName:<identity> /NoRestart` with
 * the identity from this PC's package list (never typed, never a placeholder), then a restart. Refused for a
 * checkpoint cumulative update (later updates build on it) and when no earlier cumulative update is in the
 * package list (the build it would return to is unknown). The servicing stack cannot be removed and stays.
 * Verified by a re-scan: the package is gone and the build is the earlier cumulative update's.
 */
import type { RepairDefinition } from '../types.ts'
import { step } from '../types.ts'
import { blockedLcuUninstall, REMOVE_LCU_SOURCE } from '../../diagnose/rules/lcu-uninstall.ts'

const ubrOfIdentity = (id: string) => Number(/~~\d+\.(\d+)\.\d+\.\d+$/.exec(id)?.[1] ?? NaN)

export const removePackageRepair: RepairDefinition = {
  id: 'remove-package',
  kinds: ['dism-remove-package', 'schedule-resume', 'restart'],
  title: 'Remove the cumulative update package',
  summary:
    'Removes the cumulative update by its package name (DISM /Remove-Package), restarts, and checks the PC is back on the earlier build.',
  offer({ snapshot, findings }) {
    const f = findings.find((x) => x.id === 'lcu-uninstall-blocked')
    const b = blockedLcuUninstall(snapshot)
    if (!f || !b) return null
    return { reason: `${f.title}.` }
  },
  plan({ snapshot, ref, env }) {
    const b = blockedLcuUninstall(snapshot)
    if (ref.kind === 'snapshot')
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'A snapshot from another PC is read-only: run the repair on that PC.',
      }
    if (!b)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: "The package to remove could not be found in this PC's package list.",
      }
    if (b.checkpoint)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: `${b.kb} is a checkpoint cumulative update: later updates are built on it, so it is not removed.`,
      }
    if (b.previousUbr === null)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: `No earlier cumulative update is in the package list, so the build the PC would return to is unknown; ${b.kb} is not removed.`,
      }
    const steps = []
    if (env.hostKind === 'this-pc' && env.resumeCommand) {
      steps.push(
        step(
          's1-schedule-resume',
          'schedule-resume',
          { command: env.resumeCommand },
          'Continue after the restart',
          'Registers a RunOnce entry so Servicing Desk starts again after sign-in and checks the removal from this journal.',
          { destructive: false },
        ),
      )
    }
    steps.push(
      step(
        `s${steps.length + 1}-remove-${b.kb.toLowerCase()}`,
        'dism-remove-package',
        { identity: b.identity },
        `Remove ${b.kb} (${b.identity})`,
        `DISM /Remove-Package with the package name DISM /Get-Packages lists for ${b.kb}, as Microsoft says for a combined servicing stack and cumulative update (wusa /uninstall cannot remove it). /NoRestart: the restart is the next step.`,
      ),
    )
    steps.push(
      step(
        `s${steps.length + 1}-restart`,
        'restart',
        { delaySeconds: 0 },
        'Restart the PC to finish the removal',
        `Windows removes the package during the restart; the PC then runs ${b.build}.${b.previousUbr}. Save your work first.`,
      ),
    )
    return {
      steps,
      refused: null,
      manual: [],
      warnings: [
        `The PC returns to build ${b.build}.${b.previousUbr}: the fixes and security updates of ${b.kb} are gone until it is installed again, and Windows Update offers it again (pause updates if it must stay off).`,
        `The servicing stack update that came with ${b.kb} stays: Microsoft says it cannot be removed after installation (${REMOVE_LCU_SOURCE}).`,
        'The PC restarts at once after the removal: save open work first.',
      ],
    }
  },
  verify({ snapshot, journal }) {
    const removed = journal.plan.steps.find((s) => s.kind === 'dism-remove-package')
    const identity = String((removed?.params as { identity?: unknown } | undefined)?.identity ?? '')
    if (snapshot.packages.status !== 'known' || snapshot.os.status !== 'known')
      return { verified: false, detail: 'Re-scanned: the package list or the build could not be read.' }
    const still = snapshot.packages.value.packages.find((p) => p.identity.toLowerCase() === identity.toLowerCase())
    const ubr = snapshot.os.value.ubr
    const build = snapshot.os.value.build
    if (still)
      return { verified: false, detail: `Re-scanned: ${identity} is still in the package list (${still.state}).` }
    if (ubr === null || !(ubr < ubrOfIdentity(identity)))
      return {
        verified: false,
        detail: `Re-scanned: the package is gone but the build is ${build}.${ubr ?? '?'}, not an earlier one.`,
      }
    return {
      verified: true,
      detail: `Re-scanned: ${identity} is no longer installed and the PC runs build ${build}.${ubr}.`,
    }
  },
}
