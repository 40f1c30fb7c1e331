/** The seeded samples of the exhaustive walks (test/sample.ts): drawn by the seed alone, every kind covered, all under test:full. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { boundarySample, randomStream } from '../sample.ts'

/** Boundaries of three machines, each of some kinds (as the kill sweeps give them). */
const items = [
  ...['first', 'program', 'program', 'restart', 'resumed'].map((k) => ({ m: 'a', kinds: [k] })),
  ...['first', 'script', 'program', 'program', 'program', 'program'].map((k) => ({ m: 'b', kinds: [k] })),
  ...['first', 'restart'].map((k) => ({ m: 'c', kinds: [k] })),
]
const kindsOf = (x: (typeof items)[number]) => [`machine ${x.m}`, ...x.kinds]

/** sampleIndexes in a child process with the environment given (FULL and the seed are read once, at load). */
function sampleIn(env: Record<string, string>): number[] {
  const code = `import { sampleIndexes } from './test/sample.ts'; const items = ${JSON.stringify(items)}; console.log(JSON.stringify(sampleIndexes('t', items, { kindsOf: (x) => ['machine ' + x.m, ...x.kinds] })))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, SD_TEST_FULL: '', SD_SAMPLE_SEED: '', ...env },
  })
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as number[]
}

describe('seeded samples', () => {
  it('the same seed and label draw the same numbers; another seed or label others', () => {
    const draw = (label: string, seed: number) => {
      const r = randomStream(label, seed)
      return [r(), r(), r()]
    }
    expect(draw('x', 7)).toEqual(draw('x', 7))
    expect(draw('x', 7)).not.toEqual(draw('x', 8))
    expect(draw('x', 7)).not.toEqual(draw('y', 7))
    for (const v of draw('x', 7)) expect(v >= 0 && v < 1).toBe(true)
  })

  it('every sample holds each kind and each machine at least once, fewer items than the whole, ascending', () => {
    // Drawn in a child process without SD_TEST_FULL (FULL is read once, at load: under npm run test:full this process
    // keeps every item), 200 seeds in one process.
    const code = `import { sampleIndexes } from './test/sample.ts'; const items = ${JSON.stringify(items)}; const out = []; for (let seed = 1; seed <= 200; seed++) { process.env.SD_SAMPLE_SEED = String(seed); out.push(sampleIndexes('t', items, { kindsOf: (x) => ['machine ' + x.m, ...x.kinds] })) } console.log(JSON.stringify(out))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, SD_TEST_FULL: '', SD_SAMPLE_SEED: '' },
    })
    expect(r.status, r.stderr).toBe(0)
    const draws = JSON.parse(r.stdout) as number[][]
    expect(draws).toHaveLength(200)
    const sizes = new Set<number>()
    for (const kept of draws) {
      expect(kept).toEqual([...kept].sort((a, b) => a - b))
      expect(new Set(kept.flatMap((i) => kindsOf(items[i]!)))).toEqual(new Set(items.flatMap(kindsOf)))
      sizes.add(kept.length)
      expect(kept.length).toBeLessThan(items.length)
    }
    // The seed changes what is drawn.
    expect(sizes.size).toBeGreaterThan(1)
  })

  it('holds every kind in few items: an item that covers several kinds not yet covered is taken before one that covers one', () => {
    // Each kept item of a walk costs a run; here one item is of every kind, so every seed keeps it alone.
    const few = [{ k: ['a'] }, { k: ['b'] }, { k: ['a', 'b', 'c'] }, { k: ['c'] }, { k: ['b', 'c'] }]
    const code = `import { sampleIndexes } from './test/sample.ts'; const out = []; for (let seed = 1; seed <= 50; seed++) { process.env.SD_SAMPLE_SEED = String(seed); out.push(sampleIndexes('few', ${JSON.stringify(few)}, { kindsOf: (x) => x.k })) } console.log(JSON.stringify(out))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, SD_TEST_FULL: '', SD_SAMPLE_SEED: '' },
    })
    expect(r.status, r.stderr).toBe(0)
    expect(new Set((JSON.parse(r.stdout) as number[][]).map((d) => JSON.stringify(d)))).toEqual(new Set(['[2]']))
  })

  it('a red sample is drawn again by its seed, in another process; a new seed is chosen when none is given', () => {
    expect(sampleIn({ SD_SAMPLE_SEED: '1234' })).toEqual(sampleIn({ SD_SAMPLE_SEED: '1234' }))
    const draws = new Set([1, 2, 3, 4].map(() => JSON.stringify(sampleIn({}))))
    expect(draws.size).toBeGreaterThan(1)
  })

  it('SD_TEST_FULL=1 (npm run test:full) keeps every item', () => {
    expect(sampleIn({ SD_TEST_FULL: '1', SD_SAMPLE_SEED: '99' })).toEqual(items.map((_, i) => i))
  })

  it("a crash sweep's sample (boundarySample) holds the first and the last boundary and each kind of point, 1-based", () => {
    const points = [
      'journal:created',
      'journal:started:s1',
      'mid:s1',
      'command:s1',
      'journal:finished:s1',
      'journal:started:s2',
      'command:s2',
      'journal:finished:s2',
      'journal:ended:completed',
    ]
    const kind = (p: string) => (p.startsWith('journal:') ? p.split(':').slice(0, 2).join(':') : p.split(':')[0])
    const before = process.env.SD_SAMPLE_SEED
    try {
      for (let seed = 1; seed <= 100; seed++) {
        process.env.SD_SAMPLE_SEED = String(seed)
        const kills = boundarySample('t', points, (p) => (p.startsWith('command:') ? [`command of ${p.slice(8)}`] : []))
        expect(kills[0]).toBe(1)
        expect(kills.at(-1)).toBe(points.length)
        expect(new Set(kills.map((n) => kind(points[n - 1]!)))).toEqual(new Set(points.map(kind)))
        // The kinds the caller adds: a command of each step.
        expect(kills).toEqual(expect.arrayContaining([4, 7]))
        expect(kills).toEqual([...new Set(kills)].sort((a, b) => a - b))
      }
    } finally {
      // Assigning undefined would store the string "undefined" (a seed no later test could use).
      if (before === undefined) delete process.env.SD_SAMPLE_SEED
      else process.env.SD_SAMPLE_SEED = before
    }
  })

  it('a seed that is not a whole number is refused plainly', () => {
    const code = `import { sampleSeed } from './test/sample.ts'; sampleSeed()`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, SD_SAMPLE_SEED: 'abc' },
    })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/SD_SAMPLE_SEED must be a whole number/)
  })
})
