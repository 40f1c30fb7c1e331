/**
 * Finds the lines of a byte region that hold one of a few short literals ("needles"), in ONE pass: a
 * WebAssembly SIMD routine (the "Teddy" idea of Rust's aho-corasick/regex crates, written here from its
 * description) looks at 16 bytes at a time, tests the first four bytes of every needle at once with two
 * nibble tables per byte position (i8x16.swizzle; 8 buckets of needles, one bit each), confirms the rare
 * positions it flags with one masked 8-byte compare per needle of the flagged buckets, and counts the
 * newlines on the way. It hands back, per line holding a needle, the line's start and how many newlines
 * come before it in the region; nothing is decoded.
 *
 * Used by scanLogLines (log-stream.ts) in place of one Buffer.indexOf pass per needle (16 passes + a regex
 * over the latin1 view: ~3× grep's CPU per byte). Same lines as "the line contains one of the
 * needles" (test/unit/diagnose/needle-lines.test.ts, against includes() on random and hostile input).
 *
 * The module is assembled here from its instructions (no .wasm file is committed: that would be a
 * generated binary). Where WebAssembly SIMD is missing (WebAssembly.validate says no), createNeedleLineFinder
 * gives null and callers keep their plain search. Limits: 1–64 needles of 1–8 bytes, none holding a
 * newline (a needle could then span lines) or a NUL byte (the region is followed by NULs in memory, so a
 * needle can never match past its end); otherwise null as well.
 */

/** Where things live in the module's memory. */
const K = 4 // bytes of a needle tested by the nibble tables (a shorter needle: any byte past its end)
const MASKS = 0 // K × 2 × 16 bytes: low/high nibble tables for byte positions 0..K-1 of a needle
const NL_COUNT = 128 // i32: newlines in the region last scanned
const SCRATCH = 144 // 16 bytes: the candidate lanes' bucket bits
const BSTART = 160 // 9 × i32: bucket b's needles are TABLE entries BSTART[b] .. BSTART[b + 1] - 1
const TABLE = 256 // 64 × (i64 value, i64 mask), by bucket
const DATA = 2048 // the region is copied here
const PAD = 64 // zero bytes after the region (the last load reaches 31 bytes past its end)
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
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b)
      return out
    }
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
  block: [0x02, VOID],
  loop: [0x03, VOID],
  if: [0x04, VOID],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (l: number) => [0x20, ...uleb(l)],
  set: (l: number) => [0x21, ...uleb(l)],
  tee: (l: number) => [0x22, ...uleb(l)],
  i32Load: (off: number) => [0x28, 2, ...uleb(off)],
  i64Load: (off: number) => [0x29, 0, ...uleb(off)],
  i32Load8u: (off: number) => [0x2d, 0, ...uleb(off)],
  i32Store: (off: number) => [0x36, 2, ...uleb(off)],
  i32: (n: number) => [0x41, ...sleb(n)],
  eqz: [0x45],
  ne: [0x47],
  geU: [0x4f],
  i64Eq: [0x51],
  clz: [0x67],
  ctz: [0x68],
  popcnt: [0x69],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  shl: [0x74],
  i64And: [0x83],
  // SIMD (0xFD prefix)
  v128Load: (off: number) => [0xfd, ...uleb(0x00), 0, ...uleb(off)],
  v128Store: (off: number) => [0xfd, ...uleb(0x0b), 0, ...uleb(off)],
  swizzle: [0xfd, ...uleb(0x0e)],
  splat8: [0xfd, ...uleb(0x0f)],
  eq8: [0xfd, ...uleb(0x23)],
  ne8: [0xfd, ...uleb(0x24)],
  shuffle: (lanes: number[]) => [0xfd, ...uleb(0x0d), ...lanes],
  vAnd: [0xfd, ...uleb(0x4e)],
  anyTrue: [0xfd, ...uleb(0x53)],
  bitmask8: [0xfd, ...uleb(0x64)],
  shrU8: [0xfd, ...uleb(0x6d)],
}

