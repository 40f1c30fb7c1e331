/**
 * THE command builder of WinRE repairs: a repair step records intent (`op` from an allowlist,
 * the KB5028997 resize numbers for the diskpart script); this file derives the program and argv from it,
 * and from the repair's Safe OS package, when the step runs (repair-runner.ts) and when the repair is
 * planned (repair-plan.ts stores the same command for people to read). A saved repair or run journal whose
 * stored command or exit codes differ from the builder's is refused on load (`winreRepairProblems`):
 * nothing a file says is ever run.
 */
import { renderCommandLine, type CommandSpec } from '../host/host.ts'
import type { PcPath } from '../host/pc-path.ts'
import { decodePowerShellScript } from '../host/powershell.ts'
import { copyableCommand } from '../host/system-tools.ts'
import type { WinreOp, WinreRepair, WinreRepairStep, WinreResize } from '../../preload/model/winre.ts'
import type { StepCommand } from '../../preload/model/plan.ts'
import {
  STAGED_WINRE_WIM,
  WINRE_MOUNT_DIR,
  createWorkDirCommand,
  diskpartScriptCommand,
  dismAddPackageToWinreCommand,
  dismCleanupWinreCommand,
  dismMountWinreCommand,
  dismUnmountWinreCommand,
  dismWinreImageInfoCommand,
  reagentcDisableCommand,
  reagentcEnableCommand,
  reagentcInfoCommand,
  writeDiskpartScriptCommand,
  previousWorkFolderCommands,
} from '../machine/winre-commands.ts'

const RECOVERY_GPT_TYPE = 'de94bba4-06d1-4d40-a16a-bfd50179d6ac'
/** How much KB5028997 shrinks the Windows partition by. */
export const RESIZE_MB = 250

/** The KB5028997 diskpart script for these numbers. */
export function resizeScriptFor(r: WinreResize): string[] {
  return [
    `select disk ${r.disk}`,
    `select partition ${r.osPartition}`,
    `shrink desired=${RESIZE_MB} minimum=${RESIZE_MB}`,
    `select partition ${r.recoveryPartition}`,
    'delete partition override',
    r.gpt ? `create partition primary id=${RECOVERY_GPT_TYPE}` : 'create partition primary id=27',
    ...(r.gpt ? ['gpt attributes=0x8000000000000001'] : []),
    'format quick fs=ntfs label="Windows RE tools"',
    'exit',
  ]
}

export class WinreStepIntentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WinreStepIntentError'
  }
}

/** The CommandSpec a WinRE step runs, from its op (and the repair's Safe OS package / the resize numbers). */
export function winreSpec(
  repair: Pick<WinreRepair, 'safeOsPackage'>,
  step: Pick<WinreRepairStep, 'id' | 'op' | 'resize'>,
  pcPath?: PcPath,
): CommandSpec {
  const op: WinreOp = step.op
  if (op !== 'write-diskpart-script' && step.resize !== null)
    throw new WinreStepIntentError(`Step ${step.id} (${op}) carries resize numbers it does not use.`)
  switch (op) {
    case 'reagentc-disable':
      return reagentcDisableCommand
    case 'reagentc-enable':
      return reagentcEnableCommand
    case 'reagentc-info':
      return reagentcInfoCommand
    case 'write-diskpart-script':
      if (!step.resize)
        throw new WinreStepIntentError(`Step ${step.id} writes the diskpart script but has no resize numbers.`)
      return writeDiskpartScriptCommand(resizeScriptFor(step.resize))
    case 'diskpart':
      return diskpartScriptCommand
    case 'create-work-dir':
      return createWorkDirCommand
    case 'dism-mount-image':
      return dismMountWinreCommand(STAGED_WINRE_WIM, WINRE_MOUNT_DIR)
    case 'dism-add-package':
      if (!repair.safeOsPackage)
        throw new WinreStepIntentError(`Step ${step.id} adds the Safe OS update, but the repair names no package.`)
      return dismAddPackageToWinreCommand(
        WINRE_MOUNT_DIR,
        pcPath ? pcPath(repair.safeOsPackage.path) : repair.safeOsPackage.path,
      )
    case 'dism-cleanup-image':
      return dismCleanupWinreCommand(WINRE_MOUNT_DIR)
    case 'dism-unmount-image':
      return dismUnmountWinreCommand(WINRE_MOUNT_DIR, true)
    case 'dism-get-imageinfo':
      return dismWinreImageInfoCommand(STAGED_WINRE_WIM)
    default: {
      const never: never = op
      throw new WinreStepIntentError(`Step ${step.id}: unknown WinRE step ${String(never)}.`)
    }
  }
}

