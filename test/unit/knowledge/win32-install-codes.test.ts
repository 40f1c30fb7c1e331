/**
 * The Win32 codes Windows Update, DISM, wusa, Windows Installer and Setup report as 0x8007xxxx, with Microsoft's name
 * and message (System Error Codes pages, Windows Installer's error codes page): explained, never "not in the
 * knowledge". A code whose documented meaning is a cause by itself is that cause (another installation running, a
 * package for another processor, a full temp drive, an install the user cancelled); the others answer with their
 * meaning. A code Microsoft documents only with a Setup extend code stays Setup's (not curated here).
 */
import { describe, expect, it } from 'vitest'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { errorCodeEntry } from '../../../main/knowledge/error-codes.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { firstCause } from '../diagnose/told-causes.ts'

describe('Win32 codes of installs and updates', () => {
  it.each([
    ['0x80070652', 'ERROR_INSTALL_ALREADY_RUNNING', /Another installation is already in progress/],
    ['0x80070661', 'ERROR_INSTALL_PLATFORM_UNSUPPORTED', /not supported by this processor type/],
    ['0x80070641', 'ERROR_INSTALL_SERVICE_FAILURE', /Windows Installer Service could not be accessed/],
    ['0x80070035', 'ERROR_BAD_NETPATH', /network path was not found/],
    ['0x8007007E', 'ERROR_MOD_NOT_FOUND', /specified module could not be found/],
    ['0x80070017', 'ERROR_CRC', /cyclic redundancy check/],
  ])('%s is %s', (code, name, meaning) => {
    const e = explain(code, null)
    expect(e.ok && e.value.known).toBe(true)
    expect(errorCodeEntry(code)).toMatchObject({ name, verified: true })
    expect(errorCodeEntry(code)!.meaning).toMatch(meaning)
  })

  it('a code whose meaning is a cause by itself is that cause, with its steps after the code', () => {
    expect(firstCause('wusa failed: 0x80070652')).toBe('servicing-in-progress:code-0x80070652')
    expect(firstCause('The MSU will not install: error 0x80070661')).toBe('wrong-arch-or-branch:code-0x80070661')
    expect(firstCause('msiexec returned 0x80070642')).toBe('setup-cancelled:code-0x80070642')
    const f = diagnose({ code: '0x80070652' }).findings[0]!
    expect(f.remedies.map((r) => r.id)).toContain('let-it-finish')
  })

  it('the others answer with their meaning, not "cause not named"', () => {
    expect(firstCause('Install-WindowsFeature failed with 0x80070035 on the share')).toBe('known-code:0x80070035')
    expect(firstCause('DISM failed. Error: 0x8007007e')).toBe('known-code:0x8007007E')
  })

  it("the codes Microsoft documents only beside a Setup extend code stay Setup's", () => {
    for (const code of ['0x8007001F', '0x8007025D', '0x8007042B', '0x800704B8'])
      expect(errorCodeEntry(code)?.sources ?? []).not.toContain('S-WIN32-CODES')
  })
})
