/**
 * The whole PC is every step's precondition. A step is judged on its own finding (main/knowledge/remedy-steps.ts,
 * `Precondition`) AND on everything else the PC's state says: what it touches (`Touch`) is checked here against the
 * PC's state (`PcState`, computed once per diagnosis by main/diagnose/advice-facts.ts). One function answers for every
 * surface: `preconditionsFor(step, pc)` → allowed, why not, and the step that comes before it.
 *
 * What a careful servicing engineer checks first on a stranger's PC:
 * - Servicing mid-way (CbsRebootInProgress, a restart pending with pending.xml, TrustedInstaller running, an install
 *   still running in CBS.log): nothing stops the servicing services, renames their folders, touches the component
 *   store or removes/reverts packages; the step is to restart and let Windows finish.
 * - A good update waiting for its restart (Install Pending, no failure names it): never reverted or removed.
 * - BitLocker on without a recovery password protector (TPM only): no partition, boot-chain or Secure Boot change —
 *   a changed boot measurement asks for a key nobody has. First add a recovery password and back it up (or suspend
 *   BitLocker for one restart).
 * - Another OS's or the firmware's loader on the EFI partition (`\EFI\<not Microsoft>` holding a `.efi`): never moved.
 * - A recovery partition before C: (or not next to it): KB5028997's resize cannot grow it by shrinking C:.
 * Where the fact a check needs could not be read, the step is not offered (null is never "fine"), except that with no
 * PC at all (a code explained alone) a non-destructive step is advice in words, its condition stated beside it.
 */
import type { RepairId } from '../../preload/model/diagnosis.ts'
import type { StorageFact } from '../../preload/model/snapshot.ts'

/** What a step does to the PC, as far as the whole-PC checks care. */
export type Touch =
  /** Stops the servicing services or renames their folders (SoftwareDistribution, catroot2). */
  | 'servicing-services'
  /** Works on the component store while it runs (RestoreHealth, StartComponentCleanup, sfc, Add-Package, setup). */
  | 'component-store'
  /** Removes or reverts packages, or abandons the pending servicing transaction. */
  | 'packages'
  /** Changes partitions, the boot files/BCD or Secure Boot: what a BitLocker TPM measures. */
  | 'boot'
  /** Moves folders off the EFI partition. */
  | 'esp-folders'
  /** Grows the recovery partition by shrinking the OS partition (KB5028997). */
  | 'recovery-layout'

export interface PcState {
  /** A PC was read (a snapshot); false for a code or a pasted text alone. */
  seen: boolean
  /** Servicing is mid-way; null when nothing that would show it could be read. */
  servicingInProgress: boolean | null
  /** What shows servicing mid-way (plain words), for the reason. */
  servicingEvidence: string[]
  /** A package is Install Pending that no failure names: a good update waiting for its restart. null: packages unread. */
  pendingGoodUpdate: boolean | null
  /** The pending good updates (KB or identity), for the reason. */
  pendingGood: string[]
  /** BitLocker on the OS volume: off, on with a recovery password protector, on without one; null when unread. */
  bitlocker: 'off' | 'recovery-password' | 'no-recovery-password' | null
  /** A non-Windows \EFI folder holds a `.efi` loader (another OS's or the firmware's); null when the folders are unread. */
  foreignLoader: boolean | null
  /** Those folders' names. */
  foreignLoaders: string[]
  /** The non-Windows \EFI folders that hold no `.efi` loader: the only ones a move may take; null when unread. */
  espMovable: string[] | null
  /** Where the recovery partition lies relative to C: (null: unread). KB5028997's resize needs `after` and adjacent. */
  recoveryPosition: 'after' | 'before' | 'same' | 'other-disk' | 'unknown' | null
  recoveryAdjacent: boolean | null
  /**
   * Each service's start type as the scan read it (lower-case service name → automatic / automatic-delayed / manual /
   * disabled / other): what a start-type change puts back. null or absent: the services were not read.
   */
  serviceStartTypes?: Readonly<Record<string, string>> | null
  /** The PC's build and native architecture (a feature's source must match them); null or absent: not read. */
  build?: number | null
  arch?: string | null
}

