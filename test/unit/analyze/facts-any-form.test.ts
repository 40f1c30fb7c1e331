/**
 * Facts in any form people and Microsoft's localized pages write them, on sentences of our own: full-width and
 * Arabic-Indic digits, no-break spaces, every address form of a support-site article, a code glued to a date or an
 * encoded quote; and what only looks like a fact (an Office build, a price, another vendor's KB) is not read as one.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const read = (t: string) => {
  const x = extractTextFacts(t)
  return { codes: x.codes.map((c) => c.code), kbs: x.kbs.map((k) => k.kb), builds: x.builds.map((b) => b.version) }
}

describe('facts in any written form', () => {
  it('full-width KB, code and build in CJK text are read as their ASCII forms', () => {
    expect(
      read('更新プログラム ＫＢ５０６０８４２ をインストールできませんでした。エラー コード ０x８００Ｆ０９２２'),
    ).toEqual({
      codes: ['0x800F0922'],
      kbs: ['KB5060842'],
      builds: [],
    })
    expect(
      read('累积更新（ＫＢ５０６０８４２）失败，错误代码：０ｘ８００ｆ０９２２，版本２６１００．４３４９'),
    ).toEqual({
      codes: ['0x800F0922'],
      kbs: ['KB5060842'],
      builds: ['26100.4349'],
    })
  })
  it('Arabic-Indic digits and the Arabic decimal separator are read', () => {
    expect(read('فشل تثبيت التحديث KB٥٠٦٠٨٤٢ على الإصدار ٢٦١٠٠٫٤٣٤٩')).toEqual({
      codes: [],
      kbs: ['KB5060842'],
      builds: ['26100.4349'],
    })
  })
  it('a KB written with a no-break space (French typography) is read', () => {
    expect(read('La mise à jour KB\u00a05060842 a échoué (build\u202f26100.4349)').kbs).toEqual(['KB5060842'])
  })
  it('every address form of a support-site article names its KB', () => {
    expect(
      read(
        'https://support.microsoft.com/?kbid=2530126 then http://support.microsoft.com/default.aspx?scid=kb;en-us;968440 then https://support.microsoft.com/sr-latn-rs/help/5060842',
      ).kbs,
    ).toEqual(['KB2530126', 'KB968440', 'KB5060842'])
  })
  it('a code glued to a date, after an encoded quote or colon is read; one glued to a word is not', () => {
    expect(read('Screenshot 2025-06-110x800f0922.png').codes).toEqual(['0x800F0922'])
    expect(read('search?q=%220x80070643%22 and q=error%3A0x8024402C').codes).toEqual(['0x80070643', '0x8024402C'])
    expect(read('token ab120x80070643 and id0x800f0922').codes).toEqual([])
  })
})

describe('forms already read, kept read', () => {
  it.each([
    ['KB5060842 (Build del sistema operativo 26100.4349)', 'KB5060842', '26100.4349'],
    ['Обновление KB5060842 (сборка ОС 26100.4349)', 'KB5060842', '26100.4349'],
    ['累積更新 KB5060842 (OS ビルド 26100.4349)', 'KB5060842', '26100.4349'],
    ['(版本 24H2，OS 内部版本 26100.4349) KB5060842', 'KB5060842', '26100.4349'],
    ['| **KB5060842** | `10.0.26100.4349` |', 'KB5060842', '10.0.26100.4349'],
    ['windows11.0-kb5060842-x64_2d4f3c.msu LCUVer: 10.0.26100.4349', 'KB5060842', '10.0.26100.4349'],
    ["KB5060842'yi yükleyemedim (OS Derlemesi 26100.4349)", 'KB5060842', '26100.4349'],
  ])('%s', (t, kb, build) => {
    const r = read(t)
    expect(r.kbs).toEqual([kb])
    expect(r.builds).toEqual([build])
  })
  it("other software's versions are no Windows build", () => {
    expect(
      read('Chrome 137.0.7151.104, Edge 137.0.3296.68, Office 16.0.18827.20128, Defender 4.18.25050.5').builds,
    ).toEqual([])
  })
})

describe('a Win32 error number after the words for "error code" in each language', () => {
  it.each([
    'Код ошибки: 5',
    'Fehlercode: 5',
    'codice di errore 5',
    'código de erro 5',
    'foutcode 5',
    'kod błędu 5',
    'hata kodu 5',
    'Chybový kód 5',
    'エラー コード: 5',
    '错误代码：5',
    '錯誤碼 5',
    '오류 코드 5',
  ])('%s is 0x80070005', (t) => {
    expect(read(t).codes).toEqual(['0x80070005'])
  })
  it('the same number after other words is no code', () => {
    expect(read('program kodu 5, kod 5, code 5, 代码 5').codes).toEqual([])
  })
})

describe('what only looks like a fact', () => {
  it("Office's Click-to-Run build is not a Windows build; a Windows one on the same line is", () => {
    expect(read('Microsoft 365 Version 2405 (Build 17628.20144 Click-to-Run) on OS Build 22631.3737').builds).toEqual([
      '22631.3737',
    ])
  })
  it('a price is not a build', () => {
    expect(read('The laptop costs $12499.99, or 21999.00 € with tax, or 15999.00 руб.').builds).toEqual([])
  })
  it("another vendor's KB article is not a Microsoft update; Microsoft's on the same line is", () => {
    expect(read('VMware KB 2145389 and Veeam KB4185 say to remove KB5060842 first').kbs).toEqual(['KB5060842'])
  })
})
