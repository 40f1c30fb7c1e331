/**
 * Windows' own failure messages told without a code (DISM and its cmdlets, System File Checker, Windows Installer)
 * are failures with their documented code and cause, never "No servicing problem found". Lines of our own, in the
 * shape Windows writes them.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const top = (text: string) => diagnose({ text }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')
const noProblem = (text: string) => diagnose({ text }).notes.some((n) => /No servicing problem found/.test(n))

describe("Windows' failure messages without a code", () => {
  it('an unknown feature name is 0x800F080C: the feature is not in this edition or release', () => {
    const text = [
      'PS C:\\> Enable-WindowsOptionalFeature -Online -FeatureName Contoso-Feature',
      'Enable-WindowsOptionalFeature : Feature name Contoso-Feature is unknown.',
      '    + FullyQualifiedErrorId : Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand',
    ].join('\n')
    const f = top(text)!
    expect(f.id).toBe('wrong-arch-or-branch:unknown-feature')
    expect(f.codes).toEqual(['0x800F080C'])
    expect(noProblem(text)).toBe(false)
  })
  it('parent features disabled: enable with /All', () => {
    const f = top('Add-Thing : One or several parent features are disabled so current feature can not be enabled.\n')!
    expect(f.id).toBe('failure-cause-not-named:parent-feature-disabled')
    expect(f.remedies.map((r) => r.text).join('\n')).toMatch(/\/All/)
  })
  it('"requires elevation" is ERROR_ELEVATION_REQUIRED (740)', () => {
    const f = top('Add-WindowsCapability : The requested operation requires elevation.\nAt line:1 char:1\n')!
    expect(f.id).toBe('access-blocked:elevation-required')
    expect(f.codes).toEqual(['0x800702E4'])
  })
  it("SFC's documented failures: repair service, unable to fix, could not perform", () => {
    expect(top('C:\\>sfc /scannow\nWindows Resource Protection could not start the repair service.\n')!.id).toBe(
      'services-disabled:sfc-repair-service',
    )
    expect(
      top(
        'Verification 100% complete.\nWindows Resource Protection found corrupt files but was unable to fix some of them.\n',
      )!.id,
    ).toMatch(/^component-store-corruption/)
    expect(top('Windows Resource Protection could not perform the requested operation.\n')!.id).toBe(
      'failure-cause-not-named:sfc-could-not-perform',
    )
  })
  it("Windows Installer's 1618: another installation is running", () => {
    expect(top('MSI (s) (10:20) [09:00:00:000]: Failed to grab execution mutex. System error 258.\n')!.id).toBe(
      'servicing-in-progress:msi-1618',
    )
    expect(
      top(
        'Another installation is already in progress. Complete that installation before proceeding with this install.',
      )!.id,
    ).toMatch(/^servicing-in-progress/)
  })
  it("a run that asks for elevation and then goes on to DISM's success is no failure", () => {
    const text = [
      'PS C:\\> wsl --install',
      'The requested operation requires elevation.',
      'Enabling feature(s)',
      '[==========================100.0%==========================]',
      'The operation completed successfully.',
    ].join('\n')
    expect(top(text)).toBeUndefined()
  })
  it('a success of SFC is no failure', () => {
    expect(top('Windows Resource Protection did not find any integrity violations.')).toBeUndefined()
  })
})
