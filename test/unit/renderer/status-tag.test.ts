/** Status tags carry their meaning in colour as well as words: the tone of every status word the app's data uses. */
import { describe, expect, it } from 'vitest'
import { toneOf } from '../../../renderer/src/components/status-tag.tsx'

describe('toneOf', () => {
  it('maps check statuses, severities and step results to a tone; an unknown word is neutral, never ok', () => {
    const cases: [string | null, string][] = [
      ['pass', 'ok'],
      ['warn', 'warn'],
      ['fail', 'bad'],
      ['critical', 'bad'],
      ['error', 'bad'],
      ['warning', 'warn'],
      ['info', 'info'],
      ['ok', 'ok'],
      ['restart-required', 'warn'],
      ['failed', 'bad'],
      ['cancelled', 'warn'],
      ['already-installed', 'ok'],
      ['skipped', 'neutral'],
      ['not-applicable', 'neutral'],
      ['something-new', 'neutral'],
      [null, 'neutral'],
    ]
    for (const [status, tone] of cases) expect(toneOf(status), String(status)).toBe(tone)
    expect(cases).toHaveLength(16)
  })
})
