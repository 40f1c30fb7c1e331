/**
 * Windows' own failure messages that carry no code: DISM and its PowerShell cmdlets (Enable-WindowsOptionalFeature,
 * Add-WindowsCapability), System File Checker, Windows Installer. Each message is Windows' documented text for one
 * error, so the code and its cause are known without the text naming them:
 * - DISM's "Feature name <name> is unknown." is 0x800F080C (CBS_E_UNKNOWN_UPDATE): the feature does not exist in this
 *   edition or release of Windows;
 * - "One or several parent features are disabled so current feature can not be enabled.": DISM's /All (the cmdlets'
 *   -All) enables the parent features with it;
 * - "The requested operation requires elevation." is ERROR_ELEVATION_REQUIRED (740, 0x800702E4), DISM's "Elevated
 *   permissions are required to run DISM.";
 * - System File Checker's results (Microsoft's "Use the System File Checker tool to repair missing or corrupted system
 *   files"): "could not start the repair service" (the Windows Modules Installer service, TrustedInstaller, does not
 *   start) and "could not perform the requested operation" ("found corrupt files but was unable to fix some of
 *   them" is the store's damage, read by the words table's store-corruption words);
 * - Windows Installer's 1618 (ERROR_INSTALL_ALREADY_RUNNING), which its log tells as the _MSIExecute mutex it failed
 *   to take (the dialog's "Another installation is already in progress" is read by the words table).
 * The diagnosis (diagnose/rules/tool-messages.ts) and `analyze` read the same table.
 */
export interface ToolMessage {
  id: string
  title: string
  /** The documented code of the message, when Windows gives one. */
  code: string | null
  cause: string
  /** The message as Windows writes it, in each display language whose wording is Windows' own (lower case). */
  patterns: RegExp[]
}

const MESSAGES: ToolMessage[] = [
  {
    id: 'wrong-arch-or-branch:unknown-feature',
    title: 'The feature does not exist in this edition or release of Windows',
    code: '0x800F080C',
    cause:
      'DISM answers "Feature name … is unknown" (0x800F080C) when this Windows has no feature of that name: the edition does not include it (Hyper-V on Home), the release predates it, or the name is misspelt. Installing it cannot succeed on this image as it is.',
    patterns: [
      // The message as people quote it without the name ("Feature name is unknown") is the same answer.
      /feature name (?:\S+ )?is unknown/,
      /der featurename .{0,80} ist unbekannt/,
      /le nom de (?:la )?fonctionnalité .{0,80} est inconnu/,
      /el nombre de (?:la )?característica .{0,80} es desconocido/,
    ],
  },
  {
    id: 'failure-cause-not-named:parent-feature-disabled',
    title: "The feature's parent features are turned off, so it cannot be enabled alone",
    code: null,
    cause:
      'DISM enables a feature only when the features it depends on are enabled; its /All option (-All for Enable-WindowsOptionalFeature) enables them with it. On an edition that lacks the parent, /All fails too.',
    patterns: [/one or several parent features are disabled/],
  },
  {
    id: 'access-blocked:elevation-required',
    title: 'The command was not run as administrator',
    code: '0x800702E4',
    cause:
      '"The requested operation requires elevation" is ERROR_ELEVATION_REQUIRED (740): servicing commands (DISM, its PowerShell cmdlets, SFC, wusa) change the system and run only in an elevated window. Where the window was elevated, a policy or a remote session without full rights removed the elevation.',
    patterns: [
      /the requested operation requires elevation/,
      /elevated permissions are required to run dism/,
      /der angeforderte vorgang erfordert erhöhte rechte/,
      /l'opération demandée nécessite une élévation/,
      /la operación solicitada requiere elevación/,
    ],
  },
  {
    id: 'services-disabled:sfc-repair-service',
    title: 'System File Checker could not start its repair service (Windows Modules Installer)',
    code: null,
    cause:
      '"Windows Resource Protection could not start the repair service" means the Windows Modules Installer service (TrustedInstaller), which SFC and Windows Update both use, is disabled or cannot start in this session.',
    patterns: [
      /windows resource protection could not start the repair service/,
      /der windows-ressourcenschutz konnte den reparaturdienst nicht starten/,
      /la protection des ressources windows n'a pas pu démarrer le service de réparation/,
    ],
  },
  {
    id: 'failure-cause-not-named:sfc-could-not-perform',
    title: 'System File Checker could not perform the requested operation',
    code: null,
    cause:
      'SFC stops with "could not perform the requested operation" when a repair is pending for the next restart or its working folders are missing; CBS.log (which SFC writes) names the file it stopped on.',
    patterns: [/windows resource protection could not perform the requested operation/],
  },
  {
    id: 'servicing-in-progress:msi-1618',
    title: 'Another installation was already running (Windows Installer 1618)',
    code: null,
    cause:
      'Windows Installer runs one installation at a time, guarded by the _MSIExecute mutex: a second one fails with 1618 (ERROR_INSTALL_ALREADY_RUNNING) until the first, often Windows Update, finishes or a restart ends it.',
    patterns: [/failed to grab execution mutex/, /error_install_already_running/],
  },
]

/**
 * The tools' own success lines: DISM's "The operation completed successfully." in the display languages whose wording
 * is Windows' own, and System File Checker's results that found nothing to repair or repaired everything.
 */
const TOOL_SUCCESS: RegExp[] = [
  /^the operation completed successfully\.?$/,
  /^der vorgang wurde erfolgreich beendet\.?$/,
  /^l'opération a réussi\.?$/,
  /^la operación se completó correctamente\.?$/,
  /windows resource protection did not find any integrity violations/,
  /windows resource protection found corrupt files and successfully repaired them/,
]

export interface ToolMessageHit {
  message: ToolMessage
  line: number
  excerpt: string
}

/** Each message found in the text, once, with the first line that shows it. */
export function toolMessagesIn(text: string): ToolMessageHit[] {
  if (typeof text !== 'string' || text.length === 0) return []
  const lines = text.split(/\r?\n/)
  const lower = lines.map((l) => l.toLowerCase())
  const out: ToolMessageHit[] = []
  for (const message of MESSAGES) {
    const i = lower.findIndex((l) => message.patterns.some((p) => p.test(l)))
    if (i < 0) continue
    // The same run going on to its tool's success (wsl --install asks for elevation, then DISM enables the feature
    // and reports success) is no failure.
    if (lower.slice(i + 1).some((l) => TOOL_SUCCESS.some((p) => p.test(l.trim())))) continue
    out.push({ message, line: i + 1, excerpt: lines[i]!.trim().slice(0, 240) })
  }
  return out
}
