/**
 * Pasted text: `analyzeText` (auto-detect and each kind forced) on text and on bytes (UTF-16 LE/BE with
 * and without BOM, UTF-8 with BOM, random bytes), and each analyzer's `detect`/`analyze` directly.
 * Property: the result matches the contract's output schema, detect is a number in [0, 1], and no
 * analyzer throws (analyzeText turns a throw into an "analyzer failed" warning; that counts as a failure
 * here, because analyzers promise to be total).
 */
import fc from 'fast-check'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { analyzers } from '../../../main/analyze/registry.ts'
import { calls } from '../../../preload/contract.ts'
import { fixtureDirs, loadSeeds } from '../seeds.ts'
import { textArbitrary, bytesArbitrary } from '../mutate.ts'
import { target, violated, mustSerialise, timedCall, type FuzzTarget } from '../target.ts'

const TRAINING_OUTPUTS = [
  'os.currentversion',
  'os.native-arch',
  'packages.get-windowspackage',
  'packages.dism-get-packages',
  'history.update-session',
  'hotfixes.get-hotfix',
  'reboot.sources',
  'storage.layout',
  'storage.manage-bde',
  'services.state',
]

async function allSeeds(): Promise<string[]> {
  return loadSeeds([
    ...fixtureDirs()
      .filter((d) => d !== 'catalog')
      .map((d) => `fixture:${d}`),
    ...TRAINING_OUTPUTS.map((c) => `training:${c}`),
  ])
}

function checkResult(r: unknown, what: string): void {
  const parsed = calls.analyze.output.safeParse(r)
  if (!parsed.success)
    violated(
      `${what}: result does not match the analyze output schema: ${parsed.error.issues
        .slice(0, 2)
        .map((i) => `${i.path.join('.')} ${i.message}`)
        .join('; ')}`,
    )
  const crashed = parsed.data.warnings.find((w) => /analyzer failed on this text/.test(w))
  if (crashed) violated(`${what}: an analyzer threw: ${crashed}`)
  mustSerialise(r, what)
}

const kinds = () => [undefined, ...analyzers.map((a) => a.kind)]

export const analyzeTargets: FuzzTarget<unknown>[] = [
  target('analyze/text', 'analyzeText(text, kind?): schema-valid, no analyzer throws', async () => ({
    arbitrary: fc.tuple(textArbitrary(await allSeeds()), fc.constantFrom(...kinds())),
    run: ([text, kind]) => checkResult(analyzeText(text, kind), `analyzeText(kind=${kind ?? 'auto'})`),
  })),
  target(
    'analyze/bytes',
    'analyzeText(bytes): UTF-16/UTF-8-BOM/random bytes decode and analyse without a throw',
    async () => ({
      arbitrary: fc.tuple(bytesArbitrary(await allSeeds()), fc.constantFrom(...kinds())),
      run: ([bytes, kind]) => checkResult(analyzeText(bytes, kind), `analyzeText(bytes, kind=${kind ?? 'auto'})`),
    }),
  ),
  target(
    'analyze/each-analyzer',
    'every analyzer: detect in [0,1] and analyze never throw',
    async () => ({
      arbitrary: textArbitrary(await allSeeds()),
      run: (text) => {
        for (const a of analyzers) {
          const score = timedCall(`${a.kind}.detect`, () => a.detect(text))
          if (typeof score !== 'number' || !(score >= 0 && score <= 1))
            violated(`${a.kind}.detect returned ${String(score)}`)
          checkResult({ kind: a.kind, ...timedCall(`${a.kind}.analyze`, () => a.analyze(text)) }, `${a.kind}.analyze`)
        }
      },
    }),
    20_000,
  ),
  target(
    'analyze/unknown-kind',
    'analyzeText with any kind string: known kind or a clear "Unknown kind" warning',
    async () => ({
      arbitrary: fc.tuple(
        fc.string({ maxLength: 200 }),
        fc.oneof(
          fc.string({ maxLength: 64 }),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
        ),
      ),
      run: ([text, kind]) => {
        const r = analyzeText(text, kind)
        checkResult(r, 'analyzeText')
        const known = analyzers.some((a) => a.kind === kind)
        if (!known && kind !== '' && !(r.kind === 'unknown' && r.warnings.some((w) => w.startsWith('Unknown kind'))))
          violated(`kind '${kind}' is not a kind but was not refused`)
      },
    }),
  ),
]
