/**
 * A training medium answers like real DISM: its `/Export-Image`, `/Get-MountedImageInfo` and failed
 * `/Add-Package` answers have the lines of the real captures in test/fixtures/dism-media (values aside), and the
 * parser of `/Get-MountedImageInfo` reads the capture.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismMountedImages } from '../../../main/parse/dism-mounted.ts'
import { answerMediaDism, answerMediaRobocopy } from '../../../main/media/training/dism.ts'
import { initialMediumState } from '../../../main/media/training/state.ts'
import { trainingMedium } from '../../../main/media/training/media.ts'

const W = 'C:\\ProgramData\\ServicingDesk\\work\\t'
/** The shape of a DISM answer: each line with its values masked (paths, versions, identities, hex codes). */
const shape = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .map((l) =>
      l
        .replace(
          /^(Version|Image Version|Mount Dir|Image File|Image Index|Mounted Read\/Write|Status)\s*:.*$/,
          '$1 : …',
        )
        .replace(/Adding package \S+$/, 'Adding package …'),
    )
    .join('\n')
    .trim()

function medium(name = 'iso-x64-24h2') {
  const s = initialMediumState(trainingMedium(name)!)
  answerMediaRobocopy(s, [trainingMedium(name)!.root, `${W}\\media`, '/MIR', '/R:0'])
  return s
}

