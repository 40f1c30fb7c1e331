/** `node scripts/split-batch.ts [dir]`: writes dir/manifest.json, each capture with its source and its half. */
// Seeded split of the batch into a working half and a held-out half (mulberry32, seed 51).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const root = process.argv[2] ?? 'test/fixtures/corpus-2026-11'
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(root, d.name))
      .filter((f) => !f.endsWith('.expect.json'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort()
let a = 51
const rnd = () => {
  a |= 0
  a = (a + 0x6d2b79f5) | 0
  let t = Math.imul(a ^ (a >>> 15), 1 | a)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const order = files
  .map((f): [number, string] => [rnd(), f])
  .sort((x, y) => x[0] - y[0])
  .map((x) => x[1])
const working = new Set(order.slice(0, Math.ceil(order.length / 2)))
const captures = files.map((f) => ({
  file: f,
  half: working.has(f) ? 'working' : 'held-out',
  source: readFileSync(join(root, f), 'utf8')
    .split('\n')[0]
    .replace(/^# source: /, ''),
}))
writeFileSync(
  join(root, 'manifest.json'),
  `${JSON.stringify({ round: '2026-11-25', split: 'mulberry32 seed 51 over the sorted file list; first ceil(n/2) of the shuffled order are the working half', captures }, null, 1)}\n`,
)
console.log(captures.filter((c) => c.half === 'working').length, captures.filter((c) => c.half === 'held-out').length)
