/**
 * One name per status: the words every screen, the report and the CLI use for how bad a thing is.
 * Before, one level had four names (the Overview's "!", What's wrong's "Attention", Proof's "✕ Problem", Fleet's
 * "Warning"). A finding's severity, a tile's level and a check's result all say these words and no others; the
 * surfaces import them from here (test/unit/report/status-words.test.ts checks they say nothing else).
 */

/** A finding's severity, as a person reads it. */
export const severityWords = { critical: 'Critical', error: 'Problem', warning: 'Attention', info: 'Note' } as const
/** A health tile's or a verification check's level. */
export const levelWords = { ok: 'OK', warn: 'Attention', bad: 'Problem', unknown: 'Unknown' } as const
/** A plan's check: pass, warn, fail. */
export const checkWords = { pass: levelWords.ok, warn: levelWords.warn, fail: levelWords.bad } as const

/** Every status word there is, for the test that no surface says another. */
export const STATUS_WORDS: readonly string[] = [
  ...new Set([...Object.values(severityWords), ...Object.values(levelWords)]),
]

export function severityWord(s: string): string {
  return (severityWords as Record<string, string>)[s] ?? levelWords.bad
}
export function levelWord(l: string): string {
  return (levelWords as Record<string, string>)[l] ?? levelWords.unknown
}
