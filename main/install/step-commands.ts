/**
 * The exact command of each kind of plan step, as an argv (never a shell string) with its timeout and
 * the exit codes it expects (servicing-facts §2: 3010 = success, restart required).
 */
import { renderCommandLine } from '../host/host.ts'
import type { PlanMethod, PlanPackage, PlanScope, PlanStep, StepCommand } from '../../preload/model/plan.ts'

const HOUR = 3_600_000
export const ERROR_SUCCESS_REBOOT_REQUIRED = 3010
export const ERROR_SUCCESS_REBOOT_INITIATED = 1641

function command(name: string, file: string, args: string[], timeoutMs: number): StepCommand {
  return { name, file, args, timeoutMs, commandLine: renderCommandLine(file, args) }
}

/** `DISM /English /Online|/Image:<dir> /Add-Package /PackagePath:<file> /NoRestart`. */
export function dismAddPackageArgs(scope: PlanScope, path: string): string[] {
  const target = scope.kind === 'image' ? `/Image:${scope.dir}` : '/Online'
  return ['/English', target, '/Add-Package', `/PackagePath:${path}`, '/NoRestart']
}

export function addPackageStep(n: number, scope: PlanScope, file: PlanPackage, group: PlanPackage[], method: PlanMethod, dependsOn: string[]): PlanStep {
  const cps = group.filter((p) => p !== file)
  const where = scope.kind === 'image' ? `the offline image mounted at ${scope.dir}` : 'this PC'
  const explanation = method === 'folder' && cps.length
    ? `DISM gets ${file.kb} as the only package path; the folder holds only it and its checkpoint${cps.length > 1 ? 's' : ''} ${cps.map((p) => p.kb).join(', ')}, so DISM installs ${cps.length > 1 ? 'them' : 'it'} first, in order, then ${file.kb} (Microsoft: checkpoint cumulative updates).`
    : file.role === 'checkpoint'
      ? `${file.kb} is the checkpoint${file.ubr ? ` (${file.build}.${file.ubr})` : ''} that later cumulative updates are built on; it goes first.`
      : `Installs ${file.kb} on ${where}${file.ubr ? `, bringing it to ${file.build}.${file.ubr}` : ''}.`
  return {
    id: `s${n}-add-${file.kb}`,
    title: method === 'folder' && cps.length ? `Install ${[...cps.map((p) => p.kb), file.kb].join(' then ')} (DISM finds the checkpoint)` : `Install ${file.kb}${file.role === 'checkpoint' ? ' (checkpoint)' : ''}`,
    explanation,
    command: command('install.dism-add-package', 'dism.exe', dismAddPackageArgs(scope, file.path), 2 * HOUR),
    successExitCodes: [0, ERROR_SUCCESS_REBOOT_REQUIRED],
    restartExitCodes: [ERROR_SUCCESS_REBOOT_REQUIRED, ERROR_SUCCESS_REBOOT_INITIATED],
    dependsOn,
    destructive: true,
    kind: 'add-package',
    kbs: group.map((p) => p.kb),
  }
}

export function restartStep(n: number, dependsOn: string[], kbs: string[]): PlanStep {
  return {
    id: `s${n}-restart`,
    title: 'Restart the PC',
    explanation: `Windows finishes installing ${kbs.join(', ')} during the restart; the next step needs it finished. Servicing Desk resumes afterwards.`,
    command: command('install.restart', 'shutdown.exe', ['/r', '/t', '0'], 10 * 60_000),
    successExitCodes: [0],
    restartExitCodes: [],
    dependsOn,
    destructive: true,
    kind: 'restart',
    kbs: [],
  }
}

export function mountStep(n: number, wim: string, index: number, dir: string, dependsOn: string[]): PlanStep {
  return {
    id: `s${n}-mount`,
    title: `Mount ${wim} (index ${index})`,
    explanation: `DISM services an offline image through a mount folder; ${dir} receives image ${index} of ${wim}.`,
    command: command('install.dism-mount-image', 'dism.exe', ['/English', '/Mount-Image', `/ImageFile:${wim}`, `/Index:${index}`, `/MountDir:${dir}`], HOUR),
    successExitCodes: [0], restartExitCodes: [], dependsOn, destructive: false, kind: 'mount-image', kbs: [],
  }
}

export function unmountStep(n: number, dir: string, dependsOn: string[]): PlanStep {
  return {
    id: `s${n}-unmount`,
    title: `Save and unmount ${dir}`,
    explanation: 'Writes the serviced image back into the WIM (/Commit) and releases the mount folder.',
    command: command('install.dism-unmount-image', 'dism.exe', ['/English', '/Unmount-Image', `/MountDir:${dir}`, '/Commit'], HOUR),
    successExitCodes: [0], restartExitCodes: [], dependsOn, destructive: true, kind: 'unmount-image', kbs: [],
  }
}

/**
 * On a real PC the app does not survive the restart: a RunOnce entry starts it again after sign-in to
 * resume the journal (issue 7; learn.microsoft.com run-and-runonce-registry-keys). `/f` makes it idempotent.
 */
export function scheduleResumeStep(n: number, resumeCommand: string[], dependsOn: string[]): PlanStep {
  const value = resumeCommand.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ')
  return {
    id: `s${n}-schedule-resume`,
    title: 'Resume after the restart',
    explanation: 'Registers a RunOnce entry so Servicing Desk starts again after the restart and continues from its journal.',
    command: command('install.schedule-resume', 'reg.exe', ['add', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce', '/v', 'ServicingDesk', '/t', 'REG_SZ', '/d', value, '/f'], 60_000),
    successExitCodes: [0], restartExitCodes: [], dependsOn, destructive: false, kind: 'schedule-resume', kbs: [],
  }
}
