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
}

/** Facts of a code alone (explain, or diagnose with only a code): no evidence, so no destructive step. */
export const NO_EVIDENCE: AdviceFacts = {
  failed: new Set(), failedAgain: new Set(), pendingXml: false, pendingPackages: false, taskCacheCorrupt: false,
  lcuUninstallBlocked: false, espFull: false, recoveryTooSmall: false,
}

export interface Precondition {
  /** Plain words, shown beside the step. */
  text: string
  holds(f: AdviceFacts): boolean
}

const ALWAYS: Precondition = { text: 'always', holds: () => true }

/** Servicing failures that leave work pending (CBS_E_PENDING family, ERROR_FAIL_REBOOT_REQUIRED, installers rolled back). */
export const PENDING_FAILURES = ['0x800F0806', '0x800F0826', '0x800F082F', '0x80070BC9', '0x800F0922'] as const
/** Windows Update's own working data failed (WU_E_UH_INVALIDMETADATA, CRYPT_E_FILE_ERROR): Microsoft's reset fixes these. */
export const WU_DATA_FAILURES = ['0x80092003', '0x80242006'] as const

const anyOf = (set: ReadonlySet<string>, codes: readonly string[]) => codes.some((c) => set.has(c))

const MS = {
  common: 'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/common-windows-update-errors',
  wuReset: 'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/additional-resources-for-windows-update',
  task0922: 'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/error-0x800f0922-installing-windows-updates',
  pending2359302: 'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/error-2359302-installing-windows-updates',
  removeLcu: 'https://learn.microsoft.com/windows/deployment/update/media-dynamic-update',
  srp: 'https://support.microsoft.com/en-us/topic/-we-couldn-t-update-system-reserved-partition-error-installing-windows-10-46865f3f-37bb-4c51-c69f-07271b6672ac',
  winreResize: 'https://support.microsoft.com/topic/kb5028997-instructions-to-manually-resize-your-partition-to-install-the-winre-update-400faa27-9343-461c-ada9-24c8229763bf',
  fix947821: 'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/fix-windows-update-errors',
} as const

export interface StepKind {
  id: string
  intent: string
  risk: StepRisk
  precondition: Precondition
  undoes?: string
  undo?: string
  source?: string
  /** Recognises the step by a command (raw or as shown, e.g. `%SystemRoot%\System32\Dism.exe …`). */
  matches?: RegExp
  /**
   * Lower-case words one of which every command `matches` accepts contains: a command with none is not tried against
   * the pattern, so the patterns a command cannot match are never compiled (explain's start; the test
   * remedy-steps-needs checks each list against its pattern on every command the knowledge holds).
   */
  needs?: readonly string[]
}

/**
 * The registry. Order matters: the first kind whose pattern matches a command is the command's kind, so the
 * destructive kinds come first.
 */
