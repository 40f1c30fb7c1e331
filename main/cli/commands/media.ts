/**
 * `servicing-desk media list [--json]`: the installation media it can read (the training media for now).
 * `servicing-desk media scan <path|name> [--kb KB] [--json]`: every layer of a medium (install.wim indexes, the winre.wim
 * in each, boot.wim, setup.exe) with edition, build.UBR, architecture, languages and what is stale.
 * `servicing-desk media plan <path|name> --kb KB [--arch A] [--json]`: the update steps in Microsoft's documented
 * order, each with its exact command.
 * `servicing-desk media update <path|name> --kb KB [--setup-du KB] [--yes] [--json]`: runs the plan through the engine
 * on a copy in a work folder (a stale mount is cleaned only with --yes), resumes an interrupted run of the same
 * medium and KB, then reads the medium again and ends with `"verified": true|false`.
 * `servicing-desk media reset <name>`: a training medium back to how it started.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { resolveMedium } from '../../media/sources.ts'
import { readMedium, type MediumScan } from '../../media/read.ts'
import { MediaPlanError, planMediaUpdate, type MediaPlan } from '../../media/plan.ts'
import { MediaUpdateError, type MediaUpdateOutcome } from '../../media/update.ts'
import { MediaStateError } from '../../media/training/state.ts'
import { killHook } from '../kill-hook.ts'

export function registerMedia(program: Command, ctx: CliContext): void {
  // A training medium as it is now (an update changes its saved state).
  const source = (nameOrPath: string) => {
    try {
      return resolveMedium(nameOrPath, ctx.services.media.store)
    } catch (err) {
      throw new CliError((err as Error).message)
    }
  }
  const cmd = program
    .command('media')
    .description('installation media (USB stick, ISO folder): list, scan every layer, plan the update')
  cmd
    .command('list')
    .description('the media Servicing Desk can read')
    .option('--json', 'print JSON only')
    .action((opts: { json?: boolean }) => {
      const media = ctx.services.media.list()
      if (opts.json) {
        ctx.io.json({ media })
        return
      }
      for (const m of media)
        ctx.io.text(
          `${m.name.padEnd(18)} ${m.fileSystem.padEnd(6)} ${m.root}  ${m.title}${m.changed ? '  (changed by an update; `media reset` restores it)' : ''}`,
        )
      ctx.io.text('(training media; a real USB stick or extracted ISO is read by its folder: media scan <folder>)')
    })
  cmd
    .command('scan <medium>')
    .description('every layer of a medium with its build and what is stale')
    .option('--kb <KB>', 'judge against this cumulative update instead of the newest known')
    .option('--json', 'print JSON only')
    .action(async (medium: string, opts: { kb?: string; json?: boolean }) => {
      const scan = await readMedium(source(medium), { kb: opts.kb })
      if (opts.json) {
        ctx.io.json(scan)
        return
      }
      ctx.io.text(formatScan(scan))
    })
  cmd
    .command('plan <medium>')
    .description("the update steps in Microsoft's documented order, with each command")
    .requiredOption('--kb <KB>', 'the cumulative update to bring the medium to')
    .option('--arch <arch>', 'x64 or arm64 (must match the medium)')
    .option(
      '--setup-du <KB>',
      'the Setup Dynamic Update to expand into sources (default: the one the knowledge names for the branch and month of the update)',
    )
    .option('--json', 'print JSON only')
    .action(async (medium: string, opts: { kb: string; arch?: string; setupDu?: string; json?: boolean }) => {
      source(medium)
      let out: { scan: MediumScan; plan: MediaPlan }
      // The service's plan: the packages' copy commands name this data folder's kits (where they are fetched).
      try {
        out = await ctx.services.media.plan(medium, opts.kb, { arch: opts.arch, setupDu: opts.setupDu })
      } catch (err) {
        if (err instanceof MediaPlanError) throw new CliError(err.message)
        throw err
      }
      const { scan, plan } = out
      if (opts.json) {
        ctx.io.json({ scan, plan })
        return
      }
      ctx.io.text(formatPlan(plan))
    })
  cmd
    .command('update <medium>')
    .description(
      'bring a medium up to date through the engine (a copy in a work folder, journaled, resumable), then prove it',
    )
    .requiredOption('--kb <KB>', 'the cumulative update to bring the medium to')
    .option('--setup-du <KB>', 'the Setup Dynamic Update to expand into sources')
    .option('--yes', 'clean a stale mount and change the medium without asking')
    .option('--json', 'print JSON only')
    .action(async (medium: string, opts: { kb: string; setupDu?: string; yes?: boolean; json?: boolean }) => {
      // A real folder: read here, changed only on Windows. The plan is shown with the steps that need Windows (not a failure).
      const src = source(medium)
      if (src.kind === 'folder') {
        const scan = await readMedium(src, { kb: opts.kb })
        let plan: MediaPlan
        try {
          plan = planMediaUpdate(scan, src, { kb: opts.kb, setupDu: opts.setupDu })
        } catch (err) {
          if (err instanceof MediaPlanError) throw new CliError(err.message)
          throw err
        }
        const note = `Needs Windows: every step above runs DISM or robocopy, which run only on Windows (there the commands can be run by hand, in order, from an elevated Command Prompt); Servicing Desk runs the update itself on the training media only so far. Nothing was changed.`
        if (opts.json)
          ctx.io.json({ status: 'needs-windows', verified: false, needsWindows: scan.needsWindows ?? [], note, plan })
        else {
          ctx.io.text(formatPlan(plan))
          ctx.io.text(note)
        }
        process.exitCode = 4
        return
      }
      let out: MediaUpdateOutcome
      try {
        out = await ctx.services.media.update(medium, opts.kb, {
          setupDu: opts.setupDu,
          confirm: async () => opts.yes === true,
          checkpointHook: killHook(process.env),
          onProgress: opts.json
            ? undefined
            : (p) => {
                if (p.phase === 'finished')
                  ctx.io.note(`  [${p.index + 1}/${p.total}] ${p.title}: ${p.result?.outcome ?? ''}`)
              },
        })
      } catch (err) {
        if (err instanceof MediaUpdateError || err instanceof MediaStateError) throw new CliError(err.message)
        throw err
      }
      if (out.status === 'declined') {
        if (opts.json) ctx.io.json({ status: out.status, verified: false, note: out.note, plan: out.plan })
        else {
          ctx.io.text(formatPlan(out.plan))
          ctx.io.text(out.note)
        }
        process.exitCode = 1
        return
      }
      const { journal: _j, ...rest } = out
      if (opts.json) ctx.io.json(rest)
      else {
        ctx.io.text(out.report)
        ctx.io.text(out.note)
      }
      process.exitCode = out.status === 'failed' ? 1 : out.status === 'cancelled' ? 130 : out.verified ? 0 : 4
    })
  cmd
    .command('reset <medium>')
    .description('a training medium back to how it started (its saved state removed)')
    .action((medium: string) => {
      try {
        ctx.services.media.reset(medium)
      } catch (err) {
        throw new CliError((err as Error).message)
      }
      ctx.io.text(`${medium}: back to how it started.`)
    })
}

/** A layer's judgement in the words the app's media screen uses. */
const STALENESS_WORDS: Record<MediumScan['layers'][number]['staleness'], string> = {
  stale: 'Stale',
  current: 'Current',
  unknown: 'Not judged',
}

