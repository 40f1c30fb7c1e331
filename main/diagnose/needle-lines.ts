/**
 * Finds the lines of a byte region that hold one of a few short literals ("needles"), in ONE pass: a
 * WebAssembly SIMD routine (the "Teddy" idea of Rust's aho-corasick/regex crates, written here from its
 * description) looks at 16 bytes at a time, tests the first three bytes of every needle at once with two
 * nibble tables per byte position (i8x16.swizzle), confirms the rare positions it flags with one masked
 * 8-byte compare per needle, and counts the newlines on the way. It hands back, per line holding a needle,
 * the line's start and how many newlines come before it in the region; nothing is decoded.
 *
 * Used by scanLogLines (log-stream.ts) in place of one Buffer.indexOf pass per needle (16 passes + a regex
 * over the latin1 view; issue 34: ~3× grep's CPU per byte). Same lines as "the line contains one of the
 * needles" (test/unit/diagnose/needle-lines.test.ts, against includes() on random and hostile input).
 *
 * The module is assembled here from its instructions (no .wasm file is committed: that would be a
 * generated binary). Where WebAssembly SIMD is missing (WebAssembly.validate says no), createNeedleLineFinder
 * gives null and callers keep their plain search. Limits: 1–64 needles of 1–8 bytes, none holding a
 * newline (a needle could then span lines) or a NUL byte (the region is followed by NULs in memory, so a
 * needle can never match past its end); otherwise null as well.
 */

/** Where things live in the module's memory. */
const MASKS = 0 // 6 × 16 bytes: low/high nibble tables for byte positions 0, 1, 2 of a needle
const NL_COUNT = 96 // i32: newlines in the region last scanned
const N_COUNT = 100 // i32: number of needles
const SCRATCH = 112 // 16 bytes: the candidate lanes' bucket bits
const TABLE = 128 // 64 × (i64 value, i64 mask)
const BITS = TABLE + 64 * 16 // 64 × i32: each needle's bucket bit
const DATA = 2048 // the region is copied here
const PAD = 64 // zero bytes after the region (loads reach up to 18 bytes past a position)
const MAX_NEEDLES = 64
const PAGE = 65536

// --- a minimal WebAssembly encoder: only what the one function below needs -------------------------------
const uleb = (n: number): number[] => {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}
const sleb = (n: number): number[] => {
  const out: number[] = []
  for (;;) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out }
    out.push(b | 0x80)
  }
}
const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')]
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]

const I32 = 0x7f
const V128 = 0x7b
const VOID = 0x40
const op = {
  block: [0x02, VOID], loop: [0x03, VOID], if: [0x04, VOID], else: [0x05], end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)], brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (l: number) => [0x20, ...uleb(l)], set: (l: number) => [0x21, ...uleb(l)], tee: (l: number) => [0x22, ...uleb(l)],
  i32Load: (off: number) => [0x28, 2, ...uleb(off)], i64Load: (off: number) => [0x29, 0, ...uleb(off)],
  i32Load8u: (off: number) => [0x2d, 0, ...uleb(off)], i32Store: (off: number) => [0x36, 2, ...uleb(off)],
  i32: (n: number) => [0x41, ...sleb(n)],
  eqz: [0x45], ne: [0x47], geU: [0x4f], i64Eq: [0x51],
  clz: [0x67], ctz: [0x68], popcnt: [0x69], add: [0x6a], sub: [0x6b], and: [0x71], shl: [0x74],
  i64And: [0x83],
  // SIMD (0xFD prefix)
  v128Load: (off: number) => [0xfd, ...uleb(0x00), 0, ...uleb(off)], v128Store: (off: number) => [0xfd, ...uleb(0x0b), 0, ...uleb(off)],
  swizzle: [0xfd, ...uleb(0x0e)], splat8: [0xfd, ...uleb(0x0f)], eq8: [0xfd, ...uleb(0x23)], ne8: [0xfd, ...uleb(0x24)],
  vAnd: [0xfd, ...uleb(0x4e)], anyTrue: [0xfd, ...uleb(0x53)], bitmask8: [0xfd, ...uleb(0x64)], shrU8: [0xfd, ...uleb(0x6d)],
}

