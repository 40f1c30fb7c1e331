/**
 * `servicing-desk download --kb KB --arch A [--out DIR] [--json]`: downloads an update and the checkpoints
 * it needs into the verified cache (resumable; a verified file is never downloaded twice), and copies
 * them to DIR when given. Progress per file goes to stderr.
 */
import type { Command } from 'commander'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { copyCliFile } from '../output-file.ts'
import type { DownloadProgress } from '../../../preload/model/catalog.ts'
import {
  catalogUrlOption,
  packagesForCli,
  parseArch,
  parseKb,
  withPackages,
  type CatalogCliOptions,
} from './catalog.ts'

/** One stderr line per file every few seconds, and one when its state changes. */
export function progressPrinter(note: (line: string) => void): (p: DownloadProgress) => void {
  const last = new Map<string, { state: string; at: number }>()
  return (p) => {
    const prev = last.get(p.fileName)
    const now = Date.now()
    if (prev && prev.state === p.state && now - prev.at < 2000) return
    last.set(p.fileName, { state: p.state, at: now })
    const pct = p.bytesTotal ? ` ${Math.floor((p.bytesDone / p.bytesTotal) * 100)}%` : ''
    const rate = p.bytesPerSecond ? ` ${(p.bytesPerSecond / 1024 / 1024).toFixed(1)} MB/s` : ''
    const eta = p.etaSeconds ? ` ETA ${Math.ceil(p.etaSeconds)} s` : ''
    note(
      `  ${p.state.padEnd(15)} ${p.fileName}${pct}${rate}${eta}${p.error ? ` — ${p.error}` : ''}${p.detail ? ` — ${p.detail}` : ''}`,
    )
  }
}

export function registerDownload(program: Command, ctx: CliContext): void {
  program
    .command('download')
    .description('download an update and its checkpoint(s), verified by SHA-1 and SHA-256 (resumable)')
    .option('--kb <kb>', 'the target update, e.g. KB5086672')
    .option('--arch <arch>', "the PC's native architecture (x64, arm64)")
    .option('--out <dir>', 'also copy the verified files to this folder')
    .option('--json', 'print the result as JSON only')
    .addOption(catalogUrlOption())
    .action(async (opts: { kb?: string; arch?: string; out?: string; json?: boolean } & CatalogCliOptions) => {
      const kb = parseKb(opts.kb)
      const arch = parseArch(opts.arch)
      if (!arch) throw new CliError("Give the architecture with --arch x64|arm64 (the PC's native architecture).")
      const pkgs = packagesForCli(ctx, opts)
      const r = await withPackages(pkgs, () =>
        pkgs.download(kb, arch, { onProgress: progressPrinter((l) => ctx.io.note(l)) }),
      )
      if (opts.out) {
        await mkdir(opts.out, { recursive: true })
        for (const f of r.files) {
          const dest = join(opts.out, f.fileName)
          await copyCliFile(f.path, dest, `the copy of ${f.fileName}`)
        }
      }
      if (opts.json) {
        ctx.io.json(r)
        return
      }
      ctx.io.text(r.chain.update.title)
      for (const f of r.files) {
        const c = r.chain.files.find((x) => x.fileName === f.fileName)
        ctx.io.text(
          `${c?.order ?? '-'}. ${(c?.role ?? '').padEnd(10)} ${f.fileName}  verified (SHA-1 + SHA-256)${f.fromCache ? ', from the cache' : ''}`,
        )
        ctx.io.text(`   ${opts.out ? join(opts.out, f.fileName) : f.path}`)
        ctx.io.text(
          `   signature: ${f.signature.status === 'valid' ? `valid, ${f.signature.signer}` : f.signature.reason}`,
        )
      }
    })
}
