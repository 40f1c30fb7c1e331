/**
 * Which training renderer answers which command, by CommandSpec name. Add a command: one import, one entry (a command
 * that changes the machine: an entry through onFirstRun, below).
 * A command not listed here is answered with a clear "not modelled" failure, never a guess.
 */
import type { TrainingCommand } from './command.ts'
import { renderComputerName, renderCurrentVersion, renderLastBoot, renderNativeArch } from './renderers/os.ts'
import { renderDismGetPackages, renderWindowsPackages } from './renderers/packages.ts'
import { renderUpdateHistory } from './renderers/history.ts'
import { renderGetHotfix } from './renderers/hotfixes.ts'
import { renderRebootSources } from './renderers/reboot.ts'
import { renderManageBdeStatus, renderStorageLayout } from './renderers/storage.ts'
import { renderServices } from './renderers/services.ts'
import {
  renderBootChain,
  renderEspMount,
  renderEspMove,
  renderEspUnmount,
  renderSecureBootAvailableUpdates,
  renderSecureBootTaskRun,
} from './renderers/boot-chain.ts'
import { renderCbsPersistPrepare, renderExpandCbsPersist, renderCbsPersistCleanup } from './renderers/cbs-persist.ts'
import { renderWimInfo } from './renderers/wim-info.ts'
import { renderWhoamiGroups } from './renderers/whoami.ts'
import {
  renderReagentcInfo,
  renderReagentcEnable,
  renderReagentcDisable,
  renderReagentcMountre,
  renderReagentcUnmountre,
  renderWinreRegistryVersion,
  renderDismWinreImageInfo,
  renderDismMountWinre,
  renderDismAddPackageWinre,
  renderDismCleanupWinre,
  renderDismUnmountWinre,
  renderCreateWorkDir,
  renderWriteDiskpartScript,
  renderDiskpart,
} from './renderers/winre.ts'

/**
 * A renderer loaded when its command first runs: the installs, repairs and their DISM, the Windows Update reset and
 * the task cache's commands change a machine, and a scan (`diagnose --machine`, `repairs`) never runs one, so a
 * machine's diagnosis does not load their modules (~60 KB of source). The answer is the renderer's own.
 */
function onFirstRun<M extends Record<string, unknown>>(
  load: () => Promise<M>,
  name: keyof M & string,
): TrainingCommand {
  return async (ctx) => ((await load())[name] as TrainingCommand)(ctx)
}
const dismInstall = () => import('./renderers/dism-install.ts')
const wuComponents = () => import('./renderers/wu-components.ts')
const dismRemove = () => import('./renderers/dism-remove.ts')
const repair = () => import('./renderers/repair.ts')
const taskCache = () => import('./renderers/task-cache.ts')

export const trainingCommands: Record<string, TrainingCommand> = {
  'os.currentversion': renderCurrentVersion,
  'os.native-arch': renderNativeArch,
  'os.computername': renderComputerName,
  'os.last-boot': renderLastBoot,
  'app.whoami-groups': renderWhoamiGroups,
  'packages.get-windowspackage': renderWindowsPackages,
  'packages.dism-get-packages': renderDismGetPackages,
  'history.update-session': renderUpdateHistory,
  'hotfixes.get-hotfix': renderGetHotfix,
  'reboot.sources': renderRebootSources,
  'storage.layout': renderStorageLayout,
  'storage.manage-bde': renderManageBdeStatus,
  'services.state': renderServices,
  'bootchain.inspect': renderBootChain,
  'repair.esp-mount': renderEspMount,
  'repair.esp-move': renderEspMove,
  'repair.esp-unmount': renderEspUnmount,
  'install.dism-add-package': onFirstRun(dismInstall, 'renderDismAddPackage'),
  'install.dism-mount-image': onFirstRun(dismInstall, 'renderDismMountImage'),
  'install.dism-unmount-image': onFirstRun(dismInstall, 'renderDismUnmountImage'),
  'install.dism-image-get-packages': onFirstRun(dismInstall, 'renderDismImageGetPackages'),
  'install.dism-image-get-edition': onFirstRun(dismInstall, 'renderDismImageGetEdition'),
  'install.dism-get-wiminfo': onFirstRun(dismInstall, 'renderDismGetWimInfo'),
  'install.wusa': onFirstRun(dismInstall, 'renderWusa'),
  'install.restart': onFirstRun(dismInstall, 'renderRestart'),
  'winre.reagentc-info': renderReagentcInfo,
  'winre.reagentc-enable': renderReagentcEnable,
  'winre.reagentc-disable': renderReagentcDisable,
  'winre.reagentc-mountre': renderReagentcMountre,
  'winre.reagentc-unmountre': renderReagentcUnmountre,
  'winre.registry-version': renderWinreRegistryVersion,
  'winre.dism-get-imageinfo': renderDismWinreImageInfo,
  'winre.dism-mount-image': renderDismMountWinre,
  'winre.dism-add-package': renderDismAddPackageWinre,
  'winre.dism-cleanup-image': renderDismCleanupWinre,
  'winre.dism-unmount-image': renderDismUnmountWinre,
  'winre.create-work-dir': renderCreateWorkDir,
  'winre.write-diskpart-script': renderWriteDiskpartScript,
  'winre.diskpart': renderDiskpart,
  'repair.dism-checkhealth': onFirstRun(repair, 'renderDismCheckHealth'),
  'repair.dism-scanhealth': onFirstRun(repair, 'renderDismScanHealth'),
  'repair.dism-restorehealth': onFirstRun(repair, 'renderDismRestoreHealth'),
  'repair.sfc-scannow': onFirstRun(repair, 'renderSfcScannow'),
  'repair.expand': onFirstRun(repair, 'renderExpand'),
  'repair.wim-info': renderWimInfo,
  'logs.cbspersist-prepare': renderCbsPersistPrepare,
  'logs.expand-cbspersist': renderExpandCbsPersist,
  'logs.cbspersist-cleanup': renderCbsPersistCleanup,
  'repair.wu-services': onFirstRun(wuComponents, 'renderWuServices'),
  'repair.wu-rename': onFirstRun(wuComponents, 'renderWuRename'),
  'repair.dism-remove-package': onFirstRun(dismRemove, 'renderDismRemovePackage'),
  'repair.secureboot-available-updates': renderSecureBootAvailableUpdates,
  'repair.secureboot-task-run': renderSecureBootTaskRun,
  'tasks.reg-query': onFirstRun(taskCache, 'renderTaskCacheQuery'),
  'tasks.reg-export': onFirstRun(taskCache, 'renderTaskCacheExport'),
  'tasks.reg-delete': onFirstRun(taskCache, 'renderTaskCacheDelete'),
}
