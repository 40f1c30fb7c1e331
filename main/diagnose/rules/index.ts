/** Every diagnosis rule, in one list (one file per family). */
import type { Rule } from '../rule.ts'
import { missingCheckpointRule } from './checkpoint.ts'
import { storeCorruptionRule } from './store-corruption.ts'
import { winrePartitionRule, winreDisabledRule, winreStaleRule } from './winre.ts'
import { pendingRestartRule } from './reboot.ts'
import { disabledServicesRule } from './services.ts'
import { lowDiskSpaceRule } from './disk-space.ts'
import { notApplicableRule } from './applicability.ts'
import { servicingStackRule } from './servicing-stack.ts'
import { installersFailedRule } from './installers.ts'
import { shutdownEffectRule, hangDetectedRule } from './effects.ts'
import { psfxRule } from './psfx.ts'
import { fileNotFoundRule } from './file-not-found.ts'
import { emulatedProcessRule } from './architecture.ts'
import { networkRule } from './network.ts'
import { accessDeniedRule } from './access-denied.ts'
import { featureUpdateRule } from './feature-update.ts'
import { knownCodeRule } from './known-code.ts'
import { knownIssuesRule } from './known-issues.ts'
import { espFullRule } from './efi-partition.ts'
import { secureBootCertificateRule, bootManager2011Rule } from './secure-boot.ts'
import { wuComponentsRule } from './wu-components.ts'
import { lcuUninstallRule } from './lcu-uninstall.ts'
import { errorLevelEventRule, failedEventWithoutCodeRule } from './failed-event.ts'
import { branchSupportRule } from './branch-support.ts'
import { featureSourceRule } from './feature-source.ts'
import { winreDisabledInTextRule } from './winre-text.ts'
import { hardwareBlockRule } from './hardware-block.ts'
import { servicingWaitRule } from './servicing-wait.ts'
import { offlineScanCabinetRule } from './offline-scan.ts'
import { toolMessagesRule } from './tool-messages.ts'
import { fixedStepRule } from './fixed-step.ts'
import { restartLoopRule } from './restart-loop.ts'
import { strippedImageRule } from './stripped-image.ts'

export const rules: Rule[] = [
  knownIssuesRule,
  missingCheckpointRule,
  storeCorruptionRule,
  winrePartitionRule,
  winreDisabledRule,
  winreStaleRule,
  pendingRestartRule,
  disabledServicesRule,
  lowDiskSpaceRule,
  notApplicableRule,
  servicingStackRule,
  installersFailedRule,
  shutdownEffectRule,
  hangDetectedRule,
  psfxRule,
  fileNotFoundRule,
  emulatedProcessRule,
  networkRule,
  accessDeniedRule,
  featureUpdateRule,
  espFullRule,
  secureBootCertificateRule,
  bootManager2011Rule,
  wuComponentsRule,
  lcuUninstallRule,
  failedEventWithoutCodeRule,
  errorLevelEventRule,
  branchSupportRule,
  featureSourceRule,
  winreDisabledInTextRule,
  hardwareBlockRule,
  servicingWaitRule,
  offlineScanCabinetRule,
  toolMessagesRule,
  fixedStepRule,
  restartLoopRule,
  strippedImageRule,
]

/** Runs after the others: explains codes no specific rule covered. */
export const fallbackRule: Rule = knownCodeRule
