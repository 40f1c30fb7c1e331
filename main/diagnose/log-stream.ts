/**
 * Streams a log (hundreds of MB) line by line in bounded memory, handing only the interesting lines to a
 * scanner.
 *
 * Why not readline: decoding and splitting every line of a 1 GB CBS.log costs several seconds. Instead each
 * chunk is searched with one marker regex over its latin1 view (byte offsets = string offsets, no UTF-8
 * decoding), and only matching lines are decoded (as UTF-8) and passed on, with their 1-based line number
 * (newlines are counted with indexOf, which is cheap). A matching line may switch on "full mode" for the
 * next N lines (e.g. the RestoreHealth summary block after `Checking System Update Readiness`).
 * A filter with a registered prefilter (CBS_MARKERS) is not run over every byte: the prefilter's short
 * literals are searched in the raw slice, all in one WebAssembly SIMD pass that also counts the newlines
 * (needle-lines.ts; without WebAssembly SIMD or for literals it cannot take: one Buffer.indexOf pass per
 * literal), and only the lines holding one are tested with the filter (same lines passed:
 * test/unit/diagnose/cbs-prefilter.test.ts, and the log-stream fuzz target).
 * UTF-16 logs (BOM FF FE) fall back to decoding every line.
 * No chunk of `source` is kept past the loop step that reads it (what is carried over is copied), so a
 * source may hand the same buffer again, refilled (log-scan-file.ts does).
 */
import { StringDecoder } from 'node:string_decoder'
import { CBS_MARKERS, CBS_PREFILTER } from '../parse/cbs-log.ts'
import { createNeedleLineFinder, type NeedleLineFinder } from './needle-lines.ts'

export interface LineScanOptions {
  /** Only lines matching this (global or not) regex are passed on; absent = every line. */
  filter?: RegExp
  /** When a passed line matches this, the next `fullLines` lines are passed on too. */
  fullAfter?: RegExp
  fullLines?: number
  /** Stop after this many bytes (the rest is ignored and `truncated` is set). */
  maxBytes?: number
  signal?: AbortSignal
  /**
   * A cheaper necessary condition for `filter`: a line is tested with `filter` only when it contains one of
   * `needles` (searched natively in the raw bytes) or matches `rest`. Absent = the one registered for the
   * filter's source (CBS_MARKERS has one); null = none (the filter regex runs over every byte).
   */
  prefilter?: LinePrefilter | null
  /**
   * For a part of a file read on its own (main/diagnose/log-scan-file.ts): the lines before it and the
   * "full mode" state at its start. The part begins at a line start, so no BOM is looked for.
   */
  start?: { linesBefore: number; fullUntil: number }
  /**
   * Bytes read before the one-pass finder of a prefilter is made (default FINDER_FROM_BYTES); the lines passed are
   * the same either way. Tests pass 0 to run the finder on small text.
   */
  finderFrom?: number
}

export interface LinePrefilter {
  readonly needles: readonly string[]
  readonly rest?: RegExp
}

const KNOWN_PREFILTERS = new Map<string, LinePrefilter>([[CBS_MARKERS.source, CBS_PREFILTER]])

export interface LineScanStats {
  bytes: number
  lines: number
  passed: number
  truncated: boolean
  /**
   * Set when a line came near MAX_LINE: how such a line is cut depends on where the reads split it, so a
   * file read in parts (log-scan-file.ts) is read again whole.
   */
  longLine?: true
}

/** Lines longer than this are cut: their first 4096 bytes are passed on, the rest dropped. */
export const MAX_LINE = 1 << 20

/**
 * Holds back the first bytes until 3 have arrived (or the source ends), so a BOM split over the first
 * chunks is still seen (found by fuzzing: a 1-byte first chunk made a UTF-16 log read as UTF-8).
 */
