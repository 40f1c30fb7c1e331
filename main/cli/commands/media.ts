/**
 * `servicing-desk media list [--json]`: the installation media it can read (the training media for now).
 * `servicing-desk media scan <path|name> [--kb KB] [--json]`: every layer of a medium (install.wim indexes, the winre.wim
 * in each, boot.wim, setup.exe) with edition, build.UBR, architecture, languages and what is stale.
 * `servicing-desk media plan <path|name> --kb KB [--arch A] [--json]`: the update steps in Microsoft's documented
 * order, each with its exact command.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { listMedia, resolveMedium } from '../../media/sources.ts'
import { readMedium, type MediumScan } from '../../media/read.ts'
import { MediaPlanError, planMediaUpdate, type MediaPlan } from '../../media/plan.ts'

function source(nameOrPath: string) {
  try { return resolveMedium(nameOrPath) } catch (err) { throw new CliError((err as Error).message) }
}

export function registerMedia(program: Command, ctx: CliContext): void {
  const cmd = program.command('media').description('installation media (USB stick, ISO folder): list, scan every layer, plan the update')
  cmd.command('list').description('the media Servicing Desk can read').option('--json', 'print JSON only')
    .action((opts: { json?: boolean }) => {
      const media = listMedia()
      if (opts.json) { ctx.io.json({ media }); return }
      for (const m of media) ctx.io.text(`${m.name.padEnd(18)} ${m.fileSystem.padEnd(6)} ${m.root}  ${m.title}`)
      ctx.io.text('(training media; reading a real drive needs Windows and is not built yet)')
    })
  cmd.command('scan <medium>').description('every layer of a medium with its build and what is stale').option('--kb <KB>', 'judge against this cumulative update instead of the newest known').option('--json', 'print JSON only')
    .action(async (medium: string, opts: { kb?: string; json?: boolean }) => {
      const scan = await readMedium(source(medium), { kb: opts.kb })
      if (opts.json) { ctx.io.json(scan); return }
      ctx.io.text(formatScan(scan))
    })
  cmd.command('plan <medium>').description("the update steps in Microsoft's documented order, with each command").requiredOption('--kb <KB>', 'the cumulative update to bring the medium to').option('--arch <arch>', 'x64 or arm64 (must match the medium)').option('--setup-du <KB>', 'the Setup Dynamic Update to expand into sources (the knowledge has none yet)').option('--json', 'print JSON only')
    .action(async (medium: string, opts: { kb: string; arch?: string; setupDu?: string; json?: boolean }) => {
      const src = source(medium)
      const scan = await readMedium(src, { kb: opts.kb })
      let plan: MediaPlan
      try { plan = planMediaUpdate(scan, src, { kb: opts.kb, arch: opts.arch, setupDu: opts.setupDu }) } catch (err) {
        if (err instanceof MediaPlanError) throw new CliError(err.message)
        throw err
      }
      if (opts.json) { ctx.io.json({ scan, plan }); return }
      ctx.io.text(formatPlan(plan))
    })
}

export function formatScan(s: MediumScan): string {
  const out = [`${s.name}: ${s.title}`, `  ${s.root} (${s.fileSystem}), ${s.arch ?? 'architecture unknown'}, branch ${s.branchId ?? 'unknown'}, judged against ${s.targetKb ?? 'nothing known'}`]
  for (const l of s.layers) {
    const where = l.layer === 'setup' ? 'sources\\setup.exe' : l.layer === 'winre' ? `install.wim #${l.index} winre.wim` : `${l.layer}.wim #${l.index}`
    out.push(`  ${l.staleness.toUpperCase().padEnd(7)} ${where.padEnd(22)} ${(l.version ?? '?').padEnd(16)} ${[l.name, l.edition, l.arch, l.languages.join(',')].filter(Boolean).join(' | ')}`)
    out.push(`          ${l.reason}`)
  }
  for (const m of s.staleMounts) out.push(`  A mount was left behind: ${m} (the plan cleans it up with DISM /Cleanup-Mountpoints, after asking).`)
  for (const w of s.warnings) out.push(`  warning: ${w}`)
  return out.join('\n')
}

export function formatPlan(p: MediaPlan): string {
  const out = [`Plan for ${p.medium} (${p.arch}) to ${p.targetKb}: ${p.steps.length} steps`]
  p.commands.forEach((c, i) => out.push(`  ${String(i + 1).padStart(2)}. ${c}`))
  out.push(`  work folder: needs ${(p.space.neededBytes / 1e9).toFixed(1)} GB, ${p.space.freeBytes === null ? 'free space unknown' : `${(p.space.freeBytes / 1e9).toFixed(1)} GB free`}${p.space.enough === false ? ' — NOT ENOUGH' : ''}`)
  for (const n of p.notes) out.push(`  note: ${n}`)
  return out.join('\n')
}
