/**
 * The inputs of the linear-time tests (linear-time.test.ts for the parsers, linear-time-analyzers-*.test.ts for the
 * analyzers of pasted text, split in parts so that they run beside each other): each line of a reader's real seeds with
 * a long blank run after it, or before its first colon, and one status line with 1 MB of blanks.
 */
import { describe, it, expect } from 'vitest'
import { cpuMs } from '../cpu-time.ts'
import { loadSeeds } from '../../fuzz/seeds.ts'
import { LOCALISED_LABELS } from '../../fuzz/mutate.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { analyzers } from '../../../main/analyze/registry.ts'

/**
 * Blanks after each line, and lines per input (about 1 MB each): a quadratic pattern spends about run² steps on each
 * line (9·10⁸ at 30,000: seconds), a linear one run. The short runs come first, so a quadratic parser fails within
 * seconds (the test cannot stop a regex that runs for an hour).
 */
export const STAGES = [
  { run: 5_000, group: 50 },
  { run: 30_000, group: 34 },
]
/** CPU bound per input: linear parsers take 1–150 ms here; one quadratic line alone takes seconds. */
export const BOUND_MS = 1000
/**
 * analyzeText runs every reader and the words' judgements over the whole text: about 700 ms for 34 lines of 30,000
 * no-break spaces at idle (1 MB), so 1,000 ms failed it on a busy machine; a quadratic pattern there took 11 s.
 */
export const ANALYZE_BOUND_MS = 2000

/** Lines that reach a parser's labelled fields (seed lines, the localised labels, and a few made for patterns with a tail). */
const EXTRA_LINES = [
  ...LOCALISED_LABELS,
  'Mount Dir : C:\\mount',
  'Status : Ok',
  'client id: WindowsUpdateAgent',
  'WER: Generating failure report for package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10, status: 0x800f0922, failure source: Execute, start state: Staged, target state: Installed, client id: WindowsUpdateAgent',
  '<FailureDetails>x',
  '<Remediation>x',
  '<FailureData>0x80070002-0x20009 Error: x',
  '<ProfileName>x',
  'OsName : Microsoft Windows 11 Pro',
  'WindowsVersion : 2009',
  'Percentage Encrypted: 100.0%',
  'REAGENTC.EXE: Operation Successful.',
  'Installed On 12/31/2024 10:00:00 PM',
  'PS C:\\Users\\tech> x',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\x',
  '    ProductName    REG_SZ    x',
]

export function linesOf(seeds: readonly string[], max: number): string[] {
  const seen = new Set<string>(EXTRA_LINES)
  for (const s of seeds)
    for (const l of s.split(/\r?\n/)) {
      const t = l.replace(/\s+$/, '')
      if (t && t.length < 400) seen.add(t)
    }
  return [...seen].slice(0, max)
}

/**
 * The inputs every parser gets: each line with a long blank run after it, or before its first colon (STAGES), then
 * one status line with 1 MB of blanks.
 */
export function* hostile(lines: readonly string[]): Generator<{ name: string; text: string }> {
  for (const { run, group: size } of STAGES) {
    for (let g = 0; g < lines.length; g += size) {
      const group = lines.slice(g, g + size)
      const tail = (fill: string, end: string) => group.map((l) => `${l}${fill.repeat(run)}${end}`).join('\n')
      const at = `lines ${g + 1}… with ${run}`
      yield { name: `${at} spaces then a letter`, text: tail(' ', 'x') }
      yield { name: `${at} tabs then a colon`, text: tail('\t', ':') }
      yield { name: `${at} ideographic spaces then "#"`, text: tail('\u3000', '#') }
      yield {
        name: `${at} no-break spaces before the first colon`,
        text: group
          .map((l) => {
            const i = l.indexOf(':')
            return i < 0 ? `${l}${'\u00a0'.repeat(run)}x` : `${l.slice(0, i)}${'\u00a0'.repeat(run)}${l.slice(i)}`
          })
          .join('\n'),
      }
    }
  }
  // One line, a 1 MB run: the attack of the issue, as a person pastes it.
  yield {
    name: 'one status line and 1 MB of blanks',
    text: `Windows RE status:         Enabled${' '.repeat(1_000_000)}x`,
  }
}

/** Part `part` (0-based) of `of` of the analyzers' test: every kind whose place in the registry is `part` modulo `of`. */
export function analyzersInLinearTime(part: number, of: number): void {
  const kinds = [undefined, ...analyzers.map((a) => a.kind)].filter((_, i) => i % of === part)
  describe(`every analyzer of pasted text reads a long blank run in linear time (part ${part + 1} of ${of})`, () => {
    for (const kind of kinds) {
      it(`analyzeText, kind ${kind ?? 'detected'}`, async () => {
        const seeds = await loadSeeds([
          'fixture:reagentc',
          'fixture:systeminfo',
          'fixture:dism-output',
          'fixture:dism-packages',
          'fixture:hotfix',
          'fixture:setupdiag',
          'fixture:wu-event',
          'fixture:dism-image-info',
        ])
        for (const { name, text } of hostile(linesOf(seeds, 100))) {
          const { ms } = cpuMs(() => analyzeText(text, kind), ANALYZE_BOUND_MS)
          if (process.env.SD_LINEAR_SHOW)
            process.stdout.write(`analyzeText ${kind ?? 'detected'} ${name}: ${Math.round(ms)} ms\n`)
          expect(
            ms,
            `analyzeText (${kind ?? 'detected'}), ${name}: CPU time (bound ${ANALYZE_BOUND_MS} ms)`,
          ).toBeLessThan(ANALYZE_BOUND_MS)
        }
      })
    }
  })
}
