/**
 * Every remedy step states when it is safe: the one registry of step kinds, each with its intent,
 * risk (read-only / reversible / destructive), precondition over the evidence's facts, what it undoes, how to undo
 * it, and Microsoft's page where Microsoft documents it.
 *
 * A step is recognised by its command (whichever rule or knowledge entry wrote the remedy), or declared for a remedy
 * without a command (the pending.xml / COMPONENTS-hive edit, the recovery-partition resize). `adviseRemedies` is the
 * gate every surface's remedies pass through (explain, diagnose, the report, the screens): a destructive step whose
 * precondition the facts do not hold is withheld — its commands and repair leave the remedy, which keeps only its
 * read-only steps and says what was left out and when it would be offered — and remedies with destructive steps
 * come after the safe ones. Safety comes from construction: a new rule cannot print `/RevertPendingActions` without
 * the precondition, because the command itself is what the gate recognises.
 */
import type { Remedy, RemedyStep, RepairId, StepRisk } from '../../preload/model/diagnosis.ts'
import {
  preconditionsFor,
  wholePcText,
  UNKNOWN_PC,
  type PcState,
  type PreconditionVerdict,
  type StepBefore,
  type Touch,
} from './preconditions.ts'

/** What the evidence shows, as the preconditions read it (main/diagnose/advice-facts.ts computes it from a diagnosis' input). */
export interface AdviceFacts {
  /**
   * Failure codes this PC's own records or logs show as a failed servicing operation: never a code only typed, a
   * success code, a cancelled run, a code seen only on routine (noise) lines, or one whose log tells of an install
   * that completed and waits for a restart.
   */
  failed: ReadonlySet<string>
  /** Failure codes recorded at least twice (a retry, after a restart, failed the same way). */
  failedAgain: ReadonlySet<string>
  /** `%windir%\WinSxS\pending.xml` exists (reboot-pending checks). */
  pendingXml: boolean
  /** DISM lists packages Staged, Install Pending or Uninstall Pending. */
  pendingPackages: boolean
  /** CBS.log shows the Task Scheduler advanced installer failing on `\Microsoft\Windows\PI\SecureBootEncodeUEFI`. */
  taskCacheCorrupt: boolean
  /** The cumulative update the PC runs could not be uninstalled the usual way (0x80242004) and its package is listed. */
  lcuUninstallBlocked: boolean
  /** The scan measured under 15 MB free on the EFI system partition and listed its folders that are not Windows'. */
  espFull: boolean
  /** The scan measured the recovery partition below the 250 MB free a WinRE update needs. */
  recoveryTooSmall: boolean
  /** Everything else the PC's state says (main/knowledge/preconditions.ts): every step is judged on the whole PC too. */
  pc: PcState
}

/** Facts of a code alone (explain, or diagnose with only a code): no evidence, so no destructive step. */
export const NO_EVIDENCE: AdviceFacts = {
  failed: new Set(),
  failedAgain: new Set(),
  pendingXml: false,
  pendingPackages: false,
  taskCacheCorrupt: false,
  lcuUninstallBlocked: false,
  espFull: false,
  recoveryTooSmall: false,
  pc: UNKNOWN_PC,
}

export interface Precondition {
  /** Plain words, shown beside the step. */
  text: string
  /** Whether the step may run on these facts; `commands` are the step's own lines (the service or feature they name). */
  holds(f: AdviceFacts, commands: readonly string[]): boolean
}

const ALWAYS: Precondition = { text: 'always', holds: () => true }
/** A step no remedy may offer: a person plans it by hand, with a backup, on the PC in front of them. */
const NEVER = (what: string): Precondition => ({ text: `never from a remedy: ${what}`, holds: () => false })

/** Servicing failures that leave work pending (CBS_E_PENDING family, ERROR_FAIL_REBOOT_REQUIRED, installers rolled back). */
export const PENDING_FAILURES = ['0x800F0806', '0x800F0826', '0x800F082F', '0x80070BC9', '0x800F0922'] as const
/** Windows Update's own working data failed (WU_E_UH_INVALIDMETADATA, CRYPT_E_FILE_ERROR): Microsoft's reset fixes these. */
export const WU_DATA_FAILURES = ['0x80092003', '0x80242006'] as const

const anyOf = (set: ReadonlySet<string>, codes: readonly string[]) => codes.some((c) => set.has(c))

const MS = {
  common:
    'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/common-windows-update-errors',
  wuReset:
    'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/additional-resources-for-windows-update',
  task0922:
    'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/error-0x800f0922-installing-windows-updates',
  pending2359302:
    'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/error-2359302-installing-windows-updates',
  removeLcu: 'https://learn.microsoft.com/windows/deployment/update/media-dynamic-update',
  srp: 'https://support.microsoft.com/en-us/topic/-we-couldn-t-update-system-reserved-partition-error-installing-windows-10-46865f3f-37bb-4c51-c69f-07271b6672ac',
  winreResize:
    'https://support.microsoft.com/topic/kb5028997-instructions-to-manually-resize-your-partition-to-install-the-winre-update-400faa27-9343-461c-ada9-24c8229763bf',
  fix947821:
    'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/fix-windows-update-errors',
} as const

export interface StepKind {
  id: string
  intent: string
  risk: StepRisk
  precondition: Precondition
  undoes?: string
  undo?: string
  /** The undo for these lines on this PC, where the PC's state names it (the start type read before the change). */
  undoOn?: (commands: readonly string[], f: AdviceFacts) => string | null
  source?: string
  /** Recognises the step by a command (raw or as shown, e.g. `%SystemRoot%\System32\Dism.exe …`). */
  matches?: RegExp
  /**
   * `matches` as its alternatives, each with the words one of which it needs (anyOfParts): a command is tried only
   * against the alternatives it may match. The whole of `read`'s pattern (20 programs behind the System32 prefix) cost
   * ~26 M instructions to compile and ~24 M more when V8 compiled it again to machine code on its second use, once per
   * start; one alternative ~1 M.
   */
  parts?: readonly PatternPart[]
  /**
   * Lower-case words one of which every command `matches` accepts contains: a command with none is not tried against
   * the pattern, so the patterns a command cannot match are never compiled (explain's start; the test
   * remedy-steps-needs checks each list against its pattern on every command the knowledge holds).
   */
  needs?: readonly string[]
  /** What the step does to the PC that the whole-PC checks read (main/knowledge/preconditions.ts). */
  touches?: readonly Touch[]
  /** Recognises the step named in a remedy's words (not a command): advice in words passes the same gate. */
  words?: RegExp
}

/**
 * A System32 program at the start of a line, as a line names it: bare (`sc`), by its System32 path (`%SystemRoot%\…`,
 * `%windir%\…`, `C:\Windows\…`) or as PowerShell calls it (`& "$env:SystemRoot\System32\sc.exe"`). A program
 * anywhere else (`C:\Users\Public\sc.exe`) is not the one a kind knows.
 */
const SYS = String.raw`^(?:&\s*)?"?(?:(?:%SystemRoot%|%windir%|\$env:SystemRoot|\$env:windir|[A-Za-z]:\\Windows)\\System32\\)?`
const program = (names: string, rest: string) => new RegExp(`${SYS}(?:${names})(?:\\.exe)?"?${rest}`, 'i')

/** One alternative of a kind's pattern and the lower-case words one of which every command it accepts contains. */
export interface PatternPart {
  needs: readonly string[]
  re: RegExp
}

/**
 * A kind's pattern made of alternatives (`matches`, `needs` and `parts` of a StepKind): `matches` accepts a command
 * when one of the alternatives does, each case-insensitive; `needs` is all their words. A part is its pattern with
 * the `i` flag, so testing the parts one by one answers as `matches` does (no part refers to another's group).
 */
