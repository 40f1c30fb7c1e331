/**
 * Every source key of the knowledge resolves to an address a person can open — an http(s) URL with
 * a path (not a bare home page, not the non-existent github.com/support.microsoft.com), under a key that does
 * not leak raw into human text (no leading digit, at most 16 characters: humanizeCitations reads
 * `[A-Za-z][A-Za-z0-9-]{0,15}`). Every key of every data file must meet this: one that does not fails the test.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { sourceText } from '../../../main/knowledge/citations.ts'

const FILES = [
  'error-codes.json',
  'servicing-chains.json',
  'winre-targets.json',
  'known-issues.json',
  'boot-chain.json',
]
const dataDir = new URL('../../../main/knowledge/data/', import.meta.url)

/*
 * No known-debt list any more: it once held 15 of 125 sources; each got an address a person can open, or
 * the fact it supported was removed (the "3P" tag and its community-only claims, orphaned keys). A source that is
 * not openable fails the test below; do not bring back a list of exceptions.
 */

/** Why a source is not openable, or null when it is. */
function notOpenable(key: string, text: string): string | null {
  if (/^\d/.test(key)) return 'key starts with a digit (leaks raw)'
  if (key.length > 16) return 'key longer than 16 characters (leaks raw)'
  const urls = text.match(/https?:\/\/[^\s)"\],;]+/g) ?? []
  const good = urls.filter((u) => !/^https?:\/\/[^/]+\/?$/.test(u) && !u.includes('github.com/support.microsoft.com'))
  return good.length
    ? null
    : urls.length
      ? `only home pages or a non-existent address: ${urls.join(' ')}`
      : 'no address'
}

const all = FILES.flatMap((f) =>
  Object.entries(
    (JSON.parse(readFileSync(new URL(f, dataDir), 'utf8')) as { sources?: Record<string, unknown> }).sources ?? {},
  ).map(([k, v]) => ({ id: `${f}:${k}`, key: k, text: typeof v === 'string' ? v : JSON.stringify(v) })),
)

describe('knowledge sources a person can open', () => {
  it('the check itself: an address with a path passes; a home page, github.com/support.microsoft.com, a digit key, a long key fail', () => {
    expect(
      notOpenable('S22', 'x — https://support.microsoft.com/topic/b127d1e8-3e33-458f-817f-d9b9d8968658'),
    ).toBeNull()
    expect(notOpenable('S26', 'threads — https://windowsforum.com/')).toMatch(/home pages/)
    expect(notOpenable('S22', 'https://github.com/support.microsoft.com/topic — …')).toMatch(/non-existent/)
    expect(notOpenable('3P-x', 'https://a.example/b')).toMatch(/digit/)
    expect(notOpenable('MS-SPOTLIGHT-KB5046633', 'https://a.example/b')).toMatch(/longer/)
    expect(notOpenable('S2', 'support/windows-server/….md')).toBe('no address')
  })

  it('every source of every knowledge file is openable (no exceptions)', () => {
    const failing = all.map((s) => ({ ...s, why: notOpenable(s.key, s.text) })).filter((s) => s.why)
    console.log(`knowledge sources: ${all.length - failing.length}/${all.length} openable`)
    expect(failing.map((s) => `${s.id}: ${s.why}`)).toEqual([])
    expect(all.length).toBeGreaterThan(100)
  })

  it('S22 (the WinRE Server 2022 page) resolves to its support.microsoft.com address, whichever file defines it first', () => {
    expect(sourceText('S22')).toContain('https://support.microsoft.com/topic/b127d1e8-3e33-458f-817f-d9b9d8968658')
    expect(sourceText('S22')).not.toContain('github.com/support.microsoft.com')
  })
})
