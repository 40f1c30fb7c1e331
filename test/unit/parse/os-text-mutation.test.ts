/**
 * The small OS-text readers shared by systeminfo and Get-ComputerInfo (mutation testing):
 * the architecture word, the edition from a product name, and what counts as a placeholder. The inputs
 * are the values those tools print (from the captures in test/fixtures/systeminfo and computerinfo) and
 * hand-made edge values.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type M0 = typeof import('../../../main/parse/os-text.ts')
let archFromText: M0['archFromText'],
  editionFromProductName: M0['editionFromProductName'],
  isPlaceholder: M0['isPlaceholder'],
  EMPTY_OS_TEXT: M0['EMPTY_OS_TEXT']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ archFromText, editionFromProductName, isPlaceholder, EMPTY_OS_TEXT } = await import(
    '../../../main/parse/os-text.ts'
  ))
})

describe('archFromText', () => {
  it('reads the system type in every form it lists, arm64 before arm and x64 before x86', () => {
    const cases: Array<[string | null | undefined, string | null]> = [
      ['x64-based PC', 'x64'],
      ['X86-based PC', 'x86'],
      ['ARM64-based PC', 'arm64'],
      ['x64-basierter PC', 'x64'],
      ['PC à base de x64', 'x64'],
      ['AMD64', 'x64'],
      ['amd64', 'x64'],
      ['x86_64', 'x64'],
      ['x86-64', 'x64'],
      ['ARM 64-bit Processor', 'arm64'],
      ['arm64', 'arm64'],
      ['i386', 'x86'],
      ['i686', 'x86'],
      ['x86', 'x86'],
      ['ARM', 'arm'],
      ['arm processor', 'arm'],
      ['ax64', null],
      ['x640', null],
      ['armv7', null],
      ['farm', null],
      ['ix86', null],
      ['', null],
      [null, null],
      [undefined, null],
      ['Unknown', null],
    ]
    let ran = 0
    for (const [text, arch] of cases) {
      expect(archFromText(text), String(text)).toBe(arch)
      ran++
    }
    expect(ran).toBe(25)
  })
})

describe('editionFromProductName', () => {
  it('takes what follows "Windows <number>" (and "Server", "R2"), as the captures name their products', () => {
    const cases: Array<[string | null, string | null]> = [
      ['Microsoft Windows 11 Pro', 'Pro'],
      ['Microsoft Windows Server 2022 Standard', 'Standard'],
      ['Microsoft Windows 11 Enterprise LTSC', 'Enterprise LTSC'],
      ['Майкрософт Ознакомительная версия Windows Server 2012 R2 Standard', 'Standard'],
      ['Microsoft Windowsÿ7 Entreprise N', 'Entreprise N'],
      ['Microsoft Windows\u00a010 Pro', 'Pro'],
      ['  Windows 10 Enterprise N LTSC 2019  ', 'Enterprise N LTSC 2019'],
      ['windows server 2019 datacenter', 'datacenter'],
      ['Microsoft Windows 11', null],
      ['Windows Server Standard', null],
      ['Pro', null],
      ['', null],
      [null, null],
    ]
    let ran = 0
    for (const [name, edition] of cases) {
      expect(editionFromProductName(name), String(name)).toBe(edition)
      ran++
    }
    expect(ran).toBe(13)
  })
})

describe('isPlaceholder', () => {
  it('documentation placeholders and "not available" words are not values; real values are', () => {
    const placeholders = [
      null,
      undefined,
      '',
      '   ',
      '<ComputerName>',
      '<>',
      '###',
      'xxxx',
      'XXXXX',
      '***',
      '...',
      '…………',
      '. . .',
      '. . . .',
      'N/A',
      'n/a',
      '暂缺',
      'Nicht zutreffend',
      'Non disponible',
    ]
    const values = [
      'DESKTOP-JNEKK9U',
      'PC1',
      '##',
      'xx',
      '<a>b',
      'a<b>',
      'x1xx',
      'N/A x',
      'xN/A',
      '. .',
      '.. .',
      'Nicht',
      '10.0.26100',
      'Disponible',
    ]
    let ran = 0
    for (const v of placeholders) {
      expect(isPlaceholder(v), String(v)).toBe(true)
      ran++
    }
    for (const v of values) {
      expect(isPlaceholder(v), v).toBe(false)
      ran++
    }
    expect(ran).toBe(33)
  })

  it('the empty facts are all null', () => {
    expect(EMPTY_OS_TEXT).toEqual({
      productName: null,
      edition: null,
      displayVersion: null,
      build: null,
      ubr: null,
      arch: null,
      computerName: null,
    })
  })
})
