/**
 * Problems told without a code: the sentences Windows shows and the states its events and registry
 * report, mapped to their cause. Each symptom is matched on its own words (Windows' message, the event's id with
 * the state it reports); a code elsewhere in the text does not change that the sentence was shown.
 */
export interface Symptom {
  id: string
  /** The failure in one line, the cause, what to look at next. */
  title: string
  cause: string
  /** Where the wording or state comes from. */
  source: string
}

/** `lower`: the text in lower case, for a cheap look for a word every match holds before the patterns run (a pattern
 * is compiled on its first run). The patterns are ASCII and /i, which matches ASCII letters only by case. */
interface Rule extends Symptom {
  test: (text: string, lower: string) => boolean
}

const RULES: Rule[] = [
  {
    id: 'setup-system-reserved-partition',
    test: (t, lower) =>
      lower.includes('system reserved partition') && /couldn[’'`]?t update (?:the )?system reserved partition/i.test(t),
    title: 'Windows Setup could not update the system reserved partition',
    cause:
      'The system reserved (or EFI system) partition has too little free space for the new boot files (Setup needs about 15 MB free there); fonts or third-party files filling it, or a partition that is too small, are the usual reasons.',
    source:
      'Windows Setup\'s message "We couldn\'t update the system reserved partition" (Setup result 0xC1900104 / 0x800F0922)',
  },
  {
    id: 'secure-boot-certificates-not-applied',
    test: (t, lower) =>
      (lower.includes('1801') || lower.includes('available but not')) &&
      (/\b(?:event(?:\s*id)?|TPM-WMI)\s*(?:id\s*)?1801\b/i.test(t) ||
        /Certificates? (?:are )?available but not (?:yet )?applied/i.test(t)) &&
      (/UEFICA2023Status[^\n]{0,30}\bInProgress/i.test(t) ||
        /1801[^\n]{0,80}(?:every|each|again|repeat|keeps?)|(?:every|each) time[^\n]{0,80}1801/i.test(t)),
    title:
      'The Secure Boot certificate update is not applied: event 1801 repeats and UEFICA2023Status stays InProgress',
    cause:
      "The 2023 Secure Boot certificates (Windows UEFI CA 2023, KEK 2K CA 2023) were not written to the firmware's databases or the 2023-signed boot manager was not installed: the firmware refuses the update (a BIOS/UEFI update from the OEM is usually needed) or the servicing task cannot finish.",
    source:
      'Microsoft "Secure Boot DB and DBX variable update events" (TPM-WMI event 1801: the updated certificates have not been applied to the firmware) and the UEFICA2023Status registry value (NotStarted, InProgress, Updated)',
  },
  {
    id: 'update-failed-no-code',
    test: (t) =>
      /\bKB\s?\d{6,7}\b[^\n]{0,120}\b(?:fails?|failed|refuses|won[’']?t|keeps failing)\s+(?:to\s+)?install/i.test(t) &&
      !/0x[0-9a-f]{8}|\b8[0-9a-f]{7}\b/i.test(t),
    title: 'An update fails to install; the text gives no code',
    cause:
      'Without the code the cause is open: read the update history (Settings › Update history or Get-WUHistory), CBS.log and WindowsUpdate.log for the failure code.',
    source: "the text's own words",
  },
]

/** The symptoms the text shows, in the rules' order. */
export function symptomsIn(text: string): Symptom[] {
  if (typeof text !== 'string' || text.length === 0) return []
  const head = text.length > 2_000_000 ? text.slice(0, 2_000_000) : text
  const lower = head.toLowerCase()
  return RULES.filter((r) => {
    try {
      return r.test(head, lower)
    } catch {
      return false
    }
  }).map(({ test: _t, ...s }) => s)
}
