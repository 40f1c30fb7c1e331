/**
 * The boot chain, on the training machines through the real probe, parser and rules: the EFI
 * partition cause ranks first for 0x800F0922 with the measured free space in its evidence; the 2011-only
 * machine names the missing Windows UEFI CA 2023 and the 2011-signed boot manager WinRE starts through,
 * each with a Microsoft source. Plus the thresholds, table-driven.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { DiagnoseOutputSchema, type DiagnoseOutput } from '../../../preload/model/diagnosis.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { espFullRule } from '../../../main/diagnose/rules/efi-partition.ts'
import { emptyLogs } from '../../../main/diagnose/rule.ts'
import { tempDirSync } from '../temp-dirs.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'

const services = createServices({ dataDir: tempDirSync('sd-boot-'), platform: 'linux' })
let efi: DiagnoseOutput
let sb: DiagnoseOutput
let efiSnap: MachineSnapshot

beforeAll(async () => {
  efi = DiagnoseOutputSchema.parse(
    await services.diagnose({ machine: { kind: 'training', name: 'x64-efi-partition-full' } }),
  )
  sb = DiagnoseOutputSchema.parse(
    await services.diagnose({ machine: { kind: 'training', name: 'x64-secureboot-2011' } }),
  )
  efiSnap = await services.scan({ kind: 'training', name: 'x64-efi-partition-full' })
})

describe('boot-chain diagnosis on the training machines', () => {
  it('x64-efi-partition-full: "EFI partition full" first for 0x800F0922, with the free space and the folders as evidence', () => {
    const top = efi.findings[0]!
    expect(top).toMatchObject({ id: 'esp-full', severity: 'error', repair: 'free-esp-space', codes: ['0x800F0922'] })
    expect(top.title).toContain('7.6 MB free')
    expect(top.evidence[0]!.excerpt).toMatch(/EFI system partition: disk 0 partition 1, 100\.0 MB, 7\.6 MB free/)
    expect(top.evidence.some((e) => /\\EFI\\HP 52\.2 MB \(not Windows\)/.test(e.excerpt))).toBe(true)
    expect(top.evidence.some((e) => e.source === 'Windows Update history' && e.excerpt.includes('KB5094126'))).toBe(
      true,
    )
    // The move-aside remedy moves only the non-Windows folder, never deletes, and cites Microsoft.
    const move = top.remedies.find((r) => r.id === 'esp-move-aside')!
    expect(move.commands).toContain(
      '%SystemRoot%\\System32\\Robocopy.exe Y:\\EFI\\HP C:\\ProgramData\\ServicingDesk\\esp-moved\\HP /E /MOVE /COPY:DAT',
    )
    expect(move.commands.join('\n')).not.toMatch(/\bdel\b|rmdir|Remove-Item|EFI\\Microsoft|EFI\\Boot /i)
    expect(move.sources[0]).toMatch(/^https:\/\/support\.microsoft\.com\//)
    // The 2026 report is labelled unverified where it is shown.
    expect(top.causes.find((c) => c.includes('KB5089549'))).toMatch(/unverified/)
  })

  it('x64-secureboot-2011: names the missing Windows UEFI CA 2023 and the 2011-signed boot manager WinRE starts through, with Microsoft sources', () => {
    const cert = sb.findings.find((f) => f.id === 'secure-boot-2023-missing')!
    // The plain title says what is missing in words; the certificate's name is on its technical line.
    expect(`${cert.title} ${cert.technical}`).toContain('Windows UEFI CA 2023')
    expect(cert.causes.join(' ')).toMatch(/support\.microsoft\.com\/help\/5062713/)
    expect(cert.evidence.some((e) => /event 1801/.test(e.source))).toBe(true)
    const start = cert.remedies.find((r) => r.id === 'secure-boot-update')!
    expect(start.repair).toBe('secure-boot-update')
    expect(start.commands).toContain(
      '%SystemRoot%\\System32\\reg.exe add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f',
    )
    expect(start.commands.join(' ')).not.toMatch(/Set-SecureBootUEFI/)
    expect(start.verified).toBe(false) // the task path rests on public scripts only
    expect(start.sources.some((s) => s.startsWith('https://support.microsoft.com/'))).toBe(true)
    const bm = sb.findings.find((f) => f.id === 'boot-manager-2011')!
    expect(bm.title).toMatch(/WinRE/)
    expect(bm.evidence[0]!.excerpt).toContain('Microsoft Windows Production PCA 2011')
    expect(bm.causes.join(' ')).toMatch(/support\.microsoft\.com\/en-us\/topic\/kb5037167/)
  })

  it('machines that do not model the boot chain get no boot-chain finding', async () => {
    const d = DiagnoseOutputSchema.parse(
      await services.diagnose({ machine: { kind: 'training', name: 'x64-healthy' } }),
    )
    expect(
      d.findings.filter((f) => ['esp-full', 'secure-boot-2023-missing', 'boot-manager-2011'].includes(f.id)),
    ).toEqual([])
  })

  it('thresholds: 15 MB with 0x800F0922, 10 MB without (6 cases)', () => {
    const cases: Array<[freeMb: number, withCode: boolean, expected: string | null]> = [
      [7.6, true, 'error'],
      [14.9, true, 'error'],
      [15, true, null],
      [9.9, false, 'warning'],
      [10, false, null],
      [60, true, null],
    ]
    let ran = 0
    for (const [freeMb, withCode, expected] of cases) {
      const snap = structuredClone(efiSnap)
      if (snap.bootChain?.status === 'known' && snap.bootChain.value.esp)
        snap.bootChain.value.esp.freeBytes = Math.round(freeMb * 1024 * 1024)
      if (!withCode && snap.history.status === 'known')
        snap.history.value = snap.history.value.filter((h) => h.result !== 'failed')
      const got = espFullRule.evaluate({ snapshot: snap, logs: emptyLogs(), code: null, text: null })
      expect(got[0]?.severity ?? null, `${freeMb} MB, code ${withCode}`).toBe(expected)
      ran++
    }
    expect(ran).toBe(6)
    // And the whole diagnosis keeps it first when it fires.
    expect(diagnose({ snapshot: efiSnap }).findings[0]!.id).toBe('esp-full')
  })
})
