/**
 * THE command builder of installation plans (intent in data, commands in code).
 *
 * A plan step records intent only: its kind (from the allowlist below), the package files it installs
 * (names in the plan's `packages`), and the plan's scope (online, or an image/WIM) and method. This file
 * derives from that intent, and only from it, the program, its argv (never a shell string), its timeout and
 * the exit codes it expects (servicing-facts §2: 3010 = success, restart required):
 * - `buildStep` is called by the executor at the moment a step runs; what it returns is what runs.
 * - The step constructors below (used by the planner) store the same builder's `command` in the step, so
 *   the line a person confirms is the builder's line.
 * - `planCommandProblems` compares what a plan or journal file says (command, exit codes, KBs) with what
 *   the builder derives; any difference is a refusal on load ("this plan names a command Servicing Desk
 *   does not build"): nothing a file says is ever executed.
 *
 * Allowlist of step kinds and their commands:
 *   add-package     dism.exe /English /Online|/Image:<scope dir> /Add-Package /PackagePath:<last package> /NoRestart
 *   restart         shutdown.exe /r /t 0
 *   mount-image     dism.exe /English /Mount-Image /ImageFile:<scope wim> /Index:<n> /MountDir:<scope dir>
 *   unmount-image   dism.exe /English /Unmount-Image /MountDir:<scope dir> /Commit
 *   schedule-resume reg.exe add HKLM\…\RunOnce /v ServicingDesk /t REG_SZ /d <this app's own resume command> /f
 * `wusa` and `cleanup-image` are not built for installation plans (a plan that has them is refused).
 */
import { renderCommandLine } from '../host/host.ts'
import { copyableCommand } from '../host/system-tools.ts'
import type { PcPath } from '../host/pc-path.ts'
import type {
  Plan,
  PlanMethod,
  PlanPackage,
  PlanScope,
  PlanStep,
  StepCommand,
  StepKind,
} from '../../preload/model/plan.ts'

const HOUR = 3_600_000
export const ERROR_SUCCESS_REBOOT_REQUIRED = 3010
export const ERROR_SUCCESS_REBOOT_INITIATED = 1641
const RUN_ONCE_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce'

/** What the builder needs besides the plan: how this copy of the app starts itself again (a real PC only). */
export interface CommandContext {
  /**
   * The app's own resume command for this plan (for the RunOnce entry), null when it has none. Undefined
   * means "not known here" (a plan file read before a service is at hand): the resume value is then not
   * compared, and the step cannot run until the service supplies it.
   */
  resumeCommand?: string[] | null
  /**
   * How the PC names a package file of this computer (host/pc-path.ts): a training machine's packages are
   * under C:\ProgramData\ServicingDesk. Absent: the path is the PC's own.
   */
  pcPath?: PcPath
}

/** The builder's answer for one step: what runs, and how its exit code is read. */
export interface BuiltStep {
  command: StepCommand
  successExitCodes: number[]
  restartExitCodes: number[]
  /** The KBs the step installs, from its packages. */
  kbs: string[]
  /** The package files the step installs (hashed right before it runs). */
  packages: PlanPackage[]
}

/** A step whose intent the builder cannot turn into a command: the plan is refused. */
export class StepIntentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StepIntentError'
  }
}

function command(name: string, file: string, args: string[], timeoutMs: number): StepCommand {
  // Shown to a person to copy: the program by its full path; plans saved before (bare names) still read as the builder's.
  return { name, file, args, timeoutMs, commandLine: copyableCommand(renderCommandLine(file, args)) }
}

/** `DISM /English /Online|/Image:<dir> /Add-Package /PackagePath:<file> /NoRestart`. */
export function dismAddPackageArgs(scope: PlanScope, path: string): string[] {
  const target = scope.kind === 'image' ? `/Image:${scope.dir}` : '/Online'
  return ['/English', target, '/Add-Package', `/PackagePath:${path}`, '/NoRestart']
}

/** The RunOnce value: the resume argv as one command line (Windows quoting). */
export function runOnceValue(resumeCommand: readonly string[]): string {
  return resumeCommand.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ')
}

function scheduleResumeCommand(resumeCommand: readonly string[]): StepCommand {
  return command(
    'install.schedule-resume',
    'reg.exe',
    ['add', RUN_ONCE_KEY, '/v', 'ServicingDesk', '/t', 'REG_SZ', '/d', runOnceValue(resumeCommand), '/f'],
    60_000,
  )
}

