/**
 * `servicing-desk fix-package --snapshot FILE --out DIR [--kb KB | --no-update] [--json]`: a folder (and DIR.zip)
 * to send to the PC the collector file came from: Fix-<host>.ps1 (repairs first, then the update, then the
 * collector for the after file), README.txt, the files it needs with their SHA-256.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { FixPackageError, howToRunOnPc } from '../../fix-package/fix-package.ts'
import { parseKb } from './catalog.ts'
import { proofText } from '../../fix-package/proof.ts'

export function registerFixPackage(program: Command, ctx: CliContext): void {
  program
    .command('proof')
    .description(
      'the before and after collector files of one PC side by side: build, packages, WinRE, and the findings resolved, remaining and new (ticket text)',
    )
    .requiredOption('--before <file>', 'the collector file the fix package was made from')
    .requiredOption('--after <file>', 'the after file the fix package wrote')
    .option('--json', 'print the proof as JSON only')
    .action(async (opts: { before: string; after: string; json?: boolean }) => {
      // The same comparison as the app's (main/fix-package/fix-flow.ts): both files opened, diagnosed, compared by state.
      const before = await ctx.services.loadSnapshotFile(opts.before)
      const after = await ctx.services.loadSnapshotFile(opts.after)
      const proof = await ctx.services.fixFlow.compare(before.id, after.id)
      if (opts.json) ctx.io.json(proof)
      else ctx.io.text(proofText(proof))
      if (!proof.samePc) process.exitCode = 1
    })
  program
    .command('fix-package')
    .description(
      'a fix package for a PC you are not sitting at: Fix-<host>.ps1 runs the repairs, then the update, then collects the after file',
    )
    .option('--snapshot <file>', 'the collector file of that PC (a zip)')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--out <dir>', 'the folder to write (empty or new); DIR.zip is written next to it')
    .option(
      '--kb <kb>',
      'the update to install after the repairs (default: the newest that failed and is not installed since)',
    )
    .option('--no-update', 'install no update, repairs only')
    .option(
      '--rehearse',
      'then rehearse it on a model of that PC (as the app does): its repairs, WinRE repair and kit, each verified, and the proof',
    )
    .option('--json', 'print the result as JSON only')
    .action(
      async (opts: {
        snapshot?: string
        machine?: string
        out?: string
        kb?: string
        update?: boolean
        rehearse?: boolean
        json?: boolean
      }) => {
        if (!opts.out) throw new CliError('Give the package folder with --out DIR.')
        if (!opts.snapshot && !opts.machine)
          throw new CliError('Give the collector file of the PC with --snapshot FILE.')
        const ref = await resolveMachine(ctx, opts, opts.json === true)
        const kb = opts.update === false ? null : opts.kb ? parseKb(opts.kb) : undefined
        if (opts.rehearse) {
          // The app's flow (main/fix-package/fix-flow.ts): the package built from the file, then rehearsed, then the proof.
          if (ref.kind !== 'snapshot' || kb !== undefined)
            throw new CliError(
              '--rehearse takes the collector file (--snapshot FILE) and the package as the diagnosis makes it (no --kb, no --no-update).',
            )
          const note = opts.json ? undefined : (l: string) => ctx.io.note(l)
          let built: Awaited<ReturnType<typeof ctx.services.fixFlow.build>>
          let rehearsal: Awaited<ReturnType<typeof ctx.services.fixFlow.rehearse>>
          try {
            built = await ctx.services.fixFlow.build(ref.id, opts.out, note)
            rehearsal = await ctx.services.fixFlow.rehearse(built.id, note)
          } catch (err) {
            if (err instanceof FixPackageError) throw new CliError(err.message)
            throw err
          }
          if (opts.json) {
            ctx.io.json({ package: built, rehearsal })
            return
          }
          ctx.io.text(
            `Fix package written to ${built.folderLabel} (and ${built.zipLabel}). ${built.scriptName} does, in order:`,
          )
          for (const [i, d] of built.doesInOrder.entries()) ctx.io.text(`  ${i + 1}. ${d}`)
          ctx.io.text(`How the person at ${built.computer} runs it:`)
          for (const [i, d] of (built.runOnPc ?? []).entries())
            ctx.io.text(`  ${i + 1}. ${d.replace(/\n/g, '\n       ')}`)
          ctx.io.text(`Rehearsed on ${rehearsal.machineTitle}:`)
          for (const s of rehearsal.steps) {
            ctx.io.text(
              `  ${s.outcome === 'verified' ? 'Verified    ' : s.outcome === 'failed' ? 'FAILED      ' : s.outcome === 'not-rehearsed' ? 'NOT rehearsed' : 'NOT verified'} ${s.title} — ${s.detail}`,
            )
            if (s.technical) ctx.io.text(`      technical: ${s.technical}`)
          }
          ctx.io.text('')
          ctx.io.text(proofText(rehearsal.proof))
          if (rehearsal.proof.verdict !== 'fixed' || rehearsal.steps.some((s) => s.outcome !== 'verified'))
            process.exitCode = 4
          return
        }
        let r: Awaited<ReturnType<typeof ctx.services.fixPackages.build>>
        try {
          r = await ctx.services.fixPackages.build(ref, {
            outDir: opts.out,
            kb,
            onNote: opts.json ? undefined : (l) => ctx.io.note(l),
          })
        } catch (err) {
          if (err instanceof FixPackageError) throw new CliError(err.message)
          throw err
        }
        if (opts.json) {
          ctx.io.json(r)
          return
        }
        ctx.io.text(`Fix package written to ${r.dir} (and ${r.zipPath}):`)
        // The whole-PC plan's order: the repairs that block servicing, the update(s), WinRE, the other repairs.
        const parts = [
          ...r.repairs.filter((x) => !r.afterUpdate.includes(x)).map((x) => `repair ${x}`),
          ...[...(r.kb ? [r.kb] : []), ...r.moreKbs].map((k) => `install ${k}`),
          ...(r.winre.length ? [`the WinRE repair (${r.winre.length} steps)`] : []),
          ...r.afterUpdate.map((x) => `repair ${x}`),
          'the collector for the after file',
        ]
        ctx.io.text(`  ${r.scriptName}: ${parts.join(', then ')}`)
        ctx.io.text(`  ${r.files.length} files with their SHA-256 in fix-manifest.json; README.txt says what to do`)
        const own = r.files.find((f) => f.rel === r.scriptName)
        if (own)
          ctx.io.text(
            `  ${r.scriptName} SHA-256: ${own.sha256.toUpperCase()} (it prints its own when it starts: compare the two out of band, by phone or chat)`,
          )
        ctx.io.text(`How the person at the PC runs it:`)
        for (const [i, d] of howToRunOnPc(r.scriptName).entries())
          ctx.io.text(`  ${i + 1}. ${d.replace(/\n/g, '\n       ')}`)
        for (const n of r.notes) ctx.io.note(`note: ${n}`)
      },
    )
}