export const STEP_KINDS: readonly StepKind[] = [
  {
    id: 'remove-package', risk: 'destructive',
    intent: 'Remove an update package with DISM /Remove-Package',
    precondition: {
      text: 'DISM lists this PC\'s packages as Staged or Install Pending and either a servicing failure that leaves work pending came back after a retry or CBS.log names the corrupted SecureBootEncodeUEFI task (Microsoft\'s 0x800F0922 fix); or its cumulative update could not be uninstalled the usual way (0x80242004)',
      holds: (f) => (f.pendingPackages && (anyOf(f.failedAgain, PENDING_FAILURES) || f.taskCacheCorrupt)) || f.lcuUninstallBlocked,
    },
    undoes: 'the update is uninstalled (a staged package is dropped; an installed cumulative update takes the PC back to the previous build)',
    undo: 'install the same update again from Windows Update or the Microsoft Update Catalog',
    source: MS.task0922, matches: /\/Remove-Package\b|Remove-WindowsPackage\b/i, needs: ['remove-package', 'remove-windowspackage'],
  },
  {
    id: 'revert-pending', risk: 'destructive',
    intent: 'Revert the pending servicing actions (DISM /Cleanup-Image /RevertPendingActions, from WinRE)',
    precondition: {
      text: 'a servicing failure that leaves work pending (0x800F0806, 0x800F0826, 0x80070BC9, 0x800F0922) is in this PC\'s own records and came back after a retry, and pending work is there (pending.xml, or packages waiting for a restart)',
      holds: (f) => anyOf(f.failed, PENDING_FAILURES) && anyOf(f.failedAgain, PENDING_FAILURES) && (f.pendingXml || f.pendingPackages),
    },
    undoes: 'every update and feature change waiting for the restart is rolled back, not only the stuck one',
    undo: 'install the rolled-back updates again (Windows Update or the Microsoft Update Catalog) after the PC starts normally',
    source: MS.common, matches: /\/RevertPendingActions\b/i, needs: ['/revertpendingactions'],
  },
  {
    id: 'pending-xml', risk: 'destructive',
    intent: 'Rename WinSxS\\pending.xml and remove PendingXmlIdentifier / ExecutionState from the offline COMPONENTS hive (by hand, from WinRE)',
    precondition: {
      text: '0x80070BC9 failed on this PC and again after a retry, pending.xml is there, and reverting the pending actions was tried first — Microsoft prescribes this edit only for 0x80070BC9, after the other fixes',
      holds: (f) => f.failed.has('0x80070BC9') && f.failedAgain.has('0x80070BC9') && f.pendingXml,
    },
    undoes: 'the pending servicing transaction is abandoned: the updates it would finish are left half-applied until installed again',
    undo: 'rename pending.xml back and restore the COMPONENTS hive from the copy saved before the edit (reg save first)',
    source: MS.common, matches: /pending\.xml|\\COMPONENTS\b|PendingXmlIdentifier/i, needs: ['pending.xml', '\\components', 'pendingxmlidentifier'],
  },
  {
    id: 'wu-folders', risk: 'destructive',
    intent: 'Rename Windows Update\'s working folders as Microsoft\'s manual procedure does: %SystemRoot%\\SoftwareDistribution\\DataStore, \\SoftwareDistribution\\Download and \\System32\\catroot2 (never the whole SoftwareDistribution), with the services stopped and started again even if a rename fails',
    precondition: {
      text: 'Windows Update\'s own working data failed on this PC: 0x80092003 or 0x80242006 in its history or logs',
      holds: (f) => anyOf(f.failed, WU_DATA_FAILURES),
    },
    undoes: 'Windows Update\'s database (history and scan state), downloaded updates and catalog database are set aside; Windows builds new ones and downloads again',
    undo: 'stop wuauserv, bits and cryptsvc, rename the new folders aside and the kept <name>.sd-<date> folders back, start the services',
    source: MS.wuReset, matches: /SoftwareDistribution|catroot2/i, needs: ['softwaredistribution', 'catroot2'],
  },
  {
    // The app's own reset (main/repair/definitions/reset-wu-components.ts): the same three folders, kept under a stamp.
    id: 'wu-folders-app', risk: 'destructive',
    intent: 'Rename %SystemRoot%\\SoftwareDistribution\\DataStore, \\SoftwareDistribution\\Download and \\System32\\catroot2 to <name>.sd-<date> (Microsoft\'s list; a folder already under that name is never overwritten; a failed rename starts the services again)',
    precondition: {
      text: 'Windows Update\'s own working data failed on this PC: 0x80092003 or 0x80242006 in its history or logs',
      holds: (f) => anyOf(f.failed, WU_DATA_FAILURES),
    },
    undoes: 'Windows Update\'s database (history and scan state), downloaded updates and catalog database are set aside; Windows builds new ones',
    undo: 'stop wuauserv, bits and cryptsvc, rename the new folders aside and the kept <name>.sd-<date> folders back, start the services',
    source: MS.wuReset,
  },
  {
    id: 'efi-move', risk: 'destructive',
    intent: 'Move folders that are not Windows\' off the EFI system partition',
    precondition: {
      text: 'the scan measured under 15 MB free on this PC\'s EFI system partition and listed which of its folders are not Windows\'',
      holds: (f) => f.espFull,
    },
    undoes: 'the moved boot loaders and vendor tools no longer start from the EFI partition',
    undo: 'move the folder back with the same robocopy command reversed (it is kept, never deleted)',
    source: MS.srp, matches: /robocopy\s+\S*\\EFI\\|Y:\\EFI\\.*\/MOVE/i, needs: ['robocopy', 'y:\\efi\\'],
  },
  {
    id: 'partition-resize', risk: 'destructive',
    intent: 'Resize the recovery partition (reagentc /disable, diskpart: shrink Windows, recreate the recovery partition)',
    precondition: {
      text: 'the scan measured this PC\'s recovery partition below the 250 MB free a WinRE update needs',
      holds: (f) => f.recoveryTooSmall,
    },
    undoes: 'the partition layout changes; a power cut in the middle can leave the disk unbootable (back up first)',
    undo: 'not undoable as such: restore from the backup taken before; WinRE is enabled again with reagentc /enable',
    source: MS.winreResize, matches: /\bdiskpart\b|reagentc(\.exe)?\s+\/disable\b/i, needs: ['diskpart', 'reagentc'],
  },
  {
    id: 'task-cache', risk: 'destructive',
    intent: 'Delete the corrupted SecureBootEncodeUEFI task\'s TaskCache entries',
    precondition: {
      text: 'CBS.log on this PC shows the Task Scheduler installer failing on \\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI',
      holds: (f) => f.taskCacheCorrupt,
    },
    undoes: 'the scheduled task\'s registration is deleted (Windows recreates it with the update)',
    undo: 'reg export the two keys before deleting them; reg import restores them',
    source: MS.task0922, matches: /\breg(\.exe)?\s+delete\b.*TaskCache/i, needs: ['taskcache'],
  },
  {
    id: 'registry-delete', risk: 'destructive',
    intent: 'Delete a registry key or value',
    precondition: { text: 'never from a remedy: no precondition is declared for this registry edit', holds: () => false },
    undoes: 'the key or value is gone', undo: 'reg export it first; reg import restores it',
    matches: /\breg(\.exe)?\s+delete\b|Remove-Item(Property)?\b.*HKLM/i, needs: ['delete', 'hklm'],
  },
  {
    id: 'read', risk: 'read-only', intent: 'Read the PC\'s state', precondition: ALWAYS,
    matches: /^\S*(findstr|reagentc)(\.exe)?\s+(\/i\b|\/info\b)|\/Get-Packages\b|\/ScanHealth\b|\/CheckHealth\b|\/Get-ImageInfo\b|\/AnalyzeComponentStore\b|\breg(\.exe)?\s+query\b|^\S*Get-[A-Za-z]+\b|^\S*dir\b|^\S*icacls(\.exe)?\s+\S+\s*$|^\S*(nslookup|ping)(\.exe)?\b|netsh(\.exe)?\s+winhttp\s+show\b|bitsadmin(\.exe)?\s+\/list\b|^\S*SetupDiag/i,
    needs: ['findstr', 'reagentc', 'get-', '/scanhealth', '/checkhealth', '/analyzecomponentstore', 'query', 'dir', 'icacls', 'nslookup', 'ping', 'netsh', 'bitsadmin', 'setupdiag'],
  },
] as const