const anyOfParts = (...parts: readonly (readonly [needs: readonly string[], re: RegExp])[]) => ({
  matches: new RegExp(parts.map(([, r]) => `(?:${r.source})`).join('|'), 'i'),
  needs: [...new Set(parts.flatMap(([needs]) => needs))],
  parts: parts.map(([needs, r]) => ({ needs, re: r.flags === 'i' ? r : new RegExp(r.source, 'i') })),
})

/** `sc config <name> start= <type>` and Set-Service -StartupType: the services a line names. */
export function servicesNamed(commands: readonly string[]): string[] {
  const out: string[] = []
  for (const c of commands) {
    const m =
      /\bsc(?:\.exe)?"?\s+(?:config|qc)\s+"?([\w.-]+)/i.exec(c) ?? /\bSet-Service\b.*?-Name\s+"?([\w.-]+)/i.exec(c)
    if (m && !out.includes(m[1]!.toLowerCase())) out.push(m[1]!.toLowerCase())
  }
  return out
}

/** sc.exe's word for a start type as the scan reads it (learn.microsoft.com windows-commands/sc-config: start=). */
const SC_START: Record<string, string> = {
  automatic: 'auto',
  'automatic-delayed': 'delayed-auto',
  manual: 'demand',
  disabled: 'disabled',
}

/** The features a line enables (DISM /FeatureName:, Add-WindowsCapability -Name, Enable-WindowsOptionalFeature -FeatureName). */
function featuresNamed(commands: readonly string[]): { dism: string[]; capability: string[] } {
  const dism: string[] = []
  const capability: string[] = []
  for (const c of commands) {
    for (const m of c.matchAll(/\/FeatureName:("?)([^\s"]+)\1/gi)) dism.push(m[2]!)
    const f = /\bEnable-WindowsOptionalFeature\b.*?-FeatureName\s+"?([^\s"]+)/i.exec(c)
    if (f) dism.push(f[1]!)
    const cap = /\bAdd-WindowsCapability\b.*?-Name\s+"?([^\s"]+)/i.exec(c)
    if (cap) capability.push(cap[1]!)
  }
  return { dism, capability }
}

/**
 * The registry. Order matters: the first kind whose pattern matches a command is the command's kind, so the
 * destructive kinds come first.
 */