/** Nothing read: every check that needs a fact denies a destructive step. */
export const UNKNOWN_PC: PcState = {
  seen: false,
  servicingInProgress: null,
  servicingEvidence: [],
  pendingGoodUpdate: null,
  pendingGood: [],
  bitlocker: null,
  foreignLoader: null,
  foreignLoaders: [],
  espMovable: null,
  recoveryPosition: null,
  recoveryAdjacent: null,
  serviceStartTypes: null,
  build: null,
  arch: null,
}

/** The step a denied step waits for: offered first, ranked above it. */
export interface StepBefore {
  id: 'restart-finish' | 'bitlocker-recovery-password'
  title: string
  text: string
  commands: string[]
  repair: RepairId | null
}

export interface PreconditionVerdict {
  allowed: boolean
  /** Why not (plain words), or null when allowed. */
  reason: string | null
  stepBefore?: StepBefore
}

export const RESTART_FINISH: StepBefore = {
  id: 'restart-finish',
  title: 'Restart and let the servicing in progress finish',
  text: 'Windows is in the middle of servicing. Restart the PC once and let it finish (do not switch it off while it says "Working on updates"); look again after it starts. Nothing that stops the update services, renames their folders or removes packages is done before that.',
  commands: ['%SystemRoot%\\System32\\shutdown.exe /r /t 0'],
  repair: 'restart',
}

export const BITLOCKER_RECOVERY_PASSWORD: StepBefore = {
  id: 'bitlocker-recovery-password',
  title: 'Add a BitLocker recovery password and back it up first',
  text: 'BitLocker protects C: with the TPM only: a partition, boot-file or Secure Boot change can make the PC ask for a recovery key, and there is none. Add a recovery password, save it somewhere off this PC (print it, or back it up to Entra ID / Active Directory), then look again. (Or suspend BitLocker for one restart just before the change: Suspend-BitLocker -MountPoint C: -RebootCount 1.)',
  commands: [
    'manage-bde -protectors -add C: -RecoveryPassword',
    'manage-bde -protectors -get C: -Type RecoveryPassword',
  ],
  repair: null,
}

const ok: PreconditionVerdict = { allowed: true, reason: null }
const no = (reason: string, stepBefore?: StepBefore): PreconditionVerdict => ({
  allowed: false,
  reason,
  ...(stepBefore ? { stepBefore } : {}),
})

/**
 * One step against the whole PC. `destructive`: a step that removes or rewrites state (an unreadable fact always
 * denies it); other steps are denied on an unreadable fact only when a PC was read.
 */