/** The step kind for a command that no pattern names: a documented change a person runs and can reverse. */
const OTHER: StepKind = {
  id: 'change', risk: 'reversible', intent: 'Make the documented change', precondition: ALWAYS,
  undoes: 'a documented change of settings or files that Windows keeps working with', undo: 'reverse the command (the remedy\'s source says how)',
}

/** Steps declared for a remedy that has no command for them (shown as words, gated like the others). */
const DECLARED: Record<string, string[]> = {
  R8: ['pending-xml'],
  R9: ['partition-resize'],
}

/** The repairs the app runs itself that are destructive steps (main/repair definitions, main/winre). */
export const REPAIR_KINDS: Partial<Record<RepairId, string>> = {
  'remove-package': 'remove-package',
  'reset-wu-components': 'wu-folders-app',
  'free-esp-space': 'efi-move',
  'winre-resize': 'partition-resize',
}

export function stepKind(id: string): StepKind | null {
  return STEP_KINDS.find((k) => k.id === id) ?? (id === OTHER.id ? OTHER : null)
}

/** The kind of one command line (raw or as shown). */
export function kindOfCommand(command: string): StepKind {
  const line = command.trim()
  const lower = line.toLowerCase()
  return STEP_KINDS.find((k) => k.matches !== undefined && (k.needs?.some((w) => lower.includes(w)) ?? true) && k.matches.test(line)) ?? OTHER
}

/** Whether the app's own repair `id` may be offered on these facts (a destructive repair needs its step's precondition). */
export function repairAllowed(id: RepairId | null | undefined, facts: AdviceFacts): boolean {
  if (!id) return true
  const k = REPAIR_KINDS[id]
  return !k || stepKind(k)!.precondition.holds(facts)
}

/** A destructive repair of the app as the registry states its step (Fix it shows it), or null for a safe one. */
export function repairStep(id: string): RemedyStep | null {
  const k = REPAIR_KINDS[id as RepairId]
  return k ? view(stepKind(k)!, []) : null
}

