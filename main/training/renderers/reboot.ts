/** The reboot-pending observations our script prints, from the training machine's reboot flags. */
import type { TrainingCommand } from '../command.ts'
import { psJson } from './ps-json.ts'

export const renderRebootSources: TrainingCommand = ({ state }) => {
  const r = state.reboot
  return {
    exitCode: 0,
    stdout: psJson({
      CbsRebootPending: r.cbsRebootPending,
      CbsRebootInProgress: r.cbsRebootInProgress ?? false,
      CbsPackagesPending: r.cbsPackagesPending,
      WuRebootRequired: r.wuRebootRequired,
      WuPostRebootReporting: false,
      WuServicesPending: false,
      PendingFileRenameOperations: r.pendingFileRenameOperations,
      PendingFileRenameOperations2: [],
      UpdateExeVolatile: null,
      ServerManagerRebootAttempts: false,
      NetlogonJoinDomain: false,
      NetlogonAvoidSpnSet: false,
      ActiveComputerName: state.os.computerName,
      ComputerName: r.computerRenamePending ? `${state.os.computerName}-NEW` : state.os.computerName,
      DvdRebootSignal: false,
      // CBS writes pending.xml when it has work for the next boot.
      PendingXml: r.cbsRebootPending,
      CcmRebootPending: null,
    }),
  }
}
