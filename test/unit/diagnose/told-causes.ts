/**
 * One case per language of a cause told in words: each text's first cause (as `npm run accuracy` reads it) must be
 * `want`. Shared by the test files of causes told in words, so each lists only its lines.
 */
import { expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

export const causes = (told: Record<string, string>, want: string) => {
  for (const [language, text] of Object.entries(told))
    it(`${want} (${language})`, () => {
      expect(firstCause(text)).toBe(want)
    })
}

/** The first cause `diagnose` gives a text, as `npm run accuracy` reads it: for a test that asserts more than one id. */
export const firstCause = (text: string) => causeOf(text).id

/** Inside one test: every text's first cause must be `want` (the failing text is named in the message). */
export const eachIs = (texts: string[], want: string) => {
  for (const text of texts) expect(firstCause(text), text).toBe(want)
}