export const STEP_KINDS: readonly StepKind[] = [
  {
    id: 'remove-package',
    risk: 'destructive',
    intent: 'Remove an update package with DISM /Remove-Package',
    precondition: {
      text: "DISM lists this PC's packages as Staged or Install Pending and either a servicing failure that leaves work pending came back after a retry or CBS.log names the corrupted SecureBootEncodeUEFI task (Microsoft's 0x800F0922 fix); or its cumulative update could not be uninstalled the usual way (0x80242004)",
      holds: (f) =>
        (f.pendingPackages && (anyOf(f.failedAgain, PENDING_FAILURES) || f.taskCacheCorrupt)) || f.lcuUninstallBlocked,
    },
    undoes:
      'the update is uninstalled (a staged package is dropped; an installed cumulative update takes the PC back to the previous build)',
    undo: 'install the same update again from Windows Update or the Microsoft Update Catalog',
    source: MS.task0922,
    matches: /\/Remove-Package\b|Remove-WindowsPackage\b/i,
    needs: ['remove-package', 'remove-windowspackage'],
    touches: ['packages'],
  },
  {
    id: 'revert-pending',
    risk: 'destructive',
    intent: 'Revert the pending servicing actions (DISM /Cleanup-Image /RevertPendingActions, from WinRE)',
    precondition: {
      text: "a servicing failure that leaves work pending (0x800F0806, 0x800F0826, 0x80070BC9, 0x800F0922) is in this PC's own records and came back after a retry, and pending work is there (pending.xml, or packages waiting for a restart)",
      holds: (f) =>
        anyOf(f.failed, PENDING_FAILURES) &&
        anyOf(f.failedAgain, PENDING_FAILURES) &&
        (f.pendingXml || f.pendingPackages),
    },
    undoes: 'every update and feature change waiting for the restart is rolled back, not only the stuck one',
    undo: 'install the rolled-back updates again (Windows Update or the Microsoft Update Catalog) after the PC starts normally',
    source: MS.common,
    matches: /\/RevertPendingActions\b/i,
    needs: ['/revertpendingactions'],
    touches: ['packages'],
  },
  {
    id: 'pending-xml',
    risk: 'destructive',
    intent:
      'Rename WinSxS\\pending.xml and remove PendingXmlIdentifier / ExecutionState from the offline COMPONENTS hive (by hand, from WinRE)',
    precondition: {
      text: '0x80070BC9 failed on this PC and again after a retry, pending.xml is there, and reverting the pending actions was tried first — Microsoft prescribes this edit only for 0x80070BC9, after the other fixes',
      holds: (f) => f.failed.has('0x80070BC9') && f.failedAgain.has('0x80070BC9') && f.pendingXml,
    },
    undoes:
      'the pending servicing transaction is abandoned: the updates it would finish are left half-applied until installed again',
    undo: 'rename pending.xml back and restore the COMPONENTS hive from the copy saved before the edit (reg save first)',
    source: MS.common,
    matches: /pending\.xml|\\COMPONENTS\b|PendingXmlIdentifier/i,
    needs: ['pending.xml', '\\components', 'pendingxmlidentifier'],
    touches: ['packages'],
  },
  {
    id: 'wu-folders',
    risk: 'destructive',
    intent:
      "Rename Windows Update's working folders as Microsoft's manual procedure does: %SystemRoot%\\SoftwareDistribution\\DataStore, \\SoftwareDistribution\\Download and \\System32\\catroot2 (never the whole SoftwareDistribution), with the services stopped and started again even if a rename fails",
    precondition: {
      text: "Windows Update's own working data failed on this PC: 0x80092003 or 0x80242006 in its history or logs",
      holds: (f) => anyOf(f.failed, WU_DATA_FAILURES),
    },
    undoes:
      "Windows Update's database (history and scan state), downloaded updates and catalog database are set aside; Windows builds new ones and downloads again",
    undo: 'stop wuauserv, bits and cryptsvc, rename the new folders aside and the kept <name>.sd-<date> folders back, start the services',
    source: MS.wuReset,
    matches: /SoftwareDistribution|catroot2/i,
    needs: ['softwaredistribution', 'catroot2'],
    touches: ['servicing-services'],
  },
  {
    // The app's own reset (main/repair/definitions/reset-wu-components.ts): the same three folders, kept under a stamp.
    id: 'wu-folders-app',
    risk: 'destructive',
    intent:
      "Rename %SystemRoot%\\SoftwareDistribution\\DataStore, \\SoftwareDistribution\\Download and \\System32\\catroot2 to <name>.sd-<date> (Microsoft's list; a folder already under that name is never overwritten; a failed rename starts the services again)",
    precondition: {
      text: "Windows Update's own working data failed on this PC: 0x80092003 or 0x80242006 in its history or logs",
      holds: (f) => anyOf(f.failed, WU_DATA_FAILURES),
    },
    undoes:
      "Windows Update's database (history and scan state), downloaded updates and catalog database are set aside; Windows builds new ones",
    undo: 'stop wuauserv, bits and cryptsvc, rename the new folders aside and the kept <name>.sd-<date> folders back, start the services',
    source: MS.wuReset,
    touches: ['servicing-services'],
  },
  {
    // Microsoft's own way to free the EFI partition ("We couldn't update system reserved partition"): the boot
    // manager's fonts under \\EFI\\Microsoft\\Boot\\Fonts (it falls back to its built-in font). Moved aside, never deleted:
    // robocopy Y:\EFI\Microsoft\Boot\Fonts C:\ProgramData\ServicingDesk\esp-moved\Microsoft-Boot-Fonts /E /MOVE /COPY:DAT
    id: 'efi-fonts',
    risk: 'destructive',
    intent:
      "Move the boot manager's fonts (\\EFI\\Microsoft\\Boot\\Fonts) off the EFI system partition, as Microsoft's procedure frees space",
    precondition: {
      text: "the scan measured under 15 MB free on this PC's EFI system partition",
      holds: (f) => f.espFull,
    },
    undoes: 'Windows Boot Manager shows its menus in its built-in font',
    undo: 'move the Fonts folder back with the same robocopy command reversed (it is kept, never deleted)',
    source: MS.srp,
    matches: /\\EFI\\Microsoft\\Boot\\Fonts\b/i,
    needs: ['\\efi\\microsoft\\boot\\fonts'],
  },
  {
    id: 'efi-move',
    risk: 'destructive',
    intent: "Move folders that are not Windows' off the EFI system partition",
    precondition: {
      text: "the scan measured under 15 MB free on this PC's EFI system partition and listed which of its folders are not Windows' and hold no .efi boot loader",
      holds: (f) => f.espFull,
    },
    undoes: 'the moved boot loaders and vendor tools no longer start from the EFI partition',
    undo: 'move the folder back with the same robocopy command reversed (it is kept, never deleted)',
    source: MS.srp,
    matches: /robocopy\s+\S*\\EFI\\|Y:\\EFI\\.*\/MOVE/i,
    needs: ['robocopy', 'y:\\efi\\'],
    touches: ['esp-folders'],
  },
  {
    id: 'partition-resize',
    risk: 'destructive',
    intent:
      'Resize the recovery partition (reagentc /disable, diskpart: shrink Windows, recreate the recovery partition)',
    precondition: {
      text: "the scan measured this PC's recovery partition below the 250 MB free a WinRE update needs",
      holds: (f) => f.recoveryTooSmall,
    },
    undoes: 'the partition layout changes; a power cut in the middle can leave the disk unbootable (back up first)',
    undo: 'not undoable as such: restore from the backup taken before; WinRE is enabled again with reagentc /enable',
    source: MS.winreResize,
    matches: /\bdiskpart\b|reagentc(\.exe)?\s+\/disable\b/i,
    needs: ['diskpart', 'reagentc'],
    touches: ['recovery-layout', 'boot'],
  },
  {
    id: 'task-cache',
    risk: 'destructive',
    intent: "Delete the corrupted SecureBootEncodeUEFI task's TaskCache entries",
    precondition: {
      text: 'CBS.log on this PC shows the Task Scheduler installer failing on \\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI',
      holds: (f) => f.taskCacheCorrupt,
    },
    undoes: "the scheduled task's registration is deleted (Windows recreates it with the update)",
    undo: 'reg export the two keys before deleting them; reg import restores them',
    source: MS.task0922,
    matches: /\breg(\.exe)?\s+delete\b.*TaskCache/i,
    needs: ['taskcache'],
    touches: ['component-store'],
  },
  {
    id: 'registry-delete',
    risk: 'destructive',
    intent: 'Delete a registry key or value',
    precondition: {
      text: 'never from a remedy: no precondition is declared for this registry edit',
      holds: () => false,
    },
    undoes: 'the key or value is gone',
    undo: 'reg export it first; reg import restores it',
    matches: /\breg(\.exe)?\s+delete\b|Remove-Item(Property)?\b.*HKLM/i,
    needs: ['delete', 'hklm'],
  },
  {
    // The put-back of a moved EFI folder, or any copy onto the EFI partition: by hand only, after checking it has room.
    // e.g. robocopy C:\ProgramData\ServicingDesk\esp-moved\HP S:\EFI\HP /E /MOVE
    id: 'efi-write',
    risk: 'destructive',
    intent: 'Copy or move files onto the EFI system partition',
    precondition: NEVER('a person puts files back on the EFI partition by hand, after checking it has room for them'),
    undoes: 'the EFI partition fills again; a loader put back may start before Windows',
    undo: 'move the files off again',
    matches: /\b(robocopy|xcopy|copy|move|Move-Item|Copy-Item)(\.exe)?\b.*\s"?[A-Za-z]:\\EFI\\/i,
    needs: ['robocopy', 'xcopy', 'copy', 'move'],
    touches: ['boot'],
  },
  {
    // e.g. bcdboot C:\Windows /s S: /f UEFI; bcdedit /delete {guid}
    id: 'boot-files',
    risk: 'destructive',
    intent: 'Rebuild or edit the boot files and boot configuration (bcdboot, bcdedit, bootrec)',
    precondition: {
      text: "the scan measured this PC's EFI system partition full and it is enlarged by hand (bcdboot rebuilds its files there)",
      holds: (f) => f.espFull,
    },
    undoes:
      'the boot configuration (BCD) and the boot files are rewritten: other entries and loaders may no longer start',
    undo: 'export the BCD first (bcdedit /export C:\\BCD-backup); bcdedit /import restores it',
    source: MS.srp,
    matches:
      /\bbcdboot(\.exe)?\b|\bbcdedit(\.exe)?\s+\/(delete|deletevalue|set|create|copy|import|default|displayorder|bootsequence|toolsdisplayorder)\b|\bbootrec(\.exe)?\b|\bbootsect(\.exe)?\b/i,
    needs: ['bcdboot', 'bcdedit', 'bootrec', 'bootsect'],
    touches: ['boot'],
    words: /\bbcdboot\b|\bbootrec\b|\bbootsect\b|\bbcdedit\s+\/(delete|set|create|import)\b/i,
  },
  {
    // e.g. Remove-Partition -DiskNumber 0 -PartitionNumber 4; format S: /fs:FAT32
    id: 'partition',
    risk: 'destructive',
    intent: 'Create, delete, resize or format a partition',
    precondition: NEVER('a person plans partition changes by hand, with a full backup'),
    undoes: "the partition layout or a volume's files change; data on a deleted or formatted partition is gone",
    undo: 'not undoable: restore from the backup taken before',
    matches:
      /\bformat(\.com)?\s+"?[A-Za-z]:|\b(Remove|Resize|New|Set)-Partition\b|\b(Initialize|Clear)-Disk\b|\bFormat-Volume\b/i,
    needs: ['format', '-partition', '-disk'],
    touches: ['boot'],
    words: /\bformat\s+[A-Za-z]:|\b(Remove|Resize|New)-Partition\b|\bFormat-Volume\b/i,
  },
  {
    // Microsoft's WinRE update: the image mounted with reagentc /mountre, serviced offline, committed. Changes WinRE only.
    // e.g. DISM /Image:C:\mount /Add-Package /PackagePath:C:\Users\me\Downloads\KB5034957.cab
    id: 'winre-image',
    risk: 'irreversible',
    intent: 'Service the WinRE image (mounted with reagentc /mountre, committed with /unmountre /commit)',
    precondition: ALWAYS,
    undoes: 'the WinRE image is replaced by the serviced one',
    undo: 'none by the user: WinRE is rebuilt from installation media of the same build',
    matches: /reagentc(\.exe)?\s+\/(mountre|unmountre)\b|\/Image:C:\\mount\b/i,
    needs: ['reagentc', '/image:c:\\mount'],
  },
  {
    // e.g. DISM /Online /Cleanup-Image /StartComponentCleanup /ResetBase
    id: 'reset-base',
    risk: 'destructive',
    intent: 'Remove every superseded component for good (DISM /StartComponentCleanup /ResetBase)',
    precondition: NEVER('after /ResetBase no installed update can be uninstalled'),
    undoes: 'the installed updates can no longer be uninstalled',
    undo: 'not undoable',
    matches: /\/ResetBase\b/i,
    needs: ['/resetbase'],
    touches: ['component-store'],
    words: /\/ResetBase\b/i,
  },
  {
    // e.g. wusa /uninstall /kb:5034441
    id: 'wusa-uninstall',
    risk: 'destructive',
    intent: 'Uninstall an update with wusa /uninstall',
    precondition: NEVER(
      'an update is uninstalled only where its own finding offers removing it (DISM /Remove-Package, with its precondition)',
    ),
    undoes: 'the update is uninstalled',
    undo: 'install the same update again',
    matches: /\bwusa(\.exe)?\b.*\/uninstall\b/i,
    needs: ['wusa'],
    touches: ['packages'],
    words: /\bwusa(\.exe)?\s+\/uninstall\b/i,
  },
  {
    // e.g. reg add HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f
    id: 'secure-boot',
    risk: 'destructive',
    intent: "Start Windows' Secure Boot certificate update (AvailableUpdates, the Secure-Boot-Update task)",
    precondition: {
      text: 'the boot-chain scan shows the 2023 Secure Boot certificates missing and no firmware refusal',
      holds: () => true,
    },
    undoes:
      "the firmware's Secure Boot databases (db, KEK) and the boot manager change; they cannot be taken back from Windows",
    undo: "none by the user: a firmware reset to factory keys is the PC maker's procedure",
    source: 'https://support.microsoft.com/topic/kb5068202',
    matches:
      /\breg(\.exe)?\s+add\b.*\\SecureBoot\b|schtasks(\.exe)?\s+\/Run\b.*Secure-Boot-Update|Start-ScheduledTask\b.*Secure-Boot-Update|Set-ItemProperty\b.*\\SecureBoot\b/i,
    needs: ['secureboot', 'secure-boot-update'],
    touches: ['boot'],
  },
  {
    // e.g. manage-bde -protectors -add C: -RecoveryPassword
    id: 'bitlocker-protector',
    risk: 'reversible',
    intent: 'Add a BitLocker recovery password and back it up (or suspend BitLocker for one restart)',
    precondition: ALWAYS,
    undoes: 'a new recovery password protector (or protection suspended until the next restart)',
    undo: 'manage-bde -protectors -delete C: -id <its id> (a suspension ends by itself after the restart)',
    source:
      'https://learn.microsoft.com/windows/security/operating-system-security/data-protection/bitlocker/recovery-overview',
    matches:
      /manage-bde(\.exe)?\s+-protectors\s+-(add|disable|enable|delete|adbackup|aadbackup)\b|\b(Add|Backup|BackupToAAD)-BitLockerKeyProtector\b|\b(Suspend|Resume)-BitLocker\b/i,
    needs: ['manage-bde', 'bitlocker'],
  },
  {
    id: 'restart',
    risk: 'irreversible',
    intent: 'Restart the PC',
    precondition: ALWAYS,
    undoes: 'the PC restarts: pending servicing work is finished (or rolled back by Windows)',
    undo: 'none: a restart cannot be taken back',
    matches: /\bshutdown(\.exe)?\s+\/r\b|\bRestart-Computer\b/i,
    needs: ['shutdown', 'restart-computer'],
  },
  {
    id: 'service-stop',
    risk: 'reversible',
    intent: 'Stop the Windows Update services',
    precondition: ALWAYS,
    undoes: 'the services are stopped until started again',
    undo: 'Start-Service -Name wuauserv, bits, cryptsvc, msiserver',
    matches: /\bStop-Service\b|\bnet(\.exe)?\s+stop\b|\bsc(\.exe)?\s+stop\b/i,
    needs: ['stop'],
    touches: ['servicing-services'],
  },
  {
    // e.g. Start-Service -Name wuauserv
    id: 'service-start',
    risk: 'reversible',
    intent: 'Start the Windows Update services',
    precondition: ALWAYS,
    undoes: 'the services run',
    undo: 'Stop-Service',
    matches: /^\S*(Start-Service\b|net(\.exe)?\s+start\b)/i,
    needs: ['start'],
  },
  {
    id: 'restore-health',
    risk: 'irreversible',
    intent: 'Repair the component store and system files (DISM /RestoreHealth, sfc /scannow)',
    precondition: ALWAYS,
    undoes: 'damaged system files and store components are replaced',
    undo: 'none by the user: the replaced files are not kept',
    matches: /\/RestoreHealth\b|\bsfc(\.exe)?\s+\/scannow\b|\bRepair-WindowsImage\b/i,
    needs: ['/restorehealth', 'sfc', 'repair-windowsimage'],
    touches: ['component-store'],
  },
  {
    id: 'component-cleanup',
    risk: 'irreversible',
    intent: "Free space: Disk Cleanup and the component store's cleanup",
    precondition: ALWAYS,
    undoes: 'temporary files and superseded components are deleted',
    undo: 'none: deleted files are not kept',
    matches: /\/StartComponentCleanup\b|\bcleanmgr(\.exe)?\b/i,
    needs: ['/startcomponentcleanup', 'cleanmgr'],
    touches: ['component-store'],
  },
  {
    id: 'add-package',
    risk: 'irreversible',
    intent: 'Install an update or upgrade Windows',
    precondition: ALWAYS,
    undoes: 'the update is installed',
    undo: 'none by the user in general (some updates can be uninstalled; a checkpoint update cannot)',
    matches:
      /\/Add-Package\b|\bAdd-WindowsPackage\b|\bwusa(\.exe)?\s+\S+\.msu\b|\bservicing-desk\s+install\b|\bsetup(\.exe)?\s+\/auto\b/i,
    needs: ['add-package', 'add-windowspackage', 'wusa', 'install', 'setup'],
    touches: ['component-store'],
  },
  {
    id: 'winre-enable',
    risk: 'reversible',
    intent: 'Turn WinRE on (reagentc /enable)',
    precondition: ALWAYS,
    undoes: 'WinRE is registered in the boot configuration again',
    undo: 'reagentc /disable',
    matches: /reagentc(\.exe)?\s+\/enable\b/i,
    needs: ['reagentc'],
  },
  {
    // e.g. mountvol Y: /s
    id: 'mount',
    risk: 'reversible',
    intent: 'Give the EFI system partition a drive letter, or remove it again',
    precondition: ALWAYS,
    undoes: 'a drive letter',
    undo: 'mountvol <letter>: /d',
    matches: /^\S*mountvol(\.exe)?\s+[A-Za-z]:\s+\/[sd]\s*$/i,
    needs: ['mountvol'],
  },
  {
    // e.g. mkdir C:\mount
    id: 'folder',
    risk: 'reversible',
    intent: 'Make (or remove an empty) working folder',
    precondition: ALWAYS,
    undoes: 'an empty folder',
    undo: 'remove it (or make it) again',
    matches:
      /^(\S*cmd(\.exe)?\s+\/c\s+if\s+not\s+exist\s+\S+\s+)?\S*(mkdir|md|rmdir|rd)(\.exe)?\s+"?[A-Za-z]:\\[^\s/"]*"?\s*$/i,
    needs: ['mkdir', 'md', 'rmdir', 'rd'],
  },
  {
    // Microsoft's fix when sysprep fails on an app installed for one user (the setup log names the package).
    // e.g. Remove-AppxProvisionedPackage -Online -PackageName <name>
    id: 'appx-remove',
    risk: 'irreversible',
    intent: 'Remove an app package that stops sysprep',
    precondition: ALWAYS,
    undoes: 'the app is removed for the user (or from the image)',
    undo: 'install the app again from the Microsoft Store',
    matches: /\bRemove-Appx(Provisioned)?Package\b/i,
    needs: ['remove-appx'],
  },
  {
    // e.g. 'icacls C:\ProgramData\ServicingDesk /setowner *S-1-5-32-544 /T /C /L /Q'
    id: 'app-folder-acl',
    risk: 'irreversible',
    intent: "Make the app's own folder one only administrators can change",
    precondition: ALWAYS,
    undoes: "the folder's owner and permissions are set",
    undo: "none needed: the folder is the app's own",
    matches: /^\S*icacls(\.exe)?\s+"?C:\\ProgramData\\ServicingDesk\b\S*"?\s+\/\w+/i,
    needs: ['icacls'],
  },
  {
    // Microsoft's fix for a disabled update service: its default start type again. e.g. sc config wuauserv start= demand
    id: 'service-start-type',
    risk: 'reversible',
    intent: "Set an update service's start type back to its default (sc config <name> start= …)",
    precondition: {
      text: "the service's current start type was read first — this PC's scan lists it, or sc qc <name> is run before and its START_TYPE noted — so it can be put back",
      // On a PC that was read, each service the lines name must be one whose start type the scan read; advice with no
      // PC has its sc qc line before the change.
      holds: (f, commands) => {
        if (!f.pc.seen) return true
        const types = f.pc.serviceStartTypes
        const named = servicesNamed(commands)
        return !!types && named.length > 0 && named.every((n) => types[n] !== undefined)
      },
    },
    undoes: "the service's start type (a disabled service may start again)",
    undo: 'sc config <name> start= <the START_TYPE sc qc showed before> (AUTO_START auto, DEMAND_START demand, DISABLED disabled)',
    undoOn: (commands, f) => {
      const types = f.pc.serviceStartTypes
      if (!types) return null
      const lines = servicesNamed(commands).flatMap((n) =>
        types[n] && SC_START[types[n]] ? [`sc config ${n} start= ${SC_START[types[n]]}`] : [],
      )
      return lines.length ? `${lines.join('; ')} (the start types this PC's scan read)` : null
    },
    source: 'https://learn.microsoft.com/windows-server/administration/windows-commands/sc-config',
    ...anyOfParts(
      [['config'], program('sc', String.raw`\s+config\s+"?[\w.-]+"?\s+start=\s*(demand|auto|delayed-auto)\s*$`)],
      [
        ['set-service'],
        /^Set-Service\s+-Name\s+"?[\w.-]+"?\s+-StartupType\s+(Manual|Automatic|AutomaticDelayedStart)\s*$/,
      ],
    ),
  },
  {
    // .NET 3.5 or a Feature on Demand from the installation media (KB2734782; "Features on Demand and language packs").
    // e.g. DISM /Online /Enable-Feature /FeatureName:NetFx3 /All /LimitAccess /Source:D:\sources\sxs
    id: 'feature-enable',
    risk: 'reversible',
    intent: 'Enable an optional feature (or add a Feature on Demand) from a source of the same build and architecture',
    precondition: {
      text: "the source exists (Test-Path) and is the installation or Features on Demand media of this PC's own build and architecture (DISM /Get-WimInfo shows the same Version and Architecture); and this PC's build and architecture were read",
      holds: (f) => !f.pc.seen || (f.pc.build != null && f.pc.arch != null),
    },
    undoes: "the feature is installed from the source's files",
    undo: 'DISM /Online /Disable-Feature /FeatureName:<name> (a capability: Remove-WindowsCapability -Online -Name <name>)',
    undoOn: (commands) => {
      const { dism, capability } = featuresNamed(commands)
      const lines = [
        ...dism.map((n) => `DISM /Online /Disable-Feature /FeatureName:${n}`),
        ...capability.filter((n) => !n.startsWith('<')).map((n) => `Remove-WindowsCapability -Online -Name ${n}`),
      ]
      return lines.length ? lines.join('; ') : null
    },
    source:
      'https://learn.microsoft.com/troubleshoot/windows-client/application-management/dotnet-framework-35-installation-error',
    ...anyOfParts(
      [
        ['enable-feature'],
        program(
          'dism',
          String.raw`\s+\/Online\s+\/Enable-Feature\s+\/FeatureName:\S+(\s+\/All)?(\s+\/LimitAccess)?\s+\/Source:\S+(\s+\/LimitAccess)?\s*$`,
        ),
      ],
      [
        ['add-windowscapability'],
        /^Add-WindowsCapability\s+-Online\s+-Name\s+\S+\s+-Source\s+("[^"]*"|<[^<>]+>|\S+)(\s+-LimitAccess)?\s*$/,
      ],
      [
        ['enable-windowsoptionalfeature'],
        /^Enable-WindowsOptionalFeature\s+-Online\s+-FeatureName\s+\S+(\s+-All)?\s+-Source\s+("[^"]*"|<[^<>]+>|\S+)(\s+-LimitAccess)?\s*$/,
      ],
    ),
    touches: ['component-store'],
  },
  {
    // e.g. gpupdate /force (after the policy that lets optional features come from Windows Update is set)
    id: 'policy-refresh',
    risk: 'irreversible',
    intent: 'Apply Group Policy again now (gpupdate /force)',
    precondition: ALWAYS,
    undoes: 'every policy setting is applied again now: settings changed since the last refresh take effect at once',
    undo: 'none: a refresh cannot be taken back (change the policy setting itself, then refresh again)',
    source: 'https://learn.microsoft.com/windows-server/administration/windows-commands/gpupdate',
    matches: program('gpupdate', String.raw`(\s+\/(force|target:(computer|user)))*\s*$`),
    needs: ['gpupdate'],
  },
  {
    id: 'read',
    risk: 'read-only',
    intent: "Read the PC's state",
    precondition: ALWAYS,
    // Reads only, each anchored to its program: a line that merely mentions /Get-Packages or "reg query" is no read.
    ...anyOfParts(
      [['findstr'], program('findstr', String.raw`\s+\/i\b`)],
      [['reagentc'], program('reagentc', String.raw`\s+\/info\b`)],
      [
        ['dism'],
        program(
          'dism',
          String.raw`(\s+\/(English|Online|Image:\S+|Format:\w+))*\s+\/(Get-Packages|Get-PackageInfo|Get-Features|Get-FeatureInfo|Get-Capabilities|Get-ImageInfo|Get-WimInfo|Cleanup-Image\s+\/(ScanHealth|CheckHealth|AnalyzeComponentStore))\b`,
        ),
      ],
      [['query'], program('reg', String.raw`\s+query\b`)],
      [['get-'], /^Get-[A-Za-z]+(?=\s|$)/],
      [['test-path'], /^Test-Path(?=\s|$)/],
      // Secure Boot's state, True or False (Confirm-SecureBootUEFI takes no parameter that changes anything).
      [['confirm-securebootuefi'], /^Confirm-SecureBootUEFI\s*$/],
      [['dir'], /^dir(?=\s|$)/],
      [['icacls'], program('icacls', String.raw`\s+\S+\s*$`)],
      [['nslookup', 'ping'], program('nslookup|ping', String.raw`\s`)],
      [['netsh'], program('netsh', String.raw`\s+winhttp\s+show\b`)],
      [['bitsadmin'], program('bitsadmin', String.raw`\s+\/list\b`)],
      [['setupdiag'], /^(?:\S*\\)?SetupDiag(?:\.exe)?(?=\s|$)/],
      [['bcdedit'], program('bcdedit', String.raw`\s+\/enum\b`)],
      [['manage-bde'], program('manage-bde', String.raw`\s+-(status\b|protectors\s+-get\b)`)],
      // The licence as the Software Licensing service reports it (slmgr.vbs /dli, /dlv, /xpr display only).
      [
        ['slmgr'],
        program(
          'cscript',
          String.raw`(\s+\/\/nologo)?\s+"?(?:(?:%SystemRoot%|%windir%|[A-Za-z]:\\Windows)\\System32\\)?slmgr\.vbs"?\s+\/(dli|dlv|xpr)\b`,
        ),
      ],
      // A service's configuration and state (sc qc, sc query).
      [['qc', 'query'], program('sc', String.raw`\s+(qc|query|queryex)\b`)],
      // chkdsk without parameters "displays only the status of the volume and does not fix any errors".
      [['chkdsk'], program('chkdsk', String.raw`\s+[A-Za-z]:\s*$`)],
    ),
  },
] as const

