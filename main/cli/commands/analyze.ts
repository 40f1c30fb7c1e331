/** `servicing-desk analyze <file|-> [--kind K] [--json]`: what a pasted text is, and the facts in it. */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { ANALYZE_MAX_BYTES, tooLargeMessage } from '../../analyze/analyze-core.ts'
import { analyzeTextLoading } from '../../analyze/analyze-loading.ts'
import { InputTooLarge, readStdinBounded } from '../../bounded-input.ts'
import { decodeAndRelease, readFileText } from '../../analyze/analyze-file.ts'
import { severityWord } from '../../../preload/model/status-words.ts'

/**
 * The input as text, bounded at the boundary (bounded-input.ts): a file over the limit is refused from its size,
 * standard input the moment it passes the limit. Read synchronously and decoded inside these small functions,
 * so the bytes are unreachable once they return: kept in the action's frame (or through an await) they stayed
 * alive through the analysis, +50 to +64 MB at the peak (measured). The decoded text is what analyzeText reads
 * (normalizePastedText returns a normalised text unchanged). A file: readFileText (main/analyze/analyze-file.ts,
 * which the app's dropped files go through too).
 */
function readStdinText(): string | Promise<string> {
  // One buffer, decoded once as a file's bytes are (bounded-input.ts).
  const got = readStdinBounded(ANALYZE_MAX_BYTES, () => process.stdin)
  return got instanceof Promise ? got.then(decodeAndRelease) : decodeAndRelease(got)
}

/**
 * One fact as a line of the text view. The words must agree with the verdict printed below them: `errors` are the
 * lines the log itself marks as errors (none is said as such, not `[]`), and the reading's story shows only what its
 * words found (a "failed": false above a failure the diagnosis names read as a contradiction). --json keeps every
 * field as read.
 */
export function factLine(key: string, value: unknown): string | null {
  if (key === 'errors' && Array.isArray(value))
    return `error lines: ${value.length === 0 ? 'none' : JSON.stringify(value, null, 2)}`
  if (key === 'story' && value && typeof value === 'object' && !Array.isArray(value)) {
    const found = Object.entries(value).filter(
      ([, v]) => v !== false && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
    )
    return found.length === 0 ? null : `story: ${JSON.stringify(Object.fromEntries(found), null, 2)}`
  }
  return `${key}: ${JSON.stringify(value, null, 2)}`
}

export function registerAnalyze(program: Command, ctx: Pick<CliContext, 'io'>): void {
  program
    .command('analyze')
    .description('detect what a pasted text is (command output or log) and extract its facts')
    .argument('<file>', "a file, or '-' for standard input")
    .option('--kind <kind>', 'skip detection and read the text as this kind')
    .option('--json', 'print JSON only: {kind, facts, findings, warnings}')
    .option(
      '--reading-only',
      "what the text's readers found, without the diagnosis's verdict (loads only those readers)",
    )
    .action(async (file: string, opts: { kind?: string; json?: boolean; readingOnly?: boolean }) => {
      let text: string
      try {
        const t = file === '-' ? readStdinText() : readFileText(file)
        text = t instanceof Promise ? await t : t
      } catch (err) {
        if (err instanceof InputTooLarge) throw new CliError(file === '-' ? err.message : tooLargeMessage(err.bytes))
        throw new CliError(`Cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`)
      }
      const reading = await analyzeTextLoading(text, opts.kind)
      // Whether the text shows a failure is the diagnosis's verdict over the same text (diagnose/text-verdict.ts):
      // `analyze` shows an error exactly when `diagnose --log` names a failure. Loaded only here, after the reading:
      // the rules and every reader come with it.
      const result = opts.readingOnly
        ? reading
        : (await import('../../diagnose/text-verdict.ts')).withDiagnosisVerdict(text, reading)
      if (opts.json) {
        ctx.io.json(result)
        return
      }
      ctx.io.text(`Kind: ${result.kind}`)
      for (const [k, v] of Object.entries(result.facts)) {
        const line = factLine(k, v)
        if (line) ctx.io.text(line)
      }
      for (const f of result.findings) ctx.io.text(`[${severityWord(f.severity)}] ${f.title}: ${f.detail}`)
      for (const w of result.warnings) ctx.io.note(`warning: ${w}`)
    })
}