export function formatScan(s: MediumScan): string {
  const windows = s.windows ?? 'Windows version unknown'
  const fileSystem = s.fileSystem === 'unknown' ? 'file system unknown' : s.fileSystem
  const out = [
    `${s.name}: ${s.title}`,
    `  ${s.root} (${fileSystem}), ${s.arch ?? 'architecture unknown'}, ${windows}, judged against ${s.targetKb ?? 'nothing known'}`,
  ]
  for (const l of s.layers) {
    const where =
      l.layer === 'setup'
        ? 'sources\\setup.exe'
        : l.layer === 'winre'
          ? `install.wim #${l.index} winre.wim`
          : `${l.layer}.wim #${l.index}`
    out.push(
      `  ${STALENESS_WORDS[l.staleness].padEnd(10)} ${where.padEnd(22)} ${(l.version ?? '?').padEnd(16)} ${[l.name, l.edition, l.arch, l.languages.join(',')].filter(Boolean).join(' | ')}`,
    )
    out.push(`          ${l.reason}`)
  }
  for (const m of s.staleMounts)
    out.push(`  A mount was left behind: ${m} (the plan cleans it up with DISM /Cleanup-Mountpoints, after asking).`)
  for (const w of s.warnings) out.push(`  warning: ${w}`)
  if (s.needsWindows?.length)
    out.push(
      '  Read from the files themselves (no Windows needed). Needs Windows (DISM):',
      ...s.needsWindows.map((n) => `    - ${n}`),
    )
  return out.join('\n')
}

export function formatPlan(p: MediaPlan): string {
  const out = [`Plan for ${p.medium} (${p.arch}) to ${p.targetKb}: ${p.steps.length} steps`]
  for (const [i, c] of p.commands.entries()) out.push(`  ${String(i + 1).padStart(2)}. ${c}`)
  out.push(
    `  work folder: needs ${(p.space.neededBytes / 1e9).toFixed(1)} GB, ${p.space.freeBytes === null ? 'free space unknown' : `${(p.space.freeBytes / 1e9).toFixed(1)} GB free`}${p.space.enough === false ? ' — NOT ENOUGH' : ''}`,
  )
  for (const n of p.notes) out.push(`  note: ${n}`)
  return out.join('\n')
}
