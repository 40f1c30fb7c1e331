/** `servicing-desk analyze <file|-> [--kind K] [--json]`: what a pasted text is, and the facts in it. */
import type { Command } from 'commander'
import { readFile, stat } from 'node:fs/promises'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { analyzeText, ANALYZE_MAX_BYTES, tooLargeMessage } from '../../analyze/analyze.ts'

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

export function registerAnalyze(program: Command, ctx: CliContext): void {
  program
    .command('analyze')
    .description('detect what a pasted text is (command output or log) and extract its facts')
    .argument('<file>', "a file, or '-' for standard input")
    .option('--kind <kind>', 'skip detection and read the text as this kind')
    .option('--json', 'print JSON only: {kind, facts, findings, warnings}')
    .action(async (file: string, opts: { kind?: string; json?: boolean }) => {
      let bytes: Buffer
      try {
        // Over the stated limit: refused with a sentence before anything is read.
        if (file !== '-') { const size = (await stat(file)).size; if (size > ANALYZE_MAX_BYTES) throw new CliError(tooLargeMessage(size)) }
        bytes = file === '-' ? await readStdin() : await readFile(file)
      } catch (err) {
        if (err instanceof CliError) throw err
        throw new CliError(`Cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`)
      }
      if (bytes.length > ANALYZE_MAX_BYTES) throw new CliError(tooLargeMessage(bytes.length))
      const result = analyzeText(new Uint8Array(bytes), opts.kind)
      if (opts.json) { ctx.io.json(result); return }
      ctx.io.text(`Kind: ${result.kind}`)
      for (const [k, v] of Object.entries(result.facts)) ctx.io.text(`${k}: ${JSON.stringify(v, null, 2)}`)
      for (const f of result.findings) ctx.io.text(`[${f.severity}] ${f.title}: ${f.detail}`)
      for (const w of result.warnings) ctx.io.note(`warning: ${w}`)
    })
}
