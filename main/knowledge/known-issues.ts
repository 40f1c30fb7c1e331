/**
 * Known issues Microsoft acknowledged (data/known-issues.json): KB, symptom, what it affects, resolution.
 * `matchKnownIssues` matches them against a PC's facts and failure; the diagnosis rule ranks a match before
 * generic causes (main/diagnose/rules/known-issues.ts).
 */
import data from './data/known-issues.json' with { type: 'json' }
import { parseWinreVersion } from './winre-targets.ts'

export interface KnownIssue {
  id: string
  kb: string
  /** Further updates with the same issue (a preview and its month's update): each meets the row as `kb` does. */
  kbs?: string[]
  title: string
  /** Why it fails, in one plain sentence (no codes, package names or tools): the first line of a finding's "Why". */
  why: string
  symptom: string
  /**
   * installed: the update installs and the PC then fails (a stop code at start-up), so the row also meets a PC where
   * the KB is installed — only with one of its codes in play, never on the KB alone.
   */
  affects: {
    branchIds: string[]
    codes: string[]
    condition?: string
    installed?: boolean
    /**
     * The words that describe an issue which has no code, or whose code people seldom read off the screen (a stop
     * code, a recovery screen, a loop): lower case, matched as written in a pasted text that also names the KB.
     */
    symptomWords?: string[]
  }
  notNeededWhenWinreAtLeast?: string
  /** Report only when the update is not needed (another rule covers the failure itself). */
  onlyWhenNotNeeded?: boolean
  /** What to do until the fix is installed (the source's words), when it names one. */
  workaround?: string
  resolution: string
  resolutionKb: string | null
  /** The remedy's title when resolutionKb is not simply installed instead (a prerequisite, a recovery first). */
  resolutionTitle?: string
  kir: boolean
  source: string
  verified: boolean
  /** The sentence of the source that states the issue, verbatim (checked against the source's captured excerpt). */
  quote?: string
}

export const knownIssuesAsOf: string = data.asOf
export const knownIssueSources: Record<string, string> = data.sources
const issues = data.issues as KnownIssue[]

export function knownIssues(): readonly KnownIssue[] {
  return issues
}

export interface IssueFacts {
  branchId: string | null
  /** KBs whose install failed recently (history), upper-case. */
  failedKbs: string[]
  /** Error codes in play (0x… upper-case hex). */
  codes: string[]
  /** The code the user typed, if any. */
  typedCode: string | null
  winreVersion: string | null
  /** KBs installed now. */
  installedKbs: string[]
  /** KBs a pasted text names, whatever it says of them (upper case). */
  textKbs?: string[]
  /** Ids of the rows whose symptom words a pasted text holds (knownIssueWordsIn). */
  textWordRows?: string[]
}

export interface IssueMatch {
  issue: KnownIssue
  /** The update of the row that met (`kb` or one of `kbs`). */
  kb: string
  /** How strongly it applies: the failed KB itself with its code (strong), or the code on the branch (weak). */
  strength: 'strong' | 'weak'
  /** For KB5034441-style issues: the update is not needed on this PC. */
  notNeeded: boolean
  why: string[]
  /** The resolution KB is already installed: the issue is behind this PC. */
  resolved: boolean
}

/**
 * The rows whose symptom words a text holds, each with the first of its words found: read once per pasted text, so
 * `diagnose` meets a row that has no code where the text names its KB beside the words that describe it.
 */
export function knownIssueWordsIn(text: string): { id: string; word: string }[] {
  const rows = issues.filter((r) => r.affects.symptomWords?.length)
  if (rows.length === 0) return []
  const lower = text.toLowerCase()
  return rows.flatMap((r) => {
    const word = r.affects.symptomWords!.find((w) => lower.includes(w))
    return word ? [{ id: r.id, word }] : []
  })
}

export function matchKnownIssues(f: IssueFacts): IssueMatch[] {
  const out: IssueMatch[] = []
  for (const issue of issues) {
    const branchOk = f.branchId === null || issue.affects.branchIds.includes(f.branchId)
    if (!branchOk) continue
    const kbs = [issue.kb, ...(issue.kbs ?? [])]
    const failedKb = kbs.find((k) => f.failedKbs.includes(k)) ?? null
    const installedKb = kbs.find((k) => f.installedKbs.includes(k)) ?? null
    const namedKb = kbs.find((k) => f.textKbs?.includes(k)) ?? null
    const code = issue.affects.codes.find((c) => f.codes.includes(c) || f.typedCode === c) ?? null
    const installedThenFailed =
      failedKb === null && issue.affects.installed === true && code !== null && installedKb !== null
    // The words that describe the issue, in a text that names the update (failed, installed or only named there).
    const words = f.textWordRows?.includes(issue.id) === true ? (failedKb ?? installedKb ?? namedKb) : null
    if (failedKb === null && !installedThenFailed && words === null) continue
    // An issue that shows once the update is installed is no cause of that update failing to install: its own
    // failure meets the row only beside the row's code or words.
    if (issue.affects.installed === true && failedKb !== null && code === null && words === null) continue
    const kb = failedKb ?? (installedThenFailed ? installedKb! : words!)
    const why = [
      failedKb !== null
        ? `${kb} failed on this PC${code ? ` with ${code}` : ''}.`
        : installedThenFailed
          ? `${kb} is installed on this PC and ${code} is in play.`
          : `The text names ${kb} and describes what the issue does.`,
    ]
    if (f.branchId) why.push(`This PC's branch (${f.branchId}) is one the issue affects.`)
    if (issue.affects.condition) why.push(`Condition: ${issue.affects.condition}`)
    let notNeeded = false
    if (issue.notNeededWhenWinreAtLeast && f.winreVersion) {
      const have = parseWinreVersion(f.winreVersion)
      const want = parseWinreVersion(issue.notNeededWhenWinreAtLeast)
      if (have && want && have[2] === want[2] && have[3] >= want[3]) {
        notNeeded = true
        why.push(
          `WinRE is ${f.winreVersion}, at or above ${issue.notNeededWhenWinreAtLeast}: the update is not needed.`,
        )
      }
    }
    if (issue.onlyWhenNotNeeded && !notNeeded) continue
    const resolved = issue.resolutionKb !== null && f.installedKbs.includes(issue.resolutionKb)
    out.push({ issue, kb, strength: code || words ? 'strong' : 'weak', notNeeded, why, resolved })
  }
  return out
}
