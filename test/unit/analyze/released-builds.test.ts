/**
 * The builds a text's "build N" is read as without Windows named on its line are the releases the knowledge holds: a
 * branch added to the servicing chains (a new feature update's build) must be read as a build too.
 */
import { describe, expect, it } from 'vitest'
import { RELEASED_BUILDS, extractTextFacts } from '../../../main/analyze/extract.ts'
import { allBranches } from '../../../main/knowledge/servicing-chains.ts'

describe('released builds', () => {
  it("holds every build of the servicing chains' branches", () => {
    const missing = allBranches()
      .flatMap((b) => b.builds)
      .filter((b) => !RELEASED_BUILDS.has(b))
    expect(missing).toEqual([])
  })

  it.each([26300, 28000])('reads "build %i" after a build word with no Windows on the line', (b) => {
    const read = extractTextFacts(`The update fails on build ${b} with 0x80070002.`)
    expect(read.builds.map((x) => x.version)).toContain(String(b))
  })
})
