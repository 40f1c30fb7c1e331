/**
 * A real installation medium read on any OS: the WIM header and XML metadata of install.wim / .esd /
 * .swm and boot.wim, and setup.exe's PE file version, from fixtures made with wimlib-imagex and mingw windres/ld
 * (test/fixtures/media-tree/README.md); bad and cut-short files give a clear error, never a throw.
 */
import { describe, expect, it } from 'vitest'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDirSync } from '../temp-dirs.ts'
import { parseWimHeader, parseWimXml, WIM_HEADER_BYTES } from '../../../main/parse/wim-header.ts'
import { parsePeFileVersion } from '../../../main/parse/pe-version.ts'
import { folderSource, readWimFile } from '../../../main/media/folder-source.ts'
import { readMedium } from '../../../main/media/read.ts'
import { planMediaUpdate } from '../../../main/media/plan.ts'
import { resolveMedium } from '../../../main/media/sources.ts'
import { createMediaService } from '../../../main/media/media-service.ts'
import { MediaUpdateError } from '../../../main/media/update.ts'
import { runCliInProcess } from '../cli-child.ts'

const tree = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/media-tree')
const bytes = (rel: string) => readFileSync(join(tree, rel))

describe('WIM header and XML metadata', () => {
  it('reads each index of a real install.wim: name, edition, architecture, build and UBR', () => {
    const b = bytes('iso-x64/sources/install.wim')
    const h = parseWimHeader(b.subarray(0, WIM_HEADER_BYTES), b.length)
    expect(h.ok && h.value.imageCount).toBe(2)
    if (!h.ok) return
    const x = parseWimXml(b.subarray(h.value.xml.offset, h.value.xml.offset + h.value.xml.storedSize))
    expect(
      x.ok && x.value.map((i) => [i.index, i.name, i.editionId, i.arch, i.build, i.spBuild, i.languages.join()]),
    ).toEqual([
      [1, 'Windows 11 Pro', 'Professional', 'x64', 26100, 1742, 'en-US'],
      [2, 'Windows 11 Enterprise', 'Enterprise', 'x64', 26100, 1742, 'en-US'],
    ])
  })

  it('reads an .esd (solid) and each part of a split .swm set', () => {
    const esd = readWimFile(join(tree, 'esd-x64/sources/install.esd'))
    expect(esd.error).toBeUndefined()
    expect(esd.error === undefined && esd.images.map((i) => i.spBuild)).toEqual([1742, 1742])
    const p1 = readWimFile(join(tree, 'usb-arm64-split/sources/install.swm'))
    const p2 = readWimFile(join(tree, 'usb-arm64-split/sources/install2.swm'))
    expect(p1.error === undefined && [p1.part, p1.parts, p1.images[0].arch, p1.images[0].spBuild]).toEqual([
      1,
      2,
      'arm64',
      1150,
    ])
    expect(p2.error === undefined && [p2.part, p2.parts]).toEqual([2, 2])
  })

  it('refuses a cut-short, foreign or lying file with a clear sentence, never a throw', () => {
    const real = bytes('iso-x64/sources/install.wim')
    expect(parseWimHeader(bytes('hostile/truncated.wim'))).toEqual({
      ok: false,
      error: expect.stringMatching(/cut short \(100 of 208 bytes\)/),
    })
    expect(parseWimHeader(Buffer.from('MZ this is a program'))).toEqual({
      ok: false,
      error: expect.stringMatching(/not a WIM/),
    })
    // The XML resource said to lie past the end of the file (the file cut after its header).
    expect(parseWimHeader(real.subarray(0, 208), 1000)).toEqual({
      ok: false,
      error: expect.stringMatching(/past the file's end \(1000 bytes\)/),
    })
    const h = parseWimHeader(real.subarray(0, 208), real.length)
    if (!h.ok) throw new Error(h.error)
    const xml = real.subarray(h.value.xml.offset, h.value.xml.offset + h.value.xml.storedSize)
    expect(parseWimXml(xml.subarray(0, 600))).toEqual({
      ok: false,
      error: expect.stringMatching(/cut short inside image 1/),
    })
    expect(parseWimXml(xml.subarray(0, 601))).toEqual({ ok: false, error: expect.stringMatching(/not UTF-16/) })
    expect(parseWimXml(Buffer.from('<WIM></WIM>', 'utf16le'))).toEqual({ ok: true, value: [] })
    // Every prefix of a real file and random bytes: a result each time, never a throw.
    for (let n = 0; n <= 260; n++) expect(() => parseWimHeader(real.subarray(0, n), n)).not.toThrow()
    for (let n = 0; n < xml.length; n += 7) expect(() => parseWimXml(xml.subarray(0, n))).not.toThrow()
    let seed = 7
    for (let k = 0; k < 200; k++) {
      const junk = Buffer.from(real.subarray(0, 208))
      for (let i = 0; i < 8; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0
        junk[8 + (seed % 200)] = seed >>> 24
      }
      expect(() => parseWimHeader(junk, real.length)).not.toThrow()
    }
  })

  it('a file whose header counts other images than its XML describes is refused', () => {
    const dir = tempDirSync('sd-wim-')
    const b = Buffer.from(bytes('iso-x64/sources/install.wim'))
    b.writeUInt32LE(5, 0x2c)
    writeFileSync(join(dir, 'x.wim'), b)
    expect(readWimFile(join(dir, 'x.wim')).error).toMatch(/counts 5 images, the XML metadata describes 2/)
  })
})

describe('setup.exe file version (PE version resource)', () => {
  it('reads FILEVERSION from VS_FIXEDFILEINFO', () => {
    expect(parsePeFileVersion(bytes('iso-x64/sources/setup.exe'))).toEqual({ ok: true, version: '10.0.26100.1150' })
  })
  it('a cut-short or foreign file is a clear error at every length, never a throw', () => {
    const pe = bytes('iso-x64/sources/setup.exe')
    expect(parsePeFileVersion(bytes('iso-x64/sources/boot.wim'))).toEqual({
      ok: false,
      error: expect.stringMatching(/no MZ header/),
    })
    for (let n = 0; n < pe.length; n += 3) {
      const r = parsePeFileVersion(pe.subarray(0, n))
      if (r.ok) expect(r.version).toBe('10.0.26100.1150')
    }
    expect(parsePeFileVersion(pe.subarray(0, 1024)).ok).toBe(false)
  })
})

describe('media scan / plan / update of a real folder', () => {
  it('scans an extracted ISO tree: each layer from the files, winre.wim said as needing Windows', async () => {
    const scan = await readMedium(folderSource(join(tree, 'iso-x64')))
    expect(scan.arch).toBe('x64')
    expect(scan.layers.map((l) => [l.layer, l.index, l.version, l.staleness])).toEqual([
      ['install', 1, '10.0.26100.1742', 'stale'],
      ['winre', 1, null, 'unknown'],
      ['install', 2, '10.0.26100.1742', 'stale'],
      ['winre', 2, null, 'unknown'],
      ['boot', 1, '10.0.26100.1742', 'stale'],
      ['boot', 2, '10.0.26100.1742', 'stale'],
      ['setup', null, '10.0.26100.1150', 'unknown'],
    ])
    expect(scan.layers.find((l) => l.layer === 'winre')!.reason).toMatch(/^Needs Windows: .*DISM to mount/)
    expect(scan.needsWindows!.join(' ')).toMatch(/mounting the images, adding the packages, committing/)
    expect(scan.warnings).toEqual([])
  })

  it('a split arm64 stick: parts found, their sizes known, the missing setup.exe said', async () => {
    const src = resolveMedium(join(tree, 'usb-arm64-split'))
    expect(src.swmParts).toHaveLength(2)
    const scan = await readMedium(src)
    expect(scan.arch).toBe('arm64')
    expect(scan.layers.filter((l) => l.layer === 'install').map((l) => l.version)).toEqual(['10.0.26100.1150'])
    expect(scan.warnings).toEqual(['sources\\setup.exe is not there.'])
  })

  it('a tree with a truncated install.wim is read as far as it goes, with the reason', async () => {
    const dir = tempDirSync('sd-tree-')
    mkdirSync(join(dir, 'sources'))
    copyFileSync(join(tree, 'hostile/truncated.wim'), join(dir, 'sources', 'install.wim'))
    copyFileSync(join(tree, 'iso-x64/sources/boot.wim'), join(dir, 'sources', 'boot.wim'))
    const scan = await readMedium(folderSource(dir))
    expect(scan.warnings).toContain(
      'install.wim: The WIM header is cut short (100 of 208 bytes): the file is truncated.',
    )
    expect(scan.layers.filter((l) => l.layer === 'boot')).toHaveLength(2)
  })

  it("an install.wim or a .swm part over FAT32's 4 GiB file limit is said with its size", async () => {
    const real = folderSource(join(tree, 'iso-x64'))
    const big = await readMedium({ ...real, installFileBytes: 4 * 1024 ** 3 })
    expect(big.warnings.join(' ')).toMatch(/install\.wim is 4\.29 GB, over FAT32's 4 GiB file limit/)
    expect((await readMedium({ ...real, installFileBytes: 4 * 1024 ** 3 - 1 })).warnings).toEqual([])
    const parts = await readMedium({ ...resolveMedium(join(tree, 'usb-arm64-split')), swmParts: [100, 5e9] })
    expect(parts.warnings).toContain("install2.swm is 5.00 GB, over FAT32's 4 GiB file limit.")
  })

  it('no folder, or a folder that is no medium: one clear sentence', () => {
    expect(() => folderSource(join(tree, 'nowhere'))).toThrow(/is not a folder/)
    expect(() => folderSource(join(tree, 'hostile'))).toThrow(/has no sources folder/)
  })

  it('plans a folder, and its update needs Windows (nothing changed, not a failure of the medium)', async () => {
    const src = folderSource(join(tree, 'iso-x64'))
    const scan = await readMedium(src, { kb: 'KB5129195' })
    const plan = planMediaUpdate(scan, src, { kb: 'KB5129195' })
    expect(plan.steps.filter((s) => s.kind === 'mount' && s.image === 'install' && !s.readOnly)).toHaveLength(2)
    expect(plan.notes.join(' ')).toMatch(/need Windows/)
    const svc = createMediaService({ dataDir: tempDirSync('sd-media-') })
    await expect(svc.update(join(tree, 'iso-x64'), 'KB5129195', { confirm: async () => true })).rejects.toThrow(
      MediaUpdateError,
    )
    await expect(svc.update(join(tree, 'iso-x64'), 'KB5129195', { confirm: async () => true })).rejects.toThrow(
      /^Needs Windows: .*Nothing was changed\.$/,
    )
  })

  it('the CLI: scan prints each layer and what needs Windows; update prints the plan, changes nothing and exits 4', async () => {
    const home = tempDirSync('sd-media-cli-')
    const scan = await runCliInProcess(home, ['media', 'scan', join(tree, 'iso-x64')])
    expect(scan.code).toBe(0)
    expect(scan.stdout).toMatch(
      /install\.wim #2 +10\.0\.26100\.1742 +Windows 11 Enterprise \| Enterprise \| x64 \| en-US/,
    )
    expect(scan.stdout).toMatch(/sources\\setup\.exe +10\.0\.26100\.1150/)
    expect(scan.stdout).toMatch(/Needs Windows \(DISM\):\n +- reading the winre\.wim inside each install\.wim index/)
    const json = await runCliInProcess(home, [
      'media',
      'update',
      join(tree, 'usb-arm64-split'),
      '--kb',
      'KB5086672',
      '--yes',
      '--json',
    ])
    expect(json.code).toBe(4)
    const out = JSON.parse(json.stdout) as {
      status: string
      verified: boolean
      plan: { arch: string; steps: Array<{ kind: string }> }
    }
    expect([out.status, out.verified, out.plan.arch]).toEqual(['needs-windows', false, 'arm64'])
    expect(out.plan.steps.filter((s) => s.kind === 'join-swm')).toHaveLength(1)
    const bad = await runCliInProcess(home, ['media', 'scan', join(tree, 'hostile')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/has no sources folder/)
  })
})
