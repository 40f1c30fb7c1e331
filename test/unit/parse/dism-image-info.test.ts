import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismImageInfo, stripPasteDecoration } from '../../../main/parse/dism-image-info.ts'
import { loseNewlines, toCrlf, hardWrap } from './paste-damage.ts'

describe('parseDismImageInfo on captured DISM /Get-WimInfo and Get-WindowsImage output', () => {
  it("reads the image's version and ServicePack Build, never DISM's own Version line (markdown marks in the paste)", () => {
    const r = parseDismImageInfo(loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt').text)
    expect(r.format).toBe('dism')
    expect(r.dismVersion).toBe('10.0.22621.1')
    expect(r.images).toEqual([
      {
        index: 3,
        name: 'Windows 11 Enterprise',
        version: '10.0.22621',
        spBuild: 2861,
        arch: 'x64',
        edition: 'Enterprise',
      },
    ])
  })

  it('lists every index of a multi-image WIM', () => {
    const r = parseDismImageInfo(loadFixture('dism-image-info/en-wiminfo-list-tiny11-70.txt').text)
    expect(r.images.map((i) => [i.index, i.name])).toEqual([
      [1, 'Windows 11 Home'],
      [2, 'Windows 11 Home N'],
      [3, 'Windows 11 Home Single Language'],
      [4, 'Windows 11 Education'],
      [5, 'Windows 11 Education N'],
      [6, 'Windows 11 Pro'],
      [7, 'Windows 11 Pro N'],
      [8, 'Windows 11 Pro Education'],
    ])
    expect(r.images.every((i) => i.version === null)).toBe(true)
    expect(r.dismVersion).toBe('10.0.19041.844')
  })

  it('ignores the prompt lines and reads a long Description without taking it for a field', () => {
    const r = parseDismImageInfo(loadFixture('dism-image-info/en-wiminfo-server2016-packer34.txt').text)
    expect(r.images.map((i) => i.name)).toEqual(['Windows Server 2016 Standard', 'Windows Server 2016 Datacenter'])
  })

  it('reads Get-WindowsImage lines captured as JSON strings by Ansible', () => {
    const r = parseDismImageInfo(loadFixture('dism-image-info/en-get-windowsimage-ansible-json-lines.txt').text)
    expect(r.format).toBe('get-windowsimage')
    expect(r.images.map((i) => [i.index, i.name])).toEqual([
      [1, 'Windows Server 2025 SERVERSTANDARDCORE'],
      [2, 'Windows Server 2025 SERVERSTANDARD'],
      [3, 'Windows Server 2025 SERVERDATACENTERCORE'],
    ])
  })

  it('reads Get-WindowsImage -Index details with the numeric WIM architecture (synthesised from the documented layout)', () => {
    const t =
      'ImagePath        : D:\\sources\\install.wim\nImageIndex       : 6\nImageName        : Windows 11 Pro\nArchitecture     : 12\nHal              :\nVersion          : 10.0.26100.1742\nSPBuild          : 1742\nSPLevel          : 0\nEditionId        : Professional\n'
    expect(parseDismImageInfo(t).images).toEqual([
      {
        index: 6,
        name: 'Windows 11 Pro',
        version: '10.0.26100.1742',
        spBuild: 1742,
        arch: 'arm64',
        edition: 'Professional',
      },
    ])
  })

  it('reads the same image after CRLF, a hard wrap at 80 columns and lost newlines', () => {
    const text = loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt').text
    const want = parseDismImageInfo(text).images
    expect(parseDismImageInfo(toCrlf(text)).images).toEqual(want)
    expect(parseDismImageInfo(hardWrap(text, 80)).images).toEqual(want)
    const flat = parseDismImageInfo(loseNewlines(text.replace(/\*\*/g, '')))
    expect(flat.images[0]).toMatchObject({
      index: 3,
      version: '10.0.22621',
      spBuild: 2861,
      arch: 'x64',
      edition: 'Enterprise',
    })
    expect(flat.warnings.join(' ')).toMatch(/lost its line breaks/)
  })

  it('says so when there is no image record', () => {
    const r = parseDismImageInfo('Deployment Image Servicing and Management tool\nVersion: 10.0.26100.1\n\nError: 87\n')
    expect(r.images).toEqual([])
    expect(r.format).toBe('none')
    expect(r.warnings[0]).toMatch(/No image records/)
  })

  it('strips markdown, quote and JSON-string decoration from a pasted line', () => {
    expect(stripPasteDecoration('**Version : 10.0.22621')).toBe('Version : 10.0.22621')
    expect(stripPasteDecoration('        "ImageIndex       : 1",')).toBe('ImageIndex       : 1')
    expect(stripPasteDecoration('> Index : 2')).toBe('Index : 2')
  })
})
