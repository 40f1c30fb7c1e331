/**
 * An export as `fleet import` opens it, before a byte of it is read: a regular file (not a device, a pipe or a
 * socket: `/dev/zero` would never end), no larger than the largest export read, and inside a folder no link
 * (a `.zip` linked to `/dev/zero`, a CSV linked from elsewhere: only what the folder itself holds is read). The
 * checks are on the opened handle (O_NOFOLLOW, then fstat), so a file swapped after a check is not read instead.
 *
 * Then its text, as the tools write it: UTF-8 with or without a BOM (PowerShell 7, the Intune and Log Analytics
 * portals), UTF-16LE (Windows PowerShell 5.1's `>` and `Out-File`) and UTF-16BE with their BOM or told by the zero
 * bytes of ASCII text, else the ANSI code page (Windows-1252, what `Out-File -Encoding Default` writes on a Western
 * Windows). Decoded with iconv-lite a chunk at a time: lines and CSV records are handed on as they are read, so a
 * million-row export is never in memory at once.
 */
import { open, lstat, mkdtemp, rm, type FileHandle } from 'node:fs/promises'
import { constants } from 'node:fs'
import { basename, join } from 'node:path'
import { tmpdir } from 'node:os'
import { finished } from 'node:stream/promises'
import { StringDecoder } from 'node:string_decoder'
import iconv from 'iconv-lite'
import { Parser } from 'csv-parse'
import { scanCsv } from './csv-scan.ts'
import { zipDirectory, ZipError, type ZipEntryInfo } from '../../collector/zip.ts'
import { crc32, createInflateRaw } from 'node:zlib'

/** A text export read a chunk at a time (2 GiB: 1,000,000 devices' alert rows are well under it). */
export const MAX_TEXT_BYTES = 2 * 1024 ** 3
/** A JSON export is parsed whole: Graph gives pages of at most 1,000 items, well under this. */
export const MAX_JSON_BYTES = 512 * 1024 ** 2
/** A line or a CSV record longer than this is set aside (a collector line is at most 2,048 characters). */
export const MAX_RECORD_CHARS = 1024 * 1024

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1252'
const ENCODING_WORDS: Record<TextEncoding, string> = {
  utf8: 'UTF-8',
  utf16le: 'UTF-16LE',
  utf16be: 'UTF-16BE',
  windows1252: 'the ANSI code page (Windows-1252)',
}

export class ExportRefused extends Error {}

