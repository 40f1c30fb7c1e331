/** `kit build` says the kit has no boot media and which boot media the target PC still starts. */
import { describe, it, expect } from 'vitest'
import { bootMediaNotes, NO_BOOT_MEDIA, kitBootCertsOf } from '../../../main/kit/boot-media.ts'
import { kitMachineOf } from '../../../main/kit/packages-service.ts'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('kit boot-media notes', () => {
  it('every state gives "no boot media" first, then the target\'s verdict (6 cases)', () => {
    const cases: Array<[Parameters<typeof bootMediaNotes>[1], RegExp]> = [
      [null, /not inspected/],
      [{ secureBoot: 'off', windowsUefiCa2023InDb: false, pca2011Revoked: false }, /Secure Boot is off/],
      [{ secureBoot: 'unsupported', windowsUefiCa2023InDb: null, pca2011Revoked: null }, /not supported \(BIOS\)/],
      [
        { secureBoot: 'on', windowsUefiCa2023InDb: false, pca2011Revoked: false },
        /PCA 2011 boots today, and stops booting once PCA 2011 is revoked; media signed only by Windows UEFI CA 2023 will NOT boot/,
      ],
      [
        { secureBoot: 'on', windowsUefiCa2023InDb: true, pca2011Revoked: true },
        /PCA 2011 will NOT boot \(dbx revokes PCA 2011\); media signed only by Windows UEFI CA 2023 boots/,
      ],
      [{ secureBoot: 'on', windowsUefiCa2023InDb: null, pca2011Revoked: null }, /not read/],
    ]
    let ran = 0
    for (const [c, re] of cases) {
      const notes = bootMediaNotes('PC-1', c)
      expect(notes[0]).toBe(NO_BOOT_MEDIA)
      expect(notes[1]).toMatch(re)
      ran++
    }
    expect(ran).toBe(6)
  })

  it("takes the certificate state from the training machine's scan", async () => {
    const services = createServices({ dataDir: tempDirSync('sd-kit-boot-'), platform: 'linux' })
    const m = kitMachineOf(await services.scan({ kind: 'training', name: 'x64-secureboot-2011' }))
    expect(m.bootCerts).toEqual({ secureBoot: 'on', windowsUefiCa2023InDb: false, pca2011Revoked: false })
    expect(kitMachineOf(await services.scan({ kind: 'training', name: 'x64-healthy' })).bootCerts).toBeNull()
    expect(kitBootCertsOf(null)).toBeNull()
  })
})
