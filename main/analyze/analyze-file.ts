/**
 * A file analysed exactly as the CLI's `analyze FILE` does (main/cli/commands/analyze.ts): read synchronously
 * into one buffer of its size with the bounded reader (main/bounded-input.ts) and decoded inside a small
 * function, so its bytes are unreachable before the analysis starts. Over ANALYZE_MAX_BYTES (or grown past it
 * while read) it gets the warning a too-large paste gets.
 */
import { ANALYZE_MAX_BYTES } from './analyze-core.ts'
import { normalizePastedText } from './normalize-text.ts'
import { readFileBounded } from '../bounded-input.ts'

/** What the analysis worker is given: a text, or the path of a file it reads itself. */
export type AnalyzeWorkerData = { text: string | Uint8Array; kind?: string } | { file: string; kind?: string }

/** The file's text, bounded; throws InputTooLarge. The CLI's `analyze FILE` reads through it too. */
export function readFileText(file: string): string {
  return decodeAndRelease(readFileBounded(file, ANALYZE_MAX_BYTES))
}

/**
 * The bytes decoded (normalizePastedText), then their memory given back at once: an unreachable 64 MB buffer stays
 * until the next full garbage collection, which came only after the analysis (measured: +64 MB at the peak of
 * `analyze` of 64 MB). Only a buffer that owns its memory alone (not a slice of Node's shared pool of
 * small buffers) is released; the caller must not use `bytes` afterwards.
 */
export function decodeAndRelease(bytes: Buffer): string {
  const text = normalizePastedText(bytes)
  // ArrayBuffer.prototype.transfer (ES2024, Node 21+): detaching frees the memory now, not at the next collection.
  const whole = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }
  if (whole instanceof ArrayBuffer && whole.byteLength > Buffer.poolSize && typeof whole.transfer === 'function')
    whole.transfer(0)
  return text
}
