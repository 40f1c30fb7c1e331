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
import {
  cbsLogScore,
  cmtraceGate,
  dismImageInfoScore,
  dismLogScore,
  dismPackagesScore,
  hotfixListScore,
  reagentcGate,
  windowsUpdateLogGate,
} from './kind-scores.ts'
import type { Analyzer } from './analyzer.ts'

export interface KindDetection {
  kind: string
  /** Its reader, imported when first needed (analyze-loading.ts); registry.ts holds the same readers loaded. */
  load: () => Promise<Analyzer>
  /** The kind's whole detection (its reader's detect). */
  score?: (text: string) => number
  /** The highest score its reader's detect (or `score`) returns. */
  max: number
  /** False only where its reader's detect returns 0. */
  gate?: (text: string) => boolean
}

export { cbsLogScore, dismImageInfoScore, dismLogScore, dismPackagesScore, hotfixListScore } from './kind-scores.ts'

/**
 * Every kind of text `analyze` reads, in the order detection breaks ties: THE list of reader kinds. Add a kind: an entry
 * here and its reader in registry.ts's map (the compiler asks for it); docs/guides.md "A reader of a new text format".
 */
const KIND_LIST = [
  {
    kind: 'cbs-log',
    load: async () => (await import('./kinds/cbs-log.ts')).cbsLogAnalyzer,
    score: cbsLogScore,
    max: 0.95,
  },
  {
    kind: 'dism-log',
    load: async () => (await import('./kinds/dism-log.ts')).dismLogAnalyzer,
    score: dismLogScore,
    max: 0.97,
  },
  { kind: 'dism-output', load: async () => (await import('./kinds/dism-output.ts')).dismOutputAnalyzer, max: 0.95 },
  { kind: 'wu-event', load: async () => (await import('./kinds/wu-event.ts')).wuEventAnalyzer, max: 0.9 },
  { kind: 'setupdiag', load: async () => (await import('./kinds/setupdiag.ts')).setupDiagAnalyzer, max: 0.97 },
  { kind: 'os-info', load: async () => (await import('./kinds/os-info.ts')).osInfoAnalyzer, max: 0.9 },
  {
    kind: 'hotfix-list',
    load: async () => (await import('./kinds/hotfix-list.ts')).hotfixListAnalyzer,
    score: hotfixListScore,
    max: 0.9,
  },
  {
    kind: 'dism-packages',
    load: async () => (await import('./kinds/dism-packages.ts')).dismPackagesAnalyzer,
    score: dismPackagesScore,
    max: 0.99,
  },
  {
    kind: 'dism-image-info',
    load: async () => (await import('./kinds/dism-image-info.ts')).dismImageInfoAnalyzer,
    score: dismImageInfoScore,
    max: 0.99,
  },
  {
    kind: 'reagentc-info',
    load: async () => (await import('./kinds/reagentc-info.ts')).reagentcInfoAnalyzer,
    max: 1,
    gate: reagentcGate,
  },
  { kind: 'setup-log', load: async () => (await import('./kinds/setup-log.ts')).setupLogAnalyzer, max: 0.96 },
  {
    kind: 'windowsupdate-log',
    load: async () => (await import('./kinds/windowsupdate-log.ts')).windowsUpdateLogAnalyzer,
    max: 1,
    gate: windowsUpdateLogGate,
  },
  {
    kind: 'configmgr-log',
    load: async () => (await import('./kinds/cmtrace-logs.ts')).configMgrLogAnalyzer,
    max: 0.95,
    gate: cmtraceGate,
  },
  {
    kind: 'ime-log',
    load: async () => (await import('./kinds/cmtrace-logs.ts')).imeLogAnalyzer,
    max: 0.95,
    gate: cmtraceGate,
  },
  {
    kind: 'pswindowsupdate',
    load: async () => (await import('./kinds/update-lists.ts')).psWindowsUpdateAnalyzer,
    max: 0.85,
  },
  {
    kind: 'update-history',
    load: async () => (await import('./kinds/update-lists.ts')).settingsHistoryAnalyzer,
    max: 0.85,
  },
] as const satisfies readonly KindDetection[]

export const KINDS: readonly KindDetection[] = KIND_LIST

/** A reader kind's name: `cbs-log`, `dism-packages`, …. */
export type KindName = (typeof KIND_LIST)[number]['kind']

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.kind)

/**
 * The kinds told here, highest `max` first (then the list's order): once one scores, a kind whose `max` cannot beat
 * it is not run (each detection's patterns compiled for nothing: a package list skipped four of the five).
 */
const SCORED = KINDS.map((k, i) => ({ k, i }))
  .filter(({ k }) => k.score)
  .sort((a, b) => b.k.max - a.k.max || a.i - b.i)

/** The kinds whose readers can tell `text`'s kind (see above), in the list's order. */
export function kindsToTell(text: string): string[] {
  // The first highest score in the list's order: a kind scores at most its max, and an equal score later loses.
  let best = -1
  let bestScore = 0
  for (const { k, i } of SCORED) {
    if (k.max < bestScore || (k.max === bestScore && i > best)) continue
    let s = 0
    try {
      s = k.score!(text)
    } catch {
      s = 0
    }
    if (s > bestScore || (s === bestScore && s > 0 && i < best)) {
      best = i
      bestScore = s
    }
  }
  return KINDS.filter((k, i) => {
    if (k.score) return i === best && bestScore >= 0.3
    const max = k.max
    if (max < 0.3 || max < bestScore || (max === bestScore && i > best)) return false
    try {
      return !k.gate || k.gate(text)
    } catch {
      return true
    }
  }).map((k) => k.kind)
}