/**
 * The step kind for a command that no pattern names: destructive until classified (deny by default). A command the
 * registry does not know is never offered; a new remedy's command gets its kind here first.
 */
const OTHER: StepKind = {
  id: 'unclassified',
  risk: 'destructive',
  intent: 'Run a command Servicing Desk has not classified',
  precondition: NEVER('a command with no known kind is treated as destructive until it is classified'),
  undoes: 'unknown: the command is not classified',
  undo: 'unknown',
  touches: ['servicing-services', 'packages', 'boot'],
}

/** Steps declared for a remedy that has no command for them (shown as words, gated like the others). */
const DECLARED: Record<string, string[]> = {
  R8: ['pending-xml'],
  R9: ['partition-resize'],
}

/** The step each of the app's own repairs is (main/repair definitions, main/winre, main/install): every one is gated. */
export const REPAIR_KINDS: Partial<Record<RepairId, string>> = {
  'remove-package': 'remove-package',
  'reset-wu-components': 'wu-folders-app',
  'free-esp-space': 'efi-move',
  'winre-resize': 'partition-resize',
  'secure-boot-update': 'secure-boot',
  restart: 'restart',
  'restore-health': 'restore-health',
  'install-update': 'add-package',
  'install-checkpoint': 'add-package',
  'winre-enable': 'winre-enable',
  'winre-update': 'winre-image',
}

