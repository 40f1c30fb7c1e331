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

describe('Sysprep that fails on a machine with a Store app package, told in words', () => {
  // Microsoft: Sysprep fails to generalize when an app (Appx) package is installed for a user but not provisioned for
  // all users; its fix removes the package for that user and its provisioning. A person who tells that Sysprep failed
  // and names the app package (Get-AppxPackage, an Appx package, provisioning) tells that cause in their own words.
  it('names sysprep-failed', () => {
    const told = [
      'Building a reference image in audit mode, I installed a text editor and then ran sysprep /generalize /oobe.',
      'It failed with an error dialog and the image was not generalized.',
      'Running Get-AppxPackage -Name *editor* in PowerShell lists a package for the Administrator account.',
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^sysprep-failed(?::|$)/)
  })

  it('a Sysprep failure that names no app package stays a failure whose cause is not named', () => {
    const told = ['I ran sysprep /generalize /oobe in audit mode.', 'It failed with an error dialog.'].join('\n')
    expect(causeOf(told).id).not.toMatch(/^sysprep-failed/)
  })

  it('a how-to that mentions Sysprep and Get-AppxPackage with no failure is not a failure', () => {
    const howTo = [
      'Before you run sysprep /generalize, list the app packages with Get-AppxPackage -AllUsers.',
      'Remove any package that is installed for one user only.',
    ].join('\n')
    expect(causeOf(howTo).id).not.toMatch(/^sysprep-failed/)
  })
})