/** The scan function: (p, n, out) → candidate lines; see the comment at createNeedleLineFinder. */
export function moduleBytes(): Uint8Array<ArrayBuffer> {
  // locals: params 0 p, 1 n, 2 out; then i32 3..18, v128 19..29
  const P = 0, N = 1, OUT = 2
  const I = 3, END = 4, NL = 5, LAST_START = 6, LAST_REC = 7, CNT = 8, MNL = 9, CM = 10, L = 11, Q = 12, BITSL = 13, J = 14, BEFORE = 15, LS = 16, LI = 17, NCOUNT = 18
  const LO0 = 19, NIB = 25, NLV = 26, V = 27, T = 28, ZERO = 29
  /** The bucket bits of the bytes at i + k for the needles' byte position k (lo/hi nibble tables). */
  const nibbles = (k: number) => [
    ...op.get(LO0 + 2 * k), ...op.get(V), ...op.get(NIB), ...op.vAnd, ...op.swizzle,
    ...op.get(LO0 + 2 * k + 1), ...op.get(V), ...op.i32(4), ...op.shrU8, ...op.swizzle,
    ...op.vAnd,
  ]
  const body: number[] = [
    ...[0, 1, 2, 3, 4, 5].flatMap((k) => [...op.i32(0), ...op.v128Load(MASKS + 16 * k), ...op.set(LO0 + k)]),
    ...op.i32(0x0f), ...op.splat8, ...op.set(NIB),
    ...op.i32(10), ...op.splat8, ...op.set(NLV),
    ...op.i32(0), ...op.i32Load(N_COUNT), ...op.set(NCOUNT),
    ...op.get(P), ...op.set(I),
    ...op.get(P), ...op.get(N), ...op.add, ...op.set(END),
    ...op.get(P), ...op.set(LAST_START),
    ...op.i32(-1), ...op.set(LAST_REC),
    ...op.block, // $done
    ...op.loop, // $chunk: 16 bytes at i
    ...op.get(I), ...op.get(END), ...op.geU, ...op.brIf(1),
    ...op.get(I), ...op.v128Load(0), ...op.tee(V),
    ...op.get(NLV), ...op.eq8, ...op.bitmask8, ...op.set(MNL),
    ...nibbles(0),
    ...op.get(I), ...op.v128Load(1), ...op.set(V), ...nibbles(1), ...op.vAnd,
    ...op.get(I), ...op.v128Load(2), ...op.set(V), ...nibbles(2), ...op.vAnd,
    ...op.tee(T), ...op.anyTrue,
    ...op.if, // some lane may start a needle
    // (Lanes past the region's end are NUL padding: no needle holds a NUL, and NUL is no newline.)
    ...op.get(T), ...op.get(ZERO), ...op.ne8, ...op.bitmask8, ...op.set(CM),
    ...op.i32(0), ...op.get(T), ...op.v128Store(SCRATCH),
    ...op.block, // $lanesDone
    ...op.loop, // $lane
    ...op.get(CM), ...op.eqz, ...op.brIf(1),
    ...op.get(CM), ...op.ctz, ...op.set(L),
    ...op.get(CM), ...op.get(CM), ...op.i32(1), ...op.sub, ...op.and, ...op.set(CM),
    ...op.get(I), ...op.get(L), ...op.add, ...op.set(Q),
    ...op.get(L), ...op.i32Load8u(SCRATCH), ...op.set(BITSL),
    ...op.i32(0), ...op.set(J),
    ...op.block, // $nomatch
    ...op.block, // $match
    ...op.loop, // $needle
    ...op.get(J), ...op.get(NCOUNT), ...op.geU, ...op.brIf(2),
    ...op.get(BITSL), ...op.get(J), ...op.i32(2), ...op.shl, ...op.i32Load(BITS), ...op.and,
    ...op.if,
    ...op.get(Q), ...op.i64Load(0),
    ...op.get(J), ...op.i32(4), ...op.shl, ...op.i64Load(TABLE + 8), ...op.i64And,
    ...op.get(J), ...op.i32(4), ...op.shl, ...op.i64Load(TABLE), ...op.i64Eq,
    ...op.brIf(2),
    ...op.end,
    ...op.get(J), ...op.i32(1), ...op.add, ...op.set(J),
    ...op.br(0),
    ...op.end, // $needle
    ...op.end, // $match: a needle starts at q
    ...op.get(MNL), ...op.i32(1), ...op.get(L), ...op.shl, ...op.i32(1), ...op.sub, ...op.and, ...op.tee(BEFORE),
    ...op.if, // a newline before q in these 16 bytes
    ...op.get(I), ...op.i32(32), ...op.get(BEFORE), ...op.clz, ...op.sub, ...op.add, ...op.set(LS),
    ...op.get(NL), ...op.get(BEFORE), ...op.popcnt, ...op.add, ...op.set(LI),
    ...op.else,
    ...op.get(LAST_START), ...op.set(LS),
    ...op.get(NL), ...op.set(LI),
    ...op.end,
    ...op.get(LS), ...op.get(LAST_REC), ...op.ne,
    ...op.if, // the first needle on this line: record (start - p, newlines before it)
    ...op.get(OUT), ...op.get(CNT), ...op.i32(3), ...op.shl, ...op.add, ...op.get(LS), ...op.get(P), ...op.sub, ...op.i32Store(0),
    ...op.get(OUT), ...op.get(CNT), ...op.i32(3), ...op.shl, ...op.add, ...op.get(LI), ...op.i32Store(4),
    ...op.get(CNT), ...op.i32(1), ...op.add, ...op.set(CNT),
    ...op.get(LS), ...op.set(LAST_REC),
    ...op.end,
    ...op.end, // $nomatch
    ...op.br(0),
    ...op.end, // $lane
    ...op.end, // $lanesDone
    ...op.end, // if any lane
    ...op.get(MNL),
    ...op.if,
    ...op.get(NL), ...op.get(MNL), ...op.popcnt, ...op.add, ...op.set(NL),
    ...op.get(I), ...op.i32(32), ...op.get(MNL), ...op.clz, ...op.sub, ...op.add, ...op.set(LAST_START),
    ...op.end,
    ...op.get(I), ...op.i32(16), ...op.add, ...op.set(I),
    ...op.br(0),
    ...op.end, // $chunk
    ...op.end, // $done
    ...op.i32(0), ...op.get(NL), ...op.i32Store(NL_COUNT),
    ...op.get(CNT),
    ...op.end,
  ]
  const locals = vec([[...uleb(16), I32], [...uleb(11), V128]])
  const func = [...locals, ...body]
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...str('scan'), 0x00, 0], [...str('mem'), 0x02, 0]])),
    ...section(10, vec([[...uleb(func.length), ...func]])),
  ])
}

