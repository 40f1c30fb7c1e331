/**
 * Causes the eleventh batch showed by kind, each from Microsoft's documentation or Windows' own message text, tested on
 * lines written here in that shape (never a capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

describe("a role or feature installed through Server Manager's cmdlets, with its source missing", () => {
  // Install-WindowsFeature / Add-WindowsFeature (and the tools built on them) report a feature install that found no
  // payload with Server Manager's own two sentences, then CBS_E_SOURCE_MISSING's text and code.
  const server = [
    'PS C:\\> Install-Package -Name sometool -Force',
    'Install-Package : The request to add or remove features on the specified server failed.',
    'Installation of one or more roles, role services, or features failed.',
    'The source files could not be found.',
    'Use the "Source" option to specify the location of the files that are required to restore the feature. Error: 0x800f081f',
  ].join('\n')

  it("is a feature's missing source, not a damaged component store", () => {
    expect(causeOf(server).id).toMatch(/^feature-source-missing(?::|$)/)
  })

  it('the same message in a repair of the store (no feature being added) stays a store without a source', () => {
    const repair = [
      'C:\\> DISM /Online /Cleanup-Image /RestoreHealth',
      'Error: 0x800f081f',
      'The source files could not be found.',
      'Use the "Source" option to specify the location of the files that are required to restore the feature.',
    ].join('\n')
    expect(causeOf(repair).id).toMatch(/^component-store-corruption(?::|$)/)
  })
})
