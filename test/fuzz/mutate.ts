/**
 * Smart text arbitraries: real captured output, mutated the ways pasted text really goes wrong
 * (console hard-wraps at 80/200 columns, lost or doubled newlines, CRLF, a line cut or repeated) and
 * the ways hostile text does (huge lines, control characters, RTL overrides, unpaired surrogates,
 * labels in other languages), mixed with plain random strings and bytes.
 */
import fc from 'fast-check'

/** Labels in the languages Windows tools print (reagentc, systeminfo, DISM), to confuse label matching. */
export const LOCALISED_LABELS = [
  'Windows RE status:         Enabled',
  'État de Windows RE :       Activé',
  'Windows RE-Status:         Aktiviert',
  'Windows RE 状态:           已启用',
  'Состояние среды восстановления Windows:  Включено',
  'Estado de Windows RE:     Habilitado',
  'OS Name:                   Microsoft Windows 11 Pro',
  'Nom du système d’exploitation:     Microsoft Windows 10 Famille',
  'Betriebssystemname:        Microsoft Windows 11 Pro',
  'OS 名称:          Microsoft Windows 10 专业版',
  'Version: 10.0.26100.1742',
  'Image Version: 10.0.22631.4317',
  'Package Identity : Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10',
  'State : Install Pending',
  'Zustand : Installiert',
  'Error: 0x800f0922',
  'Fehler: 14098',
  'エラー: 0x800f081f',
  '[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
  'hr:0x80070002',
  '0xC1900208 - 0x4000C',
  'KB5043080',
  'kb5043080',
  'Boot Configuration Data (BCD) identifier: 0b2b4d3a-1b1d-11ef-9e1c-00155d010203',
  'Windows RE location:       \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE',
]

const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\u000b',
  '\f',
  '\u001b[2J',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\r',
  '\ufeff',
  '\ufffd',
]
const RTL = ['\u202e', '\u202d', '\u200f', '\u2067', 'مرحبا', 'שלום עולם', '\u202egnp.exe']
const SURROGATES = ['\ud800', '\udfff', '\udc00\ud800', '\ud83d', '\ud83d\ude00']

/** A short piece of weird text. */
export const weirdPiece: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...CONTROL, ...RTL, ...SURROGATES, ...LOCALISED_LABELS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.stringMatching(/^(0x)?[0-9a-fA-F]{1,12}$/),
  fc.integer().map(String),
)

type Op =
  | { op: 'insert-line'; at: number; text: string }
  | { op: 'delete-line'; at: number }
  | { op: 'duplicate-line'; at: number; times: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'hard-wrap'; width: number }
  | { op: 'strip-newlines'; joiner: string }
  | { op: 'crlf' }
  | { op: 'cr-only' }
  // A long run of one character class, then a different one: the classic input for regex backtracking.
  | { op: 'huge-line'; at: number; size: number; fill: string; end: string }
  // The same run after a line that is there (`Windows RE status:   Enabled` + 100,000 blanks + one char).
  | { op: 'huge-tail'; at: number; size: number; fill: string; end: string }
  | { op: 'inject'; at: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'repeat-all'; times: number }
  | { op: 'splice-other'; at: number; from: number; length: number }

const frac = fc.double({ min: 0, max: 1, noNaN: true })

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert-line' as const), at: frac, text: weirdPiece }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete-line' as const), at: frac }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('duplicate-line' as const),
      at: frac,
      times: fc.integer({ min: 1, max: 50 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap-lines' as const), a: frac, b: frac }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('hard-wrap' as const), width: fc.constantFrom(80, 120, 200, 1, 7) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('strip-newlines' as const), joiner: fc.constantFrom('', ' ', '\t') }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('crlf' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cr-only' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('huge-line' as const),
      at: frac,
      size: fc.integer({ min: 1_000, max: 300_000 }),
      fill: fc.constantFrom('A', ' ', '0', '=', '\t', 'x ', ':', '0x8', '.', '-', '\\', '"', '<', 'a_', 'A~'),
      end: fc.constantFrom('', 'x', '!', '~', ':', '0x', ' ', '\u00a0x'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('huge-tail' as const),
      at: frac,
      size: fc.integer({ min: 1_000, max: 200_000 }),
      fill: fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '  '),
      end: fc.constantFrom('x', '#', '// x', ':', ''),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('inject' as const), at: frac, text: weirdPiece }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: frac }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('repeat-all' as const), times: fc.integer({ min: 2, max: 8 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('splice-other' as const),
      at: frac,
      from: frac,
      length: fc.integer({ min: 1, max: 4000 }),
    }),
  },
)

const idx = (f: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor(f * n)))

