/**
 * The story as a report form and an installer tell it, on lines written here: what the form's "Expected behavior"
 * wants is no outcome, Windows Installer's restart and its decimal codes say what they document, a runtime or a
 * feature installed through a package manager is still Windows servicing, an update named as missing or required is
 * the prerequisite, and a failure that names its cause before a later success is still that failure's story. Each case was
 * red on the round's start (5982ab71) unless its comment says it guards what already held.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { withoutExpectedSections } from '../../../main/knowledge/outcome-words.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { firstCause } from './told-causes.ts'

const top = (text: string) => diagnose({ text }).findings.find((f) => f.severity !== 'info') ?? null

describe('what a report form\'s "Expected behavior" wants is no outcome', () => {
  const form = [
    '### Steps to reproduce',
    'Run Windows Update on the build agent.',
    '### Expected behavior',
    'The cumulative update installs successfully.',
    '### Actual behavior',
    'Windows Update shows Install error - 0x800f0922 every time.',
  ].join('\n')

  it('a success the form only expected leaves the failure current', () => {
    const text = [
      '# The Visual C++ redistributable install failed with exit code: 3010',
      '### Expected behavior',
      'The installer should say the redistributable installed successfully.',
      '### Actual behavior',
      'The installer exits with code 3010.',
    ].join('\n')
    const f = top(text)
    expect(f?.id).toBe('pending-restart')
    expect(f?.state).not.toBe('past')
  })

  it('a form whose sections have other headings reads its failure as before (guards what held)', () => {
    const f = top(form.replace('### Expected behavior\n', '### What happened next\n'))
    expect(f?.codes).toContain('0x800F0922')
  })

  it('the section is blanked, every position kept; the other sections stay as written', () => {
    const out = withoutExpectedSections(form)
    expect(out.length).toBe(form.length)
    expect(out.split('\n').length).toBe(form.split('\n').length)
    expect(out).not.toContain('installs successfully')
    expect(out).toContain('### Expected behavior')
    expect(out).toContain('Install error - 0x800f0922')
  })

  it('an inline "Expected result: …" loses what follows its colon; a text without the heading is the same string', () => {
    const inline = 'Expected result: it installed fine.\nActual result: it failed with 0x80070643.'
    const out = withoutExpectedSections(inline)
    expect(out).toMatch(/^Expected result: +\n/)
    expect(out).toContain('it failed with 0x80070643')
    const plain = 'The update installed fine after a restart.'
    expect(withoutExpectedSections(plain)).toBe(plain)
  })
})

describe("Windows Installer's restart and its decimal codes", () => {
  it('"requires a reboot to complete the installation" beside a failure is a pending restart', () => {
    const text = [
      'The WMF 5.1 package failed while the deployment script installed its dependencies.',
      'WARNING: Windows Management Framework 5.1 requires a reboot to complete the installation.',
    ].join('\n')
    expect(firstCause(text)).toBe('pending-restart')
  })

  it("an installer's exit code 1638 is Windows Installer's ERROR_PRODUCT_VERSION, the code's own cause", () => {
    const text = 'Installing the Visual C++ redistributable on the image failed.\nInstaller failed with exit code: 1638'
    expect(firstCause(text)).toBe('known-code:0x80070666')
  })

  it('exit code 1603 (a fatal error during installation) names no cause of its own (guards what held)', () => {
    const text = 'Installing the .NET Framework update failed.\nInstaller failed with exit code: 1603'
    expect(firstCause(text)).not.toBe('known-code:0x80070643')
  })

  it('a runtime installed through winget is Windows servicing, not an app updater', () => {
    const text = [
      'winget install Microsoft.VCRedist.2015+.x64',
      'Installer failed with exit code: 3010',
      'The Visual C++ redistributable is then listed as installed.',
    ].join('\n')
    expect(diagnose({ text }).findings.some((f) => f.id === 'no-failure-of-its-own')).toBe(false)
    expect(firstCause(text)).toBe('pending-restart')
  })

  it("an app upgraded through winget stays another program's updater (guards what held)", () => {
    const text = 'winget upgrade Mozilla.Firefox failed with exit code: 1638 on two laptops.'
    expect(diagnose({ text }).findings.some((f) => f.id === 'no-failure-of-its-own')).toBe(true)
  })
})

describe('an update named as missing or required first is the prerequisite', () => {
  it.each([
    'The daemon does not start in Windows container mode. Its diagnostics say: [Fail] Missing KB3192366 or later installed.',
    "The installer requires update KB3176936; I can't install the container feature without it.",
  ])('%s', (text) => {
    expect(firstCause(text)).toBe('servicing-stack-required:prerequisite')
  })

  it('a package offered as a prerequisite of others is none of that (guards what held)', () => {
    const text =
      'Deploying the .NET Framework as a prerequisite application in a task sequence: the install failed with exit code 16389.'
    expect(firstCause(text)).not.toBe('servicing-stack-required:prerequisite')
  })
})

describe('a failure that names its cause, then a later success, is never "no problem"', () => {
  it('"can\'t connect to the Windows Update service", then "tried it again and it worked"', () => {
    const text = [
      "After installing the firewall rules, Windows can't connect to the Windows Update service.",
      'Next day: I have no idea why, but I tried it again and it worked.',
    ].join('\n')
    const out = diagnose({ text })
    expect(out.notes.some((n) => /No servicing problem found/.test(n))).toBe(false)
    expect(out.findings[0]?.id).toBe('update-source-unreachable')
  })
})

describe("a branch past its end of support needs its ESU licence (Microsoft's KB4522133 and KB4547184)", () => {
  it('a rollup that will not install without the ESU licence is the branch support, with its step', () => {
    const text =
      'The .NET 4.8 rollup for Windows 7 fails to install on our lab PCs: it needs an ESU license, which these PCs never had.'
    expect(firstCause(text)).toBe('branch-support')
    const f = top(text)
    expect(f?.remedies.map((r) => r.id)).toContain('esu-licence')
  })

  it('ESU named with no failure told is no finding of its own (guards what held)', () => {
    expect(firstCause('Our Windows 10 PCs are enrolled: the ESU license was activated last week.')).toBe('none')
  })
})

describe("the Server service's own code (lmerr.h's NERR_ServerNotStarted)", () => {
  it("0x80070842 is the Server service not started, the code's own cause with its step", () => {
    const known = explain('0x80070842')
    expect(known.ok && known.value.name).toBe('NERR_ServerNotStarted')
    const text =
      'wsusutil postinstall failed in the container:\nCOMException (0x80070842): The Server service is not started.'
    expect(firstCause(text)).toBe('known-code:0x80070842')
  })
})
