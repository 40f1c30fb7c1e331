/**
 * The detections detect-kinds.ts tells a kind by without loading its reader: a kind's whole score (its reader's own
 * `detect` is this same function) or a cheap gate its text passes whenever its reader's detect scores above 0.
 * Apart from the list of kinds, so a reader can import its score without an import circle.
 */
import { PACKAGE_IDENTITY_PATTERN, restoreStrippedTildes } from '../parse/package-identity.ts'
import { unwrapConsoleLines } from '../parse/console-text.ts'

/** `cbs-log`: its whole detection. */
export function cbsLogScore(text: string): number {
  const head = text.slice(0, 20_000)
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Error|Warning)\s+(?:CBS|CSI)\s/m.test(head)) return 0.95
  if (/\[HRESULT = 0x[0-9a-f]{8} - (?:CBS|PSFX|ERROR)_/i.test(head) || /Checking System Update Readiness/.test(head))
    return 0.85
  // The store check's own lines pasted alone (CheckSUR.log, or the block cut out of CBS.log): `(f)`/`(p)` + CBS/CSI.
  if (/^[^\S\n]*\((?:f|p|fix)\)[^\S\n]+(?:CBS|CSI)[^\S\n]/m.test(head)) return 0.85
  if (/^(?:Info|Error)[,\s]+(?:\[0x[0-9a-f]+\]\s*)?(?:CBS|CSI)\s/im.test(head)) return 0.8
  // sfc's PnP driver-file repair writes only DEPLOY [Pnp] lines into CBS.log (a paste may hold nothing else).
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Error|Warning)\s+DEPLOY\s+\[Pnp\]\s/m.test(head)) return 0.75
  return 0
}

/** The first line of `head` that starts with a log line's date and time (empty when none). */
function firstLogLine(head: string): string {
  const m = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, .*/m.exec(head)
  return m ? m[0] : ''
}

/** `dism-log`: its whole detection. */
export function dismLogScore(text: string): number {
  const head = text.slice(0, 20_000)
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Warning|Error)\s+DISM\s+/m.test(head)) {
    // DISM.log carries CSI/CBS lines too: when DISM's own lines are the majority, it beats the CBS.log reader.
    const dism = head.match(/, (?:Info|Warning|Error)\s+DISM\s/g)?.length ?? 0
    const cbs = head.match(/, (?:Info|Warning|Error)\s+(?:CBS|CSI)\s/g)?.length ?? 0
    // CBS.log carries DISM's lines too, while DISM drives the stack: a paste that opens with the stack's own lines and
    // where DISM never tells of loading the stack or starting its session is CBS.log (DISM.log's shim lines always
    // come with that line).
    if (
      cbs > 0 &&
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Warning|Error)\s+(?:CBS|CSI)\s/.test(firstLogLine(head)) &&
      !/Loaded servicing stack|CBS is being initialized|Starting Dism\.exe session/.test(head)
    )
      return 0.95
    return dism > cbs ? 0.97 : 0.95
  }
  if (/PID=\d+ TID=\d+/.test(head) && /DISM/.test(head)) return 0.8
  return 0
}

/** `hotfix-list`: its whole detection. */
export function hotfixListScore(text: string): number {
  const head = text.slice(0, 100_000)
  if (/\bHotFixID\b/i.test(head) && /\bKB\d{6,8}\b/i.test(head)) return 0.9
  // [^\S\n]*, not \s*: with /m, \s* runs across blank lines from every line start (quadratic; found by fuzzing).
  if (/^[^\S\n]*\[\d{1,3}\]\s*:\s*KB\d{6,8}/m.test(head)) return 0.6
  // A hotfix table whose rows were cut off: still say what it is, and that no KB survived.
  if (/\bHotFixID\b/.test(head) && /\b(InstalledOn|Description)\b/.test(head)) return 0.5
  const kbs = head.match(/\bKB\d{6,8}\b/gi) ?? []
  return kbs.length >= 2 && kbs.join('').length / Math.max(1, head.replace(/\s/g, '').length) > 0.5 ? 0.5 : 0
}

/** `dism-image-info`: its whole detection. */
export function dismImageInfoScore(text: string): number {
  const head = text.slice(0, 100_000)
  if (
    /Details\s+for\s+image|Details\s+(?:zum|für)\s+Abbild|Détails\s+(?:de|pour)\s+l.image|イメージの詳細|映像的详细信息/i.test(
      head,
    ) &&
    /\bIndex\s*:/i.test(head)
  )
    return 0.99
  // [^\S\n]*, not \s*: with /m, \s* runs across blank lines from every line start (quadratic; found by fuzzing).
  if (/^[^\S\n]*"?ImageIndex\s*:/im.test(head) && /^[^\S\n]*"?ImageName\s*:/im.test(head)) return 0.95
  if (/^[^\S\n]*Index\s*:\s*\d+\s*$/im.test(head) && /^[^\S\n]*(Name|Nom|名称)\s*:/im.test(head)) return 0.6
  return 0
}

/** `dism-packages`: its whole detection. */
export function dismPackagesScore(text: string): number {
  let head = restoreStrippedTildes(text.slice(0, 200_000))
  let ids = head.match(PACKAGE_IDENTITY_PATTERN)?.length ?? 0
  // A console hard wrap splits identities across lines; join the cut lines and count again.
  if (ids === 0 && head.includes('~31bf3856ad364e35')) {
    head = unwrapConsoleLines(head).join('\n')
    ids = head.match(PACKAGE_IDENTITY_PATTERN)?.length ?? 0
  }
  if (ids === 0) return 0
  // Beats the generic DISM transcript analyzer (0.95) when the transcript is a package listing.
  if (/Packages listing|Package\s*Identity|PackageName|PackageState/i.test(head)) return 0.99
  return /\|/.test(head) || ids >= 3 ? 0.7 : 0.4
}

/** reagentc /info (parse/reagentc.ts looksLikeReagentc): each of its four tests needs one of these words. */
export function reagentcGate(text: string): boolean {
  return /reagentc|windows re|globalroot|recovery environment/i.test(text.slice(0, 20_000))
}

/**
 * WindowsUpdate.log (parse/windowsupdate-log.ts windowsUpdateLogScore): its agent's lines and ReportingEvents' lines
 * each hold a date and a time (`2025-03-04 10:00:00.123`, `2025-03-04 10:00:00:123`) in its first 200,000 characters.
 */
export function windowsUpdateLogGate(text: string): boolean {
  return /\d{4}[/-]\d{1,2}[/-]\d{1,2}[ \t]+\d{1,2}:\d{2}:\d{2}[.:]\d/.test(text.slice(0, 200_000))
}

/** CMTrace layout (parse/cmtrace-log.ts cmtraceScore): an entry's `<![LOG[`, or a legacy line's `><thread=`. */
export function cmtraceGate(text: string): boolean {
  const head = text.slice(0, 100_000)
  return head.includes('<![LOG[') || head.includes('><thread=')
}