function view(k: StepKind, commands: string[]): RemedyStep {
  return {
    kind: k.id, intent: k.intent, risk: k.risk, when: k.precondition.text, lines: commands,
    ...(k.risk !== 'read-only' && k.undoes ? { undoes: k.undoes } : {}),
    ...(k.risk !== 'read-only' && k.undo ? { undo: k.undo } : {}),
    ...(k.source ? { source: k.source } : {}),
  }
}

/** A remedy's steps: its commands (and fill-in patterns) grouped by kind in order, then its declared steps. */
export function stepsOf(r: Pick<Remedy, 'id' | 'commands' | 'fillIn' | 'repair'>): { kind: StepKind; commands: string[] }[] {
  const out: { kind: StepKind; commands: string[] }[] = []
  for (const c of [...r.commands, ...(r.fillIn ?? [])]) {
    const k = kindOfCommand(c)
    const last = out[out.length - 1]
    if (last && last.kind.id === k.id) last.commands.push(c)
    else out.push({ kind: k, commands: [c] })
  }
  const declared = [...(DECLARED[r.id] ?? []), ...(r.repair && REPAIR_KINDS[r.repair] ? [REPAIR_KINDS[r.repair]!] : [])]
  for (const id of declared) if (!out.some((s) => s.kind.id === id)) out.push({ kind: stepKind(id)!, commands: [] })
  // Destructive steps in the registry's order (least first: remove staged packages, revert, then the hive edit),
  // whatever order the commands and fill-in patterns came in; every other step keeps its place in the procedure.
  const slots = out.flatMap((s, i) => (s.kind.risk === 'destructive' ? [i] : []))
  const rank = (s: { kind: StepKind }) => STEP_KINDS.indexOf(s.kind)
  const sorted = slots.map((i) => out[i]!).sort((a, b) => rank(a) - rank(b))
  slots.forEach((i, j) => { out[i] = sorted[j]! })
  return out
}

/**
 * One remedy through the gate: its steps with risk and precondition; when a destructive step's precondition does
 * not hold, the step is withheld and the remedy keeps only its read-only steps (the rest of a procedure built around
 * the withheld step is not run without it) and no repair.
 */
export function adviseRemedy(r: Remedy, facts: AdviceFacts): Remedy {
  const steps = stepsOf(r)
  const withheld = steps.filter((s) => s.kind.risk === 'destructive' && !s.kind.precondition.holds(facts))
  const kept = withheld.length ? steps.filter((s) => s.kind.risk === 'read-only') : steps
  const keptCommands = new Set(kept.flatMap((s) => s.commands))
  const out: Remedy = {
    ...r,
    commands: r.commands.filter((c) => keptCommands.has(c)),
    repair: withheld.length || !repairAllowed(r.repair, facts) ? null : r.repair,
    steps: kept.map((s) => view(s.kind, s.commands)),
  }
  if (r.fillIn) {
    const fill = r.fillIn.filter((c) => keptCommands.has(c))
    if (fill.length) out.fillIn = fill
    else delete out.fillIn
  }
  if (withheld.length) {
    out.withheld = withheld.map((s) => view(s.kind, []))
    out.text = `${r.text}${/[.!?]$/.test(r.text.trim()) ? '' : '.'} Not offered here: ${withheld.map((s) => `${lower(s.kind.intent)} — only when ${s.kind.precondition.text}`).join('; ')}.`
  } else delete out.withheld
  return out
}

/** Every remedy of a finding or explanation through the gate; remedies with a destructive step after the safe ones. */
export function adviseRemedies(remedies: Remedy[], facts: AdviceFacts): Remedy[] {
  const gated = remedies.map((r) => adviseRemedy(r, facts))
  const destructive = (r: Remedy) => (r.steps ?? []).some((s) => s.risk === 'destructive')
  return [...gated.filter((r) => !destructive(r)), ...gated.filter(destructive)]
}

/** The destructive steps a remedy shows (commands, declared steps or its repair) whose precondition fails: [] when safe. */
export function unguardedSteps(r: Remedy, facts: AdviceFacts): string[] {
  const bad: string[] = []
  for (const s of stepsOf(r)) if (s.kind.risk === 'destructive' && !s.kind.precondition.holds(facts)) {
    if (s.commands.length) bad.push(`${s.kind.id}: ${s.commands.join(' | ')}`)
    else if ((r.steps ?? []).some((v) => v.kind === s.kind.id)) bad.push(`${s.kind.id} (declared step)`)
    else if (r.repair && REPAIR_KINDS[r.repair] === s.kind.id) bad.push(`${s.kind.id} (repair ${r.repair})`)
  }
  return bad
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}