async function* bomWhole(
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncIterable<Buffer | Uint8Array | string> {
  let head: Buffer | null = Buffer.alloc(0)
  for await (const piece of source) {
    if (head === null) {
      yield piece
      continue
    }
    head = Buffer.concat([head, typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece])
    if (head.length >= 3) {
      yield head
      head = null
    }
  }
  if (head !== null && head.length > 0) yield head
}
const SLICE = 64 * 1024
/**
 * A log shorter than this is searched literal by literal (Buffer.indexOf), never by the one-pass finder: making the
 * finder (assembling and compiling its WebAssembly, grouping the needles) took ~4% of a `diagnose --machine` start by
 * cpu-prof (~15 ms), far more than the plain search of its logs, a few KB each. Past it (a real
 * CBS.log is MBs) the finder is made at the next region and used for the rest.
 */
export const FINDER_FROM_BYTES = 256 * 1024

export async function scanLogLines(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  onLine: (line: string, lineNo: number) => void,
  options: LineScanOptions = {},
): Promise<LineScanStats> {
  const filter = options.filter
    ? new RegExp(
        options.filter.source,
        options.filter.flags.includes('g') ? options.filter.flags : `${options.filter.flags}g`,
      )
    : null
  /** Whether `text` matches the filter (global, so tested from its start: lastIndex reset first). */
  const filterFinds = (text: string): boolean => {
    if (!filter) return true
    filter.lastIndex = 0
    return filter.test(text)
  }
  const fullLines = options.fullLines ?? 0
  const pre = filter
    ? options.prefilter === undefined
      ? filter.flags.includes('i')
        ? null
        : (KNOWN_PREFILTERS.get(filter.source) ?? null)
      : options.prefilter
    : null
  const needles = pre ? pre.needles.map((n) => Buffer.from(n, 'latin1')) : []
  const rest = pre?.rest
    ? new RegExp(pre.rest.source, pre.rest.flags.includes('g') ? pre.rest.flags : `${pre.rest.flags}g`)
    : null
  const finderFrom = options.finderFrom ?? FINDER_FROM_BYTES
  let pooled: PooledFinder | null = null
  let finder: NeedleLineFinder | null = null
  let finderTried = !pre
  const stats: LineScanStats = { bytes: 0, lines: 0, passed: 0, truncated: false }
  let carry: Buffer | null = null
  let skipping = false
  let lineNo = options.start?.linesBefore ?? 0 // lines completed so far
  let fullUntil = options.start?.fullUntil ?? 0
  let first = !options.start
  let utf16: StringDecoder | null = null
  let utf16Rest = ''

  const emit = (text: string, no: number) => {
    stats.passed++
    onLine(text, no)
    if (options.fullAfter && fullLines > 0 && options.fullAfter.test(text)) fullUntil = no + fullLines
  }

  for await (const piece of bomWhole(source)) {
    if (options.signal?.aborted) break
    let chunk: Buffer =
      typeof piece === 'string'
        ? Buffer.from(piece, 'utf8')
        : Buffer.isBuffer(piece)
          ? piece
          : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    if (options.maxBytes != null && stats.bytes + chunk.length > options.maxBytes) {
      chunk = chunk.subarray(0, Math.max(0, options.maxBytes - stats.bytes))
      stats.truncated = true
    }
    stats.bytes += chunk.length
    if (first) {
      first = false
      if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) {
        utf16 = new StringDecoder('utf16le')
        chunk = chunk.subarray(2)
      } else if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3)
      }
    }
    if (utf16) {
      // Slow path: UTF-16 text is decoded whole, then split.
      const text = utf16Rest + utf16.write(chunk)
      const parts = text.split('\n')
      utf16Rest = parts.pop() ?? ''
      for (const p of parts) {
        lineNo++
        const line = p.endsWith('\r') ? p.slice(0, -1) : p
        if (!filter || lineNo <= fullUntil || filterFinds(line)) emit(line, lineNo)
      }
      if (stats.truncated) break
      continue
    }

    // Work in slices of at most 64 KB: the latin1 view of a slice stays a small (young-generation) string,
    // so garbage is collected by cheap scavenges instead of piling up in large-object space.
    for (let off = 0; off < chunk.length; off += SLICE) {
      handleSlice(chunk.subarray(off, Math.min(chunk.length, off + SLICE)))
    }
    if (stats.truncated) break
  }
  if (utf16) {
    const rest = utf16Rest + (utf16.end() ?? '')
    if (rest !== '') {
      lineNo++
      const line = rest.endsWith('\r') ? rest.slice(0, -1) : rest
      if (!filter || lineNo <= fullUntil || filterFinds(line)) emit(line, lineNo)
    }
  } else if ((carry as Buffer | null) && (carry as unknown as Buffer).length > 0) {
    // The last line, without a trailing newline (TS cannot see that handleSlice assigns `carry`).
    const last = carry as unknown as Buffer
    const tail = last.subarray(0, Math.min(last.length, MAX_LINE))
    lineNo++
    const line = stripCr(tail.toString('utf8'))
    if (!filter || lineNo <= fullUntil || filterFinds(line)) emit(line, lineNo)
  }
  stats.lines = lineNo
  giveBack(pooled)
  return stats

  function handleSlice(slice: Buffer) {
    if (skipping) {
      // The rest of an over-long line already passed on: drop it up to its newline.
      const nl = slice.indexOf(10)
      if (nl === -1) return
      skipping = false
      slice = slice.subarray(nl + 1)
      if (slice.length === 0) return
    }
    if (carry) {
      const nl = slice.indexOf(10)
      if (nl === -1) {
        const data = Buffer.concat([carry, slice])
        carry = null
        noNewline(data, true)
        return
      }
      // Only the line cut by the slice's start is copied whole (not the rest of the slice).
      const line = Buffer.concat([carry, slice.subarray(0, nl + 1)])
      carry = null
      processRegion(line, line.length)
      slice = slice.subarray(nl + 1)
      if (slice.length === 0) return
    }
    const lastNl = slice.lastIndexOf(10)
    if (lastNl === -1) {
      noNewline(slice, false)
      return
    }
    const end = lastNl + 1
    if (end < slice.length) carry = Buffer.from(slice.subarray(end)) // copy: the chunk buffer may be reused
    processRegion(slice, end)
  }

  /** data: the start of a line, no newline in it yet (`owned`: not the caller's chunk, so it may be kept). */
  function noNewline(data: Buffer, owned: boolean) {
    if (data.length > MAX_LINE) {
      // an absurdly long line: pass its head and drop the rest
      lineNo++
      if (!filter || filterFinds(data.toString('latin1', 0, 4096))) emit(data.toString('utf8', 0, 4096), lineNo)
      skipping = true
      stats.longLine = true
    } else {
      carry = owned ? data : Buffer.from(data)
      if (data.length > MAX_LINE - 2 * SLICE) stats.longLine = true
    }
  }

  /** Passes on the next line, data[start, nl) (its CR dropped), with its number. */
  function emitLine(data: Buffer, start: number, nl: number) {
    lineNo++
    emit(stripCr(data.toString('utf8', start, nl)), lineNo)
  }

  /** Handles data[0, end) which ends with a newline. */
  function processRegion(data: Buffer, end: number) {
    if (!filter) {
      let s = 0
      while (s < end) {
        const nl = data.indexOf(10, s)
        emitLine(data, s, nl)
        s = nl + 1
      }
      return
    }
    if (!finderTried && stats.bytes >= finderFrom) {
      finderTried = true
      pooled = prefilterFinder(pre!, needles)
      finder = pooled?.finder ?? null
    }
    if (finder) {
      found(data, end, finder)
      return
    }
    const str = data.toString('latin1', 0, end)
    if (pre) {
      prefiltered(data, end, str)
      return
    }
    let pos = 0 // start of the next line not yet counted
    while (pos < end) {
      if (lineNo < fullUntil) {
        const nl = str.indexOf('\n', pos)
        emitLine(data, pos, nl)
        pos = nl + 1
        continue
      }
      filter.lastIndex = pos
      const m = filter.exec(str)
      if (!m) {
        // Count the remaining lines of the region.
        for (let p = str.indexOf('\n', pos); p !== -1; p = str.indexOf('\n', p + 1)) lineNo++
        pos = end
        break
      }
      const lineStart = str.lastIndexOf('\n', m.index - 1) + 1
      // Count the lines between pos and the matching line's start.
      let p = pos
      while (p < lineStart) {
        const nl = str.indexOf('\n', p)
        if (nl === -1 || nl >= lineStart) break
        lineNo++
        p = nl + 1
      }
      const nl = str.indexOf('\n', m.index)
      emitLine(data, lineStart, nl)
      pos = nl + 1
    }
  }

  /**
   * Same result as the regex loop above, with the candidate lines (a needle or `rest` in them) found by
   * the one-pass search of needle-lines.ts: only they are viewed as text (no latin1 view of the region),
   * and the lines between are counted there too.
   */
  function found(data: Buffer, end: number, f: NeedleLineFinder) {
    const count = f.find(data, end)
    const hits = f.hits
    const base = lineNo
    let k = 0
    let pos = 0
    while (pos < end) {
      if (lineNo < fullUntil) {
        const nl = data.indexOf(10, pos)
        emitLine(data, pos, nl)
        pos = nl + 1
        continue
      }
      while (k < count && hits[2 * k]! < pos) k++
      if (k === count) break
      const lineStart = hits[2 * k]!
      lineNo = base + hits[2 * k + 1]! + 1
      k++
      const nl = data.indexOf(10, lineStart)
      pos = nl + 1
      filter!.lastIndex = 0
      if (filter!.test(data.toString('latin1', lineStart, nl)))
        emit(stripCr(data.toString('utf8', lineStart, nl)), lineNo)
    }
    lineNo = base + f.newlines
  }

  /**
   * Same result as the regex loop above: candidate lines (a needle or `rest` in them) are collected, sorted,
   * and each is confirmed with `filter` on its own text; lines in "full mode" are passed as they come.
   */
  function prefiltered(data: Buffer, end: number, str: string) {
    const starts: number[] = []
    const region = end === data.length ? data : data.subarray(0, end)
    for (const needle of needles) {
      let at = region.indexOf(needle, 0)
      while (at !== -1) {
        const ls = str.lastIndexOf('\n', at - 1) + 1
        starts.push(ls)
        const nl = str.indexOf('\n', at)
        at = region.indexOf(needle, nl + 1) // the next candidate is on a later line
      }
    }
    if (rest) {
      rest.lastIndex = 0
      // exec, not matchAll: the search goes on from the next line (lastIndex set below), not after the match.
      for (let m = rest.exec(str); m; m = rest.exec(str)) {
        starts.push(str.lastIndexOf('\n', m.index - 1) + 1)
        rest.lastIndex = str.indexOf('\n', m.index) + 1
      }
    }
    if (starts.length > 1) starts.sort((a, b) => a - b)
    let k = 0
    let pos = 0
    while (pos < end) {
      if (lineNo < fullUntil) {
        const nl = str.indexOf('\n', pos)
        emitLine(data, pos, nl)
        pos = nl + 1
        continue
      }
      while (k < starts.length && starts[k]! < pos) k++
      if (k === starts.length) {
        for (let p = str.indexOf('\n', pos); p !== -1; p = str.indexOf('\n', p + 1)) lineNo++
        return
      }
      const lineStart = starts[k++]!
      let p = pos
      while (p < lineStart) {
        const nl = str.indexOf('\n', p)
        lineNo++
        p = nl + 1
      }
      const nl = str.indexOf('\n', lineStart)
      lineNo++
      pos = nl + 1
      filter!.lastIndex = 0
      if (filter!.test(str.slice(lineStart, nl))) emit(stripCr(data.toString('utf8', lineStart, nl)), lineNo)
    }
  }
}

