/**
 * What kind a text can be, told without its reader: `analyze` loads only the readers a text can be
 * told as (analyze-loading.ts), not every reader's parsers to run every detector.
 *
 * Each kind, in the registry's order (registry.ts; a test holds the two lists equal), is either
 * - told here in full (`score`: its reader's own `detect` is this same function), or
 * - told by its reader (parsers run to tell it), with `max`, the highest score its detect returns, and `gate`, a
 *   cheap test its text passes whenever its detect returns more than 0.
 * kindsToTell(text) names the readers that can be the answer: the best kind told here and each other kind that could
 * score higher (or as high, earlier in the list); a kind left out scores lower, or as high but later, or 0, so the
 * first highest score among the readers named is the one among all readers (analyze-core.ts detectAmong).
 */
import { PACKAGE_IDENTITY_PATTERN, restoreStrippedTildes } from '../parse/package-identity.ts'
import { unwrapConsoleLines } from '../parse/console-text.ts'

export interface KindDetection {
  kind: string
  /** The kind's whole detection (its reader's detect). */
  score?: (text: string) => number
  /** The highest score its reader's detect (or `score`) returns. */
  max: number
  /** False only where its reader's detect returns 0. */
  gate?: (text: string) => boolean
}

/** `cbs-log`: its whole detection. */
export function cbsLogScore(text: string): number {
  const head = text.slice(0, 20_000)
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Error|Warning)\s+(?:CBS|CSI)\s/m.test(head)) return 0.95
  if (/\[HRESULT = 0x[0-9a-f]{8} - (?:CBS|PSFX|ERROR)_/i.test(head) || /Checking System Update Readiness/.test(head)) return 0.85
  if (/^(?:Info|Error)[,\s]+(?:\[0x[0-9a-f]+\]\s*)?(?:CBS|CSI)\s/mi.test(head)) return 0.8
  // sfc's PnP driver-file repair writes only DEPLOY [Pnp] lines into CBS.log (a paste may hold nothing else).
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Error|Warning)\s+DEPLOY\s+\[Pnp\]\s/m.test(head)) return 0.75
  return 0
}

/** `dism-log`: its whole detection. */
export function dismLogScore(text: string): number {
  const head = text.slice(0, 20_000)
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Warning|Error)\s+DISM\s+/m.test(head)) {
    // DISM.log carries CSI/CBS lines too: when DISM's own lines are the majority, it beats the CBS.log reader.
    const dism = head.match(/, (?:Info|Warning|Error)\s+DISM\s/g)?.length ?? 0
    const cbs = head.match(/, (?:Info|Warning|Error)\s+(?:CBS|CSI)\s/g)?.length ?? 0
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
  if (/Details\s+for\s+image|Details\s+(?:zum|für)\s+Abbild|Détails\s+(?:de|pour)\s+l.image|イメージの詳細|映像的详细信息/i.test(head) && /\bIndex\s*:/i.test(head)) return 0.99
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
function reagentcGate(text: string): boolean {
  return /reagentc|windows re|globalroot|recovery environment/i.test(text.slice(0, 20_000))
}

/**
 * WindowsUpdate.log (parse/windowsupdate-log.ts windowsUpdateLogScore): its agent's lines and ReportingEvents' lines
 * each hold a date and a time (`2025-03-04 10:00:00.123`, `2025-03-04 10:00:00:123`) in its first 200,000 characters.
 */
function windowsUpdateLogGate(text: string): boolean {
  return /\d{4}[/-]\d{1,2}[/-]\d{1,2}[ \t]+\d{1,2}:\d{2}:\d{2}[.:]\d/.test(text.slice(0, 200_000))
}

/** CMTrace layout (parse/cmtrace-log.ts cmtraceScore): an entry's `<![LOG[`, or a legacy line's `><thread=`. */
function cmtraceGate(text: string): boolean {
  const head = text.slice(0, 100_000)
  return head.includes('<![LOG[') || head.includes('><thread=')
}

export const KINDS: readonly KindDetection[] = [
  { kind: 'cbs-log', score: cbsLogScore, max: 0.95 },
  { kind: 'dism-log', score: dismLogScore, max: 0.97 },
  { kind: 'dism-output', max: 0.95 },
  { kind: 'wu-event', max: 0.9 },
  { kind: 'setupdiag', max: 0.97 },
  { kind: 'os-info', max: 0.9 },
  { kind: 'hotfix-list', score: hotfixListScore, max: 0.9 },
  { kind: 'dism-packages', score: dismPackagesScore, max: 0.99 },
  { kind: 'dism-image-info', score: dismImageInfoScore, max: 0.99 },
  { kind: 'reagentc-info', max: 1, gate: reagentcGate },
  { kind: 'setup-log', max: 0.8 },
  { kind: 'windowsupdate-log', max: 1, gate: windowsUpdateLogGate },
  { kind: 'configmgr-log', max: 0.95, gate: cmtraceGate },
  { kind: 'ime-log', max: 0.95, gate: cmtraceGate },
  { kind: 'pswindowsupdate', max: 0.85 },
  { kind: 'update-history', max: 0.85 },
]

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.kind)

/**
 * The kinds told here, highest `max` first (then the list's order): once one scores, a kind whose `max` cannot beat
 * it is not run (each detection's patterns compiled for nothing: a package list skipped four of the five).
 */
const SCORED = KINDS.map((k, i) => ({ k, i })).filter(({ k }) => k.score).sort((a, b) => b.k.max - a.k.max || a.i - b.i)

/** The kinds whose readers can tell `text`'s kind (see above), in the list's order. */
export function kindsToTell(text: string): string[] {
  // The first highest score in the list's order: a kind scores at most its max, and an equal score later loses.
  let best = -1
  let bestScore = 0
  for (const { k, i } of SCORED) {
    if (k.max < bestScore || (k.max === bestScore && i > best)) continue
    let s = 0
    try { s = k.score!(text) } catch { s = 0 }
    if (s > bestScore || (s === bestScore && s > 0 && i < best)) { best = i; bestScore = s }
  }
  return KINDS.filter((k, i) => {
    if (k.score) return i === best && bestScore >= 0.3
    const max = k.max
    if (max < 0.3 || max < bestScore || (max === bestScore && i > best)) return false
    try { return !k.gate || k.gate(text) } catch { return true }
  }).map((k) => k.kind)
}
