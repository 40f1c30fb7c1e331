/**
 * `servicing-desk collector --out FILE`: writes the collector script (Windows PowerShell 5.1) a user runs on
 * their PC; its zip opens with `--snapshot FILE.zip`.
 * `servicing-desk collector read-line TEXT|--file F`: reads the one-line output (`-Line`) Intune or ConfigMgr
 * kept, and explains each failure code in it.
 */
import { InputTooLarge, SMALL_INPUT_MAX, readInputFile } from '../../bounded-input.ts'
import type { Command } from 'commander'
import { writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { collectorScript } from '../../collector/collector-script.ts'
import { parseCollectorLines } from '../../parse/collector-line.ts'

export function registerCollector(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('collector')
    .description(
      'write the collector script a user runs on a PC you are not sitting at (its zip opens with --snapshot FILE.zip)',
    )
    .option('--out <file>', 'where to write the script, e.g. Collect-ServicingFacts.ps1')
    .action(async (opts: { out?: string }) => {
      if (!opts.out) throw new CliError('Say where to write the script: collector --out FILE.ps1')
      try {
        await mkdir(dirname(opts.out), { recursive: true })
        await writeFile(opts.out, collectorScript({ version: ctx.services.appVersion }), 'utf8')
      } catch (err) {
        throw new CliError(
          `Cannot write '${opts.out}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
          1,
        )
      }
      ctx.io.note(
        `Collector written to ${opts.out}. On the PC, elevated: powershell.exe -NoProfile -ExecutionPolicy Bypass -File ${opts.out.split(/[\\/]/).pop()} [-OutFile C:\\path\\file.zip] [-Line]`,
      )
    })
  cmd
    .command('read-line')
    .description(
      'read collector -Line output (as Intune Remediations or ConfigMgr kept it) and explain its failure codes',
    )
    .argument('[text]', 'the line(s)')
    .option('--file <file>', 'a file holding such lines (an export of many devices)')
    .option('--json', 'print JSON only')
    .action(async (text: string | undefined, opts: { file?: string; json?: boolean }) => {
      let input = text ?? ''
      if (opts.file) {
        try {
          input += `\n${readInputFile(opts.file, SMALL_INPUT_MAX, 'The file').toString('utf8')}`
        } catch (err) {
          throw new CliError(
            err instanceof InputTooLarge
              ? err.message
              : `Cannot read '${opts.file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
          )
        }
      }
      const lines = parseCollectorLines(input)
      if (!lines.length) throw new CliError('No collector line found (one starts with "SDC1 host=").')
      if (opts.json) {
        ctx.io.json(lines)
        return
      }
      for (const l of lines) {
        ctx.io.text(
          `${l.host}: build ${l.build ?? 'unknown'}, ${l.arch ?? 'architecture unknown'}, WinRE ${l.winre ?? 'unknown'}${l.takenAt ? `, collected ${l.takenAt}` : ''}`,
        )
        for (const c of l.codes) {
          let what = ''
          try {
            const e = ctx.services.explainCode(c)
            what = e.known ? `${e.name ?? ''} — ${e.meaning}` : 'not a code this app knows'
          } catch {
            what = 'not a code this app knows'
          }
          ctx.io.text(`  ${c}  ${what}`)
        }
        if (!l.codes.length) ctx.io.text('  no failure code seen')
      }
    })
}
