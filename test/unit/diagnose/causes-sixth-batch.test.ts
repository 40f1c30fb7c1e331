/**
 * The working half of the sixth causes batch (test/fixtures/corpus-causes-6), each kind of miss on a capture found
 * there: the rule behind each fix is Microsoft's documentation of the cause, never the capture's own wording, and each
 * is checked again on a sentence of other words.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const root = 'test/fixtures/corpus-causes-6'
const body = (rel: string) => {
  const t = readFileSync(join(root, rel), 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}

describe('a restart Windows itself says it is waiting for is a pending restart', () => {
  it('Windows Update\'s "Your device needs to restart to install updates" is the pending restart, before a disabled service', () => {
    expect(causeOf(body('unknown/en-wu10man-25-device-needs-restart-to-install-no-code.txt')).id).toBe(
      'pending-restart',
    )
  })
  it('PendingFileRenameOperations (files Windows replaces at the next restart) is a pending restart', () => {
    expect(causeOf(body('unknown/en-choco-1768-pending-file-rename-operations-persistent-no-code.txt')).id).toBe(
      'pending-restart',
    )
    expect(causeOf('reg query shows PendingFileRenameOperations set on the server after patching.').id).toBe(
      'pending-restart',
    )
  })
  it('"a restart is pending" told as the state is one; a script that asks whether one is, is not', () => {
    expect(causeOf(body('unknown/en-xwindowsupdate-1-xhotfix-hangs-restart-pending-no-code.txt')).id).toBe(
      'pending-restart',
    )
    expect(causeOf('The module checks whether a reboot is pending before it runs.').id).toBe('none')
    expect(causeOf('2021-03-08 12:38:04Z No reboot is pending...').id).toBe('none')
  })
  it("beside a code the text reports, a mention of PendingFileRenameOperations leaves the code's finding first", () => {
    const got = causeOf(
      'KB5050081 fails with 0x800F0805. Possible causes: an antivirus locking PendingFileRenameOperations.',
    ).id
    expect(got).not.toBe('pending-restart')
  })
})

describe("a Microsoft documentation page's id in an address is no error code", () => {
  it('aa386098(v=vs.85) in an MSDN address is no 0xAA386098', () => {
    const got = causeOf(
      'See https://msdn.microsoft.com/en-us/library/windows/desktop/aa386098(v=vs.85).aspx for the API.',
    ).id
    expect(got).not.toMatch(/^known-code/)
    expect(causeOf('https://docs.microsoft.com/previous-versions/windows/desktop/bb905386(v=vs.85)').id).toBe('none')
  })
  it('a code written in the text is still read', () => {
    expect(causeOf('The install stopped with 80070005 after an hour.').id).not.toBe('none')
  })
})

describe("Setup's own message for a System Reserved partition it could not update", () => {
  it('"We couldn\'t update the system reserved partition" is that partition too full, never none', () => {
    expect(causeOf(body('unknown/en-flyoobe-63-couldnt-update-system-reserved-partition-recovery-full.txt')).id).toBe(
      'esp-full',
    )
    expect(causeOf("Setup said: We couldn't update system reserved partition.").id).toBe('esp-full')
  })
})

describe('another installation already in progress', () => {
  it('an update stuck at 0% while "an installation already in progress" is reported waits for that one', () => {
    expect(causeOf(body('unknown/en-powershell-17343-wu-stuck-installing-0-percent-no-code.txt')).id).toBe(
      'servicing-in-progress',
    )
    // Windows Installer's own message for 1618 (ERROR_INSTALL_ALREADY_RUNNING) is that code, whose meaning is this cause.
    expect(
      causeOf('msiexec: Another installation is already in progress. Complete that installation before proceeding.').id,
    ).toBe('servicing-in-progress:code-0x80070652')
  })
})

describe('"The update is not applicable to your computer" (KB3057448)', () => {
  it('superseded or already installed: the not-applicable finding, not "a failure, cause not named"', () => {
    const f = 'unknown/en-legacyupdate-112-win81-update1-already-installed-not-applicable.txt'
    expect([f, causeOf(body(f)).id]).toEqual([f, 'wrong-arch-or-branch'])
    // A how-to page on the message (its label accepts none): since round 19 a page that explains a failure in general
    // tells no failure of its own, and the not-applicable finding stays as a note.
    const page = diagnose({ text: body('unknown/en-sergiogoncalves-not-applicable-superseded-component.txt') })
    expect(page.findings.find((x) => x.id === 'wrong-arch-or-branch')?.severity).toBe('info')
    expect(page.findings.some((x) => x.id === 'no-failure-of-its-own')).toBe(true)
    expect(causeOf('Windows Update Standalone Installer: The update is not applicable to your computer.').id).toBe(
      'wrong-arch-or-branch',
    )
  })
})

describe('a text that says the update installed is a success story', () => {
  it('WUA result code 2 (orcSucceeded) on an update that installed successfully is no failure', () => {
    expect(causeOf(body('unknown/en-updateos-16-result-code-2-successful-install.txt')).id).toBe('none')
    expect(
      causeOf('KB5034441 installed successfully. I still wonder which error table the result codes come from.').id,
    ).toBe('none')
  })
  it('a failure code beside a success elsewhere is still the failure', () => {
    expect(
      causeOf('KB5034441 installed successfully on the laptop, but the desktop shows error 0x80070643.').id,
    ).not.toBe('none')
  })
})
