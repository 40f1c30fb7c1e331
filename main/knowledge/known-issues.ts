/**
 * Known issues Microsoft acknowledged (data/known-issues.json): KB, symptom, what it affects, resolution.
 * `matchKnownIssues` matches them against a PC's facts and failure; the diagnosis rule ranks a match before
 * generic causes (main/diagnose/rules/known-issues.ts).
 */
import data from './data/known-issues.json' with { type: 'json' }
import { escapePattern } from '../parse/escape-pattern.ts'
import { parseWinreVersion } from './winre-targets.ts'

export interface KnownIssue {
  id: string
  /** The update that fails or brings the issue; null for an issue of a whole release (a feature update has no KB). */
  kb: string | null
  /** The release the issue is keyed by when it has no KB ("Windows 10, version 1809"): named where a KB would be. */
  release?: string
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
     * What the person tells when the issue has no code (a sign-in that fails, a PC that restarts instead of shutting
     * down): each a word or the start of one, any language, matched case-insensitively where a word starts. The row
     * meets a text that names its KB and one of these. "@name" in the table stands for the words of its symptom set
     * `name` (read so when the table loads: a row here holds the words).
     */
    symptomWords?: string[]
    /** The other updates the same known issue names (a preview and a security-only update beside the rollup). */
    kbs?: string[]
    /**
     * For a row keyed by a release (no KB): the words that name it ("1809", "October 2018 Update", in any language),
     * matched as symptom words are. A text naming the release and telling a symptom word meets the row.
     */
    releaseWords?: string[]
  }
  /**
   * resolutionKb must be installed before the row's updates (a servicing stack update): a text that names it beside one
   * of the row's codes tells this issue, as Microsoft's own known-issue text does.
   */
  prerequisite?: boolean
  /** The sentence of the cited source that states the issue, verbatim (its capture is under test/fixtures/known-issues). */
  quote?: string
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

/*
 * Nothing here reads the data at import, only when called: the CLI's bundle reads the JSON file on first use
 * (vite.cli.config.ts LAZY_DATA), and a diagnosis with no KB and no text (`diagnose --code`) meets no row, so it neither
 * reads nor parses the table (234 KB).
 */
/** The date the known-issue data is as of. */
export const knownIssuesAsOf = (): string => data.asOf
/** The known issues' sources by key. */
export const knownIssueSources = (): Record<string, string> => data.sources

/** A row's symptom words with each "@name" replaced by the words of `sets[name]`; a name with no list throws. */
export function expandSymptomSets(words: readonly string[], sets: Record<string, unknown>, id: string): string[] {
  return words.flatMap((w) => {
    if (!w.startsWith('@')) return [w]
    const set = Object.hasOwn(sets, w.slice(1)) ? sets[w.slice(1)] : undefined
    if (!Array.isArray(set) || !set.every((x) => typeof x === 'string' && x.trim() !== ''))
      throw new Error(
        `known-issues.json: row ${id} names the symptom set ${w}, which is not a list of words in symptomSets`,
      )
    return set as string[]
  })
}

let issues: readonly KnownIssue[] | null = null

/**
 * The table's rows, read on first call. A symptom word "@name" stands for every word of the table's
 * `symptomSets[name]` (a restart loop in each display language, shared by every row whose symptom it is): the rows are
 * read with those words in its place. A name with no set is an error of the table, found when the rows are first read.
 */
export function knownIssues(): readonly KnownIssue[] {
  if (issues) return issues
  const symptomSets = (data as { symptomSets?: Record<string, unknown> }).symptomSets ?? {}
  issues = (data.issues as KnownIssue[]).map((r) =>
    r.affects.symptomWords?.some((w) => w.startsWith('@'))
      ? { ...r, affects: { ...r.affects, symptomWords: expandSymptomSets(r.affects.symptomWords, symptomSets, r.id) } }
      : r,
  )
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
  /** The person's own text (pasted or typed), read for a code-less row's symptom words. */
  text?: string | null
  /** KBs the text names, whatever it says of them (upper-case). */
  namedKbs?: string[]
}

export interface IssueMatch {
  issue: KnownIssue
  /** The update that met the row: its own KB, or another the row names. */
  kb: string
  /** How strongly it applies: the failed KB itself with its code (strong), or the code on the branch (weak). */
  strength: 'strong' | 'weak'
  /** For KB5034441-style issues: the update is not needed on this PC. */
  notNeeded: boolean
  why: string[]
  /** The resolution KB is already installed: the issue is behind this PC. */
  resolved: boolean
  /** How the row was reached: its KB with a code (or the KB's own failure), or its KB with its symptom's words. */
  via: 'code' | 'symptom'
  /** The symptom word the text held, for a row reached by its words. */
  word?: string
}

function kbsOf(issue: KnownIssue): string[] {
  return [...(issue.kb ? [issue.kb] : []), ...(issue.affects.kbs ?? [])]
}

