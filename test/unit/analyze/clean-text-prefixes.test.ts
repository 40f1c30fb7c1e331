/**
 * cleanPastedText tests a line against a prefix's pattern only when the line's first non-blank character is one of the
 * prefix's `first` (main/analyze/clean-text.ts PREFIXES: a pattern no line can match is never compiled).
 * Held here: wherever a pattern matches a line, on every line of every fixture and on lines made to try the blanks and
 * each prefix, that line's first non-blank character (what trimStart leaves first, the blanks \s takes) is in `first`.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PREFIXES } from '../../../main/analyze/clean-text.ts'

const root = join(import.meta.dirname, '../../fixtures')
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'media-tree' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)],
  )
}

describe("cleanPastedText's prefixes", () => {
  it('match only lines whose first non-blank character is among their first characters', () => {
    const made: string[] = []
    for (const blank of ['', ' ', '   ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2003 ', '    ']) {
      for (const body of [
        '> quoted',
        '▌ bar',
        '│x',
        '┃ y',
        '* item',
        '- item',
        '+ item',
        '2024-05-01T10:00:00.123Z line',
        '[10:00:00] line',
        '#12 3.456 step',
        '# heading',
        '### h',
        'rem note',
        'REM x',
        ':: note',
        '// note',
        '; note',
        'Package Identity : x',
      ])
        made.push(blank + body)
    }
    const files = walk(root).filter((f) => !f.endsWith('.source') && statSync(f).size <= 8 * 1024 * 1024)
    expect(files.length).toBeGreaterThan(500)
    const matched = new Map<string, number>()
    const check = (line: string) => {
      for (const p of PREFIXES) {
        if (!p.re.test(line)) continue
        matched.set(p.name, (matched.get(p.name) ?? 0) + 1)
        expect(p.first, `${p.name}: ${JSON.stringify(line.slice(0, 80))}`).toContain(
          line.trimStart().charAt(0) || '(none)',
        )
      }
    }
    for (const line of made) check(line)
    for (const f of files)
      for (const line of readFileSync(f, 'utf8')
        .split(/\r\n|\r|\n/)
        .slice(0, 3000))
        check(line)
    // Each prefix matched somewhere (the check above was reached for each).
    for (const p of PREFIXES) expect(matched.get(p.name) ?? 0, p.name).toBeGreaterThan(0)
  })
})