export interface OpenedExport {
  path: string
  fh: FileHandle
  size: number
  /** The first bytes (up to 64 KB). */
  head: Buffer
  encoding: TextEncoding | 'binary' | 'zip'
  /** The head decoded (without a BOM), for telling the kind. */
  headText: string
}

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`

/**
 * Opens an export: `inFolder` files are refused when they are links (the folder's own files only); a path the
 * user named is followed. Refused with the reason when it is not a regular file or is larger than `max`.
 */
export async function openExport(path: string, opts: { inFolder?: boolean; max?: number } = {}): Promise<OpenedExport> {
  const name = basename(path)
  const noFollow = opts.inFolder ? (constants.O_NOFOLLOW ?? 0) : 0
  if (opts.inFolder && !noFollow && (await lstat(path)).isSymbolicLink())
    throw new ExportRefused(`${name} is a link: links are not followed out of the folder (copy the file itself in)`)
  let fh: FileHandle
  try {
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new ExportRefused(`${name} is a link: links are not followed out of the folder (copy the file itself in)`)
    throw err
  }
  try {
    const st = await fh.stat()
    if (!st.isFile())
      throw new ExportRefused(
        `${name} is not a regular file (a ${st.isDirectory() ? 'folder' : st.isFIFO() ? 'pipe' : st.isSocket() ? 'socket' : 'device'}): an export is a file`,
      )
    const max = opts.max ?? MAX_TEXT_BYTES
    if (st.size > max)
      throw new ExportRefused(
        `${name} is ${gib(st.size)}, larger than the largest export read (${gib(max)}): split it (one file per report page or query) and import the folder`,
      )
    const head = Buffer.alloc(Math.min(st.size, 64 * 1024))
    const { bytesRead } = await fh.read(head, 0, head.length, 0)
    const h = head.subarray(0, bytesRead)
    const encoding = sniffEncoding(h)
    const headText = encoding === 'binary' || encoding === 'zip' ? '' : iconv.decode(h, encoding).replace(/^\uFEFF/, '')
    return { path, fh, size: st.size, head: h, encoding, headText }
  } catch (err) {
    await fh.close()
    throw err
  }
}

/** How the bytes are text: a BOM, the zero bytes of UTF-16 ASCII, valid UTF-8, else the ANSI code page; or not text. */
export function sniffEncoding(head: Buffer): TextEncoding | 'binary' | 'zip' {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return 'zip'
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be'
  const n = Math.min(head.length, 4096) & ~1
  let even = 0,
    odd = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++
    if (head[i + 1] === 0) odd++
  }
  const pairs = n / 2
  if (pairs && odd > pairs * 0.3 && even < pairs * 0.02) return 'utf16le'
  if (pairs && even > pairs * 0.3 && odd < pairs * 0.02) return 'utf16be'
  if (even + odd) return 'binary'
  // Valid UTF-8 (a multi-byte character cut at the end of the head is not an error).
  let end = head.length
  for (let k = 0; k < 3 && end > 0 && (head[end - 1]! & 0xc0) === 0x80; k++) end--
  if (end > 0 && head[end - 1]! >= 0xc0) end--
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end))
    return 'utf8'
  } catch {
    return 'windows1252'
  }
}

export function encodingWords(e: OpenedExport['encoding']): string {
  return e === 'binary' ? 'binary data' : e === 'zip' ? 'a ZIP archive' : ENCODING_WORDS[e]
}

/**
 * Read 64 KiB at a time (a stream's own size): csv-parse joins what is left of one chunk to the next (Buffer.concat),
 * which with 1 MiB chunks copied and allocated a fresh MiB each time (a profile of 50,000 devices: 238 of the 2,545 ms
 * of reading the CSVs; 72 ms at 64 KiB).
 */
const CHUNK_BYTES = 64 * 1024

/** The file's bytes a chunk at a time, never more than the size it had when opened. */
async function* byteChunks(f: OpenedExport): AsyncGenerator<Buffer> {
  let pos = 0
  while (pos < f.size) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, f.size - pos))
    const { bytesRead } = await f.fh.read(buf, 0, buf.length, pos)
    if (!bytesRead) break
    pos += bytesRead
    yield buf.subarray(0, bytesRead)
  }
}

/** The file's text a chunk at a time (BOM dropped), never more than the size it had when opened. */
export async function* textChunks(f: OpenedExport): AsyncGenerator<string> {
  if (f.encoding === 'binary' || f.encoding === 'zip')
    throw new ExportRefused(`${basename(f.path)} is ${encodingWords(f.encoding)}, not text`)
  const dec = iconv.getDecoder(f.encoding)
  for await (const b of byteChunks(f)) {
    const s = dec.write(b)
    if (s) yield s
  }
  const tail = dec.end()
  if (tail) yield tail
}

/**
 * What the CSV reader is given: a UTF-8 file's bytes as they are (csv-parse reads UTF-8 and drops its BOM itself:
 * decoding them to text first only for csv-parse to encode that text back to bytes cost a third of its reading),
 * any other encoding's text decoded by iconv-lite.
 */
export function csvInput(f: OpenedExport): AsyncIterable<string | Buffer> {
  if (f.encoding === 'utf8') return byteChunks(f)
  return textChunks(f)
}

/** The whole text (for a JSON export, at most MAX_JSON_BYTES). */
export async function wholeText(f: OpenedExport): Promise<string> {
  if (f.size > MAX_JSON_BYTES)
    throw new ExportRefused(
      `${basename(f.path)} is ${gib(f.size)}: a JSON export is read whole, up to ${gib(MAX_JSON_BYTES)}; save the pages as separate files`,
    )
  let s = ''
  for await (const c of textChunks(f)) s += c
  return s
}

/**
 * Each line with its number (CRLF, LF or CR); a line longer than MAX_RECORD_CHARS comes cut, marked `tooLong`.
 * Handed on as the lines of each chunk at once (one await per chunk, not per line).
 */
export async function* linesOf(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ text: string; line: number; tooLong: boolean }[]> {
  let rest = ''
  let tooLong = false
  let line = 0
  let skipLf = false
  for await (let c of chunks) {
    const out: { text: string; line: number; tooLong: boolean }[] = []
    if (skipLf && c.charCodeAt(0) === 10) c = c.slice(1)
    skipLf = false
    let start = 0
    for (let i = 0; i < c.length; i++) {
      const ch = c.charCodeAt(i)
      if (ch !== 10 && ch !== 13) continue
      const text = rest.length
        ? rest + c.slice(start, Math.min(i, start + MAX_RECORD_CHARS))
        : c.slice(start, Math.min(i, start + MAX_RECORD_CHARS))
      out.push({ text, line: ++line, tooLong: tooLong || i - start > MAX_RECORD_CHARS })
      rest = ''
      tooLong = false
      if (ch === 13) {
        if (i + 1 < c.length) {
          if (c.charCodeAt(i + 1) === 10) i++
        } else skipLf = true
      }
      start = i + 1
    }
    if (start < c.length) {
      if (rest.length + c.length - start > MAX_RECORD_CHARS) {
        tooLong = true
        rest = (rest + c.slice(start, start + MAX_RECORD_CHARS)).slice(0, MAX_RECORD_CHARS)
      } else rest += c.slice(start)
    }
    if (out.length) yield out
  }
  if (rest.length || tooLong) yield [{ text: rest, line: ++line, tooLong }]
}

export type CsvItem = { fields: string[]; line: number } | { error: string; line: number }

/** csv-parse's options for an export: RFC 4180 read leniently, a bad record set aside and the ones around it kept. */
export const CSV_OPTIONS = {
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  max_record_size: MAX_RECORD_CHARS,
  record_delimiter: ['\r\n', '\n', '\r'],
}

/**
 * csv-parse reading text from a record on, its records and refusals pushed to `got` with their lines in the file
 * (`before`: the lines before the text it is given).
 */
function csvParser(got: () => CsvItem[], before: number, bom: boolean) {
  const parser = new RecordParser({ ...CSV_OPTIONS, bom }, (fields, line) => {
    got().push({ fields, line: before + line })
  })
  let failed: Error | null = null
  parser.on('skip', (err: Error & { code?: string; lines?: number }) => {
    got().push({
      error:
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'a quoted field is not closed (the rest of the file is inside it)'
          : err.code === 'CSV_MAX_RECORD_SIZE'
            ? `a record longer than ${MAX_RECORD_CHARS} characters`
            : `not CSV here: ${err.message.slice(0, 200)}`,
      line: err.lines ? before + err.lines : 0,
    })
  })
  parser.on('data', () => undefined) // flowing, so that its end comes
  parser.on('error', (err: Error) => {
    failed = err
  })
  const done = finished(parser)
  done.catch(() => undefined) // said where it is awaited
  return {
    write(c: string | Buffer) {
      parser.write(c)
      if (failed) throw failed
    },
    async end() {
      parser.end()
      await done
      if (failed) throw failed
    },
    destroy: () => parser.destroy(),
  }
}

/**
 * Each CSV record as csv-parse reads it (RFC 4180: quoted fields with commas, quotes and line breaks; CRLF, LF or
 * CR), with the line it ends on; a record it cannot read (a quote never closed, a record over MAX_RECORD_CHARS) comes
 * as an error at its line, and the records around it still come. Handed on as the records of each chunk read at once
 * (one await per chunk, not two per record), in order. The well-formed records the tools write are read by scanCsv
 * (csv-scan.ts: the same fields and lines, a fraction of csv-parse's CPU); from the first record it does not vouch
 * for, the rest of the file goes through csv-parse itself.
 */
export async function* csvRecordsOf(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<CsvItem[]> {
  let got: CsvItem[] = []
  const items = () => got
  const onRecord = (fields: string[], line: number) => {
    got.push({ fields, line })
  }
  const decoder = new StringDecoder('utf8')
  let text = ''
  let line = 1
  let started = false
  let slow: ReturnType<typeof csvParser> | null = null
  const scan = (s: string, end: boolean) => {
    if (!started) {
      // The UTF-8 BOM (csv-parse's `bom`; iconv-lite drops the others' as it decodes).
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1)
      started = s.length > 0
    }
    text = text.length ? text + s : s
    const r = scanCsv(text, 0, line, end, onRecord)
    line = r.line
    if (r.stop) {
      slow = csvParser(items, line - 1, false)
      slow.write(text.slice(r.pos))
      text = ''
    } else text = r.pos ? text.slice(r.pos) : text
  }
  try {
    for await (const c of chunks) {
      const s = typeof c === 'string' ? c : decoder.write(c)
      if (slow) (slow as ReturnType<typeof csvParser>).write(s)
      else scan(s, false)
      if (got.length) {
        const b = got
        got = []
        yield b
      }
    }
    const tail = decoder.end()
    if (slow) {
      if (tail) (slow as ReturnType<typeof csvParser>).write(tail)
    } else scan(tail, true)
    if (slow) await (slow as ReturnType<typeof csvParser>).end()
    if (got.length) yield got
  } finally {
    ;(slow as ReturnType<typeof csvParser> | null)?.destroy()
  }
}

/**
 * csv-parse's stream, each record taken with the line it ends on as csv-parse hands it over (its push, called while
 * it parses: `info.lines` is then the record's own) rather than through the stream with `info: true`, which builds
 * two objects of a dozen fields per record (at 200,000 devices, ~2 s of the 490,000 CSV records' reading).
 */
class RecordParser extends Parser {
  private readonly onRecord: (fields: string[], line: number) => void
  constructor(opts: ConstructorParameters<typeof Parser>[0], onRecord: (fields: string[], line: number) => void) {
    super(opts)
    this.onRecord = onRecord
  }
  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding)
    this.onRecord(record as string[], this.info.lines)
    return true
  }
}

/** The largest Intune export .zip read (the CSV inside is unpacked to a private temporary file, at most MAX_ZIPPED_CSV_BYTES). */
export const MAX_EXPORT_ZIP_BYTES = 256 * 1024 ** 2
export const MAX_ZIPPED_CSV_BYTES = 1024 ** 3
/**
 * The most a CSV report unpacks to per byte packed. Deflate's own limit is about 1,032:1; text reports pack 5-20:1 (a
 * column of one repeated value a little more). A bomb (611 KB that claimed a CSV of 1.35 GB, about 2,300:1) is far past it.
 */
export const MAX_ZIP_RATIO = 100
/** A size in the unit that shows it (1,234 KB, 48.0 MB, 1.3 GiB). */
const bytesText = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GiB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${Math.ceil(n / 1024).toLocaleString('en-US')} KB`
/** How much of the CSV is unpacked before its kind is known: the head every reader of a text export looks at. */
const ZIP_HEAD_BYTES = 64 * 1024