export function stepKind(id: string): StepKind | null {
  return STEP_KINDS.find((k) => k.id === id) ?? (id === OTHER.id ? OTHER : null)
}

/**
 * Answers by their text (bounded): every diagnosis classifies the same few hundred commands and remedy texts again
 * (a fifth of the advice gate's CPU in the property test over 2,000 PC states), and the kinds and their patterns
 * (none with the `g` flag, so a test leaves no state behind) never change while running.
 */
const MEMO_MAX = 4096
function remembered<T>(memo: Map<string, T>, text: string, answer: (text: string) => T): T {
  const hit = memo.get(text)
  if (hit !== undefined) return hit
  const made = answer(text)
  if (text.length <= 4096) {
    if (memo.size >= MEMO_MAX) memo.clear()
    memo.set(text, made)
  }
  return made
}
const kindsOfCommands = new Map<string, StepKind>()
const kindsInWords = new Map<string, readonly StepKind[]>()

/**
 * Whether kind `k`'s pattern accepts `text` (`lower` is its lower case): only the patterns (or alternatives) whose
 * words the text holds are tried, so only those are ever compiled.
 */
function accepts(k: StepKind, text: string, lower: string): boolean {
  if (k.matches === undefined || !(k.needs?.some((w) => lower.includes(w)) ?? true)) return false
  return k.parts ? k.parts.some((p) => p.needs.some((w) => lower.includes(w)) && p.re.test(text)) : k.matches.test(text)
}

