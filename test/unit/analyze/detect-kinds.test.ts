/**
 * The CLI's `analyze` loads only the readers a text can be told as (main/analyze/detect-kinds.ts,
 * analyze-loading.ts). Its answer must be analyzeText's with every reader loaded: on every file under
 * test/fixtures (the readers' captures and the corpora), as read whole and without its `# source:` line, the kind
 * and the whole result are the same; and each reader that detection leaves unloaded is shown, on each text detected,
 * to score under what its place in detect-kinds.ts says (its `max`, 0 where its `gate` is false).
 */
import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { analyzers } from '../../../main/analyze/registry.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { detectionTexts, prepareText } from '../../../main/analyze/analyze-core.ts'
import { analyzeTextLoading, READERS } from '../../../main/analyze/analyze-loading.ts'
import { KINDS, KIND_NAMES, kindsToTell } from '../../../main/analyze/detect-kinds.ts'
import { hangMs } from '../../load.ts'

const root = join(import.meta.dirname, '../../fixtures')
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'media-tree' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)],
  )
}
const files = walk(root)
  .filter((f) => !f.endsWith('.source') && statSync(f).size <= 8 * 1024 * 1024)
  .sort()
/** Each fixture as bytes (its decoder's path) and as its tests read it (text, `# source:` line off). */
const inputs: { name: string; input: string | Uint8Array }[] = files.flatMap((f) => {
  const bytes = readFileSync(f)
  const name = relative(root, f)
  const text = bytes.toString('utf8')
  const nl = text.indexOf('\n')
  return [
    { name, input: new Uint8Array(bytes) },
    ...(/^# source: /.test(text) && nl > 0 ? [{ name: `${name} (text)`, input: text.slice(nl + 1) }] : []),
  ]
})

describe('detection without loading every reader (detect-kinds.ts)', () => {
  it("lists the registry's kinds in its order, each reader loadable by its kind, each kind told here by its reader's own detect", async () => {
    expect(KIND_NAMES).toEqual(analyzers.map((a) => a.kind))
    expect(Object.keys(READERS).sort()).toEqual([...KIND_NAMES].sort())
    for (const k of KIND_NAMES) expect((await READERS[k]!()).kind).toBe(k)
    for (const k of KINDS) if (k.score) expect(analyzers.find((a) => a.kind === k.kind)!.detect).toBe(k.score)
  })

  it(`gives analyzeText's answer on every fixture (${inputs.length} inputs from ${files.length} files)`, {
    timeout: hangMs(600_000),
  }, async () => {
    expect(files.length).toBeGreaterThan(500)
    const kinds = new Map<string, number>()
    for (const { name, input } of inputs) {
      const all = analyzeText(input)
      const loading = await analyzeTextLoading(input)
      expect(loading.kind, name).toBe(all.kind)
      expect(loading, name).toEqual(all)
      kinds.set(all.kind, (kinds.get(all.kind) ?? 0) + 1)
    }
    // Every kind is among the answers: the walk reached each reader.
    for (const k of KIND_NAMES) expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0)
  })

  it('leaves out only readers that cannot win: each scores within its max, and 0 where its gate is false', () => {
    for (const { name, input } of inputs) {
      for (const text of detectionTexts(prepareText(input))) {
        const told = new Set(kindsToTell(text))
        // The same kinds as when every kind told here is run, in the list's order (kindsToTell skips those whose max cannot win).
        let best = -1
        let bestScore = 0
        KINDS.forEach((k, i) => {
          const s = k.score ? k.score(text) : 0
          if (s > bestScore) {
            best = i
            bestScore = s
          }
        })
        const every = KINDS.filter((k, i) =>
          k.score
            ? i === best && bestScore >= 0.3
            : !(k.max < 0.3 || k.max < bestScore || (k.max === bestScore && i > best)) && (!k.gate || k.gate(text)),
        ).map((k) => k.kind)
        expect([...told], name).toEqual(every)
        for (const [i, k] of KINDS.entries()) {
          const s = analyzers[i]!.detect(text)
          expect(s, `${name}: ${k.kind}`).toBeLessThanOrEqual(k.max)
          if (k.gate && !k.gate(text)) expect(s, `${name}: ${k.kind} (gate false)`).toBe(0)
          if (!told.has(k.kind) && !k.score)
            expect(
              s >= 0.3 && s > Math.max(0, ...KINDS.filter((x) => x.score).map((x) => x.score!(text))),
              `${name}: ${k.kind} left out`,
            ).toBe(false)
        }
      }
    }
  })

  it('names a gated reader for each form its detect knows, also forms no fixture has', () => {
    const cases: [string, string][] = [
      // A legacy CMTrace line (`$$<component><time><thread=…>`), no `<![LOG[` entry.
      [
        'configmgr-log',
        'Scan started $$<WUAHandler><03-04-2025 10:00:00.000+000><thread=100 (0x64)>\nScan done $$<WUAHandler><03-04-2025 10:00:01.000+000><thread=100 (0x64)>',
      ],
      // reagentc's status line alone, without its banner or a GLOBALROOT path.
      ['reagentc-info', 'Windows RE status:         Enabled'],
      // ReportingEvents.log lines (a GUID, a date), no agent line.
      [
        'windowsupdate-log',
        '{2A7C3D1E-1111-2222-3333-444455556666}\t2025-03-04 10:00:00:123+0100\t1\t181\t101\t{00000000-0000-0000-0000-000000000000}\t0\t0\tAutomaticUpdates\tSuccess\tContent Install\tInstallation Started\n{2A7C3D1E-1111-2222-3333-444455556667}\t2025-03-04 10:01:00:123+0100\t1\t183\t101\t{00000000-0000-0000-0000-000000000000}\t0\t0\tAutomaticUpdates\tSuccess\tContent Install\tInstallation Successful',
      ],
    ]
    for (const [kind, text] of cases) {
      const a = analyzers.find((x) => x.kind === kind)!
      expect(a.detect(text), kind).toBeGreaterThan(0)
      expect(kindsToTell(text), kind).toContain(kind)
    }
  })
})