/** The package files named by a step, looked up in the plan (by file name, which is unique in a plan). */
function stepPackages(plan: Pick<Plan, 'packages'>, step: Pick<PlanStep, 'id' | 'packages'>): PlanPackage[] {
  return step.packages.map((name) => {
    const found = plan.packages.filter((p) => p.fileName === name)
    if (found.length !== 1)
      throw new StepIntentError(
        `Step ${step.id} names the package ${JSON.stringify(name)}, which the plan ${found.length ? 'lists more than once' : 'does not list'}.`,
      )
    return found[0]
  })
}

/**
 * The command a step runs, derived from its intent and the plan's scope; throws StepIntentError for a
 * kind outside the allowlist or intent that does not fit it.
 */
export function buildStep(
  plan: Pick<Plan, 'scope' | 'packages'>,
  step: Pick<PlanStep, 'id' | 'kind' | 'packages'>,
  ctx: CommandContext = {},
): BuiltStep {
  const scope = plan.scope
  const kind: StepKind = step.kind
  const pkgs = stepPackages(plan, step)
  const none = () => {
    if (pkgs.length)
      throw new StepIntentError(`Step ${step.id} (${kind}) installs no package, but names ${step.packages.join(', ')}.`)
  }
  const plain = (c: StepCommand): BuiltStep => ({
    command: c,
    successExitCodes: [0],
    restartExitCodes: [],
    kbs: [],
    packages: [],
  })
  switch (kind) {
    case 'add-package': {
      if (!pkgs.length) throw new StepIntentError(`Step ${step.id} installs a package but names none.`)
      if (scope.kind !== 'online' && scope.kind !== 'image')
        throw new StepIntentError(
          `Step ${step.id}: packages are added to this PC or a mounted image, not to scope ${scope.kind}.`,
        )
      const target = pkgs[pkgs.length - 1]
      return {
        command: command(
          'install.dism-add-package',
          'dism.exe',
          dismAddPackageArgs(scope, ctx.pcPath ? ctx.pcPath(target.path) : target.path),
          2 * HOUR,
        ),
        successExitCodes: [0, ERROR_SUCCESS_REBOOT_REQUIRED],
        restartExitCodes: [ERROR_SUCCESS_REBOOT_REQUIRED, ERROR_SUCCESS_REBOOT_INITIATED],
        kbs: [...new Set(pkgs.map((p) => p.kb))],
        packages: pkgs,
      }
    }
    case 'restart':
      none()
      if (scope.kind !== 'online')
        throw new StepIntentError(
          `Step ${step.id}: a restart belongs to a plan for this PC, not to scope ${scope.kind}.`,
        )
      return plain(command('install.restart', 'shutdown.exe', ['/r', '/t', '0'], 10 * 60_000))
    case 'mount-image':
      none()
      if (scope.kind !== 'image' || !scope.wim)
        throw new StepIntentError(`Step ${step.id}: only a plan for a WIM file mounts an image.`)
      return plain(
        command(
          'install.dism-mount-image',
          'dism.exe',
          [
            '/English',
            '/Mount-Image',
            `/ImageFile:${scope.wim.path}`,
            `/Index:${scope.wim.index}`,
            `/MountDir:${scope.dir}`,
          ],
          HOUR,
        ),
      )
    case 'unmount-image':
      none()
      if (scope.kind !== 'image' || !scope.wim)
        throw new StepIntentError(`Step ${step.id}: only a plan for a WIM file unmounts an image.`)
      return plain(
        command(
          'install.dism-unmount-image',
          'dism.exe',
          ['/English', '/Unmount-Image', `/MountDir:${scope.dir}`, '/Commit'],
          HOUR,
        ),
      )
    case 'schedule-resume':
      none()
      if (scope.kind !== 'online')
        throw new StepIntentError(`Step ${step.id}: a resume entry belongs to a plan for this PC.`)
      if (!ctx.resumeCommand) {
        throw new StepIntentError(
          ctx.resumeCommand === null
            ? `Step ${step.id} registers a resume entry, but this copy of Servicing Desk has no resume command: make a new plan here.`
            : `Step ${step.id} registers a resume entry whose command is not known yet.`,
        )
      }
      return plain(scheduleResumeCommand(ctx.resumeCommand))
    case 'wusa':
    case 'cleanup-image':
      throw new StepIntentError(
        `Step ${step.id} is a ${kind} step, which Servicing Desk does not build for installation plans.`,
      )
    default: {
      const never: never = kind
      throw new StepIntentError(`Step ${String(never)}: unknown step kind.`)
    }
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Everything in a plan that differs from what the builder derives from its intent (empty: the plan is
 * the builder's). Checked when a plan file or journal is read and again right before it runs.
 */
export function planCommandProblems(
  plan: Pick<Plan, 'scope' | 'packages' | 'steps' | 'method'>,
  ctx: CommandContext = {},
): string[] {
  const problems: string[] = []
  const names = plan.packages.map((p) => p.fileName)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) problems.push(`The plan lists the package ${JSON.stringify(dup)} more than once.`)
  const ids = new Set<string>()
  for (const step of plan.steps) {
    if (ids.has(step.id)) problems.push(`Step id ${step.id} appears twice.`)
    ids.add(step.id)
    for (const d of step.dependsOn)
      if (!ids.has(d) || d === step.id)
        problems.push(`Step ${step.id} depends on ${JSON.stringify(d)}, which is not an earlier step.`)
    let built: BuiltStep
    const resumeUnknown = step.kind === 'schedule-resume' && ctx.resumeCommand === undefined
    try {
      built = buildStep(plan, step, resumeUnknown ? { resumeCommand: ['(resume)'] } : ctx)
    } catch (err) {
      problems.push((err as Error).message)
      continue
    }
    const stored = step.command
    if (resumeUnknown) {
      // The resume value is this app's own, compared once the service supplies it; the rest must match now.
      const c = built.command
      if (
        stored.name !== c.name ||
        stored.file !== c.file ||
        stored.timeoutMs !== c.timeoutMs ||
        !same(
          stored.args.filter((_, i) => i !== 7),
          c.args.filter((_, i) => i !== 7),
        )
      ) {
        problems.push(
          `Step ${step.id} says it runs ${JSON.stringify(stored.commandLine)}, which is not the command Servicing Desk builds for a ${step.kind} step.`,
        )
      }
    } else if (
      !same(stored, built.command) &&
      !same(stored, { ...built.command, commandLine: renderCommandLine(built.command.file, built.command.args) })
    ) {
      problems.push(
        `Step ${step.id} says it runs ${JSON.stringify(stored.commandLine)} (${JSON.stringify(stored.file)}), but a ${step.kind} step runs ${JSON.stringify(built.command.commandLine)}.`,
      )
    }
    if (!same(step.successExitCodes, built.successExitCodes) || !same(step.restartExitCodes, built.restartExitCodes)) {
      problems.push(
        `Step ${step.id} lists exit codes ${JSON.stringify([step.successExitCodes, step.restartExitCodes])}, not the ones of a ${step.kind} step ${JSON.stringify([built.successExitCodes, built.restartExitCodes])}.`,
      )
    }
    if (!same(step.kbs, built.kbs))
      problems.push(
        `Step ${step.id} says it installs ${JSON.stringify(step.kbs)}, but its packages are ${JSON.stringify(built.kbs)}.`,
      )
    if (plan.method === 'sequence' && step.kind === 'add-package' && step.packages.length !== 1)
      problems.push(`Step ${step.id}: the sequence method installs one package per step.`)
  }
  return problems
}

/** Throws StepIntentError naming the first problems (see planCommandProblems). */
export function assertBuilderPlan(
  plan: Pick<Plan, 'scope' | 'packages' | 'steps' | 'method'>,
  ctx: CommandContext = {},
  what = 'This plan',
): void {
  const problems = planCommandProblems(plan, ctx)
  if (problems.length) {
    throw new StepIntentError(
      `${what} is refused: it is not what Servicing Desk builds, so nothing in it runs. ${problems.slice(0, 3).join(' ')}${problems.length > 3 ? ` (${problems.length - 3} more)` : ''}`,
    )
  }
}

// ---- Step constructors for the planner: intent plus the builder's command for display --------------

function step(
  base: Omit<PlanStep, 'command' | 'successExitCodes' | 'restartExitCodes' | 'kbs'>,
  plan: Pick<Plan, 'scope' | 'packages'>,
  ctx: CommandContext = {},
): PlanStep {
  const built = buildStep(plan, base, ctx)
  return {
    ...base,
    command: built.command,
    successExitCodes: built.successExitCodes,
    restartExitCodes: built.restartExitCodes,
    kbs: built.kbs,
  }
}

export function addPackageStep(
  n: number,
  scope: PlanScope,
  file: PlanPackage,
  group: PlanPackage[],
  method: PlanMethod,
  dependsOn: string[],
  ctx: CommandContext = {},
): PlanStep {
  const cps = group.filter((p) => p !== file)
  const where = scope.kind === 'image' ? `the offline image mounted at ${scope.dir}` : 'this PC'
  const explanation =
    method === 'folder' && cps.length
      ? `DISM gets ${file.kb} as the only package path; the folder holds only it and its checkpoint${cps.length > 1 ? 's' : ''} ${cps.map((p) => p.kb).join(', ')}, so DISM installs ${cps.length > 1 ? 'them' : 'it'} first, in order, then ${file.kb} (Microsoft: checkpoint cumulative updates).`
      : file.role === 'checkpoint'
        ? `${file.kb} is the checkpoint${file.ubr ? ` (${file.build}.${file.ubr})` : ''} that later cumulative updates are built on; it goes first.`
        : `Installs ${file.kb} on ${where}${file.ubr ? `, bringing it to ${file.build}.${file.ubr}` : ''}.`
  const ordered = [...cps, file]
  return step(
    {
      id: `s${n}-add-${file.kb}`,
      title:
        method === 'folder' && cps.length
          ? `Install ${[...cps.map((p) => p.kb), file.kb].join(' then ')} (DISM finds the checkpoint)`
          : `Install ${file.kb}${file.role === 'checkpoint' ? ' (checkpoint)' : ''}`,
      explanation,
      dependsOn,
      destructive: true,
      kind: 'add-package',
      packages: ordered.map((p) => p.fileName),
    },
    { scope, packages: ordered },
    ctx,
  )
}

export function restartStep(n: number, dependsOn: string[], kbs: string[]): PlanStep {
  return step(
    {
      id: `s${n}-restart`,
      title: 'Restart the PC',
      explanation: `Windows finishes installing ${kbs.join(', ')} during the restart; the next step needs it finished. Servicing Desk resumes afterwards.`,
      dependsOn,
      destructive: true,
      kind: 'restart',
      packages: [],
    },
    { scope: { kind: 'online' }, packages: [] },
  )
}

export function mountStep(n: number, wim: string, index: number, dir: string, dependsOn: string[]): PlanStep {
  return step(
    {
      id: `s${n}-mount`,
      title: `Mount ${wim} (index ${index})`,
      explanation: `DISM services an offline image through a mount folder; ${dir} receives image ${index} of ${wim}.`,
      dependsOn,
      destructive: false,
      kind: 'mount-image',
      packages: [],
    },
    { scope: { kind: 'image', dir, wim: { path: wim, index } }, packages: [] },
  )
}

export function unmountStep(
  n: number,
  dir: string,
  dependsOn: string[],
  wim: { path: string; index: number } = { path: '(the WIM)', index: 1 },
): PlanStep {
  return step(
    {
      id: `s${n}-unmount`,
      title: `Save and unmount ${dir}`,
      explanation: 'Writes the serviced image back into the WIM (/Commit) and releases the mount folder.',
      dependsOn,
      destructive: true,
      kind: 'unmount-image',
      packages: [],
    },
    { scope: { kind: 'image', dir, wim }, packages: [] },
  )
}

/**
 * On a real PC the app does not survive the restart: a RunOnce entry starts it again after sign-in to
 * resume the journal (learn.microsoft.com run-and-runonce-registry-keys). `/f` makes it idempotent.
 * The command is this app's own (the service's launcher), never one from a file.
 */
export function scheduleResumeStep(n: number, resumeCommand: string[], dependsOn: string[]): PlanStep {
  return step(
    {
      id: `s${n}-schedule-resume`,
      title: 'Resume after the restart',
      explanation:
        'Registers a RunOnce entry so Servicing Desk starts again after the restart and continues from its journal.',
      dependsOn,
      destructive: false,
      kind: 'schedule-resume',
      packages: [],
    },
    { scope: { kind: 'online' }, packages: [] },
    { resumeCommand },
  )
}