/** The kind of one simple command (no chain, no group): the first kind whose pattern matches it. */
export function kindOfPart(command: string): StepKind {
  const line = command.trim()
  const lower = line.toLowerCase()
  return STEP_KINDS.find((k) => accepts(k, line, lower)) ?? OTHER
}

const RISK_RANK: Record<StepRisk, number> = { 'read-only': 0, reversible: 1, irreversible: 2, destructive: 3 }

/**
 * The kind of one command line (raw or as shown), by its most dangerous part: a line that chains commands (`a; b`,
 * `a && b`, `a | b`, `cmd /c …`, a script block, a `$( )` inside a string) is judged on every command it runs, and
 * a part of no known kind — or a line whose parts cannot be read — makes the whole line unclassified (deny by default):
 * `Get-Item x; Remove-Item y` is no read.
 */
export function kindOfCommand(command: string): StepKind {
  return remembered(kindsOfCommands, command, kindOfCommandOnce)
}

function kindOfCommandOnce(command: string): StepKind {
  const parts = commandParts(command)
  if (!parts?.length) return parts ? kindOfPart(command) : OTHER
  let worst: StepKind | null = null
  for (const p of parts) {
    const k = kindOfPart(p)
    if (k === OTHER) return OTHER
    if (!worst || RISK_RANK[k.risk] > RISK_RANK[worst.risk]) worst = k
  }
  return worst!
}

/** Pipeline stages that only shape what the command before them read (their script blocks are parts of their own). */
const SHAPING =
  /^(Where-Object|ForEach-Object|Select-Object|Sort-Object|Format-(List|Table|Wide)|Measure-Object|Group-Object|Out-String|Select-String|ConvertTo-(Json|Csv))\b|^[?%]\s*\{/i

/**
 * The simple commands a line runs, or null when it cannot be read with certainty (unbalanced quotes or brackets, a
 * redirection into a file, cmd's ^ or PowerShell's ` escape outside quotes, a method call or static member, a
 * here-string, an encoded command). The separators of both shells are cut at (`;` `&&` `||` `|` `&`, a line break);
 * a group — `( )`, `$( )`, `@( )`, a script block `{ }`, a `$( )` inside double quotes — is replaced by `()` in its
 * command and its own commands are parts too; a hashtable `@{ }` holds only `name = value` data; `cmd /c <line>` and
 * `if [not] exist <path> <line>` are the line they run; pure expressions (`$_.Name -eq 'x'`, a literal) run nothing.
 */
export function commandParts(line: string): string[] | null {
  const out: string[] = []
  return readSequence(line, out) ? out : null
}

function readSequence(text: string, out: string[]): boolean {
  let cur = ''
  const segments: string[] = []
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i]!
    if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) return false
      cur += text.slice(i, end + 1)
      i = end + 1
      continue
    }
    if (c === '"') {
      let j = i + 1
      let body = ''
      for (; j < n && text[j] !== '"'; j++) {
        if (text[j] === '`') return false
        if (text[j] === '$' && text[j + 1] === '(') {
          const end = closing(text, j + 1)
          if (end < 0) return false
          if (!readSequence(text.slice(j + 2, end), out)) return false
          body += '$()'
          j = end
          continue
        }
        body += text[j]
      }
      if (j >= n) return false
      cur += `"${body}"`
      i = j + 1
      continue
    }
    if (c === '<') {
      // A value to fill in (`<index>`), as fill-in lines write it; any other < is cmd's input redirection.
      const m = /^<[A-Za-z][^<>]*>/.exec(text.slice(i))
      if (!m) return false
      cur += m[0]
      i += m[0].length
      continue
    }
    if (c === '`' || c === '^') return false
    if (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'")) return false
    if (c === '>') {
      // Only the redirections that write nowhere: 2>&1, >$null, >nul.
      const m = /^>>?\s*(\$null|nul)\b|^>&[12]/i.exec(text.slice(i))
      if (!m) return false
      cur = cur.replace(/[12*]$/, '')
      i += m[0].length
      continue
    }
    if (c === '(' || c === '{' || c === '[') {
      const end = closing(text, i)
      if (end < 0) return false
      const inner = text.slice(i + 1, end)
      const hashtable = c === '{' && cur.endsWith('@')
      if (c === '{' && /^[\w-]+$/.test(inner)) {
        // A boot entry's identifier ({current}, a GUID): text, not a script block.
        cur += text.slice(i, end + 1)
      } else if (c === '[') {
        // A type literal: its static members run code ([IO.File]::Delete).
        if (text.slice(end + 1, end + 3) === '::') return false
        cur += text.slice(i, end + 1)
      } else if (hashtable) {
        if (!readHashtable(inner, out)) return false
        cur += '{}'
      } else {
        if (!readSequence(inner, out)) return false
        cur += c === '(' ? '()' : '{}'
      }
      // A method called on the group's value: (Get-Item x).Delete().
      if (/^\.\w+\s*\(/.test(text.slice(end + 1))) return false
      i = end + 1
      continue
    }
    if (c === ')' || c === '}' || c === ']') return false
    const two = text.slice(i, i + 2)
    if (two === '&&' || two === '||') {
      segments.push(cur)
      cur = ''
      i += 2
      continue
    }
    if (c === ';' || c === '|' || c === '\n' || c === '\r') {
      segments.push(cur)
      cur = ''
      i++
      continue
    }
    if (c === '&') {
      // PowerShell's call operator starts a command; anywhere else it is cmd's "and then".
      if (cur.trim() === '') {
        cur += c
        i++
        continue
      }
      segments.push(cur)
      cur = ''
      i++
      continue
    }
    cur += c
    i++
  }
  segments.push(cur)
  for (const seg of segments) if (!readSimple(seg.trim(), out)) return false
  return true
}