/** The module: the scan function (scanFunc) and its memory, exported. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const func = scanFunc()
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(
      7,
      vec([
        [...str('scan'), 0x00, 0],
        [...str('mem'), 0x02, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(func.length), ...func]])),
  ])
}

/**
 * The scan function's locals and body: scan(p, n, out) looks at memory [p, p + n) and writes, per line
 * holding a needle, (line start − p, newlines before it) as two i32 at out; returns how many, and leaves
 * the newline count at NL_COUNT. Teddy's way: ONE load per 16 bytes; the nibble lookups for each needle
 * byte position k are done on it and shifted k lanes with the next 16 bytes' (i8x16.shuffle), so the 16
 * bytes at i are finished one step later, once the bytes at i + 16 are looked up (measured against four
 * overlapping loads, 256 MB: 61–66 ms vs 75–76 ms, load 2.4). A flagged lane is confirmed against the
 * needles of its buckets with one masked 8-byte compare each.
 */
function scanFunc(): number[] {
  const P = 0,
    N = 1,
    OUT = 2
  const I = 3,
    END = 4,
    NL = 5,
    LAST_START = 6,
    LAST_REC = 7,
    CNT = 8,
    MNL = 9,
    CM = 10,
    L = 11,
    Q = 12,
    BITSL = 13,
    J = 14,
    BEFORE = 15,
    LS = 16,
    LI = 17,
    E = 18,
    PMNL = 19,
    BASE = 20
  const LO0 = 21,
    NIB = LO0 + 2 * K,
    NLV = NIB + 1,
    V = NLV + 1,
    H = V + 1,
    T = H + 1,
    ZERO = T + 1,
    P0 = ZERO + 1,
    C0 = P0 + K
  const ks = Array.from({ length: K }, (_, k) => k)
  /** c_k = buckets whose needle byte k is the byte in each lane of the 16 bytes at i; PMNL/P_k for them. */
  const lookups = (into: number) => [
    ...op.get(I),
    ...op.v128Load(0),
    ...op.tee(V),
    ...op.get(NLV),
    ...op.eq8,
    ...op.bitmask8,
    ...op.set(MNL),
    ...op.get(V),
    ...op.i32(4),
    ...op.shrU8,
    ...op.set(H),
    ...op.get(V),
    ...op.get(NIB),
    ...op.vAnd,
    ...op.set(V),
    ...ks.flatMap((k) => [
      ...op.get(LO0 + 2 * k),
      ...op.get(V),
      ...op.swizzle,
      ...op.get(LO0 + 2 * k + 1),
      ...op.get(H),
      ...op.swizzle,
      ...op.vAnd,
      ...op.set(into + k),
    ]),
  ]
  const shifted = (k: number) => [
    ...op.get(P0 + k),
    ...op.get(C0 + k),
    ...op.shuffle(Array.from({ length: 16 }, (_, x) => x + k)),
  ]
  const body: number[] = [
    ...ks.flatMap((k) =>
      [0, 1].flatMap((h) => [...op.i32(0), ...op.v128Load(MASKS + 32 * k + 16 * h), ...op.set(LO0 + 2 * k + h)]),
    ),
    ...op.i32(0x0f),
    ...op.splat8,
    ...op.set(NIB),
    ...op.i32(10),
    ...op.splat8,
    ...op.set(NLV),
    ...op.get(P),
    ...op.set(I),
    ...op.get(P),
    ...op.get(N),
    ...op.add,
    ...op.set(END),
    ...op.get(P),
    ...op.set(LAST_START),
    ...op.i32(-1),
    ...op.set(LAST_REC),
    ...lookups(P0),
    ...op.get(MNL),
    ...op.set(PMNL),
    ...op.block, // $done
    ...op.loop, // $chunk: look up the 16 bytes at i, finish the 16 at BASE = i - 16
    ...op.get(I),
    ...op.i32(16),
    ...op.add,
    ...op.tee(I),
    ...op.i32(16),
    ...op.sub,
    ...op.tee(BASE),
    ...op.get(END),
    ...op.geU,
    ...op.brIf(1),
    ...lookups(C0),
    ...op.get(P0 + 0),
    ...ks.slice(1).flatMap((k) => [...shifted(k), ...op.vAnd]),
    ...op.tee(T),
    ...op.anyTrue,
    ...op.if,
    ...op.get(T),
    ...op.get(ZERO),
    ...op.ne8,
    ...op.bitmask8,
    ...op.set(CM),
    ...op.i32(0),
    ...op.get(T),
    ...op.v128Store(SCRATCH),
    ...op.block, // $lanesDone
    ...op.loop, // $lane
    ...op.get(CM),
    ...op.eqz,
    ...op.brIf(1),
    ...op.get(CM),
    ...op.ctz,
    ...op.set(L),
    ...op.get(CM),
    ...op.get(CM),
    ...op.i32(1),
    ...op.sub,
    ...op.and,
    ...op.set(CM),
    ...op.get(BASE),
    ...op.get(L),
    ...op.add,
    ...op.set(Q),
    ...op.get(L),
    ...op.i32Load8u(SCRATCH),
    ...op.set(BITSL),
    ...op.block, // $nomatch
    ...op.block, // $match
    ...op.loop, // $bucket
    ...op.get(BITSL),
    ...op.eqz,
    ...op.brIf(2),
    ...op.get(BITSL),
    ...op.ctz,
    ...op.i32(2),
    ...op.shl,
    ...op.tee(J),
    ...op.i32Load(BSTART + 4),
    ...op.set(E),
    ...op.get(J),
    ...op.i32Load(BSTART),
    ...op.set(J),
    ...op.get(BITSL),
    ...op.get(BITSL),
    ...op.i32(1),
    ...op.sub,
    ...op.and,
    ...op.set(BITSL),
    ...op.loop, // $needle
    ...op.get(J),
    ...op.get(E),
    ...op.geU,
    ...op.brIf(1),
    ...op.get(Q),
    ...op.i64Load(0),
    ...op.get(J),
    ...op.i32(4),
    ...op.shl,
    ...op.i64Load(TABLE + 8),
    ...op.i64And,
    ...op.get(J),
    ...op.i32(4),
    ...op.shl,
    ...op.i64Load(TABLE),
    ...op.i64Eq,
    ...op.brIf(2),
    ...op.get(J),
    ...op.i32(1),
    ...op.add,
    ...op.set(J),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end, // $match
    ...op.get(PMNL),
    ...op.i32(1),
    ...op.get(L),
    ...op.shl,
    ...op.i32(1),
    ...op.sub,
    ...op.and,
    ...op.tee(BEFORE),
    ...op.if,
    ...op.get(BASE),
    ...op.i32(32),
    ...op.get(BEFORE),
    ...op.clz,
    ...op.sub,
    ...op.add,
    ...op.set(LS),
    ...op.get(NL),
    ...op.get(BEFORE),
    ...op.popcnt,
    ...op.add,
    ...op.set(LI),
    ...op.else,
    ...op.get(LAST_START),
    ...op.set(LS),
    ...op.get(NL),
    ...op.set(LI),
    ...op.end,
    ...op.get(LS),
    ...op.get(LAST_REC),
    ...op.ne,
    ...op.if,
    ...op.get(OUT),
    ...op.get(CNT),
    ...op.i32(3),
    ...op.shl,
    ...op.add,
    ...op.get(LS),
    ...op.get(P),
    ...op.sub,
    ...op.i32Store(0),
    ...op.get(OUT),
    ...op.get(CNT),
    ...op.i32(3),
    ...op.shl,
    ...op.add,
    ...op.get(LI),
    ...op.i32Store(4),
    ...op.get(CNT),
    ...op.i32(1),
    ...op.add,
    ...op.set(CNT),
    ...op.get(LS),
    ...op.set(LAST_REC),
    ...op.end,
    ...op.end, // $nomatch
    ...op.br(0),
    ...op.end, // $lane
    ...op.end, // $lanesDone
    ...op.end, // if
    ...op.get(PMNL),
    ...op.if,
    ...op.get(NL),
    ...op.get(PMNL),
    ...op.popcnt,
    ...op.add,
    ...op.set(NL),
    ...op.get(BASE),
    ...op.i32(32),
    ...op.get(PMNL),
    ...op.clz,
    ...op.sub,
    ...op.add,
    ...op.set(LAST_START),
    ...op.end,
    ...ks.flatMap((k) => [...op.get(C0 + k), ...op.set(P0 + k)]),
    ...op.get(MNL),
    ...op.set(PMNL),
    ...op.br(0),
    ...op.end, // $chunk
    ...op.end, // $done
    ...op.i32(0),
    ...op.get(NL),
    ...op.i32Store(NL_COUNT),
    ...op.get(CNT),
    ...op.end,
  ]
  return [
    ...vec([
      [...uleb(18), I32],
      [...uleb(2 * K + 6 + 2 * K), V128],
    ]),
    ...body,
  ]
}

