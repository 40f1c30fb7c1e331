/**
 * Setup's result/extend pairs. Windows Setup returns a result code and an extend code
 * (`0xC1900101 - 0x4000D`); the extend code's first digit is the phase, its last two digits the operation
 * ("Upgrade error codes", windows-itpro-docs upgrade-error-codes.md, source S28: "Use the first digit to identify
 * the phase (ex: 0x4000D = 4). Use the last two digits to identify the operation (ex: 0x4000D = 0D)"). The tables
 * below are that page's, for any result code; pairs Microsoft describes one by one ("Resolution procedures",
 * resolution-procedures.md, source S29: the 0x800xxxxx and "Other error codes" tables) add their cause and
 * mitigation. Setup's rollback message writes phase 4 as SECOND_BOOT ("The installation failed in the SECOND_BOOT
 * phase with an error during MIGRATE_DATA operation" for 0x4000D, S29's 8007042B - 0x4000D row).
 */

export interface ExtendMeaning {
  /** `0x` + upper-case hex, leading zeros dropped (`0x4000D`). */
  extend: string
  phase: { digit: number; name: string | null; label: string | null }
  operation: { hex: string; name: string | null; label: string | null }
  /** One sentence: "phase 4 (SP_EXECUTION_OOBE_BOOT, shown as SECOND_BOOT), operation 0x0D (SP_EXECUTION_OP_MIGRATE_DATA)". */
  text: string
  /** Microsoft's row for this exact result/extend pair, when it has one. */
  pair: { cause: string; mitigation: string } | null
  /** What Microsoft says of the result code whatever its extend code (0xC1900101: an incompatible driver), when no pair does. */
  family: { cause: string; mitigation: string } | null
  sources: string[]
}

/**
 * The shape of a pair as Setup writes it and people type it, one definition for every reader of it: the extend code's
 * five hex digits (the phase 1-5, then the operation: `0x4000D`, `0x20017`) and the dash between result and extend
 * code (a hyphen, or the en or em dash a text editor puts in its place). Phase 6 is in no phase table, but Microsoft's
 * "Windows upgrade errors" lists `0x80070070 - 0x60000` among the disk-space pairs, so it is read as written.
 */
export const EXTEND_DIGITS = '[1-6][0-9a-fA-F]{4}'
export const PAIR_DASH = '[-\u2013\u2014]'
const PAIR = new RegExp(`\\b(?:0x)?([0-9a-f]{8})\\s*${PAIR_DASH}\\s*(?:0x)?(${EXTEND_DIGITS})\\b`, 'gi')

/**
 * The distinct Setup result/extend pairs of `text` (`0x8007000d - 0x2000c`, `0xC1900101-0x20017`), in order, at most
 * `max`: a result code that is an error (0x8…, 0xC…), each result once, upper-case, with where its match starts.
 */
export function setupPairsIn(text: string, max = 5): { result: string; extend: string; at: number }[] {
  const out: { result: string; extend: string; at: number }[] = []
  for (const m of text.slice(0, 2_000_000).matchAll(PAIR)) {
    const result = `0x${m[1]!.toUpperCase()}`
    if (!/^0x[8C]/.test(result) || out.some((p) => p.result === result)) continue
    out.push({ result, extend: `0x${m[2]!.toUpperCase()}`, at: m.index })
    if (out.length >= max) break
  }
  return out
}

const PHASES: Record<number, string> = {
  0: 'SP_EXECUTION_UNKNOWN',
  1: 'SP_EXECUTION_DOWNLEVEL',
  2: 'SP_EXECUTION_SAFE_OS',
  3: 'SP_EXECUTION_FIRST_BOOT',
  4: 'SP_EXECUTION_OOBE_BOOT',
  5: 'SP_EXECUTION_UNINSTALL',
}
/** How Setup's rollback message names a phase (phase 4 is SECOND_BOOT there). */
const PHASE_LABEL: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DOWNLEVEL',
  2: 'SAFE_OS',
  3: 'FIRST_BOOT',
  4: 'SECOND_BOOT',
  5: 'UNINSTALL',
}

