/**
 * `secure-boot-update`: starts Windows' own Secure Boot certificate update (Microsoft's 2011 → 2023 move) the way the
 * knowledge's `start-update` fact says (main/knowledge/data/boot-chain.json; KB5068202, KB5085046): set AvailableUpdates
 * to 0x5944 under HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot (the 2023 CAs, the KEK and the new boot manager:
 * `servicing-registry`), run the scheduled task \Microsoft\Windows\PI\Secure-Boot-Update, restart. Nothing here writes
 * a UEFI variable: Windows' task does.
 *
 * Offered for the findings `secure-boot-2023-missing` / `boot-manager-2011` only where it can work: Secure Boot is on,
 * Windows has not finished (UEFICA2023Status is not Updated), and the firmware has not refused or blocked the update
 * (TPM-WMI events 1795/1796 the firmware returned an error, 1802 a known firmware issue, 1803 no PK-signed KEK:
 * `events`) — there only the manufacturer's firmware helps. With event 1032 (BitLocker would ask for its recovery key)
 * the plan is refused until BitLocker is suspended by hand.
 * Verified by a re-scan as the knowledge says: UEFICA2023Status Updated and event 1808 ("this device has updated
 * Secure Boot CA/keys") in the System log.
 */
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { RepairDefinition } from '../types.ts'
import { step } from '../types.ts'
import { SECURE_BOOT_ALL_UPDATES, SECURE_BOOT_KEY, SECURE_BOOT_TASK } from '../step-names.ts'
import { secureBootUpdateBlocked as blockedOn } from '../../diagnose/rules/secure-boot.ts'
import { bootFact } from '../../diagnose/rules/boot-chain-facts.ts'

const FINDINGS = ['secure-boot-2023-missing', 'boot-manager-2011']

function bootChain(s: MachineSnapshot) {
  return s.bootChain?.status === 'known' ? s.bootChain.value : null
}

/** Why the update cannot work on this PC now (null: it can); the rule's test, so the finding's Fix-it button and this offer agree. */
export function secureBootUpdateBlocked(s: MachineSnapshot): string | null {
  return blockedOn(bootChain(s))
}

export const secureBootUpdateRepair: RepairDefinition = {
  id: 'secure-boot-update',
  kinds: ['secure-boot-available-updates', 'secure-boot-task-run', 'schedule-resume', 'restart'],
  title: "Start Windows' Secure Boot certificate update",
  summary:
    'Sets AvailableUpdates to 0x5944, runs the Secure-Boot-Update task, restarts, and checks that Windows reports the 2023 certificates as updated (event 1808).',
  offer({ snapshot, findings }) {
    const f = findings.find((x) => FINDINGS.includes(x.id) && x.state !== 'past')
    if (!f || secureBootUpdateBlocked(snapshot) !== null) return null
    return { reason: `${f.title}.` }
  },
  plan({ snapshot, ref, env }) {
    if (ref.kind === 'snapshot')
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'A snapshot from another PC is read-only: run the repair on that PC.',
      }
    const blocked = secureBootUpdateBlocked(snapshot)
    if (blocked) return { steps: [], warnings: [], manual: [], refused: `The update cannot work here: ${blocked}.` }
    if (bootChain(snapshot)!.events.some((e) => e.id === 1032)) {
      return {
        steps: [],
        warnings: [],
        refused:
          'Event 1032 says the BitLocker configuration would trigger recovery: suspend BitLocker for two restarts first, then plan again.',
        manual: [
          {
            title: 'Suspend BitLocker for two restarts',
            detail: 'From an elevated prompt; BitLocker resumes by itself after the second restart.',
            commands: ['manage-bde -protectors -disable %systemdrive% -RebootCount 2'],
          },
        ],
      }
    }
    const steps = [
      step(
        's1-available-updates',
        'secure-boot-available-updates',
        { value: SECURE_BOOT_ALL_UPDATES },
        'Ask Windows for the 2023 Secure Boot certificates (AvailableUpdates 0x5944)',
        `reg add ${SECURE_BOOT_KEY} /v AvailableUpdates /t REG_DWORD /d 0x5944 /f: the value Windows' servicing reads; 0x5944 asks for all of it (the 2023 CAs in db, the 2023 KEK and the boot manager signed by Windows UEFI CA 2023).`,
      ),
      step(
        's2-run-task',
        'secure-boot-task-run',
        {},
        'Run the Secure-Boot-Update task',
        `schtasks /Run /TN ${SECURE_BOOT_TASK}: Windows' own task applies what AvailableUpdates asks for (UEFICA2023Status goes from NotStarted to InProgress). It writes the firmware's Secure Boot variables itself; this app never does.`,
      ),
    ]
    if (env.hostKind === 'this-pc' && env.resumeCommand) {
      steps.push(
        step(
          's3-schedule-resume',
          'schedule-resume',
          { command: env.resumeCommand },
          'Continue after the restart',
          'Registers a RunOnce entry so Servicing Desk starts again after sign-in and checks the update from this journal.',
          { destructive: false },
        ),
      )
    }
    steps.push(
      step(
        `s${steps.length + 1}-restart`,
        'restart',
        { delaySeconds: 0 },
        'Restart the PC to finish the update',
        'The new boot manager is put in place and the update finishes at the restart (UEFICA2023Status Updated, event 1808). Save your work first.',
      ),
    )
    return {
      steps,
      refused: null,
      manual: [],
      warnings: [
        ...(snapshot.storage.status === 'known' && snapshot.storage.value.bitlocker.protectionStatus === 'on'
          ? [
              'BitLocker is on: have the recovery key at hand (%SystemRoot%\\System32\\manage-bde.exe -protectors -get C:, or aka.ms/myrecoverykey) in case the PC asks for it after the restart.',
            ]
          : []),
        'The PC restarts at once after the task: save open work first. Windows may ask for a second restart to finish.',
        // The knowledge marks the task's path unverified: say so where the person confirms the run.
        ...(() => {
          const f = bootFact('start-update')
          return f.verified
            ? []
            : [
                `The task's path (${SECURE_BOOT_TASK}) is not confirmed on a Microsoft page we could read: ${f.reason} If schtasks says the task does not exist, nothing changed.`,
              ]
        })(),
      ],
    }
  },
  verify({ snapshot }) {
    const b = bootChain(snapshot)
    if (!b) return { verified: false, detail: 'Re-scanned: the boot chain could not be read.' }
    const status = b.servicing.uefiCa2023Status ?? '(not set)'
    const has1808 = b.events.some((e) => e.id === 1808)
    if (/^updated$/i.test(status) && has1808)
      return {
        verified: true,
        detail: `Re-scanned: UEFICA2023Status is Updated and the System log has event 1808 (this device has updated Secure Boot CA/keys); Windows UEFI CA 2023 is ${b.db.windowsUefiCa2023 ? 'in db' : 'not reported in db'}.`,
      }
    return {
      verified: false,
      detail: `Re-scanned: UEFICA2023Status is ${status}${has1808 ? '' : ' and event 1808 is not in the System log'}${/inprogress/i.test(status) ? ' (Windows may need another restart to finish)' : ''}.`,
    }
  },
}
