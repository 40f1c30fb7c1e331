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
  title: string
  /** Why it fails, in one plain sentence (no codes, package names or tools): the first line of a finding's "Why". */
  why: string
  symptom: string
  /**
   * installed: the update installs and the PC then fails (a stop code at start-up), so the row also meets a PC where
   * the KB is installed — only with one of its codes in play, never on the KB alone.
   */
  affects: { branchIds: string[]; codes: string[]; condition?: string; installed?: boolean }
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
}

export interface IssueMatch {
  issue: KnownIssue
  /** How strongly it applies: the failed KB itself with its code (strong), or the code on the branch (weak). */
  strength: 'strong' | 'weak'
  /** For KB5034441-style issues: the update is not needed on this PC. */
  notNeeded: boolean
  why: string[]
  /** The resolution KB is already installed: the issue is behind this PC. */
  resolved: boolean
}

export function matchKnownIssues(f: IssueFacts): IssueMatch[] {
  const out: IssueMatch[] = []
  for (const issue of issues) {
    const branchOk = f.branchId === null || issue.affects.branchIds.includes(f.branchId)
    if (!branchOk) continue
    const failedIt = f.failedKbs.includes(issue.kb)
    const code = issue.affects.codes.find((c) => f.codes.includes(c) || f.typedCode === c) ?? null
    const installedThenFailed =
      !failedIt && issue.affects.installed === true && code !== null && f.installedKbs.includes(issue.kb)
    if (!failedIt && !installedThenFailed) continue
    const why = [
      installedThenFailed
        ? `${issue.kb} is installed on this PC and ${code} is in play.`
        : `${issue.kb} failed on this PC${code ? ` with ${code}` : ''}.`,
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
    out.push({ issue, strength: code ? 'strong' : 'weak', notNeeded, why, resolved })
  }
  return out
}