interface PooledFinder {
  finder: NeedleLineFinder
  key: string
}
/**
 * Finders no scan is using, by literal set (at most 4 each, of ≤ 1 MB memory): a file is scanned in 8 MB
 * parts, one after another on each thread (log-scan-file.ts), and a fresh finder per part (a WebAssembly
 * memory each) made V8 run major collections for the external memory.
 */
const IDLE_FINDERS = new Map<string, NeedleLineFinder[]>()

/**
 * The one-pass finder for a prefilter (`needles`: its needles as bytes), when all of it is short literals: the needles and `rest` if that is
 * a plain alternation of literals (/ailed|issing/); else null (the needles are searched one by one).
 * An idle one for the same literals is taken when there is one (giveBack returns it after the scan).
 */
function prefilterFinder(pre: LinePrefilter, needles: readonly Buffer[]): PooledFinder | null {
  const literals = [...needles]
  if (pre.rest) {
    if (
      /[^gmsd]/.test(pre.rest.flags) ||
      !/^[A-Za-z0-9 _:,'"=#%&<>@!~/-]+(?:\|[A-Za-z0-9 _:,'"=#%&<>@!~/-]+)*$/.test(pre.rest.source)
    )
      return null
    for (const alt of pre.rest.source.split('|')) literals.push(Buffer.from(alt, 'latin1'))
  }
  const key = literals.map((l) => l.toString('hex')).join(',')
  const idle = IDLE_FINDERS.get(key)?.pop()
  if (idle) return { finder: idle, key }
  const finder = createNeedleLineFinder(literals)
  return finder ? { finder, key } : null
}

function giveBack(p: PooledFinder | null) {
  if (!p || p.finder.memoryBytes > 1 << 20) return
  const idle = IDLE_FINDERS.get(p.key) ?? []
  if (idle.length < 4) idle.push(p.finder)
  IDLE_FINDERS.set(p.key, idle)
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s
}

/**
 * Markers of the lines the CBS scanner needs: error levels and codes, failures, corruption, missing
 * manifests, session starts, the RestoreHealth block, rollback and reboot lines. Everything else in
 * CBS.log (the vast bulk: Appl/Plan/Exec progress) is skipped without decoding.
 */
export { CBS_MARKERS, CBS_FULL_AFTER, CBS_PREFILTER } from '../parse/cbs-log.ts'

export { DISM_MARKERS } from '../parse/dism-log.ts'
