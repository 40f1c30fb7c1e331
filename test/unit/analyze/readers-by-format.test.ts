/**
 * Readers by format: CMTrace-layout logs (ConfigMgr client, Intune Management Extension) judged by the
 * severity the log gave each entry, and the OS build/UBR from Settings › About copies, the CurrentVersion key's
 * values and build tables. The lines follow each producer's documented layout; the real captures are in
 * test/fixtures/corpus-2026-11/.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { parseOsBlocks } from '../../../main/parse/os-blocks.ts'

const cm = (msg: string, comp: string, type: number, time = '10:00:00.000+000') =>
  `<![LOG[${msg}]LOG]!><time="${time}" date="03-04-2025" component="${comp}" context="" type="${type}" thread="100" file="x.cpp:1">`
const errors = (t: string) => analyzeText(t).findings.filter((f) => f.severity === 'error')

describe('CMTrace logs: the entry type decides', () => {
  it('ConfigMgr WUAHandler: information lines with codes are routine, a type-3 entry is an error', () => {
    const ok = [
      cm('Async searching of updates using WUAgent started.', 'WUAHandler', 1),
      cm('Async searching completed.', 'WUAHandler', 1),
      cm('Successfully completed scan.', 'WUAHandler', 1),
    ].join('\n')
    expect(analyzeText(ok).kind).toBe('configmgr-log')
    expect(errors(ok)).toEqual([])
    const bad = [
      cm('Async searching of updates using WUAgent started.', 'WUAHandler', 1),
      cm('OnSearchComplete - Failed to end search job. Error = 0x80244022.', 'WUAHandler', 3),
      cm('Scan failed with error = 0x80244022.', 'WUAHandler', 3),
    ].join('\n')
    expect(
      errors(bad)
        .map((f) => f.title)
        .join(' '),
    ).toContain('0x80244022')
  })

  it('a scan error a later successful scan overtook is a warning, not the state', () => {
    const t = [
      cm('Scan failed with error = 0x80244022.', 'WUAHandler', 3),
      cm('Async searching completed.', 'WUAHandler', 1, '11:00:00.000+000'),
      cm('Successfully completed scan.', 'WUAHandler', 1, '11:00:01.000+000'),
    ].join('\n')
    expect(errors(t)).toEqual([])
  })

  it('the Intune Management Extension log is its own kind; an entry message may span lines', () => {
    const t = [
      cm('EMS Agent Started', 'IntuneManagementExtension', 1),
      `<![LOG[[Win32App] Failed to install app\nexit code 1603]LOG]!><time="10:00:01.000+000" date="03-04-2025" component="IntuneManagementExtension" context="" type="3" thread="9" file="">`,
    ].join('\n')
    const r = analyzeText(t)
    expect(r.kind).toBe('ime-log')
    expect(errors(t)[0]!.title).toContain('Failed to install app')
  })
})

describe('OS build and UBR from About copies, registry values and tables', () => {
  it('Settings › About copy (TAB-separated, labels in any language): the OS build value, not the Experience Pack', () => {
    const fr =
      'Édition\tWindows 11 Famille\nVersion\t23H2\nInstallé le\t02/03/2024\nBuild du système d’exploitation\t22631.3155\nExpérience\tWindows Feature Experience Pack 1000.22684.1000.0'
    expect(parseOsBlocks(fr)).toMatchObject({
      source: 'about',
      os: { build: 22631, ubr: 3155, displayVersion: '23H2', edition: 'Windows 11 Famille' },
    })
    expect(analyzeText(fr).facts.os).toMatchObject({ build: 22631, ubr: 3155 })
  })

  it('the CurrentVersion values: CurrentBuild over BuildLabEx’s base build, UBR as reg prints a DWORD', () => {
    const t =
      'CurrentBuild              : 19045\nBuildLabEx                : 19041.1.amd64fre.vb_release.191206-1406\nUBR    REG_DWORD    0x1a1c'
    expect(parseOsBlocks(t).os).toMatchObject({ build: 19045, ubr: 0x1a1c })
  })

  it('a table with a build column', () => {
    const t = 'Major Minor Build Revision\n----- ----- ----- --------\n   10     0 20348     2849'
    expect(parseOsBlocks(t)).toMatchObject({ source: 'build-table', os: { build: 20348, ubr: 2849 } })
  })
})

describe('copied update lists: each update’s newest state decides', () => {
  it('PSWindowsUpdate Get-WUHistory (newest first): a failure a later install overtook is no error', () => {
    const t = [
      'ComputerName Operationname  Result     Date                Title',
      '------------ -------------  ------     ----                -----',
      'SRV01        Installation   Succeeded  10/9/2024 3:24:1... 2024-10 Cumulative Update for Windows Server 2022 (KB5044281)',
      'SRV01        Installation   Failed     10/9/2024 2:10:0... 2024-10 Cumulative Update for Windows Server 2022 (KB5044281)',
      'SRV01        Installation   Failed     10/9/2024 2:05:0... Security Update for SQL Server 2022 RTM GDR (KB5042211)',
    ].join('\n')
    const r = analyzeText(t)
    expect(r.kind).toBe('pswindowsupdate')
    expect(errors(t).map((f) => f.title)).toEqual([
      'Security Update for SQL Server 2022 RTM GDR (KB5042211) failed to install',
    ])
  })

  it('Settings › Update history copied: the status line under each title, with its code', () => {
    const t =
      '2025-01 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5050009)\nFailed to install on 1/15/2025 - 0x800f0922\n2025-01 .NET Framework update (KB5049624)\nSuccessfully installed on 1/15/2025'
    expect(analyzeText(t).kind).toBe('update-history')
    expect(errors(t)[0]!.title).toContain('KB5050009) failed to install with 0x800F0922')
  })
})
