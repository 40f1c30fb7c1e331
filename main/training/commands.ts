/**
 * Which training renderer answers which command, by CommandSpec name. Add a command: one import, one entry.
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
import {
  renderDismAddPackage,
  renderDismGetWimInfo,
  renderDismImageGetPackages,
  renderDismImageGetEdition,
  renderDismMountImage,
  renderDismUnmountImage,
  renderRestart,
  renderWusa,
} from './renderers/dism-install.ts'
import { renderWuServices, renderWuRename } from './renderers/wu-components.ts'
import { renderDismRemovePackage } from './renderers/dism-remove.ts'
import { renderCbsPersistPrepare, renderExpandCbsPersist, renderCbsPersistCleanup } from './renderers/cbs-persist.ts'
import {
  renderDismCheckHealth,
  renderDismScanHealth,
  renderDismRestoreHealth,
  renderSfcScannow,
  renderExpand,
} from './renderers/repair.ts'
import { renderWimInfo } from './renderers/wim-info.ts'
import { renderTaskCacheDelete, renderTaskCacheExport, renderTaskCacheQuery } from './renderers/task-cache.ts'
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
  'install.dism-add-package': renderDismAddPackage,
  'install.dism-mount-image': renderDismMountImage,
  'install.dism-unmount-image': renderDismUnmountImage,
  'install.dism-image-get-packages': renderDismImageGetPackages,
  'install.dism-image-get-edition': renderDismImageGetEdition,
  'install.dism-get-wiminfo': renderDismGetWimInfo,
  'install.wusa': renderWusa,
  'install.restart': renderRestart,
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
  'repair.dism-checkhealth': renderDismCheckHealth,
  'repair.dism-scanhealth': renderDismScanHealth,
  'repair.dism-restorehealth': renderDismRestoreHealth,
  'repair.sfc-scannow': renderSfcScannow,
  'repair.expand': renderExpand,
  'repair.wim-info': renderWimInfo,
  'logs.cbspersist-prepare': renderCbsPersistPrepare,
  'logs.expand-cbspersist': renderExpandCbsPersist,
  'logs.cbspersist-cleanup': renderCbsPersistCleanup,
  'repair.wu-services': renderWuServices,
  'repair.wu-rename': renderWuRename,
  'repair.dism-remove-package': renderDismRemovePackage,
  'repair.secureboot-available-updates': renderSecureBootAvailableUpdates,
  'repair.secureboot-task-run': renderSecureBootTaskRun,
  'tasks.reg-query': renderTaskCacheQuery,
  'tasks.reg-export': renderTaskCacheExport,
  'tasks.reg-delete': renderTaskCacheDelete,
}