export function preconditionsFor(
  step: {
    touches: readonly Touch[]
    destructive: boolean
    /** The \\EFI\\<name> folders the step's own commands move (judged one by one, not only the PC as a whole). */
    espFolders?: readonly string[]
  },
  pc: PcState,
): PreconditionVerdict {
  const t = new Set(step.touches)
  const strict = step.destructive || pc.seen
  const servicing = t.has('servicing-services') || t.has('component-store') || t.has('packages')
  if (servicing) {
    if (pc.servicingInProgress === true)
      return no(
        `servicing is in progress on this PC (${pc.servicingEvidence.join('; ') || 'mid-way'}): restart and let it finish first`,
        RESTART_FINISH,
      )
    if (pc.servicingInProgress === null && strict)
      return no('whether servicing is in progress could not be read (reboot-pending checks, TrustedInstaller)')
  }
  if (t.has('packages')) {
    if (pc.pendingGoodUpdate === true)
      return no(
        `a good update waits for its restart (${pc.pendingGood.slice(0, 3).join(', ') || 'Install Pending'}): reverting or removing packages would throw it away; restart first`,
        RESTART_FINISH,
      )
    if (pc.pendingGoodUpdate === null && strict)
      return no('the package list could not be read, so whether a good update waits for its restart is unknown')
  }
  if (t.has('boot') || t.has('recovery-layout')) {
    if (pc.bitlocker === 'no-recovery-password')
      return no(
        'BitLocker protects this PC with the TPM only (no recovery password protector): a change to partitions, boot files or Secure Boot could ask for a key nobody has',
        BITLOCKER_RECOVERY_PASSWORD,
      )
    if (pc.bitlocker === null && strict)
      return no(
        "BitLocker's key protectors could not be read (Get-BitLockerVolume KeyProtector / manage-bde -protectors)",
      )
  }
  if (t.has('esp-folders')) {
    if (pc.espMovable === null) {
      if (strict) return no('which \\EFI folders hold a .efi boot loader could not be read')
    } else if (step.espFolders?.length) {
      // The folder a command names must be one the scan read as holding no .efi loader: another PC's folder list
      // allowing some move never lets \EFI\ubuntu go.
      const movable = new Set(pc.espMovable.map((n) => n.toLowerCase()))
      const not = step.espFolders.filter((n) => !movable.has(n.toLowerCase()))
      if (not.length)
        return no(
          `${not.map((n) => `\\EFI\\${n}`).join(', ')} is not a folder this PC's scan read as holding no .efi boot loader: it is never moved (another OS's or the firmware's loader would stop starting)`,
        )
    } else if (!pc.espMovable.length)
      return no(
        `every folder on the EFI partition that is not Windows' holds a boot loader (${pc.foreignLoaders.map((n) => `\\EFI\\${n}`).join(', ') || 'none listed'}): moving one would stop another OS or the firmware's tool from starting; follow Microsoft's font clean-up under \\EFI\\Microsoft\\Boot, then enlarge the partition by hand`,
      )
  }
  if (t.has('recovery-layout')) {
    if (pc.recoveryPosition !== 'after' || pc.recoveryAdjacent !== true) {
      if (pc.recoveryPosition === null && !strict) return ok
      return no(
        pc.recoveryPosition === 'before'
          ? "the recovery partition lies before C:, so shrinking C: cannot grow it (KB5028997's resize needs it right after C:)"
          : pc.recoveryPosition === null || pc.recoveryPosition === 'unknown'
            ? 'where the recovery partition lies relative to C: could not be read'
            : `the recovery partition is not right after C: (${pc.recoveryPosition}${pc.recoveryAdjacent === false ? ', not adjacent' : ''}), so KB5028997's resize does not fit this layout`,
      )
    }
  }
  return ok
}

/**
 * BitLocker on the OS volume as the checks read it, from the scan's storage fact. Protection off (suspended, or never
 * encrypted): a boot change asks for no key. On: the protectors decide, and protectors not read are unknown (null).
 */
export function bitlockerState(storage: StorageFact | null | undefined): PcState['bitlocker'] {
  const bl = storage?.bitlocker
  if (!bl || bl.protectionStatus === 'unknown') return null
  if (bl.protectionStatus === 'off') return 'off'
  if (bl.recoveryPassword == null) return null
  return bl.recoveryPassword ? 'recovery-password' : 'no-recovery-password'
}

/** The plain-words condition a step's whole-PC checks add (shown beside its own precondition). */
export function wholePcText(touches: readonly Touch[]): string | null {
  const t = new Set(touches)
  const parts: string[] = []
  if (t.has('servicing-services') || t.has('component-store') || t.has('packages'))
    parts.push(
      'no servicing in progress (no restart pending with pending.xml, TrustedInstaller not running, no install running in CBS.log)',
    )
  if (t.has('packages')) parts.push('no good update waiting for its restart')
  if (t.has('boot') || t.has('recovery-layout')) parts.push('BitLocker off or with a recovery password protector')
  if (t.has('esp-folders'))
    parts.push("only folders that hold no .efi boot loader (never another OS's or the firmware's)")
  if (t.has('recovery-layout')) parts.push('the recovery partition right after C:')
  return parts.length ? parts.join(', ') : null
}
