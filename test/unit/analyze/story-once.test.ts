/**
 * `analyze` reads a text's facts and story, and its diagnosis verdict (diagnose/text-verdict.ts) reads the same text
 * again: the second reading is the first one's (extract.ts and text-story.ts keep the last text's), with only the WinRE
 * state read again from the reader the caller hands in. The same answers as reading afresh; the facts frozen, so no
 * caller changes what the other is given.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { extractTextFacts, KEPT_TEXT_CHARS } from '../../../main/analyze/extract.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'

const ROOT = join(import.meta.dirname, '../../..')
// Real output: `dism /online /get-packages /format:table` (the capture's source is in its folder's README).
const list = readFileSync(join(ROOT, 'test/fixtures/dism-packages/en-us-table-24h2-openssh2282.txt'), 'utf8')
const told = 'KB5043080 failed to install with error 0x800f0922 after the restart.\nWindows RE status: Enabled\n'

describe('a text read twice in one process', () => {
  it('gives the same facts object, frozen, for the same text', () => {
    const a = extractTextFacts(told)
    expect(extractTextFacts(told)).toBe(a)
    expect(Object.isFrozen(a) && Object.isFrozen(a.codes) && Object.isFrozen(a.codes[0])).toBe(true)
    expect(() => (a.codes as unknown as unknown[]).push(1)).toThrow()
    const b = extractTextFacts(list)
    expect(b).not.toBe(a)
    expect(extractTextFacts(told)).toEqual(a)
  })

  it('gives the story read the first time, with the WinRE state from the reader handed in each time', () => {
    const facts = extractTextFacts(told)
    const first = readTextStory(told, facts)
    expect(first.failed).toBe(true)
    expect(first.winre).toBeNull()
    const winreOf = () => ({ status: 'enabled' as const })
    const second = readTextStory(told, facts, winreOf)
    expect(second.winre).toEqual({ status: 'Enabled', line: 2, text: 'Windows RE status: Enabled' })
    expect({ ...second, winre: null }).toEqual(first)
    // The reading is kept, not done again: its parts are the same objects.
    expect(second.words).toBe(first.words)
    // The same keys in the same order as a fresh reading (the JSON of analyze's answer is byte for byte the same).
    readTextStory(list)
    const fresh = readTextStory(told, facts, winreOf)
    expect(Object.keys(second)).toEqual(Object.keys(fresh))
    expect(JSON.stringify(second)).toBe(JSON.stringify(fresh))
  })

  it('keeps no text longer than KEPT_TEXT_CHARS: a long-lived process holds no large text for nothing', () => {
    const long = `${told}${' '.repeat(KEPT_TEXT_CHARS)}`
    const a = extractTextFacts(long)
    expect(extractTextFacts(long)).not.toBe(a)
    expect(extractTextFacts(long)).toEqual(a)
    const s = readTextStory(long, a)
    expect(readTextStory(long, a).words).not.toBe(s.words)
  })
})
