/**
 * A PC that does not start at a BitLocker recovery screen gets the recovery key as its first step. The screen's words
 * are data — rows of main/knowledge/data/outcome-words.json (noBootBitlocker), one list per display language — not a
 * pattern in the rule, so a language added to the table reaches the finding without touching code.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { namesBitlockerRecovery } from '../../../main/knowledge/bitlocker-words.ts'

const table = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../main/knowledge/data/outcome-words.json'), 'utf8'),
) as { noBootBitlocker: Record<string, string | string[]> }

const noBoot = (t: string) => diagnose({ text: t }).findings.find((f) => f.id === 'failure-cause-not-named:no-boot')

describe("a BitLocker recovery screen's words are rows of the outcome-words table", () => {
  it('the table holds them per language, in lower case, and every row is recognised', () => {
    const rows = Object.entries(table.noBootBitlocker).filter(([k]) => k !== 'about') as [string, string[]][]
    expect(rows.map(([l]) => l)).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'es', 'ja', 'zh-cn', 'ko', 'ru']))
    for (const [language, words] of rows)
      for (const w of words) {
        expect(w, language).toBe(w.toLowerCase())
        expect(namesBitlockerRecovery(`Screen: ${w.toUpperCase()} …`), `${language}: ${w}`).toBe(true)
      }
    expect(namesBitlockerRecovery('Preparing Automatic Repair')).toBe(false)
  })

  it('a no-boot text in a language the old pattern missed (no "BitLocker" in it) gets the recovery key first', () => {
    for (const t of [
      'Na update KB5034763 start de laptop niet meer op en vraagt om de herstelsleutel.',
      'Po aktualizaci KB5034763 se počítač nespustí se a chce obnovovací klíč.',
      'KB5034763 güncellemesinden sonra bilgisayar açılmıyor, kurtarma anahtarını istiyor.',
    ]) {
      const f = noBoot(t)
      expect(f?.remedies.map((r) => r.id)[0], t).toBe('bitlocker-key')
    }
  })

  it('a no-boot text without the screen gets no recovery-key step', () => {
    const f = noBoot(
      'After the cumulative update KB5034763 the laptop shows "Preparing Automatic Repair" and never starts.',
    )
    expect(f?.remedies.map((r) => r.id)).not.toContain('bitlocker-key')
  })
})
