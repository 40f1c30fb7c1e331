/**
 * Damaged or incomplete setup media, from Microsoft's documentation ("Resolution procedures": 0x8007025D - 0x2000C, a
 * corrupt ISO or a storage medium with bad blocks; "Upgrade error codes": the phase and operation of the extend code),
 * on texts of our own: Setup's pair in the image's own operation, and a setup log's line that copies, extracts or applies
 * the image and fails with a data error or a missing file of the media. Not a failed feature update; never a driver.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const top = (t: string) => diagnose({ text: t }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')

describe('setup media damaged or incomplete', () => {
  it("Setup's pair with a data error in APPLY_IMAGE is the media, whatever the result code", () => {
    for (const t of [
      'Upgrading from 22H2 with the ISO mounted: "We couldn\'t install Windows 11. 0x8007025D - 0x2000C".',
      'The installation failed in the SAFE_OS phase with an error during APPLY_IMAGE operation. 0x80070570 - 0x2000C',
      'Setup rolled back: 0x8007000D - 0x2000C',
      'Fehler 0x80070017 - 0x2000C beim Upgrade über den USB-Stick.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'setup-media-damaged'])
    }
    const f = top('Setup rolled back with 0x8007025D - 0x2000C after 40%.')!
    expect(f.technical).toMatch(/0x2000C.*APPLY_IMAGE/)
    expect(f.remedies.map((r) => r.id)).toEqual(['new-media', 'memory-and-disk'])
    expect(f.remedies[0]!.sources).toContain('S29')
  })
  it("a data error in an operation outside Microsoft's table counts only where the text installs from media", () => {
    expect(causeOf('Clean install from a USB stick stops: Error code: 0x80070570 - 0x4002E').id).toBe(
      'setup-media-damaged',
    )
    expect(causeOf('Upgrade on the spot failed: 0x80070570 - 0x4002E').id).not.toBe('setup-media-damaged')
  })
  it("a setup log's line extracting or copying the image that fails is damaged or incomplete media", () => {
    const extract = [
      '2025-02-11 09:40:12, Error                 SP     CExtractFilesFromWIM::DoExecute: Cannot extract file \\Windows\\System32\\Recovery\\Winre.wim from E:\\sources\\install.esd. Error 0x80070003[gle=0x00000003]',
      '2025-02-11 09:40:12, Error                 SP     ExecuteOperations: Failed execution phase Safe OS. Error: 0x80070003',
    ].join('\n')
    expect(causeOf(extract).id).toBe('setup-media-damaged')
    expect(top(extract)!.title).toMatch(/incomplete/)
    const copy =
      '2025-02-11 09:41:02, Error                 MOUPG  CDlpActionImageDeploy::ExecuteRoutine: Failed to apply WIM image D:\\sources\\install.wim [0x80070570]'
    expect(causeOf(copy).id).toBe('setup-media-damaged')
    expect(top(copy)!.title).toMatch(/damaged/)
  })
  it('a driver pair, or a text about another pair that quotes the media one in a table, is not the media', () => {
    expect(causeOf('Setup failed with 0x80070003 - 0x20007 during the driver migration.').id).not.toBe(
      'setup-media-damaged',
    )
    const table = [
      "My upgrade keeps failing with 0xC1900101 - 0x20017 and rolling back; I checked Microsoft's table:",
      "| 0x8007025D - 0x2000C | the ISO file's metadata is corrupt |",
      '| 0xC1900101 - 0x20017 | a driver has caused an illegal operation |',
      'So 0xC1900101 it is. Still 0xC1900101 after removing the antivirus.',
    ].join('\n')
    expect(causeOf(table).id).toBe('feature-update-failed')
  })
  it('a missing file outside the media layout (a DISM apply of an image path typed wrong) is not the media', () => {
    const t = 'Dism /Apply-Image /ImageFile:C:\\images\\install.wim /Index:1 /ApplyDir:W:\\ failed: Error: 0x80070002'
    expect(causeOf(t).id).not.toBe('setup-media-damaged')
  })
})
