import { describe, expect, it } from 'vitest'
import { outcomeWordsIn } from '../../../main/knowledge/outcome-words.ts'

describe("a word hit's line, where lowercasing changes the text's length", () => {
  it("names the line the phrase stands on, after letters whose lower case is longer ('İ' → 'i̇')", () => {
    const text = `${'İ'.repeat(80)}\nnotes\nThe update failed to install on the second try\nlast line`
    const hit = outcomeWordsIn(text).hits.failure?.[0]
    expect(hit?.line).toBe(3)
    expect(hit?.text).toBe('The update failed to install on the second try')
  })
})
