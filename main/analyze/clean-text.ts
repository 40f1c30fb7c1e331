/**
 * Peels what a paste picks up on its way (issue 17 §3): Markdown code fences, `>` quoting, `*`/`-` bullets,
 * and per-line timestamps that a CI or container log puts before every line (`2024-05-01T10:00:00.123Z `,
 * `[10:00:00] `, BuildKit's `#12 3.456 `). A prefix is peeled only when most non-empty lines carry it, so
 * text that merely contains a `>` keeps it. CBS/DISM's own `2024-05-01 10:00:00, Info` is content, not a
 * prefix, and stays. Lines are iterated, not split; each step says what it did in `notes`.
 */
import { forEachLine } from '../parse/lines.ts'

export interface CleanedText { text: string; notes: string[]; flattened: boolean }

const FENCE = /^\s{0,3}(?:```|~~~)/
const PREFIXES: { name: string; re: RegExp }[] = [
  { name: 'quote marks (>)', re: /^\s{0,3}>(?:\s?>)*\s?/ },
  { name: 'list bullets', re: /^\s{0,3}[*\-+]\s+/ },
  { name: 'timestamps', re: /^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s/ },
  { name: 'timestamps', re: /^\s*\[\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\]\s?/ },
  { name: 'build step prefixes', re: /^#\d+ \d+\.\d+ / },
]

export function cleanPastedText(text: string): CleanedText {
  const notes: string[] = []
  // Only small and medium texts are rewritten; a large log is read as it is (bounded work).
  if (text.length > 8 * 1024 * 1024) return { text, notes, flattened: false }
  let nonEmpty = 0
  let fences = 0
  const counts = PREFIXES.map(() => 0)
  let longest = 0
  forEachLine(text, (l) => {
    if (l.length > longest) longest = l.length
    if (l.trim() === '') return
    nonEmpty++
    if (FENCE.test(l)) { fences++; return }
    PREFIXES.forEach((p, i) => { if (p.re.test(l)) counts[i]!++ })
  })
  const flattened = longest > 300 && nonEmpty <= 3 + fences
  const peel = PREFIXES.filter((_, i) => nonEmpty - fences > 0 && counts[i]! >= Math.max(2, 0.6 * (nonEmpty - fences)))
  if (fences === 0 && peel.length === 0) return { text, notes, flattened }
  const out: string[] = []
  forEachLine(text, (l) => {
    if (FENCE.test(l)) return
    let s = l
    for (const p of peel) s = s.replace(p.re, '')
    out.push(s)
  })
  if (fences > 0) notes.push('Markdown code fences were removed.')
  for (const name of new Set(peel.map((p) => p.name))) notes.push(`Leading ${name} were removed from each line.`)
  return { text: out.join('\n'), notes, flattened }
}
