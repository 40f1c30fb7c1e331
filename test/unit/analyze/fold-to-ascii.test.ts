/**
 * foldToAscii folds runs of foldable characters in one call each (main/analyze/extract.ts): the same text as folding
 * character by character (the reference here), for runs of one character, of mixed ones, and runs beside ASCII;
 * the ideographic space and the narrow and figure spaces fold to a space (they were taken for Persian digits and
 * folded to U+2940 and the like, so `KB\u30005060842` was no KB), on a 1 MB run of them too.
 */
import { describe, expect, it } from 'vitest'
import { foldToAscii } from '../../../main/analyze/extract.ts'

const FOLDABLE_ALL = /[\u00a0\u2007\u202f\u3000\u0660-\u066b\u06f0-\u06f9\uff01-\uff5e]/g
function foldCharByChar(text: string): string {
  return text.replace(FOLDABLE_ALL, (ch) => {
    const c = ch.charCodeAt(0)
    if (c >= 0xff01) return String.fromCharCode(c - 0xfee0)
    if (c >= 0x6f0 && c <= 0x6f9) return String.fromCharCode(c - 0x6f0 + 48)
    if (c === 0x66b) return '.'
    if (c >= 0x660 && c <= 0x669) return String.fromCharCode(c - 0x660 + 48)
    return c === 0x66a ? '%' : ' '
  })
}

describe('foldToAscii', () => {
  it('folds every space it knows to a space', () => {
    expect(foldToAscii('KB\u30005060842 \u2007\u202f\u00a0x')).toBe('KB 5060842    x')
  })

  it('gives what folding one character at a time gives', () => {
    for (const text of [
      'ＫＢ５０６０８４２ failed',
      '０x８００Ｆ０９２２（ｃｏｄｅ）：',
      'KB\u00a05060842, build ٢٦١٠٠٫٤٣٤٩ and ۲۶۱۰۰ at ٥٠٪',
      `Status${'\u3000'.repeat(7)}:${'\u202f\u2007\u00a0'.repeat(3)}Enabled`,
      `${'\uff10'.repeat(5)}${'\u3000'.repeat(2)}x\u3000`,
      'plain ASCII only',
      '\u3000',
      '',
    ])
      expect(foldToAscii(text), JSON.stringify(text)).toBe(foldCharByChar(text))
  })

  // Its speed is the CPU bench's to show, not a bound here: a 200 ms CPU bound failed at 359 ms in a whole run on an
  // idle machine (the old per-character fold took 461 ms, too close to tell apart from a busy moment).
  it('folds a 1 MB run of ideographic spaces', () => {
    const text = `Windows RE status:${'\u3000'.repeat(1_000_000)}Enabled`
    // A boolean, not toBe: a failed toBe on 1 MB strings is diffed for minutes.
    expect(foldToAscii(text) === `Windows RE status:${' '.repeat(1_000_000)}Enabled`).toBe(true)
  })
})
