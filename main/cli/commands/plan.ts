/**
 * `servicing-desk plan --kb KB [--machine NAME | --snapshot FILE] [--kit DIR] [--arch A] [--method folder|sequence]
 * [--image DIR [--wim FILE --index N]] [--json] [--script FILE]`: the installation plan, every command visible.
 */
import type { Command } from 'commander'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { writeCliFile } from '../output-file.ts'
import { formatPlan } from '../format-plan.ts'
import { planToPowerShell } from '../../install/script-export.ts'
import { powerShellFileText } from '../../host/powershell-text.ts'
import type { MachineArch } from '../../../preload/model/common.ts'
import { parseArch, parseKb } from './catalog.ts'
import type { PlanMethod, PlanScope } from '../../../preload/model/plan.ts'
import { InstallServiceError } from '../../install/install-service.ts'

export interface PlanTargetOptions {
  kb?: string[]
  method?: string
  image?: string
  wim?: string
  index?: string
  arch?: string
  kit?: string
  kitDigest?: string
}

const collect = (v: string, prev: string[] = []) => [...prev, v]

/** Reads --kb/--method/--image/--wim/--index/--arch into checked values. */
export function planTargets(opts: PlanTargetOptions): {
  kbs: string[]
  method: PlanMethod
  scope: PlanScope
  arch: MachineArch | null
} {
  const kbs = (opts.kb ?? []).map((k) => parseKb(k))
  const method = (opts.method ?? 'folder') as PlanMethod
  if (method !== 'folder' && method !== 'sequence')
    throw new CliError(`--method must be folder or sequence, not '${opts.method}'.`)
  const arch = parseArch(opts.arch)
  if ((opts.wim || opts.index) && !opts.image)
    throw new CliError('--wim and --index need --image DIR (the mount folder).')
  let index = 1
  if (opts.index) {
    index = Number(opts.index)
    if (!Number.isInteger(index) || index < 1)
      throw new CliError(`--index must be a positive whole number, not '${opts.index}'.`)
  }
  const scope: PlanScope = opts.image
    ? { kind: 'image', dir: opts.image, wim: opts.wim ? { path: opts.wim, index } : null }
    : { kind: 'online' }
  return { kbs, method, scope, arch }
}

export function addPlanOptions(cmd: Command): Command {
  return cmd
    .option('--kit <dir>', 'a folder holding the target MSU and its checkpoints')
    .option(
      '--kit-digest <code>',
      'with --kit: the kit digest shown when the kit was exported (a kit whose files, list or scripts changed is refused)',
    )
    .option('--arch <arch>', 'the architecture the packages were prepared for (x64, arm64); must match the PC')
    .option(
      '--method <method>',
      'folder (DISM finds the checkpoints in the folder) or sequence (one MSU at a time)',
      'folder',
    )
    .option('--image <dir>', 'service the offline image mounted at DIR instead of this PC')
    .option('--wim <file>', 'with --image: mount this install.wim first and save it back at the end')
    .option('--index <n>', 'with --wim: the image index (default 1)')
}

export function registerPlan(program: Command, ctx: CliContext): void {
  addPlanOptions(
    program
      .command('plan')
      .description('plan an installation: checks, packages in the order that works, and every command line')
      .option('--kb <kb>', 'the update to install (repeat for several)', collect)
      .option('--machine <name>', machineOptionHelp.machine)
      .option('--computer <name>', machineOptionHelp.computer)
      .option('--credential', machineOptionHelp.credential)
      .option('--snapshot <file>', machineOptionHelp.snapshot),
  )
    .option('--json', 'print the plan as JSON only')
    .option('--script <file>', 'also write the plan as a PowerShell script')
    .action(
      async (opts: PlanTargetOptions & { machine?: string; snapshot?: string; json?: boolean; script?: string }) => {
        const t = planTargets(opts)
        if (!t.kbs.length) throw new CliError('Give the update to plan with --kb KB.')
        const ref = await resolveMachine(ctx, opts, opts.json === true)
        let plan: Awaited<ReturnType<typeof ctx.services.install.makePlan>>
        try {
          plan = await ctx.services.install.makePlan({
            ref,
            kbs: t.kbs,
            method: t.method,
            scope: t.scope,
            arch: t.arch,
            kitDir: opts.kit ?? null,
            kitDigest: opts.kitDigest ?? null,
          })
        } catch (err) {
          if (err instanceof InstallServiceError) throw new CliError(err.message)
          throw err
        }
        if (opts.script) {
          await writeCliFile(opts.script, powerShellFileText(planToPowerShell(plan)), 'the plan script')
          if (!opts.json) ctx.io.note(`Script written to ${opts.script}`)
        }
        if (opts.json) ctx.io.json(plan)
        else ctx.io.text(formatPlan(plan))
        if (plan.refused) process.exitCode = 3
      },
    )
}
