/**
 * console-text (main/parse/console-text.ts: CRLF, BOM, trailing blanks and console hard wraps in pasted text)
 * on exact results at each boundary: which blanks are trimmed, the usual console widths, the rectangular
 * selection rule (≥ 3 lines, ≥ 80% at the width), wrapped lines joined and not joined, flattened text and
 * excerpts. Loaded fresh for this file so module-level tables count (50% at its first mutation run).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type Mod = typeof import('../../../main/parse/console-text.ts')
let m: Mod
beforeAll(async () => {
  vi.resetModules()
  m = await import('../../../main/parse/console-text.ts')
})

const A80 = 'A'.repeat(80)
const pad = (s: string, n: number) => s + ' '.repeat(n - s.length)

describe('console-text at its boundaries (fresh module load)', () => {
  it('consoleLines: BOM, every line break, and only space, tab and no-break space trimmed at the end', () => {
    const cases: [string, string[]][] = [
      ['\ufeffa  \r\nb\t\u00a0\rc\n', ['a', 'b', 'c', '']],
      ['a \t y ', ['a \t y']],
      ['   ', ['']],
      ['', ['']],
      ['a', ['a']],
      ['a ', ['a']],
      ['a\t', ['a']],
      ['a\u00a0', ['a']],
      ['a\u2003', ['a\u2003']],
      ['x\ufeffy', ['x\ufeffy']],
      [' \ufeffa', [' \ufeffa']],
      ['a\r\r\nb', ['a', '', 'b']],
    ]
    for (const [t, want] of cases) expect(m.consoleLines(t), JSON.stringify(t)).toEqual(want)
    expect(cases).toHaveLength(12)
  })

  it('detectWrapWidth: the longest line must be a usual console width; a rectangular selection needs a line cut mid-text', () => {
    const cases: [string[], { width: number; rectangular: boolean } | null][] = [
      [[A80, 'x'], { width: 80, rectangular: false }],
      [['A'.repeat(81), 'x'], null],
      [['A'.repeat(79)], null],
      [[], null],
      ...[100, 120, 132, 160, 200, 240].map(
        (w) =>
          [['B'.repeat(w), 'y'], { width: w, rectangular: false }] as [
            string[],
            { width: number; rectangular: boolean },
          ],
      ),
      // Three padded lines, all at 80 and ending in a space: a rectangular selection, not a wrap.
      [[pad('a', 80), pad('b', 80), pad('c', 80)], null],
      // The same with one cut mid-text: rectangular, and that line is a wrap.
      [[pad('a', 80), pad('b', 80), A80], { width: 80, rectangular: true }],
      // Two padded lines only: not enough to call it rectangular.
      [[pad('a', 80), pad('b', 80)], { width: 80, rectangular: false }],
      // Blank (space-only) lines do not count as lines of text.
      [[pad('a', 80), pad('b', 80), '      '], { width: 80, rectangular: false }],
      // 3 of 4 at the width (75%): not rectangular; 4 of 5 (80%): rectangular.
      [[pad('a', 80), pad('b', 80), A80, 'short'], { width: 80, rectangular: false }],
      [[pad('a', 80), pad('b', 80), pad('c', 80), A80, 'short'], { width: 80, rectangular: true }],
      [[pad('a', 80), pad('b', 80), pad('c', 80), pad('d', 80), 'short'], null],
    ]
    for (const [lines, want] of cases)
      expect(m.detectWrapWidth(lines), JSON.stringify(lines.map((l) => l.length))).toEqual(want)
    expect(cases).toHaveLength(17)
  })

  it('unwrapConsoleLines: joins a line cut at the width with the next, never across a blank line or a record start', () => {
    const id = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.10'
    const cut = `Package Identity : ${id}`.padEnd(80, 'X')
    const cases: [string, string[], ((l: string) => boolean)?][] = [
      [`${A80}\nBCD\nnext`, [`${A80}BCD`, 'next']],
      [`\ufeff${A80}\r\nBCD`, [`${A80}BCD`]],
      [`${A80}\n\nBCD`, [A80, '', 'BCD']],
      [`${A80}\n   \nBCD`, [A80, '', 'BCD']],
      [`${A80}\nState : Installed`, [A80, 'State : Installed'], (l) => /^State :/.test(l)],
      [`${A80}\n${A80}\nZ`, [`${A80}${A80}Z`]],
      [`${cut}\nmore`, [`${cut}more`]],
      [`short\n${A80}`, ['short', A80]],
      ['no wrap  \nhere ', ['no wrap', 'here']],
      // A rectangular selection (4 of 5 lines at 80): padded lines stand alone, the one cut mid-text joins.
      [`${pad('a', 80)}\n${pad('b', 80)}\n${pad('c', 80)}\n${A80}\ntail`, ['a', 'b', 'c', `${A80}tail`]],
      // Not rectangular (3 of 4 at 80): every line at the width is a cut, padded or not.
      [`${pad('a', 80)}\n${pad('b', 80)}\n${A80}\ntail`, [`${pad('a', 80)}${pad('b', 80)}${A80}tail`]],
    ]
    for (const [t, want, rec] of cases)
      expect(m.unwrapConsoleLines(t, rec), JSON.stringify(t.slice(0, 20))).toEqual(want)
    expect(cases).toHaveLength(11)
  })

  it('lostNewlines: a line over 300 characters and at most 3 lines of text', () => {
    const long = 'w '.repeat(151) // 302 characters
    const cases: [string, boolean][] = [
      [long, true],
      ['x'.repeat(300), false],
      ['x'.repeat(301), true],
      [`${long}\na\nb`, true],
      [`${long}\na\nb\nc`, false],
      [`${long}\n\n  \n\nb`, true],
      ['short\ntext', false],
      ['', false],
    ]
    for (const [t, want] of cases) expect(m.lostNewlines(t), `${t.length}`).toBe(want)
    expect(cases).toHaveLength(8)
  })

  it('excerpt: trimmed, cut at max with an ellipsis, 400 by default', () => {
    expect(m.excerpt('  abc  ')).toBe('abc')
    expect(m.excerpt('abcdef', 3)).toBe('abc…')
    expect(m.excerpt('abc', 3)).toBe('abc')
    expect(m.excerpt('x'.repeat(400))).toBe('x'.repeat(400))
    expect(m.excerpt('x'.repeat(401))).toBe(`${'x'.repeat(400)}…`)
  })
})
