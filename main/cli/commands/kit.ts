/**
 * `servicing-desk kit build --kb KB --arch A [--machine NAME | --snapshot FILE] --out DIR`,
 * `servicing-desk kit verify DIR` and `servicing-desk kit import DIR --arch A [--kb KB]`: repair kits
 * for a PC with no network. `kit verify` exits 1 on any problem.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { verifyKit } from '../../kit/kit-verify.ts'
import { packageSignatureCheckerFor } from '../../security/package-signature.ts'
import { kitMachineOf } from '../../kit/packages-service.ts'
import type { KitMachine } from '../../kit/kit-build.ts'
import {
  catalogUrlOption,
  packagesForCli,
  parseArch,
  parseKb,
  withPackages,
  type CatalogCliOptions,
} from './catalog.ts'
import { progressPrinter } from './download.ts'

export function registerKit(program: Command, ctx: CliContext): void {
  const kit = program
    .command('kit')
    .description('repair kits: packages in order, manifest, plan and Install-Kit.ps1, for a PC with no network')
  kit
    .command('build')
    .description('download the update and its checkpoint(s) for a machine and write a kit folder')
    .option('--kb <kb>', 'the target update, e.g. KB5086672')
    .option('--arch <arch>', "x64 or arm64 (default: the machine's native architecture)")
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .option('--out <dir>', 'the kit folder to write (empty or new)')
    .option('--json', 'print the manifest as JSON only')
    .addOption(catalogUrlOption())
    .action(
      async (
        opts: {
          kb?: string
          arch?: string
          machine?: string
          snapshot?: string
          out?: string
          json?: boolean
        } & CatalogCliOptions,
      ) => {
        const kb = parseKb(opts.kb)
        let arch = parseArch(opts.arch)
        if (!opts.out) throw new CliError('Give the kit folder with --out DIR.')
        let machine: KitMachine | null = null
        let training = false
        if (opts.machine || opts.snapshot) {
          const ref = await resolveMachine(ctx, opts, opts.json === true)
          training = ref.kind === 'training'
          machine = kitMachineOf(await ctx.services.scan(ref))
          // A finding that must be repaired before any update installs (a damaged component store) goes first in the kit.
          const blocking = (await ctx.services.diagnose({ machine: ref })).findings.find(
            (f) => f.id === 'component-store-corruption' && (f.severity === 'critical' || f.severity === 'error'),
          )
          if (blocking)
            machine = {
              ...machine,
              repairFirst: `${blocking.title} (${blocking.codes?.[0] ?? 'see the diagnosis'}); run the restore-health repair.`,
            }
          if (!arch) arch = machine.nativeArch
          if (!arch) throw new CliError(`The native architecture of ${machine.name} is unknown; give --arch.`)
        }
        if (!arch) throw new CliError('Give --arch x64|arm64, or --machine/--snapshot to take it from the machine.')
        const pkgs = packagesForCli(ctx, { ...opts, training })
        const out = opts.out
        const { manifest } = await withPackages(pkgs, () =>
          pkgs.exportKit({
            kb,
            arch,
            outDir: out,
            machine,
            onProgress: opts.json ? undefined : progressPrinter((l) => ctx.io.note(l)),
          }),
        )
        if (opts.json) {
          ctx.io.json(manifest)
          return
        }
        ctx.io.text(
          `Kit written to ${out} for ${manifest.target.kb} on ${manifest.target.arch}${manifest.target.machine ? ` (${manifest.target.machine})` : ''}:`,
        )
        for (const f of manifest.files) ctx.io.text(`  ${f.order}. ${f.role.padEnd(10)} ${f.fileName}  verified`)
        ctx.io.text('  manifest.json, PLAN.md, Install-Kit.ps1')
        // The technician's copy of the seal (kit-seal.ts): it is what proves the kit at install, not the folder.
        if (manifest.seal?.kitDigest)
          ctx.io.text(
            `Kit digest: ${manifest.seal.kitDigest} — write it down (or read it out by phone); on the other PC run \`servicing-desk kit verify DIR --digest ${manifest.seal.kitDigest}\` or \`install --kit DIR --kit-digest ${manifest.seal.kitDigest}\`.`,
          )
        for (const n of manifest.notes) ctx.io.note(`note: ${n}`)
      },
    )
  kit
    .command('verify <dir>')
    .description(
      're-check a kit: manifest, every hash and size, order, and the sealed Install-Kit.ps1 and PLAN.md; exit 1 on any problem',
    )
    .option(
      '--digest <code>',
      'the kit digest shown when the kit was exported: a kit whose files, list or scripts changed fails',
    )
    .option('--json', 'print the result as JSON only')
    .action(async (dir: string, opts: { json?: boolean; digest?: string }) => {
      // On Windows each package's Microsoft signature is checked too (no rewrite of the folder can forge it).
      const checker =
        process.platform === 'win32'
          ? packageSignatureCheckerFor({ kind: 'this-pc' }, ctx.services.hostFor, process.platform)
          : null
      const signatures = checker && checker.by !== 'nothing' ? checker : null
      const r = await verifyKit(dir, { expectDigest: opts.digest ?? null, signatures })
      if (opts.json) ctx.io.json(r)
      else if (r.ok) {
        ctx.io.text(
          `OK: ${r.checkedFiles} file(s) verified (SHA-1, SHA-256, size), order, and Install-Kit.ps1 and PLAN.md as sealed in the manifest — ${r.manifest?.target.kb} for ${r.manifest?.target.arch}.`,
        )
        ctx.io.text(
          opts.digest
            ? `Kit digest: ${r.digest} — the one shown at export.`
            : `Kit digest: ${r.digest} — compare it with the one shown when the kit was exported (or give it with --digest); the manifest alone cannot prove the kit.`,
        )
      } else {
        if (r.digest) ctx.io.text(`Kit digest: ${r.digest}`)
        ctx.io.text(`FAILED: ${r.problems.length} problem(s) in ${dir}:`)
        for (const p of r.problems) ctx.io.text(`  ${p.fileName ?? '(kit)'}: ${p.problem}`)
      }
      if (!r.ok) process.exitCode = 1
    })
  kit
    .command('import <dir>')
    .description('check a kit or any folder of MSU/CAB files for a PC: KB, architecture, hash and order of each file')
    .option('--arch <arch>', "the PC's native architecture (x64, arm64)")
    .option('--kb <kb>', "the update to install (default: the kit's target or the highest KB)")
    .option('--json', 'print the result as JSON only')
    .action(async (dir: string, opts: { arch?: string; kb?: string; json?: boolean }) => {
      const arch = parseArch(opts.arch)
      if (!arch) throw new CliError("Give the PC's architecture with --arch x64|arm64.")
      const pkgs = packagesForCli(ctx, {})
      const r = await withPackages(pkgs, () => pkgs.importKit(dir, arch, opts.kb ? parseKb(opts.kb) : undefined))
      if (opts.json) ctx.io.json(r)
      else {
        ctx.io.text(`${r.fromManifest ? 'Kit' : 'Folder'} ${r.dir}: target ${r.targetKb ?? 'unknown'} for ${arch}`)
        for (const f of r.files)
          ctx.io.text(
            `  ${f.order ? `${f.order}.` : '- '} ${f.accepted ? 'OK      ' : 'REJECTED'} ${f.fileName}  ${f.kb ?? '?'} ${f.arch ?? '?'} hash ${f.hash}: ${f.reason}`,
          )
        for (const p of r.problems) ctx.io.note(`note: ${p}`)
      }
      if (r.files.some((f) => !f.accepted) || r.files.length === 0) process.exitCode = 1
    })
}