const OPERATIONS: Record<number, string> = {
  0x00: 'SP_EXECUTION_OP_UNKNOWN',
  0x01: 'SP_EXECUTION_OP_COPY_PAYLOAD',
  0x02: 'SP_EXECUTION_OP_DOWNLOAD_UPDATES',
  0x03: 'SP_EXECUTION_OP_INSTALL_UPDATES',
  0x04: 'SP_EXECUTION_OP_INSTALL_RECOVERY_ENVIRONMENT',
  0x05: 'SP_EXECUTION_OP_INSTALL_RECOVERY_IMAGE',
  0x06: 'SP_EXECUTION_OP_REPLICATE_OC',
  0x07: 'SP_EXECUTION_OP_INSTALL_DRVIERS',
  0x08: 'SP_EXECUTION_OP_PREPARE_SAFE_OS',
  0x09: 'SP_EXECUTION_OP_PREPARE_ROLLBACK',
  0x0a: 'SP_EXECUTION_OP_PREPARE_FIRST_BOOT',
  0x0b: 'SP_EXECUTION_OP_PREPARE_OOBE_BOOT',
  0x0c: 'SP_EXECUTION_OP_APPLY_IMAGE',
  0x0d: 'SP_EXECUTION_OP_MIGRATE_DATA',
  0x0e: 'SP_EXECUTION_OP_SET_PRODUCT_KEY',
  0x0f: 'SP_EXECUTION_OP_ADD_UNATTEND',
  0x10: 'SP_EXECUTION_OP_ADD_DRIVER',
  0x11: 'SP_EXECUTION_OP_ENABLE_FEATURE',
  0x12: 'SP_EXECUTION_OP_DISABLE_FEATURE',
  0x13: 'SP_EXECUTION_OP_REGISTER_ASYNC_PROCESS',
  0x14: 'SP_EXECUTION_OP_REGISTER_SYNC_PROCESS',
  0x15: 'SP_EXECUTION_OP_CREATE_FILE',
  0x16: 'SP_EXECUTION_OP_CREATE_REGISTRY',
  0x17: 'SP_EXECUTION_OP_BOOT',
  0x18: 'SP_EXECUTION_OP_SYSPREP',
  0x19: 'SP_EXECUTION_OP_OOBE',
  0x1a: 'SP_EXECUTION_OP_BEGIN_FIRST_BOOT',
  0x1b: 'SP_EXECUTION_OP_END_FIRST_BOOT',
  0x1c: 'SP_EXECUTION_OP_BEGIN_OOBE_BOOT',
  0x1d: 'SP_EXECUTION_OP_END_OOBE_BOOT',
  0x1e: 'SP_EXECUTION_OP_PRE_OOBE',
  0x1f: 'SP_EXECUTION_OP_POST_OOBE',
  0x20: 'SP_EXECUTION_OP_ADD_PROVISIONING_PACKAGE',
}

