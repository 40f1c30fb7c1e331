/**
 * Seeded samples of the exhaustive walks. `npm test` runs each walk — the kill sweeps of the fix
 * packages, every surface of every state, every screen's layout photographs — on a sample that covers every kind the
 * walk has at least once (every training machine, every kind of step boundary, every screen); `npm run test:full`
 * (SD_TEST_FULL=1) runs every item. One seed (SD_SAMPLE_SEED, a whole number) decides every sample of a run: npm
 * test chooses it, prints it at the start and above its closing line, and hands it to the unit and browser tests
 * (vitest.config.ts and playwright.config.ts choose one when run alone, and print it). A red sample reruns as it was
 * with `SD_SAMPLE_SEED=<seed> npm test` (or the one test file with the same variable).
 *
 * Each sample is drawn from its own stream (the seed and the sample's label), so a sample does not change when
 * another walk draws more or fewer, nor with the order files run in.
 */

/** Every walk in full (`npm run test:full`). */
export const FULL: boolean = process.env.SD_TEST_FULL === '1'

/** A new seed: 1 to 999,999 (short to type). */
export function newSeed(): number {
  return 1 + Math.floor(Math.random() * 999_999)
}

/** The seed in SD_SAMPLE_SEED; a new one (set there, so child processes draw the same samples) when it is not set. */
export function sampleSeed(): number {
  const v = process.env.SD_SAMPLE_SEED
  if (v === undefined || v === '') {
    const seed = newSeed()
    process.env.SD_SAMPLE_SEED = String(seed)
    return seed
  }
  if (!/^\d{1,15}$/.test(v.trim()))
    throw new Error(
      `SD_SAMPLE_SEED must be a whole number (it is printed as SD_SAMPLE_SEED=1234 by the run to repeat), not ${JSON.stringify(v)}`,
    )
  return Number(v.trim())
}

/** How a message names the sample it comes from: the seed to rerun it by, or that the walk ran in full. */
export function sampleNote(): string {
  return FULL
    ? 'the full walk (SD_TEST_FULL=1)'
    : `a sample: SD_SAMPLE_SEED=${sampleSeed()}; npm run test:full runs every item`
}

/** 32-bit FNV-1a of a text. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** A stream of numbers in [0, 1) for one sample: mulberry32 seeded by the run's seed and the sample's label. */
export function randomStream(label: string, seed: number = sampleSeed()): () => number {
  let a = hash(`${seed}:${label}`)
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SampleOptions<T> {
  /** The kinds an item is of: the sample holds at least one item of every kind any item is of. */
  kindsOf?: (item: T, index: number) => readonly string[]
  /** At least this many items (when there are so many); default 1. */
  atLeast?: number
}

/**
 * The indexes of the items a sample keeps, ascending: every index under SD_TEST_FULL=1; else, drawn by the seed, at
 * least one item of each kind (an item of several kinds counts for each) and at least `atLeast` items. `label` names
 * the sample (its stream); the same label, items and seed give the same sample.
 */
export function sampleIndexes<T>(label: string, items: readonly T[], opts: SampleOptions<T> = {}): number[] {
  if (FULL || items.length === 0) return items.map((_, i) => i)
  const random = randomStream(label)
  const pick = <U>(xs: readonly U[]): U => xs[Math.floor(random() * xs.length)]!
  const kinds = items.map((x, i) => new Set(opts.kindsOf?.(x, i) ?? []))
  const chosen = new Set<number>()
  const covered = new Set<string>()
  // The kinds in an order drawn by the seed; each one not yet covered gets an item of its kind, drawn by the seed.
  const allKinds = [...new Set(kinds.flatMap((k) => [...k]))].sort()
  for (let i = allKinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[allKinds[i], allKinds[j]] = [allKinds[j]!, allKinds[i]!]
  }
  // Of the items of that kind, one that covers the most kinds not yet covered (drawn by the seed among those): each kept
  // item of a walk costs a run (a kill sweep's boundary is a PowerShell run, a screen a photograph), so a sample holds
  // every kind in few items, and a boundary that is also the first of its machine counts for both.
  const uncoveredBy = (i: number) => [...kinds[i]!].filter((k) => !covered.has(k)).length
  for (const kind of allKinds) {
    if (covered.has(kind)) continue
    const ofKind = items.map((_, i) => i).filter((i) => kinds[i]!.has(kind))
    const most = Math.max(...ofKind.map(uncoveredBy))
    const i = pick(ofKind.filter((i) => uncoveredBy(i) === most))
    chosen.add(i)
    for (const k of kinds[i]!) covered.add(k)
  }
  const rest = () => items.map((_, i) => i).filter((i) => !chosen.has(i))
  while (chosen.size < Math.min(opts.atLeast ?? 1, items.length)) chosen.add(pick(rest()))
  return [...chosen].sort((a, b) => a - b)
}

/** The items a sample keeps (see sampleIndexes), in their order. */
export function sample<T>(label: string, items: readonly T[], opts: SampleOptions<T> = {}): T[] {
  return sampleIndexes(label, items, opts).map((i) => items[i]!)
}

/**
 * The crash sweeps' boundaries a sample kills at (1-based, ascending): every one under SD_TEST_FULL=1; else, drawn by
 * the seed, at least one of each kind — the first boundary, the last, and each kind of point the run named (a journal
 * entry's phase: `journal:started`, `journal:finished`…; after a command: `command`; in the middle of a step: `mid`),
 * and any kinds `moreKinds` names (such as the kind of step a command belongs to).
 */
export function boundarySample(
  label: string,
  points: readonly string[],
  moreKinds: (point: string) => readonly string[] = () => [],
): number[] {
  const kindOf = (p: string) => (p.startsWith('journal:') ? p.split(':').slice(0, 2).join(':') : p.split(':')[0]!)
  return sampleIndexes(label, points, {
    kindsOf: (p, i) => [
      kindOf(p),
      ...moreKinds(p),
      ...(i === 0 ? ['the first boundary'] : []),
      ...(i === points.length - 1 ? ['the last boundary'] : []),
    ],
    atLeast: 3,
  }).map((i) => i + 1)
}
