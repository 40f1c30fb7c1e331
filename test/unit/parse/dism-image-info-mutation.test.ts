/**
 * parseDismImageInfo line by line (mutation testing). Whole records are asserted on the real
 * captures in test/fixtures/dism-image-info; the label table, the WIM architecture numbers, the checks on
 * each value and stripPasteDecoration are asserted on short hand-made lines (edge cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines } from './paste-damage.ts'

type M0 = typeof import('../../../main/parse/dism-image-info.ts')
let parseDismImageInfo: M0['parseDismImageInfo'], stripPasteDecoration: M0['stripPasteDecoration']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseDismImageInfo, stripPasteDecoration } = await import('../../../main/parse/dism-image-info.ts'))
})

const blank = { name: null, version: null, spBuild: null, arch: null, edition: null }

describe('parseDismImageInfo on the real captures, whole records', () => {
  it('the /index:3 record with markdown marks: every field, DISM version apart', () => {
    expect(parseDismImageInfo(loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt').text)).toEqual({
      images: [
        {
          index: 3,
          name: 'Windows 11 Enterprise',
          version: '10.0.22621',
          spBuild: 2861,
          arch: 'x64',
          edition: 'Enterprise',
        },
      ],
      format: 'dism',
      dismVersion: '10.0.22621.1',
      warnings: [],
    })
  })

  it('the eight-image list: index and name only', () => {
    const r = parseDismImageInfo(loadFixture('dism-image-info/en-wiminfo-list-tiny11-70.txt').text)
    expect(r.format).toBe('dism')
    expect(r.warnings).toEqual([])
    expect(r.images).toHaveLength(8)
    expect(r.images[7]).toEqual({ index: 8, ...blank, name: 'Windows 11 Pro Education' })
    expect(
      r.images.every((i) => i.version === null && i.spBuild === null && i.arch === null && i.edition === null),
    ).toBe(true)
  })

  it('the PowerShell session: prompts and a long Description are not fields', () => {
    expect(parseDismImageInfo(loadFixture('dism-image-info/en-wiminfo-server2016-packer34.txt').text)).toEqual({
      images: [
        { index: 1, ...blank, name: 'Windows Server 2016 Standard' },
        { index: 2, ...blank, name: 'Windows Server 2016 Datacenter' },
      ],
      format: 'dism',
      dismVersion: '10.0.14393.0',
      warnings: [],
    })
  })

  it('Get-WindowsImage as JSON string lines: format get-windowsimage, no DISM version', () => {
    const r = parseDismImageInfo(loadFixture('dism-image-info/en-get-windowsimage-ansible-json-lines.txt').text)
    expect(r.format).toBe('get-windowsimage')
    expect(r.dismVersion).toBeNull()
    expect(r.images[0]).toEqual({ index: 1, ...blank, name: 'Windows Server 2025 SERVERSTANDARDCORE' })
  })

  it('a paste that lost its newlines: the record, and a warning that says so', () => {
    const flat = parseDismImageInfo(
      loseNewlines(loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt').text.replace(/\*\*/g, '')),
    )
    expect(flat.images).toEqual([
      {
        index: 3,
        name: 'Windows 11 Enterprise',
        version: '10.0.22621',
        spBuild: 2861,
        arch: 'x64',
        edition: 'Enterprise',
      },
    ])
    expect(flat.warnings).toEqual(['The text lost its line breaks; fields were split at their labels.'])
  })
})

