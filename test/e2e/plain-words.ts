/**
 * Words a technician uses (issue 44 §7): what a screen or the CLI says must not carry a kind id (a finding's or a
 * repair's), an enum value of a journal or a fact, a plan or run id, or a regular expression. Shared by the CLI words
 * test (test/unit/cli/plain-words.test.ts) and the browser's cross-surface walk (test/e2e/every-surface.spec.ts).
 *
 * A repair id is allowed where it is the argument of the command to type (`repair restore-health`), and ids inside
 * a machine's name (`x64-pending-restart`) are that name, not the id: matches need a boundary that is not a letter,
 * digit or hyphen on both sides.
 */
import { RepairIdSchema } from '../../preload/model/diagnosis.ts'
import { allBranches } from '../../main/knowledge/servicing-chains.ts'

/** Finding ids of the rules (main/diagnose/rules) a person could meet; a test adds the ones it saw in `--json`. */
export const FINDING_IDS = [
  'missing-checkpoint', 'component-store-corruption', 'servicing-stack-required', 'psfx-delta', 'wrong-arch-or-branch', 'pending-restart',
  'shutdown-in-progress-effect', 'low-disk-space', 'services-disabled', 'servicing-hang', 'winre-partition-too-small', 'winre-disabled',
  'winre-stale', 'esp-full', 'boot-manager-2011', 'secure-boot-2023-missing', 'wu-components', 'installer-failed', 'update-not-installed',
  'lcu-uninstall-blocked', 'emulated-process', 'branch-support', 'known-code',
]

/** Enum values of journals, run records and facts that are not English words. */
export const ENUM_VALUES = [
  'restart-required', 'not-run', 'awaiting-restart', 'install-pending', 'uninstall-pending', 'not-fixed', 'succeeded-with-errors',
  'in-progress', 'not-started', 'windows-production-pca-2011', 'windows-uefi-ca-2023', 'while-broken', 'renamed-folder', 'moved-folder',
  'removed-package', 'latest-attempt', 'top-cause',
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
  const ids = [...new Set([...FINDING_IDS, ...extraIds.filter((x) => x.includes('-')), ...repairIds, ...ENUM_VALUES, ...BRANCH_IDS])]
  for (const line of lines) {
    for (const id of ids) {
      const re = new RegExp(`(?<![A-Za-z0-9_-])${escapeRe(id)}(?![A-Za-z0-9_-])`, 'g')
      for (const m of line.matchAll(re)) {
        // The argument of a command to type: `repair restore-health`, `winre repair`.
        const before = line.slice(0, m.index)
        if ((repairIds as string[]).includes(id) && /\brepair\s+$/.test(before)) continue
        problems.push(`"${id}" in: ${line.trim().slice(0, 200)}`)
      }
    }
    for (const [re, what] of [...REGEX_MARKS, ...ID_MARKS]) if (re.test(line)) problems.push(`${what} in: ${line.trim().slice(0, 200)}`)
  }
  return [...new Set(problems)]
}

/**
 * Technical identifiers a technician should not have to read in a finding's title or a tile's one-line summary (issue
 * 53 §3): they belong behind the "Technical details" disclosure, with plain words in front. Chosen from what the
 * screens showed in round 3 (finding titles, tile headlines, Proof's first cause): the servicing tools' and logs' names,
 * error codes and constants, package and component identities, Secure Boot variable names, registry and device paths.
 * Case matters where the word is also English ("db", "KEK").
 */
export const JARGON: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bCBS\b/, 'CBS'],
  [/\bDISM\b/i, 'DISM'],
  [/\bSSU\b/, 'SSU'],
  [/\bLCU\b/, 'LCU'],
  [/\bHRESULT\b/i, 'HRESULT'],
  [/\breagentc\b/i, 'reagentc'],
  [/\b0x[0-9A-F]{4,8}\b/i, 'an error code (0x…)'],
  [/\b[A-Z][A-Z0-9]*_E_[A-Z0-9_]+\b|\bERROR_[A-Z0-9_]+\b/, 'an error constant'],
  [/~31bf3856ad364e35~|\bPackage_for_[A-Za-z0-9_]+|\b(?:amd64|arm64|x86|wow64|msil)_microsoft-windows-/i, 'a package or component identity'],
  [/\bIsWow64Process2\b/, 'IsWow64Process2'],
  [/\bCheckSUR\b/i, 'CheckSUR'],
  [/\bKEK\b/, 'KEK'],
  [/\bdbx?\b/, 'db/dbx'],
  [/\bUEFICA2023Status\b/i, 'UEFICA2023Status'],
  [/\bREG_(?:DWORD|QWORD|SZ|EXPAND_SZ|MULTI_SZ|BINARY)\b/, 'a registry value type'],
  [/\bHKLM\b|\bHKEY_[A-Z_]+/, 'a registry path'],
  [/\bCOMPONENTS hive\b/i, 'the COMPONENTS hive'],
  [/\\\\\?\\GLOBALROOT/i, 'a device path'],
  [/\bPCA 2011\b/, 'PCA 2011'],
  [/\bWinSxS\b/i, 'WinSxS'],
  [/\bpending\.xml\b/i, 'pending.xml'],
  [/\bSoftwareDistribution\b|\bcatroot2\b/i, 'a Windows Update folder name'],
  [/\bwusa\b|\bbcdedit\b|\bdiskpart\b|\bbcdboot\b/i, 'a command-line tool'],
  [/\.wim\b/i, 'an image file (.wim)'],
  [/\bSecureBootEncodeUEFI\b/, 'SecureBootEncodeUEFI'],
]

/** The jargon words in `text` (a finding's title, a tile's summary), each with the text it was found in. */
export function jargonIn(text: string): string[] {
  return JARGON.filter(([re]) => re.test(text)).map(([, what]) => `${what} in: ${text.trim().slice(0, 200)}`)
}
