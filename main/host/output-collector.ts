/**
 * Collects a child's output stream with a byte cap, decodes it, and emits lines as they arrive.
 *
 * Why a cap that keeps draining: a command that prints gigabytes must not exhaust memory, yet the
 * child must not block on a full pipe either (it would then only end at its timeout). So after
 * `maxBytes` we keep reading and discard, and mark the result truncated. DISM draws its progress bar
 * with `\r`, so both `\r` and `\n` end a line for the line callback.
 */
import iconv from 'iconv-lite'
import type { Readable } from 'node:stream'

/** A streaming decoder (iconv-lite's interface, also satisfied by a TextDecoder wrapper). */
export interface ChunkDecoder {
  write(chunk: Buffer): string
  end(): string | undefined
}

/** Returns a streaming decoder for a code page number (437, 850, 866, 932, 65001 …) or an encoding name. */
export function decoderFor(encoding: 'utf8' | 'utf16le' | number): ChunkDecoder {
  if (encoding === 'utf8' || encoding === 65001) return iconv.getDecoder('utf8')
  if (encoding === 'utf16le' || encoding === 1200) return iconv.getDecoder('utf16le')
  const name = `cp${encoding}`
  // An unknown code page must not crash a scan: fall back to latin1, which maps every byte.
  return iconv.encodingExists(name) ? iconv.getDecoder(name) : iconv.getDecoder('latin1')
}

export interface CollectedOutput {
  text: string
  truncated: boolean
  /** Bytes read from the stream in all, including discarded ones. */
  totalBytes: number
}

export interface CollectOptions {
  maxBytes: number
  decoder: ChunkDecoder
  onLine?: (line: string) => void
}

/** Reads `stream` to its end; keeps at most `maxBytes`; calls `onLine` for each `\r`/`\n`-terminated line. */
export function collectOutput(stream: Readable | null | undefined, opts: CollectOptions): Promise<CollectedOutput> {
  return new Promise((resolve) => {
    if (!stream) {
      resolve({ text: '', truncated: false, totalBytes: 0 })
      return
    }
    let text = ''
    let kept = 0
    let totalBytes = 0
    let truncated = false
    let pending = ''
    const emit = (piece: string, final: boolean) => {
      if (!opts.onLine) return
      pending += piece
      const parts = pending.split(/\r\n|\r|\n/)
      pending = parts.pop() ?? ''
      for (const line of parts) if (line.trim() !== '') safeCall(opts.onLine, line)
      if (final && pending.trim() !== '') safeCall(opts.onLine, pending)
      if (final) pending = ''
    }
    stream.on('data', (chunk: Buffer) => {
      totalBytes += chunk.length
      if (truncated) return
      const room = opts.maxBytes - kept
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk
      kept += part.length
      const decoded = opts.decoder.write(part)
      text += decoded
      emit(decoded, false)
      if (chunk.length > room) truncated = true
    })
    let done = false
    const finish = () => {
      if (done) return
      done = true
      const rest = opts.decoder.end() ?? ''
      text += rest
      emit(rest, true)
      resolve({ text, truncated, totalBytes })
    }
    stream.once('end', finish)
    stream.once('error', finish)
    stream.once('close', () => {
      if (!stream.readableEnded) finish()
    })
  })
}

function safeCall(fn: (line: string) => void, line: string): void {
  try {
    fn(line)
  } catch {
    // A faulty progress listener must not break the command's result.
  }
}