/** The index of the bracket that closes the one at `at` (quotes and nesting respected), or -1. */
function closing(text: string, at: number): number {
  const open = text[at]!
  const close = open === '(' ? ')' : open === '{' ? '}' : ']'
  let depth = 0
  for (let i = at; i < text.length; i++) {
    const c = text[i]!
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1)
      if (end < 0) return -1
      i = end
    } else if (c === open) depth++
    else if (c === close && --depth === 0) return i
  }
  return -1
}

/** A hashtable's entries: `name = value`, each value data (a group in it is read as commands). */
function readHashtable(inner: string, out: string[]): boolean {
  for (const entry of splitTop(inner, /[;\n]/)) {
    const e = entry.trim()
    if (!e) continue
    const m = /^['"]?[\w-]+['"]?\s*=\s*([\s\S]+)$/.exec(e)
    if (!m || !readSequence(m[1]!, out)) return false
  }
  return true
}

/** `text` cut at the separators outside quotes and brackets. */
function splitTop(text: string, sep: RegExp): string[] {
  const parts: string[] = []
  let cur = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === "'" || c === '"' || c === '(' || c === '{' || c === '[') {
      const end = c === "'" || c === '"' ? text.indexOf(c, i + 1) : closing(text, i)
      if (end < 0) return [text]
      cur += text.slice(i, end + 1)
      i = end
    } else if (sep.test(c)) {
      parts.push(cur)
      cur = ''
    } else cur += c
  }
  parts.push(cur)
  return parts
}