let compiled: WebAssembly.Module | null | undefined
function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = moduleBytes()
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null
  }
  return compiled
}

export interface NeedleLineFinder {
  /**
   * Looks at data[0, end) and returns how many lines hold a needle; for the k-th of them (in order)
   * `hits[2k]` is its start (an offset in data) and `hits[2k + 1]` the newlines before it in data.
   * A line is the bytes between two newlines (or data's start/end). `hits` is valid until the next call.
   */
  find(data: Uint8Array, end: number): number
  hits: Int32Array
  /** Newlines in data[0, end) of the last call. */
  newlines: number
}

/** A finder for these needles (bytes), or null where WebAssembly SIMD is missing or the needles do not fit. */
export function createNeedleLineFinder(needles: readonly Uint8Array[]): NeedleLineFinder | null {
  if (needles.length === 0 || needles.length > MAX_NEEDLES) return null
  if (needles.some((n) => n.length === 0 || n.length > 8 || n.includes(10) || n.includes(0))) return null
  const mod = compiledModule()
  if (!mod) return null
  const inst = new WebAssembly.Instance(mod, {})
  const mem = inst.exports.mem as WebAssembly.Memory
  const scan = inst.exports.scan as (p: number, n: number, out: number) => number
  let u8 = new Uint8Array(mem.buffer)
  const dv = () => new DataView(mem.buffer)

  // Buckets: needles sorted by their bytes, cut into ≤ 8 runs (neighbours share prefixes, so a bucket's
  // nibble tables admit few byte triples beyond its own needles').
  const order = needles.map((_, j) => j).sort((a, b) => Buffer.compare(needles[a]!, needles[b]!))
  const bucketOf: number[] = []
  order.forEach((j, r) => { bucketOf[j] = Math.floor((r * Math.min(8, needles.length)) / needles.length) })
  const view = dv()
  needles.forEach((n, j) => {
    const bit = 1 << bucketOf[j]!
    for (let k = 0; k < 3; k++) {
      const lo = MASKS + 32 * k, hi = lo + 16
      if (k < n.length) {
        u8[lo + (n[k]! & 15)]! |= bit
        u8[hi + (n[k]! >> 4)]! |= bit
      } else {
        for (let x = 0; x < 16; x++) { u8[lo + x]! |= bit; u8[hi + x]! |= bit }
      }
    }
    let value = 0n, mask = 0n
    for (let k = 0; k < n.length; k++) { value |= BigInt(n[k]!) << BigInt(8 * k); mask |= 0xffn << BigInt(8 * k) }
    view.setBigUint64(TABLE + 16 * j, value, true)
    view.setBigUint64(TABLE + 16 * j + 8, mask, true)
    view.setInt32(BITS + 4 * j, bit, true)
  })
  view.setInt32(N_COUNT, needles.length, true)

  const finder: NeedleLineFinder = {
    hits: new Int32Array(0),
    newlines: 0,
    find(data: Uint8Array, end: number): number {
      const out = DATA + ((end + PAD + 15) & ~15)
      // At most one hit per line, and a line with a needle has ≥ 2 bytes (with its newline) but the last.
      const need = out + 8 * (Math.floor(end / 2) + 1)
      if (need > mem.buffer.byteLength) {
        mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE))
        u8 = new Uint8Array(mem.buffer)
      }
      u8.set(end === data.length ? data : data.subarray(0, end), DATA)
      u8.fill(0, DATA + end, DATA + end + PAD)
      const count = scan(DATA, end, out)
      if (finder.hits.buffer !== mem.buffer || finder.hits.byteOffset !== out || finder.hits.length < 2 * count) {
        finder.hits = new Int32Array(mem.buffer, out, 2 * (Math.floor(end / 2) + 1))
      }
      finder.newlines = u8[NL_COUNT]! | (u8[NL_COUNT + 1]! << 8) | (u8[NL_COUNT + 2]! << 16) | (u8[NL_COUNT + 3]! << 24)
      return count
    },
  }
  return finder
}
