/**
 * The reagentc reader reached the two ways outside text gets to it — a collector zip (its
 * `winre.reagentc-info` output, read by the app's own probes) and a paste (`analyzeText`) — with the shape the fuzzer
 * had never made: a long run of blanks (or other white space) after a line of the output, then one more character.
 * The old pattern took 8 s on one such line; the harness's time budget fails a case that slow.
 * Property: the zip opens as a snapshot (or is refused with a message), the paste is analysed, within the budget.
 */
import fc from 'fast-check'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { createServices } from '../../../main/services.ts'
import { collectFromHost } from '../../../main/collector/collect-from-host.ts'
import { readCollectorArchive, writeCollectorArchive } from '../../../main/collector/archive.ts'
import { fixtureSeeds } from '../seeds.ts'
import { mutatedSeed } from '../mutate.ts'
import { cpuNowMs, target, mustSerialise, timedCall, violated, type FuzzTarget } from '../target.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BLANKS = [' ', '\t', '\u00a0', '\u3000', '\u2003', '  ', ' \t']
const ENDS = ['x', '#', '// x', ':', '', ' # note', '\u00a0x']

/** A reagentc output with a long white-space tail after one of its lines (the shape that once took quadratic time), or a plain mutation. */
function hostileReagentc(seeds: readonly string[]): fc.Arbitrary<string> {
  const tailed = fc
    .record({
      seed: fc.integer({ min: 0, max: Math.max(0, seeds.length - 1) }),
      line: fc.double({ min: 0, max: 1, noNaN: true }),
      fill: fc.constantFrom(...BLANKS),
      size: fc.integer({ min: 1_000, max: 200_000 }),
      end: fc.constantFrom(...ENDS),
    })
    .map(({ seed, line, fill, size, end }) => {
      const lines = (seeds[seed] ?? 'Windows RE status:         Enabled').split('\n')
      const i = Math.min(lines.length - 1, Math.floor(line * lines.length))
      lines[i] = `${lines[i]!.replace(/\r$/, '')}${fill.repeat(Math.ceil(size / fill.length))}${end}`
      return lines.join('\n')
    })
  return fc.oneof({ weight: 3, arbitrary: tailed }, { weight: 1, arbitrary: mutatedSeed(seeds) })
}

export const reagentcPathTargets: FuzzTarget<unknown>[] = [
  target(
    'reagentc/paste',
    'a reagentc paste with a long blank tail: analysed within the budget',
    () => ({
      arbitrary: hostileReagentc(fixtureSeeds('reagentc')),
      run: (text) => {
        for (const kind of [undefined, 'reagentc-info'])
          mustSerialise(
            timedCall(`analyzeText(kind=${kind ?? 'auto'})`, () => analyzeText(text, kind)),
            'analyzeText',
          )
      },
    }),
    5_000,
  ),
  target(
    'reagentc/collector-zip',
    'a collector zip whose reagentc output has a long blank tail: opens (or is refused) within the budget',
    async () => {
      const home = mkdtempSync(join(tmpdir(), 'sd-fuzz-reagentc-'))
      const svc = createServices({ dataDir: home, platform: 'linux' })
      const { zip } = await collectFromHost(svc.hostFor({ kind: 'training', name: 'arm64-winre-disabled' }), {
        appVersion: 'fuzz',
      })
      const archive = readCollectorArchive(zip)
      if (!archive.snapshot.commands.some((c) => c.name === 'winre.reagentc-info'))
        violated('the training collector recorded no reagentc output')
      const contents = new Map<string, Buffer>()
      for (const f of archive.snapshot.files) contents.set(f.entry, archive.files.get(f.path.toLowerCase())!)
      return {
        arbitrary: hostileReagentc(fixtureSeeds('reagentc')),
        run: async (stdout: string) => {
          const snapshot = {
            ...archive.snapshot,
            commands: archive.snapshot.commands.map((c) => (c.name === 'winre.reagentc-info' ? { ...c, stdout } : c)),
          }
          const bytes = writeCollectorArchive(snapshot, contents)
          const t0 = cpuNowMs()
          try {
            mustSerialise((await svc.importSnapshotBytes(bytes)).snapshot.winre, 'snapshot.winre')
          } catch (err) {
            if (!(err instanceof Error) || !/damaged|not one|MB|invalid/i.test(err.message)) throw err
          }
          const ms = cpuNowMs() - t0
          if (ms > 5_000) violated(`opening the zip took ${Math.round(ms)} ms of CPU (catastrophic backtracking?)`)
        },
        close: async () => {
          rmSync(home, { recursive: true, force: true })
        },
      }
    },
    10_000,
  ),
]
