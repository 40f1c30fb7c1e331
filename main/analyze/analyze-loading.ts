/**
 * analyzeText's answer with only the readers the text can be told as loaded (detect-kinds.ts kindsToTell): the
 * CLI's `analyze` of a package list loads the package reader, not the parsers of systeminfo, update lists, CMTrace
 * logs… that every detector ran before. test/unit/analyze/detect-kinds.test.ts holds the two answers
 * equal on every fixture the readers' tests read.
 */
import type { AnalyzeResult, Analyzer } from './analyzer.ts'
import { detectionTexts, finishAnalysis, prepareText } from './analyze-core.ts'
import { KIND_NAMES, kindsToTell } from './detect-kinds.ts'

/** Each kind's reader, imported when first needed. */
export const READERS: Record<string, () => Promise<Analyzer>> = {
  'cbs-log': async () => (await import('./kinds/cbs-log.ts')).cbsLogAnalyzer,
  'dism-log': async () => (await import('./kinds/dism-log.ts')).dismLogAnalyzer,
  'dism-output': async () => (await import('./kinds/dism-output.ts')).dismOutputAnalyzer,
  'wu-event': async () => (await import('./kinds/wu-event.ts')).wuEventAnalyzer,
  'setupdiag': async () => (await import('./kinds/setupdiag.ts')).setupDiagAnalyzer,
  'os-info': async () => (await import('./kinds/os-info.ts')).osInfoAnalyzer,
  'hotfix-list': async () => (await import('./kinds/hotfix-list.ts')).hotfixListAnalyzer,
  'dism-packages': async () => (await import('./kinds/dism-packages.ts')).dismPackagesAnalyzer,
  'dism-image-info': async () => (await import('./kinds/dism-image-info.ts')).dismImageInfoAnalyzer,
  'reagentc-info': async () => (await import('./kinds/reagentc-info.ts')).reagentcInfoAnalyzer,
  'setup-log': async () => (await import('./kinds/setup-log.ts')).setupLogAnalyzer,
  'windowsupdate-log': async () => (await import('./kinds/windowsupdate-log.ts')).windowsUpdateLogAnalyzer,
  'configmgr-log': async () => (await import('./kinds/cmtrace-logs.ts')).configMgrLogAnalyzer,
  'ime-log': async () => (await import('./kinds/cmtrace-logs.ts')).imeLogAnalyzer,
  'pswindowsupdate': async () => (await import('./kinds/update-lists.ts')).psWindowsUpdateAnalyzer,
  'update-history': async () => (await import('./kinds/update-lists.ts')).settingsHistoryAnalyzer,
}

/** The kinds whose readers are loaded for this text (the one given, else those its detection texts can be told as). */
export async function analyzeTextLoading(input: string | Uint8Array, kind?: string): Promise<AnalyzeResult> {
  const prepared = prepareText(input, kind)
  const wanted = new Set<string>(kind ? [kind] : detectionTexts(prepared).flatMap(kindsToTell))
  const readers = await Promise.all(KIND_NAMES.filter((k) => wanted.has(k)).map((k) => READERS[k]!()))
  return finishAnalysis(readers, prepared, kind)
}