/** Microsoft's rows for specific pairs (S29), keyed `RESULT-EXTEND` in upper-case hex without 0x. */
const PAIRS: Record<string, { cause: string; mitigation: string }> = {
  '80040005-20007': {
    cause: 'An unspecified error occurred with a driver during the SafeOS phase.',
    mitigation: 'More than one possible cause: try the quick fixes, then analyze the Setup log files.',
  },
  '80073BC3-20009': {
    cause:
      'Partition analysis and validation failed: the requested system device cannot be found, a sharing violation, or multiple devices (system partitions) match.',
    mitigation:
      'Disconnect or temporarily disable drives that hold an unused system partition (reconnect after the upgrade), or delete the unused system partition.',
  },
  '80070002-20009': {
    cause:
      'Partition analysis and validation failed: the requested system device cannot be found, a sharing violation, or multiple devices (system partitions) match — typically a second system drive left connected.',
    mitigation:
      'Disconnect or temporarily disable drives that hold an unused system partition (reconnect after the upgrade), or delete the unused system partition.',
  },
  '80073B92-20009': {
    cause:
      'Partition analysis and validation failed: the requested system device cannot be found, a sharing violation, or multiple devices (system partitions) match.',
    mitigation:
      'Disconnect or temporarily disable drives that hold an unused system partition (reconnect after the upgrade), or delete the unused system partition.',
  },
  '800704B8-3001A': {
    cause: 'An extended error occurred during the first boot phase.',
    mitigation: 'Disable or uninstall non-Microsoft antivirus, disconnect unnecessary devices, clean boot.',
  },
  '8007042B-4000D': {
    cause:
      'The installation failed during the second boot phase in MIGRATE_DATA: a file system, application or driver problem.',
    mitigation:
      'Analyze the Setup logs for the file, application or driver that cannot be migrated; disconnect, update, remove or replace it.',
  },
  '8007001F-3000D': {
    cause:
      'The installation failed in FIRST_BOOT during MIGRATE_DATA: user profiles — corrupt entries under HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList or invalid files under \\Users (or Windows.old\\Users).',
    mitigation: 'Remove deleted accounts still in the registry and the invalid files or profiles the Setup logs name.',
  },
  '8007001F-4000D': {
    cause: 'General failure: a device attached to the system is not functioning.',
    mitigation: 'Analyze the Setup logs for the device; disconnect, update or replace it.',
  },
  '8007042B-4001E': {
    cause: 'The installation failed during the second boot phase in PRE_OOBE.',
    mitigation: 'More than one possible cause: try the quick fixes, then analyze the Setup log files.',
  },
  '80070003-20007': {
    cause: 'A failure during SafeOS phase driver installation.',
    mitigation: 'Verify device drivers and analyze the Setup logs for the problem driver.',
  },
  '8007025D-2000C': {
    cause: "The ISO file's metadata is corrupt.",
    mitigation: 'Download the ISO/media again (or re-create it with the Media Creation Tool) and retry.',
  },
  '80070490-20007': {
    cause: 'An incompatible device driver is present.',
    mitigation: 'Verify device drivers and analyze the Setup logs for the problem driver.',
  },
  'C1900101-2000C': {
    cause: 'An unspecified error in the SafeOS phase during WIM apply: an outdated driver or disk corruption.',
    mitigation:
      'Run chkdsk to repair the file system; update drivers and accept "Download and install updates"; disconnect devices other than mouse, keyboard and display.',
  },
  // S29's 0xC1900101 table, its other rows (the page's words).
  'C1900101-20004': {
    cause:
      'Windows Setup encountered an error during the SAFE_OS phase with the INSTALL_RECOVERY_ENVIRONMENT operation: generally caused by out-of-date drivers.',
    mitigation:
      'Uninstall antivirus applications; remove all unused SATA devices; remove all unused devices and drivers; update drivers and BIOS.',
  },
  'C1900101-20017': {
    cause:
      'A driver has caused an illegal operation: Windows was not able to migrate the driver, resulting in a rollback. This is a SafeOS boot failure, typically caused by drivers or non-Microsoft disk encryption software.',
    mitigation:
      'Ensure that all drivers are updated; open Setuperr.log and Setupact.log in %windir%\\Panther to locate the problem drivers; update or uninstall them.',
  },
  'C1900101-30018': {
    cause: 'A device driver has stopped responding to setup.exe during the upgrade process (the sysprep operation).',
    mitigation:
      'Disconnect all peripheral devices except mouse, keyboard and display; get updated device drivers from the hardware vendor; accept "Download and install updates (recommended)" at the start of the upgrade. The device install log ($Windows.~bt\\Sources\\Rollback\\setupapi\\setupapi.dev.log) names the driver.',
  },
  'C1900101-3000D': {
    cause:
      'Installation failed during the FIRST_BOOT phase while attempting the MIGRATE_DATA operation: this can occur due to a problem with a display driver.',
    mitigation:
      'Disconnect all peripheral devices except mouse, keyboard and display; update or uninstall the display driver.',
  },
  'C1900101-4000D': {
    cause:
      'A rollback occurred due to a driver configuration issue: installation failed during the second boot phase while attempting the MIGRATE_DATA operation, which can occur due to incompatible drivers.',
    mitigation:
      'Check the rollback logs for a setupmem.dmp file or the event logs for unexpected restarts; find the stop code in the rollback log ($Windows.~BT\\Sources\\Panther); make sure there is enough disk space, disable or update a driver the bug check names, check for BIOS updates.',
  },
  'C1900101-40017': {
    cause:
      'The upgrade failed after the second reboot: usually caused by a faulty driver, for example antivirus filter drivers or encryption drivers.',
    mitigation:
      'Clean boot into Windows, then attempt the upgrade again, selecting "Download and install updates (recommended)".',
  },
}