let compiled: WebAssembly.Module | null | undefined
function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    // No WebAssembly at all (node --jitless) or no SIMD (validate says no): the callers' plain search.
    const bytes = moduleBytes()
    try {
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null
    } catch {
      compiled = null
    }
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
  /** The size of its WebAssembly memory (it grows with the largest region looked at). */
  readonly memoryBytes: number
}

/** Bucket tables per needle set (a scan creates one finder per block: the grouping is computed once). */
const layouts = new Map<string, Uint8Array>()

/**
 * The nibble tables, bucket starts and needle table (memory [0, DATA)) for these needles. Buckets: start
 * with one per needle and merge, while more than 8, the two whose union admits the fewest extra byte
 * tuples (a bucket admits every combination of its needles' low and high nibbles at each position, so
 * `iled` + `ires` also admits `ired`; needles alike, e.g. `Yes`/`yes` or `ot is`/`ot mark`, merge cheaply).
 */
function layoutFor(needles: readonly Uint8Array[]): Uint8Array {
  const key = needles.map((n) => Buffer.from(n).toString('hex')).join(',')
  const known = layouts.get(key)
  if (known) return known
  // Per needle and position: the low- and high-nibble sets as 16-bit masks (past its end: every nibble).
  const nib = needles.map((n) =>
    Array.from({ length: K }, (_, k) => (k < n.length ? [1 << (n[k]! & 15), 1 << (n[k]! >> 4)] : [0xffff, 0xffff])),
  )
  const popcount = (x: number) => {
    let c = 0
    for (; x; x &= x - 1) c++
    return c
  }
  type Group = { members: number[]; sets: number[][] }
  const admitted = (sets: number[][]) => sets.reduce((acc, [lo, hi]) => acc * popcount(lo!) * popcount(hi!), 1)
  let groups: Group[] = needles.map((_, j) => ({ members: [j], sets: nib[j]! }))
  while (groups.length > 8) {
    let best: [number, number] = [0, 1]
    let bestCost = Infinity
    for (let x = 0; x < groups.length; x++) {
      for (let y = x + 1; y < groups.length; y++) {
        const union = groups[x]!.sets.map(([lo, hi], k) => [
          lo! | groups[y]!.sets[k]![0]!,
          hi! | groups[y]!.sets[k]![1]!,
        ])
        const cost = admitted(union) - admitted(groups[x]!.sets) - admitted(groups[y]!.sets)
        if (cost < bestCost) {
          bestCost = cost
          best = [x, y]
        }
      }
    }
    const [x, y] = best
    const merged: Group = {
      members: [...groups[x]!.members, ...groups[y]!.members],
      sets: groups[x]!.sets.map(([lo, hi], k) => [lo! | groups[y]!.sets[k]![0]!, hi! | groups[y]!.sets[k]![1]!]),
    }
    groups = [...groups.filter((_, i) => i !== x && i !== y), merged]
  }
  const bytes = new Uint8Array(DATA)
  const view = new DataView(bytes.buffer)
  let entry = 0
  groups.forEach((g, b) => {
    view.setInt32(BSTART + 4 * b, entry, true)
    for (const j of g.members) {
      const n = needles[j]!
      for (let k = 0; k < K; k++) {
        for (let x = 0; x < 16; x++) {
          if (nib[j]![k]![0]! & (1 << x)) bytes[MASKS + 32 * k + x]! |= 1 << b
          if (nib[j]![k]![1]! & (1 << x)) bytes[MASKS + 32 * k + 16 + x]! |= 1 << b
        }
      }
      let value = 0n,
        mask = 0n
      for (let k = 0; k < n.length; k++) {
        value |= BigInt(n[k]!) << BigInt(8 * k)
        mask |= 0xffn << BigInt(8 * k)
      }
      view.setBigUint64(TABLE + 16 * entry, value, true)
      view.setBigUint64(TABLE + 16 * entry + 8, mask, true)
      entry++
    }
  })
  for (let b = groups.length; b <= 8; b++) view.setInt32(BSTART + 4 * b, entry, true)
  layouts.set(key, bytes)
  return bytes
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

  u8.set(layoutFor(needles), 0)

  const finder: NeedleLineFinder = {
    hits: new Int32Array(0),
    newlines: 0,
    get memoryBytes() {
      return mem.buffer.byteLength
    },
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
