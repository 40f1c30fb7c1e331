/**
 * Every reader, loaded: what the app's analysis (analyzeText) and the diagnosis of pasted text run. The list of kinds
 * and their order is detect-kinds.ts KINDS (the CLI loads from there only the readers a text can be); this map gives
 * each of its kinds its reader, and the compiler refuses a kind missing here or one KINDS does not have.
 */
import type { Analyzer } from './analyzer.ts'
import { KIND_NAMES, type KindName } from './detect-kinds.ts'
import { cbsLogAnalyzer } from './kinds/cbs-log.ts'
import { dismLogAnalyzer } from './kinds/dism-log.ts'
import { dismOutputAnalyzer } from './kinds/dism-output.ts'
import { wuEventAnalyzer } from './kinds/wu-event.ts'
import { setupDiagAnalyzer } from './kinds/setupdiag.ts'
import { osInfoAnalyzer } from './kinds/os-info.ts'
import { hotfixListAnalyzer } from './kinds/hotfix-list.ts'
import { dismPackagesAnalyzer } from './kinds/dism-packages.ts'
import { dismImageInfoAnalyzer } from './kinds/dism-image-info.ts'
import { reagentcInfoAnalyzer } from './kinds/reagentc-info.ts'
import { setupLogAnalyzer } from './kinds/setup-log.ts'
import { windowsUpdateLogAnalyzer } from './kinds/windowsupdate-log.ts'
import { configMgrLogAnalyzer, imeLogAnalyzer } from './kinds/cmtrace-logs.ts'
import { psWindowsUpdateAnalyzer, settingsHistoryAnalyzer } from './kinds/update-lists.ts'

const READER_OF: Record<KindName, Analyzer> = {
  'cbs-log': cbsLogAnalyzer,
  'dism-log': dismLogAnalyzer,
  'dism-output': dismOutputAnalyzer,
  'wu-event': wuEventAnalyzer,
  setupdiag: setupDiagAnalyzer,
  'os-info': osInfoAnalyzer,
  'hotfix-list': hotfixListAnalyzer,
  'dism-packages': dismPackagesAnalyzer,
  'dism-image-info': dismImageInfoAnalyzer,
  'reagentc-info': reagentcInfoAnalyzer,
  'setup-log': setupLogAnalyzer,
  'windowsupdate-log': windowsUpdateLogAnalyzer,
  'configmgr-log': configMgrLogAnalyzer,
  'ime-log': imeLogAnalyzer,
  pswindowsupdate: psWindowsUpdateAnalyzer,
  'update-history': settingsHistoryAnalyzer,
}

/** The readers in KINDS' order (detection breaks a tie by it). */
export const analyzers: Analyzer[] = KIND_NAMES.map((k) => READER_OF[k as KindName])
