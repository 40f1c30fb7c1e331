/**
 * The BitLocker recovery screen's words (data/outcome-words.json, noBootBitlocker), apart from the outcome words' other
 * tables: the diagnosis of every text loads this module, and only a text that tells a failed start reads the words.
 * The command line's build reads this row from a file of its own on first use (vite.cli.config.ts LAZY_DATA), so a
 * diagnosis that never asks neither parses the outcome words' 68 KB table nor compiles its patterns.
 */
import data from './data/outcome-words.json' with { type: 'json' }

let words: readonly string[] | null = null

/** The table's words for the BitLocker recovery screen, lower case, every language (read once, on first use). */
function bitlockerWords(): readonly string[] {
  words ??= Object.entries((data as { noBootBitlocker?: Record<string, unknown> }).noBootBitlocker ?? {})
    .filter((e): e is [string, string[]] => e[0] !== 'about' && Array.isArray(e[1]))
    .flatMap(([, v]) => v.map((w) => w.toLowerCase()))
  return words
}

/** Whether a line that tells a PC did not start names the BitLocker recovery screen (its words, any language the table holds). */
export function namesBitlockerRecovery(line: string): boolean {
  const lower = line.toLowerCase()
  return bitlockerWords().some((w) => lower.includes(w))
}
