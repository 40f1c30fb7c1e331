/**
 * Programs a copyable box names for a person to run that no CommandSpec of the app runs, answered from the training
 * model in Windows' own output formats (the emulated PC of harness.ts calls these from answerWithoutSpec):
 * - `sc.exe qc <service>`: "[SC] QueryServiceConfig SUCCESS" and the service's configuration, START_TYPE from the model
 *   (learn.microsoft.com windows-commands/sc-qc; the layout as a real `sc qc wuauserv` prints it);
 * - `sc.exe config <service> start= <auto|delayed-auto|demand|disabled>`: the model's start type changes;
 *   "[SC] ChangeServiceConfig SUCCESS" (windows-commands/sc-config); a service the model does not have is error 1060,
 *   "[SC] OpenService FAILED 1060: The specified service does not exist as an installed service.";
 * - `sc.exe query <service>`: the service's type and state as a real `sc query wuauserv` prints them (STATE 4 RUNNING
 *   with its accepted controls, or 1 STOPPED; learn.microsoft.com windows-commands/sc-query); a service the model does
 *   not have is error 1060, "[SC] EnumQueryServicesStatus:OpenService FAILED 1060: The specified service does not exist
 *   as an installed service.";
 * - `cscript.exe //nologo %SystemRoot%\System32\slmgr.vbs /dlv [all]`: the Windows product's licence as slmgr.vbs
 *   lists it (the fields of a real `slmgr.vbs /dlv` on a retail Windows: service version, Name, Description, Activation
 *   ID, …, License Status). The model holds no Extended Security Updates licence, so none is listed.
 * Anything else: null (not modelled).
 */
import type { CommandResult } from '../../main/host/host.ts'
import type { TrainingService, TrainingState } from '../../main/training/state.ts'

type Answer = Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'>

/** sc.exe's start= words and START_TYPE lines for the model's start types. */
const START: Record<TrainingService['startType'], { word: string; line: string }> = {
  Automatic: { word: 'auto', line: '2   AUTO_START' },
  AutomaticDelayedStart: { word: 'delayed-auto', line: '2   AUTO_START  (DELAYED)' },
  Manual: { word: 'demand', line: '3   DEMAND_START' },
  Disabled: { word: 'disabled', line: '4   DISABLED' },
}

const NO_SERVICE: Answer = {
  exitCode: 1060,
  stdout: '[SC] OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n',
  stderr: '',
}

/** Service host groups of the update services (their image path as `sc qc` shows it). */
const BINARY: Record<string, string> = {
  wuauserv: 'C:\\WINDOWS\\system32\\svchost.exe -k netsvcs -p',
  bits: 'C:\\WINDOWS\\System32\\svchost.exe -k netsvcs -p',
  cryptsvc: 'C:\\WINDOWS\\system32\\svchost.exe -k NetworkService -p',
  trustedinstaller: 'C:\\WINDOWS\\servicing\\TrustedInstaller.exe',
  msiserver: 'C:\\WINDOWS\\system32\\msiexec.exe /V',
}

/** One program line, or null when it is not one of these; `save` writes a changed model back. */
export function answerShownProgram(
  tool: string,
  argv: readonly string[],
  state: TrainingState,
  save: (s: TrainingState) => void,
): Answer | null {
  const a = argv.map((x) => x.toLowerCase())
  if (tool === 'sc.exe' && argv.length === 2 && a[0] === 'qc') {
    const svc = state.services.find((s) => s.name.toLowerCase() === a[1])
    if (!svc) return NO_SERVICE
    const own = svc.name.toLowerCase() === 'trustedinstaller' || svc.name.toLowerCase() === 'msiserver'
    return {
      exitCode: 0,
      stdout: [
        '[SC] QueryServiceConfig SUCCESS',
        '',
        `SERVICE_NAME: ${svc.name}`,
        `        TYPE               : ${own ? '10  WIN32_OWN_PROCESS' : '20  WIN32_SHARE_PROCESS'}`,
        `        START_TYPE         : ${START[svc.startType].line}`,
        '        ERROR_CONTROL      : 1   NORMAL',
        `        BINARY_PATH_NAME   : ${BINARY[svc.name.toLowerCase()] ?? 'C:\\WINDOWS\\system32\\svchost.exe -k netsvcs -p'}`,
        '        LOAD_ORDER_GROUP   :',
        '        TAG                : 0',
        `        DISPLAY_NAME       : ${svc.displayName}`,
        '        DEPENDENCIES       : rpcss',
        '        SERVICE_START_NAME : LocalSystem',
        '',
      ].join('\r\n'),
      stderr: '',
    }
  }
  if (tool === 'sc.exe' && argv.length === 2 && a[0] === 'query') {
    const svc = state.services.find((s) => s.name.toLowerCase() === a[1])
    if (!svc)
      return {
        ...NO_SERVICE,
        stdout:
          '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n',
      }
    const own = svc.name.toLowerCase() === 'trustedinstaller' || svc.name.toLowerCase() === 'msiserver'
    const running = svc.status === 'Running'
    return {
      exitCode: 0,
      stdout: [
        '',
        `SERVICE_NAME: ${svc.name}`,
        `        TYPE               : ${own ? '10  WIN32_OWN_PROCESS' : '20  WIN32_SHARE_PROCESS'}`,
        `        STATE              : ${running ? '4  RUNNING' : '1  STOPPED'}`,
        ...(running ? ['                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)'] : []),
        '        WIN32_EXIT_CODE    : 0  (0x0)',
        '        SERVICE_EXIT_CODE  : 0  (0x0)',
        '        CHECKPOINT         : 0x0',
        '        WAIT_HINT          : 0x0',
        '',
      ].join('\r\n'),
      stderr: '',
    }
  }
  if (tool === 'sc.exe' && argv.length === 4 && a[0] === 'config' && a[2] === 'start=') {
    const type = (Object.keys(START) as TrainingService['startType'][]).find((t) => START[t].word === a[3])
    if (!type) return null
    const svc = state.services.find((s) => s.name.toLowerCase() === a[1])
    if (!svc) return NO_SERVICE
    svc.startType = type
    save(state)
    return { exitCode: 0, stdout: '[SC] ChangeServiceConfig SUCCESS\r\n', stderr: '' }
  }
  if (
    tool === 'cscript.exe' &&
    a[0] === '//nologo' &&
    /\\system32\\slmgr\.vbs$/.test(a[1] ?? '') &&
    a[2] === '/dlv' &&
    argv.length <= 4 &&
    (argv.length === 3 || a[3] === 'all')
  ) {
    const os = state.os
    const retail = state.os.installationType === 'Client'
    return {
      exitCode: 0,
      stdout: [
        `Software licensing service version: 10.0.${os.currentBuild}.${os.ubr}`,
        '',
        `Name: Windows(R), ${os.editionId} edition`,
        `Description: Windows(R) Operating System, ${retail ? 'RETAIL' : 'VOLUME_KMSCLIENT'} channel`,
        'Activation ID: 4de7cb65-cdf1-4de9-8ae8-e3cce27b9f2c',
        'Application ID: 55c92734-d682-4d71-983e-d6ec3f16059f',
        `Extended PID: 03612-03308-000-000000-00-1033-${os.currentBuild}.0000-3102025`,
        `Product Key Channel: ${retail ? 'Retail' : 'Volume:GVLK'}`,
        'Partial Product Key: 3V66T',
        'License Status: Licensed',
        'Remaining Windows rearm count: 1000',
        'Remaining SKU rearm count: 1000',
        '',
      ].join('\r\n'),
      stderr: '',
    }
  }
  return null
}
