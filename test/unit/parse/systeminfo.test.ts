import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseSysteminfo } from '../../../main/parse/systeminfo.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { hardWrap, loseNewlines, toCrlf, padLines, utf16leWithBom } from './paste-damage.ts'

/** Every captured systeminfo fixture and what it says (read by eye from the capture). */
const cases: Array<
  [file: string, build: number, arch: string, edition: string | null, hotfixes: number, first: string | null]
> = [
  ['en-win11-24h2-ltsc.txt', 26100, 'x64', 'Enterprise LTSC', 3, 'KB5037589'],
  ['en-win11-23h2.txt', 22631, 'x64', 'Enterprise', 4, 'KB5029921'],
  ['en-win11-22h2-home-sl.txt', 22621, 'x64', 'Home Single Language', 1, 'KB5008215'],
  ['en-win10-22h2-no-leading-blank.txt', 19045, 'x64', 'Enterprise', 1, 'KB5022502'],
  ['en-server2022.txt', 20348, 'x64', 'Standard', 3, 'KB5004330'],
  ['en-nl-locale-win10-1803-x86.txt', 17134, 'x86', 'Enterprise', 4, 'KB4230204'],
  ['en-win10-1607-sanitized.txt', 14393, 'x64', 'Pro', 7, 'KB3176936'],
  ['en-win11-24h2-wazuh-excerpt.txt', 26100, 'x64', 'Pro for Workstations', 0, null],
  ['en-win11-23h2-wazuh-excerpt.txt', 22631, 'x64', 'Enterprise Evaluation', 0, null],
  ['zh-cn-win10-1809.txt', 17763, 'x64', '企业版 LTSC', 1, 'KB4464455'],
  ['de-win7-sp1-excerpt.txt', 7601, 'x64', 'Ultimate N', 17, 'KB2849697'],
  ['fr-win7-sp1-oem-mojibake.txt', 7601, 'x64', 'Entreprise N', 17, 'KB2491683'],
  ['es-win10-1809-redacted.txt', 17763, 'x64', 'Education', 9, 'KB4486553'],
  ['it-win10-1803.txt', 17134, 'x64', 'Pro', 10, 'KB4100347'],
  ['ru-server2012r2.txt', 9600, 'x64', 'Standard', 7, 'KB2919355'],
]

describe('parseSysteminfo on captured output in seven display languages', () => {
  for (const [file, build, arch, edition, count, first] of cases) {
    it(`reads build, arch, edition and hotfixes from ${file}`, () => {
      const f = loadFixture(`systeminfo/${file}`)
      const r = parseSysteminfo(f.text)
      expect(r.os.build).toBe(build)
      expect(r.os.arch).toBe(arch)
      expect(r.os.edition).toBe(edition)
      expect(r.os.ubr).toBeNull() // systeminfo never prints the UBR
      expect(r.hotfixes.length).toBe(count)
      if (first) expect(r.hotfixes[0]).toBe(first)
      expect(r.confidence).toBeGreaterThanOrEqual(0.6)
    })
  }

  it('drops the duplicate KBs systeminfo lists twice and says when the list was cut short', () => {
    const r = parseSysteminfo(loadFixture('systeminfo/de-win7-sp1-excerpt.txt').text)
    expect(new Set(r.hotfixes).size).toBe(r.hotfixes.length)
    expect(r.hotfixCountAnnounced).toBe(263)
    expect(r.warnings.join(' ')).toMatch(/announced 263 hotfixes but the text lists 17/)
  })

  it('takes the host name only when it is a value, not a redaction placeholder', () => {
    expect(parseSysteminfo(loadFixture('systeminfo/en-win11-23h2.txt').text).os.computerName).toBe('DESKTOP-JNEKK9U')
    expect(parseSysteminfo(loadFixture('systeminfo/es-win10-1809-redacted.txt').text).os.computerName).toBeNull()
  })

  it('reads the same facts after a console hard wrap at 80 and at 200 columns', () => {
    const text = loadFixture('systeminfo/en-win11-24h2-ltsc.txt').text
    for (const w of [80, 200]) {
      const r = parseSysteminfo(hardWrap(text, w))
      expect(r.os.build).toBe(26100)
      expect(r.os.arch).toBe('x64')
      expect(r.hotfixes).toEqual(['KB5037589', 'KB5037783', 'KB5039449'])
    }
  })

  it('reads build, arch and hotfixes from a paste that lost every newline, and says so', () => {
    for (const file of ['en-win11-23h2.txt', 'zh-cn-win10-1809.txt', 'it-win10-1803.txt']) {
      const r = parseSysteminfo(loseNewlines(loadFixture(`systeminfo/${file}`).text))
      const want = parseSysteminfo(loadFixture(`systeminfo/${file}`).text)
      expect(r.os.build).toBe(want.os.build)
      expect(r.os.arch).toBe(want.os.arch)
      expect(r.hotfixes).toEqual(want.hotfixes)
      expect(r.warnings.join(' ')).toMatch(/lost its line breaks/)
    }
  })

  it('is unaffected by CRLF and trailing spaces', () => {
    const text = loadFixture('systeminfo/ru-server2012r2.txt').text
    const want = parseSysteminfo(text)
    expect(parseSysteminfo(toCrlf(text))).toEqual(want)
    expect(parseSysteminfo(padLines(text)).os).toEqual(want.os)
  })

  it('reads a UTF-16LE file (PowerShell `systeminfo > file`) through the analyzer', () => {
    const text = loadFixture('systeminfo/zh-cn-win10-1809.txt').text
    const r = analyzeText(utf16leWithBom(toCrlf(text)))
    expect(r.kind).toBe('os-info')
    expect(r.facts.os).toEqual({ build: 17763, ubr: null, displayVersion: null, edition: '企业版 LTSC', arch: 'x64' })
  })

  it('reads a capture whose every line is indented (a real issue paste), and indented copies of others', () => {
    const text = loadFixture(
      'corpus-2026-11/os-info/en-dotnet-runtime-76280-indented-systeminfo-server2016-14393.txt',
    ).text
    const r = parseSysteminfo(text)
    expect(r.confidence).toBeGreaterThanOrEqual(0.6)
    expect(r.os).toMatchObject({ build: 14393, arch: 'x64', productName: 'Microsoft Windows Server 2016 Datacenter' })
    expect(analyzeText(text).kind).toBe('os-info')
    for (const file of ['en-win11-23h2.txt', 'zh-cn-win10-1809.txt', 'de-win7-sp1-excerpt.txt']) {
      const plain = loadFixture(`systeminfo/${file}`).text
      const indented = plain
        .split('\n')
        .map((l) => (l ? `    ${l}` : l))
        .join('\n')
      const want = parseSysteminfo(plain)
      const got = parseSysteminfo(indented)
      expect(got.os).toEqual(want.os)
      expect(got.hotfixes).toEqual(want.hotfixes)
      expect(got.confidence).toBe(want.confidence)
    }
  })

  it('recognises a capture cut off above OS Name/OS Version by the column-27 label layout (real partial paste)', () => {
    const text = loadFixture('systeminfo/en-server2012r2-optimum-cut-above-os-name.txt').text
    expect(parseSysteminfo(text).confidence).toBeGreaterThanOrEqual(0.6)
    expect(analyzeText(text).kind).toBe('os-info')
    // Prose with a few colons is not systeminfo.
    expect(parseSysteminfo('Note: this is text.\nAnother: line here').confidence).toBeLessThan(0.6)
  })
})
