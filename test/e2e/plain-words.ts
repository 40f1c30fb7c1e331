/**
 * Words a technician uses: what a screen or the CLI says must not carry a kind id (a finding's or a
 * repair's), an enum value of a journal or a fact, a plan or run id, or a regular expression. Shared by the CLI words
 * test (test/unit/cli/plain-words.test.ts) and the browser's cross-surface walk (test/e2e/every-surface.spec.ts).
 *
 * A repair id is allowed where it is the argument of the command to type (`repair restore-health`), and ids inside
 * a machine's name (`x64-pending-restart`) are that name, not the id: matches need a boundary that is not a letter,
 * digit or hyphen on both sides.
 */
import { RepairIdSchema } from '../../preload/model/diagnosis.ts'
import { allBranches } from '../../main/knowledge/servicing-chains.ts'
import { JARGON } from '../../preload/model/technical-words.ts'

/** Finding ids of the rules (main/diagnose/rules) a person could meet; a test adds the ones it saw in `--json`. */
export const FINDING_IDS = [
  'missing-checkpoint',
  'component-store-corruption',
  'servicing-stack-required',
  'psfx-delta',
  'wrong-arch-or-branch',
  'pending-restart',
  'shutdown-in-progress-effect',
  'low-disk-space',
  'services-disabled',
  'servicing-hang',
  'winre-partition-too-small',
  'winre-disabled',
  'winre-stale',
  'esp-full',
  'boot-manager-2011',
  'secure-boot-2023-missing',
  'wu-components',
  'installer-failed',
  'update-not-installed',
  'lcu-uninstall-blocked',
  'emulated-process',
  'branch-support',
  'known-code',
]

/** Enum values of journals, run records and facts that are not English words. */
export const ENUM_VALUES = [
  'restart-required',
  'not-run',
  'awaiting-restart',
  'install-pending',
  'uninstall-pending',
  'not-fixed',
  'succeeded-with-errors',
  'in-progress',
  'not-started',
  'windows-production-pca-2011',
  'windows-uefi-ca-2023',
  'while-broken',
  'renamed-folder',
  'moved-folder',
  'removed-package',
  'latest-attempt',
  'top-cause',
]

/** The knowledge's branch ids (`win11-24h2`): a person reads "Windows 11, version 24H2". */
export const BRANCH_IDS = allBranches().map((b) => b.id)

const REGEX_MARKS: Array<[RegExp, string]> = [
  [/\\[dswbDSWB](?=[+*?{}()|\]$^ ]|$)/, 'a regular expression class (\\d, \\s, \\w, \\b)'],
  [/\(\?[:=!<]/, 'a regular expression group'],
  [/\[\^/, 'a negated character class'],
  [/\\\.[*+?]?/, 'an escaped dot'],
  [/\{\d+,\d*\}/, 'a repetition count'],
  [/\.\*|\.\+/, 'a wildcard of a regular expression'],
]

/** Plan ids and run ids: `20261124T180537-…` (repair runs), `<machine>-winre-<digits>` (WinRE repairs), `plan-…`. */
const ID_MARKS: Array<[RegExp, string]> = [
  [/\b\d{8}T\d{6}(?:Z)?-[a-z0-9-]+/, 'a run id'],
  [/\bwinre-\d{6,}\b/, 'a WinRE repair id'],
  [/\bplan-[0-9a-f]{6,}/, 'a plan id'],
]

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The problems in `text`: each names what was found and the line around it. */
export function wordProblems(text: string, extraIds: readonly string[] = []): string[] {
  const problems: string[] = []
  const lines = text.split(/\r?\n/)
  const repairIds = RepairIdSchema.options.filter((id) => id.includes('-'))
  const ids = [
    ...new Set([
      ...FINDING_IDS,
      ...extraIds.filter((x) => x.includes('-')),
      ...repairIds,
      ...ENUM_VALUES,
      ...BRANCH_IDS,
    ]),
  ]
  for (const line of lines) {
    for (const id of ids) {
      const re = new RegExp(`(?<![A-Za-z0-9_-])${escapeRe(id)}(?![A-Za-z0-9_-])`, 'g')
      for (const m of line.matchAll(re)) {
        // The argument of a command to type: `repair restore-health`, `winre repair`.
        const before = line.slice(0, m.index)
        if ((repairIds as string[]).includes(id) && /\brepair\s+$/.test(before)) continue
        // A branch named as a command's argument: `knowledge catalog --branch win11-24h2 …`.
        if (BRANCH_IDS.includes(id) && /--branch\s+$/.test(before)) continue
        problems.push(`"${id}" in: ${line.trim().slice(0, 200)}`)
      }
    }
    for (const [re, what] of [...REGEX_MARKS, ...ID_MARKS])
      if (re.test(line)) problems.push(`${what} in: ${line.trim().slice(0, 200)}`)
  }
  return [...new Set(problems)]
}

/**
 * Technical identifiers a technician should not have to read in front: the list lives with the model
 * (preload/model/technical-words.ts), where the app splits a sentence into its plain front and its technical line.
 */
export { JARGON }

/** The jargon words in `text` (a finding's title, a tile's summary), each with the text it was found in. */
export function jargonIn(text: string): string[] {
  return JARGON.filter(([re]) => re.test(text)).map(([, what]) => `${what} in: ${text.trim().slice(0, 200)}`)
}

/**
 * The lines of the CLI's text a person reads first, where no jargon may stand: `diagnose`'s finding
 * headings ("1. [PROBLEM] …"), its steps' titles and its history; every line of `report --summary` but the indented
 * "technical:" lines and the undo commands. A finding's causes, commands and evidence under its heading are its
 * technical body (the screens keep the same behind their disclosures and command boxes).
 */
export function cliFrontLines(command: 'diagnose' | 'summary', text: string): string[] {
  const lines = text.split(/\r?\n/)
  if (command === 'summary') return lines.filter((l) => l.trim() && !/^\s+technical: /.test(l) && !/^\s+Undo: /.test(l))
  return lines.filter(
    (l) =>
      /^\d+\. \[[A-Z]+\] /.test(l) ||
      /^ {5}\d+\. /.test(l) ||
      /^ {2}- /.test(l) ||
      /^No (current )?problem found/.test(l),
  )
}
