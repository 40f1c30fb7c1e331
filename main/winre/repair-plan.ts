/**
 * Plans the WinRE repair: every step's exact command, in the order that works, before anything runs.
 * Pure: health + snapshot + the Safe OS package in, repair out.
 *
 * Order, and why:
 * 1. `reagentc /disable` when WinRE is enabled and must be changed: it moves winre.wim off the recovery
 *    partition to C:\Windows\System32\Recovery, so deleting the partition loses nothing (KB5028997) and
 *    the image can be serviced as a file.
 * 2. The resize (KB5028997): shrink Windows by 250 MB, delete the recovery partition, create it again in
 *    the freed space with the recovery type id and GPT attributes 0x8000000000000001 (MBR: id 27), format.
 * 3. The Safe OS update on the staged winre.wim: mount, add the package, clean up with /ResetBase, unmount
 *    with /Commit (servicing-facts §4: the media-refresh pattern [S21], "disable, mount, add, clean up,
 *    unmount with commit, enable"), then read the image's version back.
 * 4. `reagentc /enable` (moves winre.wim to the recovery partition and re-seals it for BitLocker [S50]),
 *    and `reagentc /info` to confirm.
 */
import type { PcPath } from '../host/pc-path.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import type { Disk, MachineSnapshot } from '../../preload/model/snapshot.ts'
import {
  WINRE_REQUIRED_FREE_BYTES,
  type WinreFindingId,
  type WinreHealth,
  type WinreOp,
  type WinreRepair,
  type WinreRepairStep,
  type WinreResize,
  type WinreStepKind,
} from '../../preload/model/winre.ts'
import { DISKPART_SCRIPT_PATH, STAGED_WINRE_WIM, WINRE_MOUNT_DIR } from '../machine/winre-commands.ts'
import { RESIZE_MB, buildWinreStep, resizeScriptFor } from './step-builder.ts'
import {
  BITLOCKER_RECOVERY_PASSWORD,
  UNKNOWN_PC,
  bitlockerState,
  preconditionsFor,
} from '../knowledge/preconditions.ts'

const MB = 1024 * 1024
export { RESIZE_MB }
/** Windows must keep this much free after the shrink (our margin, not Microsoft's). */
const OS_FREE_MARGIN = 1024 * MB
const RECOVERY_GPT_TYPE = 'de94bba4-06d1-4d40-a16a-bfd50179d6ac'

export interface SafeOsPackage {
  kb: string
  fileName: string
  path: string
  source: 'local-catalog' | 'download-cache' | 'by-name'
  /** Independent hashes and size (the Catalog's); the runner re-hashes the file right before adding it. */
  sha1?: string | null
  sha256?: string | null
  sizeBytes?: number | null
}

export interface RepairRequest {
  id: string
  createdAt: string
  ref: MachineRef | null
  health: WinreHealth
  snapshot: MachineSnapshot
  /** The Safe OS update file for the branch, when one was found (null: no Safe OS step). */
  safeOsPackage: SafeOsPackage | null
  /** Whether the app runs with administrator rights on that machine (null: unknown). */
  elevated: boolean | null
  /** How the machine names this computer's package file (host/pc-path.ts). */
  pcPath?: PcPath
}

/** The KB5028997 diskpart script for this disk. */
export function resizeScript(disk: Disk, osPartition: number, recoveryPartition: number): string[] {
  return resizeScriptFor(resizeOf(disk, osPartition, recoveryPartition))
}

function resizeOf(disk: Disk, osPartition: number, recoveryPartition: number): WinreResize {
  return { disk: disk.number, osPartition, recoveryPartition, gpt: disk.partitionStyle === 'GPT' }
}

/** The disk as the resize will leave it (for the picture shown before anything runs). */
export function predictResizedLayout(disk: Disk, osPartition: number, recoveryPartition: number): Disk {
  const after: Disk = structuredClone(disk)
  const os = after.partitions.find((p) => p.partitionNumber === osPartition)
  const rec = after.partitions.find((p) => p.partitionNumber === recoveryPartition)
  if (!os || !rec) return after
  const shrink = RESIZE_MB * MB
  os.sizeBytes -= shrink
  if (os.freeBytes !== null) os.freeBytes -= shrink
  rec.offsetBytes -= shrink
  rec.sizeBytes += shrink
  if (rec.freeBytes !== null) rec.freeBytes += shrink
  rec.type = disk.partitionStyle === 'GPT' ? RECOVERY_GPT_TYPE : '0x27'
  return after
}