/**
 * What Microsoft says of a result code whatever its extend code (S29): 0xC1900101 "is a generic rollback code, and
 * usually indicates that an incompatible driver is present"; it "can be thrown at any stage of the upgrade process,
 * with the exception of the downlevel phase".
 */
const FAMILIES: Record<string, { cause: string; mitigation: string }> = {
  C1900101: {
    cause:
      '0xC1900101 is a generic rollback code and usually indicates that an incompatible driver is present (it can cause blue screens, hangs and unexpected restarts during the upgrade).',
    mitigation:
      'Update or remove the driver the rollback logs name ($Windows.~bt\\Sources\\Rollback: setupmem.dmp, *.evtx, setupapi\\setupapi.dev.log); run Setup again after a clean boot with a minimal set of drivers and startup programs.',
  },
}

/** Decodes a Setup extend code (`0x4000D`, `4000D`, `0x0004000D`) for `result` (any result code). Null when it is no extend code. */
export function decodeExtendCode(extend: string, result?: string | null): ExtendMeaning | null {
  if (typeof extend !== 'string') return null
  const m = /^(?:0x)?0*([0-9a-f]{1,6})$/i.exec(extend.trim())
  if (!m) return null
  const v = parseInt(m[1]!, 16)
  const digit = v >> 16
  const op = v & 0xff
  const phase = PHASES[digit] ?? null
  const opName = OPERATIONS[op] ?? null
  const hex = `0x${op.toString(16).toUpperCase().padStart(2, '0')}`
  const key = result ? `${result.replace(/^0x/i, '').toUpperCase()}-${m[1]!.toUpperCase()}` : ''
  const pair = PAIRS[key] ?? null
  const family = pair || !result ? null : (FAMILIES[result.replace(/^0x/i, '').toUpperCase()] ?? null)
  const label = PHASE_LABEL[digit] ?? null
  const opLabel = opName ? opName.replace(/^SP_EXECUTION_OP_/, '') : null
  const text = `phase ${digit} (${phase ? `${phase}${label && label !== phase.replace(/^SP_EXECUTION_/, '') ? `, shown as ${label}` : ''}` : "not in Microsoft's phase table"}), operation ${hex} (${opName ?? "not in Microsoft's operation table (1607)"})`
  return {
    extend: `0x${m[1]!.toUpperCase()}`,
    phase: { digit, name: phase, label },
    operation: { hex, name: opName, label: opLabel },
    text,
    pair,
    family,
    sources: pair || family ? ['S28', 'S29'] : ['S28'],
  }
}

/**
 * Microsoft's documented pairs of a result code (S29), each with its extend code, cause and mitigation: what the
 * code alone answers with when Microsoft lists it only together with an extend code (`0x8007042B` → its 0x4000D and
 * 0x4001E rows). Empty for a code no pair names.
 */
export function documentedPairs(result: string): Array<{ extend: string; cause: string; mitigation: string }> {
  const want = result.replace(/^0x/i, '').toUpperCase()
  return Object.entries(PAIRS)
    .filter(([k]) => k.split('-')[0] === want)
    .map(([k, v]) => ({ extend: `0x${k.split('-')[1]!}`, cause: v.cause, mitigation: v.mitigation }))
}