/** One simple command (groups already taken out), pushed to `out`; false when it cannot be read. */
function readSimple(seg: string, out: string[]): boolean {
  if (!seg) return true
  // cmd /c <line> (or /k): the line it runs; its own quotes around the whole line are cmd's.
  const cmd = /^\S*\bcmd(\.exe)?"?\s+\/[ck]\s+([\s\S]*)$/i.exec(seg)
  if (cmd) {
    const rest = cmd[2]!.trim()
    // The media plan's `cmd.exe /c if not exist DIR mkdir DIR` is a kind of its own.
    if (kindOfPart(seg).id === 'folder') {
      out.push(seg)
      return true
    }
    return readSequence(/^"[^"]*"$/.test(rest) ? rest.slice(1, -1) : rest, out)
  }
  // PowerShell's own statements around blocks (try { } finally { }, if ( ) { } else { }): their groups are parts already.
  if (/^(?:(?:try|finally|else|catch(?:\s*\[[\w.]+\])?|(?:if|elseif|foreach|while)\s*\(\))\s*\{\}\s*)+$/i.test(seg))
    return true
  const cond = /^if\s+(not\s+)?exist\s+("[^"]*"|\S+)\s+([\s\S]+)$/i.exec(seg)
  if (cond) return readSimple(cond[3]!.trim(), out)
  if (seg.startsWith('$') || /^['"\d(]/.test(seg) || seg === '{}' || seg === '()') {
    // An assignment to a plain variable: the value is what runs.
    const assign = /^\$\w+\s*=\s*([\s\S]+)$/.exec(seg)
    if (assign) return readSimple(assign[1]!.trim(), out)
    // A pure expression (a variable, a property, a comparison, a literal) runs nothing; a method call, a provider
    // variable (${C:\x}) or an assignment does.
    return !/=(?!=)|\.\w+\s*\(|::|\$\{/.test(seg.replace(/-(eq|ne|gt|ge|lt|le)\b/gi, ''))
  }
  // A stage that only shapes what came before it runs nothing; any other command (`& "…"` included) is a part.
  if (SHAPING.test(seg)) return true
  out.push(seg)
  return true
}

/** The destructive step kinds a text names in words (a remedy's text, an analyzer's advice). */
export function kindsNamedIn(text: string): StepKind[] {
  return [...remembered(kindsInWords, text, (t) => STEP_KINDS.filter((k) => k.words?.test(t) === true))]
}

/** The step kinds a text names by their command line (DISM /Cleanup-Image /RevertPendingActions written in a sentence). */
export function kindsCommandedIn(text: string): StepKind[] {
  const lower = text.toLowerCase()
  return STEP_KINDS.filter((k) => k.risk !== 'read-only' && accepts(k, text, lower))
}

/**
 * One step on this PC: its own precondition over the finding's evidence, then the whole PC's (preconditions.ts).
 * A read-only step is always allowed.
 */
export function stepVerdict(k: StepKind, facts: AdviceFacts, commands: readonly string[] = []): PreconditionVerdict {
  if (k.risk === 'read-only') return { allowed: true, reason: null }
  const whole = preconditionsFor(
    {
      touches: k.touches ?? [],
      destructive: k.risk === 'destructive',
      ...(k.touches?.includes('esp-folders') ? { espFolders: espFoldersNamed(commands) } : {}),
    },
    facts.pc,
  )
  if (!k.precondition.holds(facts, commands))
    return {
      allowed: false,
      reason: `only when ${k.precondition.text}`,
      ...(whole.stepBefore ? { stepBefore: whole.stepBefore } : {}),
    }
  return whole
}

/** The \\EFI\\<name> folders (below \\EFI, not Windows' own) that commands name: what a move of them would take off the partition. */
function espFoldersNamed(commands: readonly string[]): string[] {
  const out = new Set<string>()
  for (const c of commands)
    for (const m of c.matchAll(/\\EFI\\([^\\\s"'<>|]+)/gi))
      if (!/^(Microsoft|Boot)$/i.test(m[1]!) && !m[1]!.startsWith('<')) out.add(m[1]!)
  return [...out]
}

/** Whether the app's own repair `id` may be offered on these facts: its step's precondition and the whole PC's. */
export function repairAllowed(id: RepairId | null | undefined, facts: AdviceFacts): boolean {
  if (!id) return true
  const k = REPAIR_KINDS[id]
  return !k || stepVerdict(stepKind(k)!, facts).allowed
}

/** Why the app's own repair is not offered on these facts (null when it is), with the step before it. */
export function repairVerdict(id: RepairId, facts: AdviceFacts): PreconditionVerdict {
  const k = REPAIR_KINDS[id]
  return k ? stepVerdict(stepKind(k)!, facts) : { allowed: true, reason: null }
}

/** A destructive repair of the app as the registry states its step (Fix it shows it), or null for a safe one. */
export function repairStep(id: string): RemedyStep | null {
  const k = REPAIR_KINDS[id as RepairId]
  const kind = k ? stepKind(k)! : null
  return kind && kind.risk === 'destructive' ? view(kind, []) : null
}

function view(k: StepKind, commands: string[], facts?: AdviceFacts): RemedyStep {
  const whole = k.risk === 'read-only' ? null : wholePcText(k.touches ?? [])
  const undo = (facts && k.undoOn?.(commands, facts)) ?? k.undo
  return {
    kind: k.id,
    intent: k.intent,
    risk: k.risk,
    when: whole ? (k.precondition === ALWAYS ? whole : `${k.precondition.text}; and ${whole}`) : k.precondition.text,
    lines: commands,
    ...(k.risk !== 'read-only' && k.undoes ? { undoes: k.undoes } : {}),
    ...(k.risk !== 'read-only' && undo ? { undo } : {}),
    ...(k.source ? { source: k.source } : {}),
  }
}

/** A remedy's steps: its commands (and fill-in patterns) grouped by kind in order, then its declared steps and the steps its words name. */
export function stepsOf(
  r: Pick<Remedy, 'id' | 'commands' | 'fillIn' | 'repair'> & { text?: string },
): { kind: StepKind; commands: string[] }[] {
  const out: { kind: StepKind; commands: string[] }[] = []
  for (const c of [...r.commands, ...(r.fillIn ?? [])]) {
    const k = kindOfCommand(c)
    const last = out[out.length - 1]
    if (last && last.kind.id === k.id) last.commands.push(c)
    else out.push({ kind: k, commands: [c] })
  }
  const declared = [
    ...(DECLARED[r.id] ?? []),
    ...(r.repair && REPAIR_KINDS[r.repair] ? [REPAIR_KINDS[r.repair]!] : []),
    ...kindsNamedIn(r.text ?? '').map((k) => k.id),
  ]
  for (const id of declared) if (!out.some((s) => s.kind.id === id)) out.push({ kind: stepKind(id)!, commands: [] })
  // Destructive steps in the registry's order (least first: remove staged packages, revert, then the hive edit),
  // whatever order the commands and fill-in patterns came in; every other step keeps its place in the procedure.
  const slots = out.flatMap((s, i) => (s.kind.risk === 'destructive' ? [i] : []))
  const rank = (s: { kind: StepKind }) => STEP_KINDS.indexOf(s.kind)
  const sorted = slots.map((i) => out[i]!).sort((a, b) => rank(a) - rank(b))
  slots.forEach((i, j) => {
    out[i] = sorted[j]!
  })
  return out
}

/**
 * One remedy through the gate: its steps with risk and precondition; when a step's precondition (its own or the
 * whole PC's) does not hold, the step is withheld and the remedy keeps only its read-only steps (the rest of a
 * procedure built around the withheld step is not run without it) and no repair.
 */
export function adviseRemedy(r: Remedy, facts: AdviceFacts): Remedy {
  return gateRemedy(r, facts).remedy
}

function gateRemedy(r: Remedy, facts: AdviceFacts): { remedy: Remedy; before: StepBefore[]; empty: boolean } {
  const steps = stepsOf(r)
  const verdicts = steps.map((s) => ({ s, v: stepVerdict(s.kind, facts, s.commands) }))
  const withheld = verdicts.filter((x) => !x.v.allowed)
  const kept = withheld.length ? steps.filter((s) => s.kind.risk === 'read-only') : steps
  const keptCommands = new Set(kept.flatMap((s) => s.commands))
  const repairOk = r.repair ? repairAllowed(r.repair, facts) : true
  const out: Remedy = {
    ...r,
    commands: r.commands.filter((c) => keptCommands.has(c)),
    repair: withheld.length || !repairOk ? null : r.repair,
    steps: kept.map((s) => view(s.kind, s.commands, facts)),
  }
  if (r.fillIn) {
    const fill = r.fillIn.filter((c) => keptCommands.has(c))
    if (fill.length) out.fillIn = fill
    else delete out.fillIn
  }
  if (withheld.length) {
    out.withheld = withheld.map((x) => view(x.s.kind, []))
    out.text = `${r.text}${/[.!?]$/.test(r.text.trim()) ? '' : '.'} Not offered here: ${withheld.map((x) => `${lower(x.s.kind.intent)} — ${x.v.reason ?? `only when ${x.s.kind.precondition.text}`}`).join('; ')}.`
  } else delete out.withheld
  const before = withheld.flatMap((x) => (x.v.stepBefore ? [x.v.stepBefore] : []))
  // Nothing left to do: every step that changes anything is withheld and no read-only step remains.
  const empty =
    withheld.length > 0 &&
    !out.commands.length &&
    !out.fillIn &&
    !out.repair &&
    withheld.every((x) => x.s.kind.risk !== 'read-only') &&
    withheld.some((x) => x.v.stepBefore) &&
    !steps.some((s) => s.kind.risk === 'read-only')
  return { remedy: out, before, empty }
}

/** The step before as a remedy of its own, passed through the same gate. */
function beforeRemedy(b: StepBefore, facts: AdviceFacts): Remedy {
  return gateRemedy(
    { id: b.id, title: b.title, text: b.text, commands: b.commands, repair: b.repair, sources: [], verified: true },
    facts,
  ).remedy
}

/**
 * Every remedy of a finding or explanation through the gate: the step a withheld step waits for first (restart and
 * let servicing finish; add a BitLocker recovery password), then the safe remedies, then those with destructive steps.
 * A remedy left with nothing to do because the whole PC says "not now" gives way to that step before.
 */
export function adviseRemedies(remedies: Remedy[], facts: AdviceFacts): Remedy[] {
  const gated = remedies.map((r) => gateRemedy(r, facts))
  const before = [...new Map(gated.flatMap((g) => g.before).map((b) => [b.id, b])).values()].filter(
    (b) => !remedies.some((r) => r.id === b.id),
  )
  const pre = before.map((b) => beforeRemedy(b, facts))
  const rest = gated.filter((g) => !g.empty).map((g) => g.remedy)
  const destructive = (r: Remedy) => (r.steps ?? []).some((s) => s.risk === 'destructive')
  // Safe alternatives come first. A step that says it comes next ("Then install the WinRE update again") is the
  // follow-up of the step before it and moves with it: make room on the recovery partition, then install.
  const groups: Remedy[][] = []
  for (const r of rest) {
    const last = groups[groups.length - 1]
    if (last && /^Then\b/.test(r.title)) last.push(r)
    else groups.push([r])
  }
  const risky = (g: Remedy[]) => destructive(g[0]!)
  return [...pre, ...groups.filter((g) => !risky(g)).flat(), ...groups.filter(risky).flat()]
}

/** The steps a remedy shows (commands, declared steps or its repair) whose precondition fails on these facts: [] when safe. */
export function unguardedSteps(r: Remedy, facts: AdviceFacts): string[] {
  const bad: string[] = []
  for (const s of stepsOf(r))
    if (s.kind.risk !== 'read-only' && !stepVerdict(s.kind, facts).allowed) {
      if (s.commands.length) bad.push(`${s.kind.id}: ${s.commands.join(' | ')}`)
      else if ((r.steps ?? []).some((v) => v.kind === s.kind.id)) bad.push(`${s.kind.id} (declared step)`)
      else if (r.repair && REPAIR_KINDS[r.repair] === s.kind.id) bad.push(`${s.kind.id} (repair ${r.repair})`)
    }
  return bad
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}
