/** Every analyzer kind, in one list. Add a kind: one import and one entry. */
import type { Analyzer } from './analyzer.ts'
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

export const analyzers: Analyzer[] = [
  cbsLogAnalyzer,
  dismLogAnalyzer,
  dismOutputAnalyzer,
  wuEventAnalyzer,
  setupDiagAnalyzer,
  osInfoAnalyzer,
  hotfixListAnalyzer,
  dismPackagesAnalyzer,
  dismImageInfoAnalyzer,
  reagentcInfoAnalyzer,
  setupLogAnalyzer,
  windowsUpdateLogAnalyzer,
  configMgrLogAnalyzer,
  imeLogAnalyzer,
  psWindowsUpdateAnalyzer,
  settingsHistoryAnalyzer,
]