/** Applies one mutation. `other` is another seed (for splicing two real outputs together). */
export function applyOp(text: string, op: Op, other: string): string {
  const lines = () => text.split('\n')
  switch (op.op) {
    case 'insert-line': {
      const l = lines()
      l.splice(idx(op.at, l.length + 1), 0, op.text)
      return l.join('\n')
    }
    case 'delete-line': {
      const l = lines()
      l.splice(idx(op.at, l.length), 1)
      return l.join('\n')
    }
    case 'duplicate-line': {
      const l = lines()
      const i = idx(op.at, l.length)
      l.splice(i, 0, ...Array<string>(op.times).fill(l[i] ?? ''))
      return l.join('\n')
    }
    case 'swap-lines': {
      const l = lines()
      const a = idx(op.a, l.length)
      const b = idx(op.b, l.length)
      ;[l[a], l[b]] = [l[b]!, l[a]!]
      return l.join('\n')
    }
    case 'hard-wrap':
      return lines()
        .map((line) => line.replace(new RegExp(`([^]{${op.width}})`, 'gu'), '$1\n'))
        .join('\n')
    case 'strip-newlines':
      return text.replace(/\r?\n/g, op.joiner)
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n')
    case 'cr-only':
      return text.replace(/\r?\n/g, '\r')
    case 'huge-line': {
      const l = lines()
      l.splice(idx(op.at, l.length + 1), 0, op.fill.repeat(Math.ceil(op.size / op.fill.length)) + op.end)
      return l.join('\n')
    }
    case 'huge-tail': {
      const l = lines()
      const i = idx(op.at, l.length)
      l[i] = `${(l[i] ?? '').replace(/\r$/, '')}${op.fill.repeat(Math.ceil(op.size / op.fill.length))}${op.end}`
      return l.join('\n')
    }
    case 'inject': {
      const i = idx(op.at, text.length + 1)
      return text.slice(0, i) + op.text + text.slice(i)
    }
    case 'truncate':
      return text.slice(0, idx(op.at, text.length + 1))
    case 'repeat-all':
      return text.length * op.times > 2_000_000 ? text : text.repeat(op.times)
    case 'splice-other': {
      const i = idx(op.at, text.length + 1)
      const s = idx(op.from, other.length + 1)
      return text.slice(0, i) + other.slice(s, s + op.length) + text.slice(i)
    }
  }
}

/**
 * Inputs stay under ~1 MB so that the per-case time budget means "too slow for its size" (a hang,
 * backtracking), not "a big input". Big pastes and logs have their own tests and benchmarks.
 */
export const MAX_FUZZ_TEXT = 1_000_000
const capped = (t: string) => (t.length > MAX_FUZZ_TEXT ? t.slice(0, MAX_FUZZ_TEXT) : t)

/** A seed mutated 0..5 times. */
export function mutatedSeed(seeds: readonly string[]): fc.Arbitrary<string> {
  if (seeds.length === 0) return fc.string({ maxLength: 2000 })
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      other: fc.integer({ min: 0, max: seeds.length - 1 }),
      ops: fc.array(opArb, { maxLength: 5 }),
    })
    .map(({ seed, other, ops }) => ops.reduce((t, op) => capped(applyOp(t, op, seeds[other]!)), seeds[seed]!))
}

/** Text for a parser: mostly mutated real output, sometimes plain random strings and weird pieces. */
export function textArbitrary(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: mutatedSeed(seeds) },
    { weight: 1, arbitrary: fc.string({ maxLength: 3000 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 1000 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(weirdPiece, { maxLength: 60 }), fc.constantFrom('\n', ' ', '', '\r\n'))
        .map(([a, j]) => a.join(j)),
    },
  )
}

/** Bytes as a paste or a file arrives: UTF-16LE with or without BOM, UTF-8 with BOM, or random bytes. */
export function bytesArbitrary(seeds: readonly string[]): fc.Arbitrary<Uint8Array> {
  const utf16 = (s: string, bom: boolean) => {
    const b = Buffer.from(s, 'utf16le')
    return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), b]) : b
  }
  const utf16be = (s: string) => {
    const b = Buffer.from(s, 'utf16le')
    b.swap16()
    return Buffer.concat([Buffer.from([0xfe, 0xff]), b])
  }
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(mutatedSeed(seeds), fc.boolean()).map(([s, bom]) => new Uint8Array(utf16(s, bom))),
    },
    { weight: 1, arbitrary: mutatedSeed(seeds).map((s) => new Uint8Array(utf16be(s))) },
    {
      weight: 2,
      arbitrary: mutatedSeed(seeds).map(
        (s) => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')])),
      ),
    },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 4000 }) },
    // Odd-length UTF-16 and a BOM followed by garbage.
    {
      weight: 1,
      arbitrary: fc
        .tuple(mutatedSeed(seeds), fc.uint8Array({ maxLength: 3 }))
        .map(([s, tail]) => new Uint8Array(Buffer.concat([utf16(s, true), Buffer.from(tail)]))),
    },
  )
}
