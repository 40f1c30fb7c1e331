/**
 * A line is judged on every command it runs (main/knowledge/remedy-steps.ts kindOfCommand): a remedy line that starts
 * with a read and then runs something else — `Get-Item x; Remove-Item y`, `a && b`, `a | b`, `cmd /c …`, a script
 * block, a `$( )` inside a string, a redirection into a file — is classified by its most dangerous part, and a part of
 * no known kind makes the whole line unclassified (destructive, never offered: deny by default). The attack shapes are
 * what a careless rule, a knowledge entry or a pasted "fix" could put behind a read.
 */
import { describe, expect, it } from 'vitest'
import { adviseRemedies, kindOfCommand, NO_EVIDENCE, type AdviceFacts } from '../../../main/knowledge/remedy-steps.ts'
import type { Remedy } from '../../../preload/model/diagnosis.ts'

const kind = (c: string) => kindOfCommand(c).id

describe('a chained line is classified by its most dangerous part', () => {
  it('a read followed by a command of no known kind is unclassified, whatever joins them', () => {
    for (const c of [
      'Get-Item C:\\x; Remove-Item C:\\y -Recurse -Force',
      'Get-Item C:\\x && del /s /q C:\\y',
      'reg query HKLM\\SOFTWARE\\x || mystery.exe',
      'reagentc /info & takeown /f C:\\Windows\\System32 /r',
      'Get-ChildItem C:\\Windows\\Logs | Remove-Item -Recurse',
      'Get-Item x | Invoke-Expression',
      'Get-Content C:\\x.txt | Set-Content C:\\Windows\\System32\\drivers\\etc\\hosts',
      'Get-ChildItem C:\\ | ForEach-Object { Remove-Item $_.FullName }',
      'Get-ChildItem C:\\ | ForEach-Object { $_.Delete() }',
      '(Get-Item C:\\Windows\\WinSxS\\pending.xml).Delete()',
      'Get-Content "$(Remove-Item C:\\x)"',
      'Get-WinEvent -FilterHashtable @{LogName=$(Remove-Item C:\\x)}',
      'Get-Item ([IO.File]::Delete("C:\\x"))',
      '[IO.File]::Delete("C:\\x")',
      'Get-Item x > C:\\Windows\\System32\\evil.dll',
      'findstr /i /c:"x" C:\\log.txt >> C:\\Windows\\win.ini',
      'Get-Item x `; Remove-Item y',
      'reagentc /info ^& del C:\\x',
      'Get-Item "x',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's provider variable (writes a file), not a template
      '${C:\\Windows\\win.ini} = "x"',
      'Get-Date; $env:x = 1; Remove-Item y',
    ])
      expect([c, kind(c)]).toEqual([c, 'unclassified'])
  })

  it('cmd /c and powershell -Command run what they are given: judged on that, a hidden command is unknown', () => {
    expect(kind('cmd /c del /q C:\\x')).toBe('unclassified')
    expect(kind('cmd.exe /c "reg query HKLM\\x & del C:\\y"')).toBe('unclassified')
    expect(kind('%SystemRoot%\\System32\\cmd.exe /c Get-Item x')).toBe('read')
    expect(kind('powershell -Command "Remove-Item C:\\x"')).toBe('unclassified')
    expect(kind('powershell.exe -EncodedCommand UgBlAG0AbwB2AGUALQBJAHQAZQBtAA==')).toBe('unclassified')
    // The media plan's own `cmd.exe /c if not exist DIR mkdir DIR` keeps its kind.
    expect(kind('%SystemRoot%\\System32\\cmd.exe /c if not exist C:\\mount mkdir C:\\mount')).toBe('folder')
  })

  it('a chain of known parts takes the kind of its most dangerous one', () => {
    expect(kind('Get-Item x; DISM /Online /Cleanup-Image /RevertPendingActions')).toBe('revert-pending')
    expect(kind('reg query HKLM\\x && shutdown /r /t 0')).toBe('restart')
    expect(kind('reagentc /info & format D: /q')).toBe('partition')
    expect(kind('Stop-Service wuauserv; Rename-Item C:\\Windows\\SoftwareDistribution\\DataStore DataStore.old')).toBe(
      'wu-folders',
    )
  })

  it('a read stays a read: its own pipes into shaping stages, hashtables of data, 2>&1', () => {
    for (const c of [
      "Get-WinEvent -FilterHashtable @{LogName='System'; Id=41,1001,6008} -MaxEvents 10 | Format-List TimeCreated, Id, Message",
      'Get-HotFix | Sort-Object -Property InstalledOn',
      'Get-Item C:\\x | Where-Object { $_.Length -gt 5 } | Select-Object Name',
      'reg query HKLM\\SOFTWARE\\x | findstr /i Version',
      'Get-Item x 2>&1',
      '$t = Get-Date',
      'bcdedit /enum {default}',
    ])
      expect([c, kind(c)]).toEqual([c, 'read'])
  })

  it('a read is the program it names, not a line that mentions a read', () => {
    for (const c of [
      'del C:\\x /Get-Packages',
      'mystery.exe reg query HKLM\\x',
      'C:\\Users\\Public\\dism.exe /Online /Get-Packages',
      'C:\\Users\\Public\\Get-Item.exe x',
      'Z:\\tools\\dir.exe /s',
      'sc config wuauserv start= disabled',
      'chkdsk C: /f',
    ])
      expect([c, kind(c)]).toEqual([c, 'unclassified'])
  })

  it('through the gate: a chain behind a read is never offered, on no evidence and on a PC that holds every precondition', () => {
    const everything: AdviceFacts = {
      ...NO_EVIDENCE,
      failed: new Set(['0x80092003', '0x80070BC9']),
      failedAgain: new Set(['0x80070BC9']),
      pendingXml: true,
      espFull: true,
    }
    const hostile: Remedy = {
      id: 'hostile-chain',
      title: 'Read the log',
      text: 'Read it.',
      commands: ['Get-Content C:\\Windows\\Logs\\CBS\\CBS.log; Remove-Item C:\\Windows\\Logs -Recurse -Force'],
      repair: null,
      sources: [],
      verified: false,
    }
    for (const facts of [NO_EVIDENCE, everything]) {
      const [out] = adviseRemedies([hostile], facts)
      expect(out!.commands).toEqual([])
      expect(out!.withheld?.map((s) => s.kind)).toEqual(['unclassified'])
    }
  })
})