describe('parseDismImageInfo: labels, values and records (hand-made edge lines)', () => {
  const rec = (lines: string[]) => parseDismImageInfo(lines.join('\n'))

  it('reads each label of the table, in every language it lists', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['Index : 2', { index: 2 }],
      ['ImageIndex : 2', { index: 2 }],
      ['索引 : 2', { index: 2 }],
      ['INDEX : 2', { index: 2 }],
      ['Name : A', { name: 'A' }],
      ['ImageName : A', { name: 'A' }],
      ['Nom : A', { name: 'A' }],
      ['Nombre : A', { name: 'A' }],
      ['名称 : A', { name: 'A' }],
      ['Version : 10.0.26100', { version: '10.0.26100' }],
      ['Versión : 10.0.26100', { version: '10.0.26100' }],
      ['版本 : 10.0.26100', { version: '10.0.26100' }],
      ['ServicePack Build : 7', { spBuild: 7 }],
      ['ServicePackBuild : 7', { spBuild: 7 }],
      ['SPBuild : 7', { spBuild: 7 }],
      ['ServicePack-Build : 7', { spBuild: 7 }],
      ['Build du Service Pack : 7', { spBuild: 7 }],
      ['Compilación de Service Pack : 7', { spBuild: 7 }],
      ['Service Pack 内部版本 : 7', { spBuild: 7 }],
      ['Architecture : x64', { arch: 'x64' }],
      ['Architektur : x64', { arch: 'x64' }],
      ['Arquitectura : x64', { arch: 'x64' }],
      ['体系结构 : x64', { arch: 'x64' }],
      ['架构 : x64', { arch: 'x64' }],
      ['Edition : Pro', { edition: 'Pro' }],
      ['EditionId : Pro', { edition: 'Pro' }],
      ['Édition : Pro', { edition: 'Pro' }],
      ['Edición : Pro', { edition: 'Pro' }],
      ['版本类型 : Pro', { edition: 'Pro' }],
      ['My Name : A', {}],
      ['Versions : 10.0.1', {}],
      ['SPBuilds : 7', {}],
      ['Architectures : x64', {}],
      ['Editions : Pro', {}],
      ['Hal : x64', {}],
    ]
    let ran = 0
    for (const [line, want] of cases) {
      const index = 'index' in want ? (want.index as number) : 1
      const r = rec('index' in want ? [line] : ['Index : 1', line])
      expect(r.images, line).toEqual([{ index, ...blank, ...want }])
      ran++
    }
    expect(ran).toBe(35)
  })

  it('reads the WIM architecture numbers and the architecture words; anything else is unknown', () => {
    const cases: Array<[string, string | null]> = [
      ['0', 'x86'],
      ['5', 'arm'],
      ['9', 'x64'],
      ['12', 'arm64'],
      ['6', null],
      ['x64', 'x64'],
      ['AMD64', 'x64'],
      ['X86', 'x86'],
      ['ARM64', 'arm64'],
      ['arm', 'arm'],
      ['ia64', null],
      ['', null],
    ]
    let ran = 0
    for (const [value, arch] of cases) {
      expect(rec(['ImageIndex : 1', `Architecture : ${value}`]).images[0].arch, value).toBe(arch)
      ran++
    }
    expect(ran).toBe(12)
  })

  it('checks each value: the first name, a dotted version, a numeric build, a non-empty edition', () => {
    expect(rec(['Index : 1', 'Name : First', 'Name : Second']).images[0].name).toBe('First')
    expect(rec(['Index : 1', 'Name : ', 'Name : Second']).images[0].name).toBe('Second')
    expect(rec(['Index : 1', 'Name :']).images[0].name).toBeNull()
    expect(rec(['Index : 1', 'Version : 10.0']).images[0].version).toBeNull()
    expect(rec(['Index : 1', 'Version : 10.0.1.2.3']).images[0].version).toBeNull()
    expect(rec(['Index : 1', 'Version : v10.0.1']).images[0].version).toBeNull()
    expect(rec(['Index : 1', 'ServicePack Build : 12a']).images[0].spBuild).toBeNull()
    expect(rec(['Index : 1', 'ServicePack Build : x7']).images[0].spBuild).toBeNull()
    expect(rec(['Index : 1', 'Edition : ']).images[0].edition).toBeNull()
    expect(rec(['Index : 1', 'Edition : Pro', 'Edition : Home']).images[0].edition).toBe('Home')
  })

  it('takes the revision from a four-part version only when no ServicePack Build was given', () => {
    expect(rec(['ImageIndex : 1', 'Version : 10.0.26100.1742']).images[0]).toMatchObject({
      version: '10.0.26100.1742',
      spBuild: 1742,
    })
    expect(rec(['ImageIndex : 1', 'Version : 10.0.26100.1742', 'SPBuild : 1000']).images[0].spBuild).toBe(1000)
    expect(rec(['Index : 1', 'Version : 10.0.26100']).images[0].spBuild).toBeNull()
    expect(rec(['Index : 1', 'Version : 10.0.26100', 'ServicePack Build : 2861']).images[0]).toMatchObject({
      version: '10.0.26100',
      spBuild: 2861,
    })
  })

  it('fields before the first index, and an index that is not a whole number, start no record', () => {
    expect(rec(['Name : Orphan', 'Index : 1', 'Name : A']).images).toEqual([{ index: 1, ...blank, name: 'A' }])
    expect(rec(['Index : 1.5', 'Name : A'])).toMatchObject({ images: [], format: 'none' })
    expect(rec(['Index : 1', 'Index : two', 'Name : A']).images).toEqual([{ index: 1, ...blank, name: 'A' }])
    // Found while writing these tests: `Index :` with no value (a cut paste) made a record with index 0,
    // and `-1` or `0x10` were read as indexes. A WIM index is a whole number from 1.
    let ran = 0
    for (const bad of ['Index :', 'Index : 0', 'Index : -1', 'Index : 0x10', 'Index : 1e1', 'Index : 01']) {
      expect(rec([bad, 'Name : A']), bad).toMatchObject({ images: [], format: 'none' })
      ran++
    }
    expect(ran).toBe(6)
  })

  it('reads the quoted `Label: "value"` lines of newer localised DISM', () => {
    expect(rec(['Index: "2"', 'Name: "Windows 11 Pro"', 'Version: "10.0.26100"']).images).toEqual([
      { index: 2, ...blank, name: 'Windows 11 Pro', version: '10.0.26100' },
    ])
  })

  it('keeps DISM’s own `Version:` line apart and only as a dotted version', () => {
    expect(rec(['Version: 10.0.26100.1', 'Index : 1', 'Version : 10.0.26100']).dismVersion).toBe('10.0.26100.1')
    expect(rec(['Version: 10.0', 'Index : 1']).dismVersion).toBeNull()
    expect(rec(['Version: 10.0.26100.1 beta', 'Index : 1']).dismVersion).toBeNull()
    expect(rec(['Index : 1', 'Version : 10.0.26100']).dismVersion).toBeNull()
  })

  it('says so, exactly, when there is no record', () => {
    for (const t of ['', 'Error: 87', 'Index :'])
      expect(parseDismImageInfo(t)).toEqual({
        images: [],
        format: 'none',
        dismVersion: null,
        warnings: ['No image records (`Index : n`) were found.'],
      })
    expect(parseDismImageInfo(undefined as unknown as string).format).toBe('none')
  })
})

describe('stripPasteDecoration', () => {
  it('removes one layer of markdown, quote and JSON-string decoration at either end', () => {
    const cases: Array<[string, string]> = [
      ['**Version : 1**', 'Version : 1'],
      ['__Name : A__', 'Name : A'],
      ['`Index : 1`', 'Index : 1'],
      ['"Index : 1",', 'Index : 1'],
      ['"Index : 1"', 'Index : 1'],
      ['> Index : 2', 'Index : 2'],
      ['  >**Index : 2**  ', 'Index : 2'],
      ['Index : 1\t \t', 'Index : 1'],
      ['Name : A"', 'Name : A'],
      ['Name : A",  ', 'Name : A'],
      ['Name : A`', 'Name : A'],
      ['Name : A__', 'Name : A'],
      ['plain', 'plain'],
      ['', ''],
    ]
    let ran = 0
    for (const [line, want] of cases) {
      expect(stripPasteDecoration(line), JSON.stringify(line)).toBe(want)
      ran++
    }
    expect(ran).toBe(14)
  })
})