describe('training media DISM answers have the captured lines', () => {
  it('/Export-Image: "Exporting image", the bar, the success line (tiny11builder#439)', () => {
    const cap = loadFixture('dism-media/en-export-image-tiny11-439.txt')
    const s = medium()
    const a = answerMediaDism(s, [
      '/English',
      '/Export-Image',
      `/SourceImageFile:${W}\\media\\sources\\boot.wim`,
      '/SourceIndex:2',
      `/DestinationImageFile:${W}\\export\\boot.wim`,
    ])
    expect(a.exitCode).toBe(0)
    expect(shape(a.stdout)).toBe(shape(cap.text))
    expect(s.files[`${W}\\export\\boot.wim`.toLowerCase()].images.map((i) => i.name)).toEqual([
      'Microsoft Windows Setup (x64)',
    ])
  })

  it('/Export-Image of a split set (install.swm): joined per index only with /SWMFile:…install*.swm, in the captured export frame', () => {
    const cap = loadFixture('dism-media/en-export-image-tiny11-439.txt')
    const s = medium('usb-fat32-x64')
    const copy = s.copies[`${W}\\media`.toLowerCase()]
    copy.swm = { parts: [2_000_000_000, 2_000_000_000, 200_000_000], images: copy.install!.images }
    copy.install = null
    const join = (...extra: string[]) =>
      answerMediaDism(s, [
        '/English',
        '/Export-Image',
        `/SourceImageFile:${W}\\media\\sources\\install.swm`,
        ...extra,
        '/SourceIndex:2',
        `/DestinationImageFile:${W}\\join\\install.wim`,
      ])
    // Without the pattern DISM cannot find the other parts; the install.wim the first update removed is not there either.
    expect(join().exitCode).toBe(0x80070002)
    expect(
      answerMediaDism(s, [
        '/English',
        '/Mount-Image',
        `/ImageFile:${W}\\media\\sources\\install.wim`,
        '/Index:1',
        `/MountDir:${W}\\mount\\install-1`,
      ]).exitCode,
    ).toBe(0x80070002)
    const a = join(`/SWMFile:${W}\\media\\sources\\install*.swm`)
    expect(a.exitCode).toBe(0)
    expect(shape(a.stdout)).toBe(shape(cap.text))
    expect(s.files[`${W}\\join\\install.wim`.toLowerCase()].images.map((i) => [i.index, i.name])).toEqual([
      [1, copy.swm.images[1].name],
    ])
    // The old parts moved aside (robocopy … install*.swm /MOV): the copy's sources hold no .swm until the fresh split.
    expect(answerMediaRobocopy(s, [`${W}\\media\\sources`, `${W}\\old`, 'install*.swm', '/MOV', '/R:0']).exitCode).toBe(
      1,
    )
    expect(copy.swm).toBeNull()
  })

  it('/Get-MountedImageInfo: the captured labels, and the parser reads both the capture and the answer', () => {
    const cap = loadFixture('dism-media/en-get-mountedimageinfo-windeployic.txt')
    expect(parseDismMountedImages(cap.text)).toEqual({
      completed: true,
      mounts: [
        {
          mountDir: 'C:\\Users\\W10\\Downloads\\montar',
          imageFile: 'C:\\Users\\W10\\Downloads\\prueba_disn.wim',
          index: 1,
          readWrite: true,
          status: 'Ok',
        },
      ],
    })
    const s = medium()
    answerMediaDism(s, [
      '/English',
      '/Mount-Image',
      `/ImageFile:${W}\\media\\sources\\install.wim`,
      '/Index:2',
      `/MountDir:${W}\\mount\\install-2`,
    ])
    const a = answerMediaDism(s, ['/English', '/Get-MountedImageInfo'])
    expect(shape(a.stdout)).toBe(shape(cap.text))
    expect(parseDismMountedImages(a.stdout).mounts).toEqual([
      {
        mountDir: `${W}\\mount\\install-2`,
        imageFile: `${W}\\media\\sources\\install.wim`.toLowerCase(),
        index: 2,
        readWrite: true,
        status: 'Ok',
      },
    ])
    // A stale mount (usb-stale-mount) is listed with the status DISM gives a mount that needs attention.
    const stale = parseDismMountedImages(
      answerMediaDism(initialMediumState(trainingMedium('usb-stale-mount')!), ['/Get-MountedImageInfo']).stdout,
    ).mounts
    expect(stale.map((m) => [m.mountDir, m.status])).toEqual([
      ['C:\\ServicingDesk\\work\\mount\\install-1', 'Needs Remount'],
    ])
  })

  it("a package for another architecture: the capture's lines and code (windows-setup-helper#1), exit 0x800f081e", () => {
    const cap = loadFixture('dism-media/en-add-package-not-applicable-0x800f081e.txt')
    const s = medium('usb-arm64-24h2')
    answerMediaDism(s, [
      '/English',
      '/Mount-Image',
      `/ImageFile:${W}\\media\\sources\\boot.wim`,
      '/Index:1',
      `/MountDir:${W}\\mount\\boot-1`,
    ])
    const a = answerMediaDism(s, [
      '/English',
      `/Image:${W}\\mount\\boot-1`,
      '/Add-Package',
      `/PackagePath:${W}\\packages\\x64\\KB5043080`,
    ])
    expect(a.exitCode).toBe(0x800f081e)
    expect(shape(a.stdout).replace('C:\\WINDOWS\\Logs', 'C:\\Windows\\Logs')).toBe(shape(cap.text))
    expect(s.mounts[0].image.packages).toEqual([])
  })

  it('/Unmount-Image /Commit saves the mounted image into its .wim index; /Discard leaves the .wim as it was', () => {
    const s = medium()
    const file = `${W}\\media\\sources\\install.wim`
    answerMediaDism(s, ['/Mount-Image', `/ImageFile:${file}`, '/Index:1', `/MountDir:${W}\\mount\\install-1`])
    expect(
      answerMediaDism(s, [
        `/Image:${W}\\mount\\install-1`,
        '/Add-Package',
        `/PackagePath:${W}\\packages\\x64\\KB5086672`,
      ]).exitCode,
    ).toBe(0)
    const discard = answerMediaDism(s, ['/Unmount-Image', `/MountDir:${W}\\mount\\install-1`, '/Discard'])
    expect(shape(discard.stdout)).toMatch(
      /Image File : …\nImage Index : …\nUnmounting image\n\[=+100\.0%=+\]\nThe operation completed successfully\./,
    )
    expect(s.copies[`${W}\\media`.toLowerCase()].install!.images[0].ubr).toBe(1742)
    answerMediaDism(s, ['/Mount-Image', `/ImageFile:${file}`, '/Index:1', `/MountDir:${W}\\mount\\install-1`])
    answerMediaDism(s, [`/Image:${W}\\mount\\install-1`, '/Add-Package', `/PackagePath:${W}\\packages\\x64\\KB5086672`])
    const commit = answerMediaDism(s, ['/Unmount-Image', `/MountDir:${W}\\mount\\install-1`, '/Commit'])
    expect(shape(commit.stdout)).toMatch(/Image Index : …\nSaving image\n\[=+100\.0%=+\]\nUnmounting image\n/)
    expect(s.copies[`${W}\\media`.toLowerCase()].install!.images[0]).toMatchObject({
      ubr: 8117,
      packages: ['KB5086672'],
    })
    expect(s.mounts).toEqual([])
    // A second commit of the same folder is DISM's "not mounted" error: a commit cannot happen twice.
    expect(answerMediaDism(s, ['/Unmount-Image', `/MountDir:${W}\\mount\\install-1`, '/Commit']).exitCode).toBe(
      0xc1420127,
    )
  })

  it('a cumulative update without its checkpoint fails (0x800f0922) on a 26100.1150 image; with it, it applies', () => {
    const s = medium('usb-arm64-24h2')
    answerMediaDism(s, [
      '/Mount-Image',
      `/ImageFile:${W}\\media\\sources\\install.wim`,
      '/Index:1',
      `/MountDir:${W}\\m`,
    ])
    expect(
      answerMediaDism(s, [`/Image:${W}\\m`, '/Add-Package', `/PackagePath:${W}\\packages\\arm64\\KB5086672`]).exitCode,
    ).toBe(0x800f0922)
    expect(
      answerMediaDism(s, [`/Image:${W}\\m`, '/Add-Package', `/PackagePath:${W}\\packages\\arm64\\KB5043080`]).exitCode,
    ).toBe(0)
    expect(
      answerMediaDism(s, [`/Image:${W}\\m`, '/Add-Package', `/PackagePath:${W}\\packages\\arm64\\KB5086672`]).exitCode,
    ).toBe(0)
    expect(s.mounts[0].image).toMatchObject({ ubr: 8117, packages: ['KB5043080', 'KB5086672'] })
  })
})