/** The line a person reads for a command (a PowerShell script is shown decoded). */
export function readableCommandLine(spec: CommandSpec): string {
  return copyableCommand(legacyCommandLine(spec))
}

/** How a step's command read before programs were shown by their full path (journals written then still read). */
function legacyCommandLine(spec: CommandSpec): string {
  const script = decodePowerShellScript(spec.args)
  return script !== null ? `${spec.file} -NoProfile -Command "${script}"` : renderCommandLine(spec.file, spec.args)
}

/** The stored form of a spec (what a step shows). */
export function stepCommandOf(spec: CommandSpec): StepCommand {
  return {
    name: spec.name,
    file: spec.file,
    args: [...spec.args],
    timeoutMs: spec.timeoutMs,
    commandLine: readableCommandLine(spec),
  }
}

/**
 * What runs for a step: the builder's command and exit codes. `pcPath`: how the machine names this
 * computer's package file (host/pc-path.ts; a training machine's C:\ProgramData\ServicingDesk).
 */
export function buildWinreStep(
  repair: Pick<WinreRepair, 'safeOsPackage'>,
  step: Pick<WinreRepairStep, 'id' | 'op' | 'resize'>,
  pcPath?: PcPath,
): { command: StepCommand; successExitCodes: number[] } {
  const spec = winreSpec(repair, step, pcPath)
  return { command: stepCommandOf(spec), successExitCodes: [...(spec.successExitCodes ?? [0])] }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The stored forms earlier versions wrote for a step whose command has changed since (recognised, never run). */
function previousForms(step: Pick<WinreRepairStep, 'op' | 'resize'>): StepCommand[] {
  const spec =
    step.op === 'create-work-dir'
      ? previousWorkFolderCommands['create-work-dir']()
      : step.op === 'write-diskpart-script' && step.resize
        ? previousWorkFolderCommands['write-diskpart-script'](resizeScriptFor(step.resize))
        : null
  if (!spec) return []
  const now = stepCommandOf(spec)
  return [now, { ...now, commandLine: legacyCommandLine(spec) }]
}

/** Everything in a repair that differs from what the builder derives (empty: it is the builder's). */
export function winreRepairProblems(repair: Pick<WinreRepair, 'safeOsPackage' | 'steps'>, pcPath?: PcPath): string[] {
  const problems: string[] = []
  const ids = new Set<string>()
  for (const step of repair.steps) {
    if (ids.has(step.id)) problems.push(`Step id ${step.id} appears twice.`)
    ids.add(step.id)
    let built: ReturnType<typeof buildWinreStep>
    try {
      built = buildWinreStep(repair, step, pcPath)
    } catch (err) {
      problems.push((err as Error).message)
      continue
    }
    const legacy = { ...built.command, commandLine: legacyCommandLine({ ...built.command }) }
    if (
      !same(step.command, built.command) &&
      !same(step.command, legacy) &&
      !previousForms(step).some((c) => same(step.command, c))
    )
      problems.push(
        `Step ${step.id} says it runs ${JSON.stringify(step.command.commandLine)} (${JSON.stringify(step.command.file)}), but a ${step.op} step runs ${JSON.stringify(built.command.commandLine)}.`,
      )
    if (!same(step.successExitCodes, built.successExitCodes) || step.restartExitCodes.length)
      problems.push(`Step ${step.id} lists exit codes that are not those of a ${step.op} step.`)
    if (step.packages.length)
      problems.push(`Step ${step.id} names packages; a WinRE step takes its package from the repair.`)
  }
  return problems
}