const wordPatterns = new Map<string, RegExp>()
/** The first of the row's symptom words the text holds where a word starts, or null. */
export function symptomWordIn(text: string, words: readonly string[]): string | null {
  for (const w of words) {
    let re = wordPatterns.get(w)
    if (!re) {
      const body = escapePattern(w.trim()).replace(/\s+/g, '\\s+')
      // Chinese and Japanese are written without spaces: a word of theirs starts anywhere, and a character of theirs
      // before a word in Latin letters ("之後localhost") is a boundary, as a space is.
      re = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(body)
        ? new RegExp(body, 'iu')
        : new RegExp(`(?<!(?![\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}])[\\p{L}\\p{N}_])${body}`, 'iu')
      wordPatterns.set(w, re)
    }
    if (re.test(text)) return w
  }
  return null
}

/** The KBs of IssueFacts' lists, as sets. */
interface KbSets {
  failed: ReadonlySet<string>
  installed: ReadonlySet<string>
  named: ReadonlySet<string>
}

/**
 * A row with no code is reached by its symptom: its KB named by the text, failed or installed on the PC, and one of its
 * symptom words in the person's text. A row with codes is reached this way only when no code of it is in play and the
 * text tells its symptom (a blue screen told in words).
 */
function symptomMatch(issue: KnownIssue, f: IssueFacts, k: KbSets): string | null {
  const words = issue.affects.symptomWords
  if (!words?.length || !f.text) return null
  const kbMet = kbsOf(issue).some((kb) => k.failed.has(kb) || k.installed.has(kb) || k.named.has(kb))
  const release = issue.affects.releaseWords
  if (!kbMet && !(release?.length && symptomWordIn(f.text, release) !== null)) return null
  return symptomWordIn(f.text, words)
}

export function matchKnownIssues(f: IssueFacts): IssueMatch[] {
  // A row is met only through a KB (failed, installed or named) or a text telling its symptom: without any, none is.
  if (!f.failedKbs.length && !f.installedKbs.length && !f.namedKbs?.length && !f.text) return []
  // As sets: every row asks each of its KBs of each list (a machine's installed KBs, 135 rows; diagnose --machine
  // x64-component-store-corrupt 473.8 -> 466.0 M instructions, the built CLI).
  const k: KbSets = {
    failed: new Set(f.failedKbs),
    installed: new Set(f.installedKbs),
    named: new Set(f.namedKbs ?? []),
  }
  const codes = new Set(f.codes)
  const out: IssueMatch[] = []
  for (const issue of knownIssues()) {
    const branchOk = f.branchId === null || issue.affects.branchIds.includes(f.branchId)
    if (!branchOk) continue
    const kbs = kbsOf(issue)
    const failedKb = kbs.find((kb) => k.failed.has(kb)) ?? null
    const failedIt = failedKb !== null
    const code = issue.affects.codes.find((c) => codes.has(c) || f.typedCode === c) ?? null
    const installedKb = kbs.find((kb) => k.installed.has(kb)) ?? null
    const installedThenFailed = !failedIt && issue.affects.installed === true && code !== null && installedKb !== null
    const told = !code ? symptomMatch(issue, f, k) : null
    // An issue that shows once the update is installed is no cause of that update failing to install: its own failure
    // meets the row only beside the row's code or words.
    if (issue.affects.installed === true && failedIt && code === null && told === null) continue
    const prerequisiteNamed =
      !failedIt &&
      issue.prerequisite === true &&
      issue.resolutionKb !== null &&
      code !== null &&
      k.named.has(issue.resolutionKb) &&
      !k.installed.has(issue.resolutionKb)
    if (!failedIt && !installedThenFailed && told === null && !prerequisiteNamed) continue
    // The update that met the row (a row may name several: a preview and a security-only update beside the rollup).
    const kb =
      failedKb ??
      (installedThenFailed ? installedKb : null) ??
      (told !== null ? (installedKb ?? kbs.find((kb) => k.named.has(kb))) : null) ??
      issue.kb ??
      issue.release ??
      issue.id
    const why = [
      told !== null
        ? `The text names ${kb} and tells the issue's symptom ("${told}").`
        : prerequisiteNamed
          ? `The text names ${issue.resolutionKb}, the update Microsoft says must come first, beside ${code}.`
          : installedThenFailed
            ? `${kb} is installed on this PC and ${code} is in play.`
            : `${kb} failed on this PC${code ? ` with ${code}` : ''}.`,
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
    const resolved = issue.resolutionKb !== null && k.installed.has(issue.resolutionKb)
    out.push({
      issue,
      kb,
      strength: code || told !== null ? 'strong' : 'weak',
      notNeeded,
      why,
      resolved,
      via: told !== null ? 'symptom' : 'code',
      ...(told !== null ? { word: told } : {}),
    })
  }
  return out
}
