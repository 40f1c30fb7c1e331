/**
 * `restart`: finishes the servicing work that waits for a restart (Install Pending packages, CBS
 * RebootPending, WU RebootRequired; servicing-facts §7), so installs stop failing with CBS_E_PENDING
 * (0x800F0806). On a real PC a RunOnce entry first makes the app continue the journal after sign-in.
 * Verified by a re-scan: no reboot flag and no package waiting for a restart.
 */
import type { RepairDefinition } from '../types.ts'
import { step } from '../types.ts'
import { restartStillNeeded } from '../step-names.ts'

export const restartRepair: RepairDefinition = {
  id: 'restart',
  kinds: ['schedule-resume', 'restart'],
  title: 'Restart the PC to finish pending servicing',
  summary:
    'Restarts Windows so the updates waiting for a restart finish installing, then checks that nothing waits any more.',
  offer({ snapshot, findings }) {
    if (snapshot.reboot.status !== 'known') return null
    const left = restartStillNeeded(snapshot)
    if (left === null) return null
    const f = findings.find((x) => x.id === 'pending-restart')
    // The finding's plain title; the reboot flags' names are its evidence, not words for the offer.
    return { reason: f ? `${f.title}.` : `${left[0]!.toUpperCase()}${left.slice(1)}.` }
  },
  plan({ env, ref, choices }) {
    const delay = choices?.restartInSeconds ?? 0
    if (ref.kind === 'snapshot')
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'A snapshot from another PC is read-only: restart that PC there.',
      }
    const steps = []
    if (env.hostKind === 'this-pc' && env.resumeCommand) {
      steps.push(
        step(
          's1-schedule-resume',
          'schedule-resume',
          { command: env.resumeCommand },
          'Continue after the restart',
          'Registers a RunOnce entry so Servicing Desk starts again after sign-in and checks the restart from this journal.',
          { destructive: false },
        ),
      )
    }
    const when =
      delay === 0
        ? 'at once'
        : `in ${Math.round(delay / 60)} minute${Math.round(delay / 60) === 1 ? '' : 's'} (shutdown /t ${delay}; \`shutdown /a\` cancels it)`
    steps.push(
      step(
        `s${steps.length + 1}-restart`,
        'restart',
        { delaySeconds: delay },
        delay === 0 ? 'Restart the PC' : `Restart the PC ${when.split(' (')[0]}`,
        `Windows completes the staged packages during the restart and clears the pending flags. Save your work first: the PC restarts ${when}.`,
      ),
    )
    return {
      steps,
      refused: null,
      manual: [],
      warnings:
        env.hostKind === 'this-pc'
          ? [
              `The PC restarts ${delay === 0 ? 'at once' : `in ${Math.round(delay / 60)} min`}: save open work first. ${env.resumeCommand ? 'Servicing Desk continues after you sign in.' : 'After the restart, scan the PC again to check it.'}`,
            ]
          : delay > 0
            ? ['A training machine restarts at once: the chosen delay applies on a real PC.']
            : [],
    }
  },
  verify({ snapshot }) {
    const left = restartStillNeeded(snapshot)
    return left === null
      ? { verified: true, detail: 'Re-scanned: no restart is pending and no package waits for a restart.' }
      : { verified: false, detail: `Re-scanned: ${left}.` }
  },
}