/**
 * The Intune export job's .zip (the portal's Export, or Graph's exportJobs `url`): one CSV report inside. Read with the
 * app's strict zip reader (central directory only; no entry with an absolute or `..` name, no encryption), and only
 * then unpacked as a stream: refused before a byte is unpacked when its stated sizes are past MAX_ZIP_RATIO; its first
 * 64 KB unpacked and read for what it is (a report this app reads, by its header row, or collector lines) before the
 * rest is; every chunk after bounded by the stated size and the ratio; size and CRC checked at the end. Written to a
 * private temporary folder and opened as that CSV, named `<zip>/<entry>`. Refused, with what it holds, when it is not
 * one CSV of an export this app reads.
 */
export async function openZippedExport(
  f: OpenedExport,
  kindOfHead?: (head: string) => string | null,
): Promise<{ opened: OpenedExport; cleanup: () => Promise<void> }> {
  const name = basename(f.path)
  if (f.size > MAX_EXPORT_ZIP_BYTES)
    throw new ExportRefused(
      `${name} is ${gib(f.size)}, larger than the largest export .zip read (${gib(MAX_EXPORT_ZIP_BYTES)}): unzip it and import the .csv`,
    )
  const buf = Buffer.alloc(f.size)
  const { bytesRead } = await f.fh.read(buf, 0, f.size, 0)
  const zip = buf.subarray(0, bytesRead)
  let entries: ZipEntryInfo[]
  try {
    entries = zipDirectory(zip, {
      maxEntries: 16,
      maxEntryBytes: MAX_ZIPPED_CSV_BYTES,
      maxTotalBytes: MAX_ZIPPED_CSV_BYTES * 16,
    })
  } catch (err) {
    if (err instanceof ZipError) throw new ExportRefused(`${name} is not an export .zip this app reads: ${err.message}`)
    throw err
  }
  const csv = entries.filter((e) => /\.csv$/i.test(e.name))
  if (csv.length !== 1)
    throw new ExportRefused(
      `${name} holds ${
        csv.length
          ? `${csv.length} CSV files (${csv
              .slice(0, 5)
              .map((e) => e.name)
              .join(', ')})`
          : `no CSV file (${
              entries
                .slice(0, 5)
                .map((e) => e.name)
                .join(', ') || 'nothing'
            })`
      }; Intune's export .zip holds one CSV report: unzip it and import the .csv you mean`,
    )
  const e = csv[0]!
  const refuse = (why: string) => new ExportRefused(`${name}: ${e.name} ${why}; nothing more of it was unpacked`)
  if (e.method === 8 && e.usize > Math.max(ZIP_HEAD_BYTES, e.csize * MAX_ZIP_RATIO))
    throw refuse(
      `says it unpacks to ${bytesText(e.usize)} from ${bytesText(e.csize)} (more than ${MAX_ZIP_RATIO} times its packed size, which no report is: a zip bomb)`,
    )
  const dir = await mkdtemp(join(tmpdir(), 'sd-fleet-zip-'))
  const cleanup = () => rm(dir, { recursive: true, force: true })
  try {
    const inner = join(dir, 'export.csv')
    const out = await open(inner, 'wx', 0o600)
    let written = 0
    let crc = 0
    let head: Buffer[] | null = []
    let headBytes = 0
    try {
      const write = async (chunk: Buffer) => {
        if (written + chunk.length > e.usize)
          throw refuse(`unpacks to more than its stated ${bytesText(e.usize)}: the file is damaged or hostile`)
        crc = crc32(chunk, crc)
        written += chunk.length
        await out.write(chunk)
        if (head) {
          head.push(chunk)
          headBytes += chunk.length
          if (headBytes >= ZIP_HEAD_BYTES || written === e.usize) checkHead(Buffer.concat(head))
        }
      }
      // What it is, from its first bytes, before the rest is unpacked.
      const checkHead = (h: Buffer) => {
        head = null
        const enc = sniffEncoding(h)
        if (enc === 'zip' || enc === 'binary') throw refuse(`is ${encodingWords(enc)}, not a CSV report`)
        const text = iconv.decode(h, enc).replace(/^\uFEFF/, '')
        if (kindOfHead && !kindOfHead(text))
          throw refuse(
            'is not a report this app reads (its first lines have no header row it knows and no collector lines)',
          )
      }
      const packed = zip.subarray(e.start, e.start + e.csize)
      if (e.method === 0) {
        for (let i = 0; i < packed.length; i += 1024 * 1024)
          await write(packed.subarray(i, Math.min(packed.length, i + 1024 * 1024)))
      } else {
        const inflate = createInflateRaw({ chunkSize: 64 * 1024 })
        inflate.end(packed)
        for await (const chunk of inflate) {
          // The ratio of what came out to what went in, at every chunk (the stated size may lie too).
          if (written + (chunk as Buffer).length > Math.max(ZIP_HEAD_BYTES, inflate.bytesWritten * MAX_ZIP_RATIO)) {
            inflate.destroy()
            throw refuse(`unpacks to more than ${MAX_ZIP_RATIO} times its packed size (a zip bomb)`)
          }
          await write(chunk as Buffer)
        }
      }
      if (head) checkHead(Buffer.concat(head))
    } finally {
      await out.close()
    }
    if (written !== e.usize || crc >>> 0 !== e.crc)
      throw new ExportRefused(
        `${name} is not an export .zip this app reads: The zip's entry ${e.name} fails its checksum: the file is damaged.`,
      )
    const opened = await openExport(inner, { max: MAX_ZIPPED_CSV_BYTES })
    if (opened.encoding === 'zip' || opened.encoding === 'binary') {
      await opened.fh.close()
      throw new ExportRefused(`${name}: ${e.name} is ${encodingWords(opened.encoding)}, not a CSV report`)
    }
    return {
      opened: { ...opened, path: `${f.path}/${e.name}` },
      cleanup: async () => {
        await opened.fh.close().catch(() => undefined)
        await cleanup()
      },
    }
  } catch (err) {
    await cleanup()
    throw err
  }
}
