/**
 * Documentation placeholders pasted as if they were output (`<ComputerName>`, `KB#######`, `xxxx`): read
 * as "not said", never as values. Each case starts from a real capture with the placeholder put in.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseSysteminfo } from '../../../main/parse/systeminfo.ts'
import { parseHotfixList } from '../../../main/parse/hotfix-list.ts'
import { parseDismPackages } from '../../../main/parse/dism-packages.ts'
import { parseComputerInfo } from '../../../main/parse/computer-info.ts'

describe('documentation placeholders', () => {
  it('systeminfo: a <ComputerName> host and KB####### hotfixes are not values', () => {
    const text = loadFixture('systeminfo/en-win11-23h2.txt')
      .text.replace('DESKTOP-JNEKK9U', '<ComputerName>')
      .replace('KB5029921', 'KB#######')
    const r = parseSysteminfo(text)
    expect(r.os.computerName).toBeNull()
    expect(r.hotfixes).toEqual(['KB5027397', 'KB5031354', 'KB5031592'])
    expect(r.os.build).toBe(22631)
  })

  it('wmic qfe: a KB#### record is skipped, the others read', () => {
    const text = loadFixture('hotfix/wmic-qfe-list-brief-wufuc92.txt').text.replace(
      'HotFixID=KB2972211',
      'HotFixID=KB####',
    )
    const r = parseHotfixList(text)
    expect(r.hotfixes.map((h) => h.kb)).not.toContain('KB2972211')
    expect(r.hotfixes).toHaveLength(31)
    expect(r.hotfixes[1]).toMatchObject({ kb: 'KB2972280', installedOn: '2017-04-11' })
  })

  it('DISM list: an identity with a #### version is not a package', () => {
    const text = loadFixture('dism-packages/en-gb-list-fod-dismtools220.txt').text.replace(
      '~10.0.26100.1742\nState',
      '~10.0.#####.####\nState',
    )
    expect(parseDismPackages(text).packages).toHaveLength(5)
  })

  it('Get-ComputerInfo: <value> and xxxx are not values', () => {
    const text = loadFixture('computerinfo/en-ltsc2019-winutil.txt')
      .text.replace('EnterpriseSN', '<EditionId>')
      .replace('17763.1.amd64fre', 'xxxxx.1.amd64fre')
    const r = parseComputerInfo(text)
    expect(r.os.edition).not.toBe('<EditionId>')
    expect(r.os.build).toBeNull()
  })

  it('Get-HotFix | Format-List records (synthesised from the documented property names)', () => {
    const fl =
      '\nSource      : PC1\nDescription : Security Update\nHotFixID    : KB5044284\nInstalledBy : NT AUTHORITY\\SYSTEM\nInstalledOn : 10/8/2024 12:00:00 AM\n\nSource      : PC1\nDescription : Update\nHotFixID    : KB5043937\nInstalledBy : \nInstalledOn : 9/25/2024 12:00:00 AM\n'
    const r = parseHotfixList(fl)
    expect(r.format).toBe('get-hotfix-list')
    expect(r.hotfixes).toEqual([
      { kb: 'KB5044284', description: 'Security Update', installedOn: '2024-10-08' },
      { kb: 'KB5043937', description: 'Update', installedOn: '2024-09-25' },
    ])
  })
})
