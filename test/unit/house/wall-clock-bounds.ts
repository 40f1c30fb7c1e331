/**
 * Where a test's code reads or waits on the wall clock (test/unit/house/wall-clock-bounds.test.ts keeps the list):
 * a timer with a delay of its own, a clock read, a browser wait of fixed length, a timeout option written as a
 * number. A delay written as `hangMs(…)` is a hang detector stretched by the load (test/load.ts) and is not one.
 */
import { commentRanges } from './comment-ranges.ts'

export type WallClockKind = 'timer' | 'clock' | 'browser-wait' | 'timeout-option'

const PATTERNS: [WallClockKind, RegExp][] = [
  ['timer', /\bset(?:Timeout|Interval)\(/],
  ['clock', /\b(?:Date|performance)\.now\(\)|\bAbortSignal\.timeout\(/],
  ['browser-wait', /\bwaitForTimeout\(/],
  ['timeout-option', /\btimeout: \d/],
]

/** Each use on a code line (comments blanked out), with its line number; a line whose bound is hangMs(…) is not one. */
export function wallClockUses(text: string, file: string): { kind: WallClockKind; line: number; code: string }[] {
  // Most files have none: they are not scanned for their comments at all.
  if (!PATTERNS.some(([, re]) => re.test(text))) return []
  let code = text
  for (const c of commentRanges(text, file).reverse())
    code = code.slice(0, c.pos) + code.slice(c.pos, c.end).replace(/[^\n]/g, ' ') + code.slice(c.end)
  const out: { kind: WallClockKind; line: number; code: string }[] = []
  code.split('\n').forEach((l, i) => {
    if (/\bhangMs\(/.test(l)) return
    for (const [kind, re] of PATTERNS) if (re.test(l)) out.push({ kind, line: i + 1, code: l.trim() })
  })
  return out
}