export function planWinreRepair(req: RepairRequest): WinreRepair {
  const { health, snapshot } = req
  const fact = health.winre
  const base: Omit<WinreRepair, 'steps' | 'refused'> = {
    id: req.id,
    createdAt: req.createdAt,
    machine: { ref: req.ref, name: health.machine.name },
    addresses: [],
    warnings: [],
    manual: [],
    layoutBefore: fact?.disk ?? null,
    layoutAfter: null,
    safeOsPackage: null,
    expected: { status: 'enabled', version: fact?.version ?? null, minFreeBytes: WINRE_REQUIRED_FREE_BYTES },
    notes: [],
  }
  if (!fact)
    return {
      ...base,
      steps: [],
      refused: `The recovery environment could not be inspected: ${health.unreadableReason ?? 'unknown reason'}.`,
    }
  if (req.ref?.kind === 'snapshot')
    base.notes.push('This is a snapshot of another PC: the repair is shown for reading; run it on that PC.')

  const has = (id: WinreFindingId) => health.findings.some((f) => f.id === id)
  const steps: WinreRepairStep[] = []
  let n = 0
  // Each step is intent (op, resize numbers); its command is the builder's (step-builder.ts), stored for people.
  const add = (
    op: WinreOp,
    kind: WinreStepKind,
    forFinding: WinreFindingId,
    title: string,
    explanation: string,
    opts: { destructive?: boolean; resize?: WinreResize } = {},
  ) => {
    const id = `s${++n}-${op}`
    const resize = opts.resize ?? null
    const built = buildWinreStep({ safeOsPackage: req.safeOsPackage }, { id, op, resize }, req.pcPath)
    steps.push({
      id,
      title,
      explanation,
      kind,
      forFinding,
      op,
      resize,
      command: built.command,
      successExitCodes: built.successExitCodes,
      restartExitCodes: [],
      dependsOn: steps.length ? [steps[steps.length - 1].id] : [],
      destructive: opts.destructive ?? true,
      packages: [],
      kbs: [],
    })
    if (!base.addresses.includes(forFinding)) base.addresses.push(forFinding)
  }

  if (has('image-missing')) {
    base.manual.push({
      title: 'Restore winre.wim from installation media',
      detail: health.findings.find((f) => f.id === 'image-missing')!.detail,
    })
    return {
      ...base,
      steps: [],
      refused:
        'winre.wim is missing: it must be restored from installation media of the same build before anything else (see the manual step).',
    }
  }

  // Can Microsoft's resize be applied here?
  const rp = fact.recoveryPartition
  const os = fact.osPartition
  const disk = fact.disk
  let resize = false
  if (has('partition-too-small') && rp && os && disk) {
    const why: string[] = []
    // The layout and BitLocker are judged by the same rule as diagnose's (main/knowledge/preconditions.ts): the two
    // never disagree on whether the resize fits this PC.
    const gate = preconditionsFor(
      { touches: ['recovery-layout', 'boot'], destructive: true },
      {
        ...UNKNOWN_PC,
        seen: true,
        bitlocker: bitlockerState(snapshot.storage.status === 'known' ? snapshot.storage.value : null),
        recoveryPosition: rp.position,
        recoveryAdjacent: rp.adjacentToOs,
      },
    )
    if (!gate.allowed && gate.reason) why.push(gate.reason)
    if (disk.partitionStyle !== 'GPT' && disk.partitionStyle !== 'MBR')
      why.push(`the disk's partition style is ${disk.partitionStyle}`)
    if (os.freeBytes !== null && os.freeBytes < RESIZE_MB * MB + OS_FREE_MARGIN)
      why.push(`Windows has only ${Math.round(os.freeBytes / MB)} MB free`)
    if (gate.stepBefore?.id === BITLOCKER_RECOVERY_PASSWORD.id)
      base.manual.push({
        title: BITLOCKER_RECOVERY_PASSWORD.title,
        detail: `${BITLOCKER_RECOVERY_PASSWORD.text} Commands: ${BITLOCKER_RECOVERY_PASSWORD.commands.join(' ; ')}`,
      })
    if (why.length)
      base.manual.push({
        title: 'Make room in the recovery partition by hand',
        detail: `Microsoft's KB5028997 resize does not fit this PC: ${why.join('; ')}. Free space must be made next to the recovery partition first (or WinRE moved), which this app does not do automatically.`,
      })
    else resize = true
  }
  const stale = has('stale') && health.expected.kb !== null && health.expected.version !== null
  let safeOs = false
  if (stale) {
    if (req.safeOsPackage) {
      safeOs = true
      base.safeOsPackage = req.safeOsPackage
    } else
      base.manual.push({
        title: `Get ${health.expected.kb}`,
        detail: `No file of ${health.expected.kb} (Safe OS Dynamic Update) is downloaded for this PC. Download it from the Microsoft Update Catalog (servicing-desk catalog) and plan again.`,
      })
  }
  const enabled = fact.status === 'enabled'
  let needDisable = enabled && (resize || safeOs)
  let needEnable = needDisable || fact.status === 'disabled'
  // `reagentc /enable` puts WinRE on a recovery partition after Windows that has room for it, else on C:
  // (C:\Recovery\WindowsRE): off the recovery partition, outside what BitLocker's recovery flow expects, and using
  // Windows' space. The app never lets that happen as a side effect: a plan whose enable could land there leaves the
  // enable (and the disable before it) out and says so, with the commands for a person who decides to accept it.
  const landsOnC = !needEnable
    ? null
    : !rp
      ? 'there is no recovery partition after Windows'
      : rp.position === 'same'
        ? null
        : rp.position !== 'after'
          ? rp.position === 'before'
            ? `the recovery partition (partition ${rp.partition}) lies before the Windows partition, and reagentc /enable only uses one after it`
            : `the recovery partition's place relative to Windows is ${rp.position}`
          : has('partition-too-small') && !resize
            ? `the recovery partition has ${rp.freeBytes === null ? 'an unknown amount' : `${Math.round(rp.freeBytes / MB)} MB`} free and cannot be resized here`
            : has('partition-too-small') && !enabled
              ? `WinRE is disabled and its recovery partition has ${rp.freeBytes === null ? 'an unknown amount' : `${Math.round(rp.freeBytes / MB)} MB`} free: whether winre.wim fits even after the resize is not known`
              : null
  if (landsOnC) {
    // Enabled WinRE is left where it is (nothing disabled); a disabled one may still be serviced as the file it is.
    needEnable = false
    if (enabled) {
      needDisable = false
      resize = false
      safeOs = false
    }
    base.manual.push({
      title: 'WinRE would move to the Windows partition (C:): not done without you',
      detail: `${landsOnC}, so reagentc /enable would place WinRE on C: (C:\\Recovery\\WindowsRE) instead of a recovery partition. Servicing Desk does not move WinRE there. If you accept WinRE on C:, run by hand as administrator: ${enabled ? '%SystemRoot%\\System32\\reagentc.exe /disable, then ' : ''}%SystemRoot%\\System32\\reagentc.exe /enable, and check %SystemRoot%\\System32\\reagentc.exe /info (it names the partition WinRE now lives on). Otherwise make room on a recovery partition after Windows first (KB5028997) and look again.`,
    })
  }

  if (needDisable) {
    add(
      'reagentc-disable',
      'reagentc',
      resize ? 'partition-too-small' : 'stale',
      'Disable WinRE',
      'Moves winre.wim from the recovery partition to C:\\Windows\\System32\\Recovery, so the partition can be recreated and the image serviced as a file. Nothing is lost: the image travels with it.',
    )
  }
  if (resize && rp && os && disk) {
    const script = resizeScript(disk, os.partition, rp.partition)
    base.layoutAfter = predictResizedLayout(disk, os.partition, rp.partition)
    add(
      'write-diskpart-script',
      'script',
      'partition-too-small',
      'Write the diskpart script',
      `Writes ${DISKPART_SCRIPT_PATH} with Microsoft's KB5028997 commands:\n${script.join('\n')}`,
      { destructive: false, resize: resizeOf(disk, os.partition, rp.partition) },
    )
    add(
      'diskpart',
      'diskpart',
      'partition-too-small',
      `Resize: Windows −${RESIZE_MB} MB, recovery partition +${RESIZE_MB} MB`,
      `Runs the script: shrinks the Windows partition ${os.partition} by ${RESIZE_MB} MB, deletes recovery partition ${rp.partition} and creates it again in the freed space (${Math.round((rp.sizeBytes + RESIZE_MB * MB) / MB)} MB), with the recovery type and GPT attributes 0x8000000000000001, formatted NTFS "Windows RE tools". This is the step that changes partitions.`,
    )
    base.warnings.push(
      'Back up your data before the resize: diskpart changes partitions, and a power cut in the middle can leave the disk unbootable.',
    )
  }
  if (safeOs && req.safeOsPackage) {
    const pkg = req.safeOsPackage
    add(
      'create-work-dir',
      'script',
      'stale',
      'Create the mount folder',
      `Creates ${WINRE_MOUNT_DIR}, the empty folder DISM mounts winre.wim into.`,
      { destructive: false },
    )
    add(
      'dism-mount-image',
      'mount-image',
      'stale',
      'Mount winre.wim',
      `Mounts index 1 of ${STAGED_WINRE_WIM} (WinRE is disabled, so its image is a file on C:).`,
    )
    add(
      'dism-add-package',
      'add-package',
      'stale',
      `Add ${pkg.kb} (Safe OS Dynamic Update)`,
      `Adds ${pkg.fileName} to the mounted WinRE image; it raises WinRE to ${health.expected.version}${health.expected.verified === false ? ' (target version unverified)' : ''}. Only the Safe OS update goes into WinRE, never the cumulative update [S21].`,
    )
    steps[steps.length - 1].kbs = [pkg.kb]
    add(
      'dism-cleanup-image',
      'cleanup-image',
      'stale',
      'Clean up the image',
      'Removes superseded components (/ResetBase) so the image stays small enough for the recovery partition.',
    )
    add(
      'dism-unmount-image',
      'unmount-image',
      'stale',
      'Unmount and commit',
      `Saves the serviced image back to ${STAGED_WINRE_WIM}.`,
    )
    add(
      'dism-get-imageinfo',
      'check',
      'stale',
      'Read the new WinRE version',
      'Reads Version and ServicePack Build of the committed image, to confirm the update took.',
      { destructive: false },
    )
    base.expected.version = health.expected.version
  }
  if (needEnable) {
    add(
      'reagentc-enable',
      'reagentc',
      fact.status === 'disabled' ? 'disabled' : resize ? 'partition-too-small' : 'stale',
      'Enable WinRE',
      'Moves winre.wim to the recovery partition and registers it in the boot configuration; with BitLocker this also re-seals WinRE to the TPM [S50].',
    )
    add(
      'reagentc-info',
      'check',
      fact.status === 'disabled' ? 'disabled' : resize ? 'partition-too-small' : 'stale',
      'Confirm with reagentc /info',
      'Shows "Windows RE status: Enabled" and the partition WinRE now lives on.',
      { destructive: false },
    )
  }

  if (steps.length && fact.bitlocker?.protectionStatus === 'on') {
    base.warnings.unshift(
      `BitLocker is on for ${snapshot.storage.status === 'known' ? snapshot.storage.value.systemDrive.letter : 'C'}:. Have the recovery key at hand before you start (%SystemRoot%\\System32\\manage-bde.exe -protectors -get C:, or aka.ms/myrecoverykey): changing WinRE and partitions can make the PC ask for it at the next start.`,
    )
  }
  if (steps.length)
    base.warnings.push('Keep the PC on AC power and do not restart it until the last step has finished.')
  if (health.expected.verified === false && safeOs)
    base.notes.push(
      `The expected version ${health.expected.version} comes from an unverified source; the verification compares against it.`,
    )

  let refused: string | null = null
  if (steps.length && req.elevated === false)
    refused = 'reagentc, DISM and diskpart need administrator rights: start Servicing Desk as administrator.'
  // WinRE that will not boot after the PCA 2011 revocation is fixed by the Secure Boot certificate update, not by a
  // WinRE repair: said so, never "nothing to repair" beside that warning.
  const bootManager = health.findings.find((f) => f.id === 'boot-after-revocation' && f.severity !== 'info')
  if (steps.length === 0 && base.manual.length === 0) {
    base.notes.push(
      bootManager
        ? `WinRE itself needs no repair here, but ${bootManager.title.charAt(0).toLowerCase()}${bootManager.title.slice(1)}: its boot manager is replaced by the repair "Start Windows' Secure Boot certificate update" (offered with the other repairs).`
        : 'Nothing to repair: WinRE is enabled, has room and is current (or its version cannot be judged).',
    )
  }
  return { ...base, steps: refused ? [] : steps, refused }
}
