/**
 * Pastes of several commands: read command by command, a later list without dates does not erase
 * the install dates an earlier Get-HotFix / win32_QuickFixEngineering table gave, and a Japanese systeminfo
 * hotfix section whose every line is wrapped in backticks is recognised.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'

// Verbatim from a public Japanese note on setting up Windows Server 2012 R2 (search index file id 22161988973;
// its repository is not named by the index): the line numbers of its code blocks and the backticks included.
const NOTE = [
  '・**PowerShellの場合**',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '`＞Get-WmiObject win32_QuickFixEngineering`',
  '`Source Description HotFixID InstalledBy InstalledOn`',
  '`------ ----------- -------- ----------- -----------`',
  '`WIN-0DUCV7... Security Update KB2894856 NT AUTHORITYSYSTEM 2014/10/15 0:00:00`',
  '`WIN-0DUCV7... Update KB2896496 NT AUTHORITYSYSTEM 2014/06/20 0:00:00`',
  '`WIN-0DUCV7... Update KB2919355 WIN-0DUCV7CCGR4A... 2014/03/18 0:00:00`',
  '`～略～`',
  '**・DOSコマンドの場合**',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '11',
  '`＞systeminfo`',
  '`～略～`',
  '`ホットフィックス: 315 ホットフィックスがインストールされています。`',
  '`[01]: KB2849697`',
  '`[02]: KB2849696`',
  '`[03]: KB2841134`',
  '`[04]: KB2841134`',
  '`[05]: KB2670838`',
  '`[06]: KB2830477`',
  '`[07]: KB2592687`',
  '`～略～`',
].join('\n')
const SYSTEMINFO_PART = NOTE.slice(NOTE.indexOf('`＞systeminfo`'))

type Hotfix = { kb: string; installedOn: string | null }

describe('pastes of several commands', () => {
  it('a Japanese systeminfo hotfix section, each line in backticks, is systeminfo with its KBs', () => {
    const r = analyzeText(SYSTEMINFO_PART)
    expect(r.kind).toBe('os-info')
    expect((r.facts.hotfixes as Hotfix[]).map((h) => h.kb)).toEqual([
      'KB2849697',
      'KB2849696',
      'KB2841134',
      'KB2670838',
      'KB2830477',
      'KB2592687',
    ])
    expect(r.warnings.join(' ')).toMatch(/announced 315 hotfixes/)
  })

  it('the whole note is read command by command (＞ marks each command); the later systeminfo list keeps the earlier dates', () => {
    const r = analyzeText(NOTE)
    const t = r.facts.transcript as { commands: { command: string | null; kind: string }[] }
    expect(t.commands.filter((c) => c.command).map((c) => [c.command, c.kind])).toEqual([
      ['Get-WmiObject win32_QuickFixEngineering', 'hotfix-list'],
      ['systeminfo', 'os-info'],
    ])
    const hf = r.facts.hotfixes as Hotfix[]
    expect(hf.find((h) => h.kb === 'KB2894856')?.installedOn).toBe('2014-10-15')
    expect(hf.find((h) => h.kb === 'KB2919355')?.installedOn).toBe('2014-03-18')
    expect(hf.find((h) => h.kb === 'KB2849697')?.installedOn).toBeNull()
  })

  it('text that merely contains a backticked line is left as it is', () => {
    const r = analyzeText('Run `systeminfo` and paste the output.\nThen run `Get-HotFix`.\nThanks')
    expect(r.warnings.join(' ')).not.toMatch(/Inline code marks/)
  })
})
