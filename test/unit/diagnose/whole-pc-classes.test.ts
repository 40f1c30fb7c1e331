/**
 * The review's classes of harm, each on the PC state that showed it (training machines changed as the review's hand-made
 * states were), through the same calls the CLI and the screens use (diagnose, repairs offers, the gate). Each was red on
 * the code before the whole-PC gate: the WU reset ranked above the restart mid-install, "free space" for a CBS.log
 * mid-install, the revert / Remove-Package / hive edit with a good update Install Pending and a retry without a restart,
 * \EFI\ubuntu moved, the resize and the Secure Boot update with the TPM as the only protector, the resize offered for a
 * recovery partition before C:, and unknown commands passing as "reversible".
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { readMachineLogs } from '../../../main/machine/read-machine-logs.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { createRepairService } from '../../../main/repair/repair-service.ts'
import { kindOfCommand, stepKind, REPAIR_KINDS } from '../../../main/knowledge/remedy-steps.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import type { LogsAnalysis } from '../../../main/diagnose/rule.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { DiagnoseOutput, Remedy } from '../../../preload/model/diagnosis.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const services = createServices({ dataDir: tempDirSync('sd-classes-'), platform: 'linux' })
const machines = new Map<string, { snapshot: MachineSnapshot; logs: LogsAnalysis }>()
const MB = 1024 * 1024
const BOOT = Date.parse('2026-11-20T08:00:00Z')

beforeAll(async () => {
  for (const name of [
    'x64-wu-components-broken',
    'x64-pending-restart',
    'x64-efi-partition-full',
    'x64-winre-partition-full',
    'x64-secureboot-2011',
  ]) {
    const ref = { kind: 'training' as const, name }
    machines.set(name, {
      snapshot: await services.scan(ref),
      logs: (await readMachineLogs(services.hostFor(ref))).logs,
    })
  }
}, hangMs(600_000))

function pc(name: string, change: (s: MachineSnapshot) => void): { snapshot: MachineSnapshot; logs: LogsAnalysis } {
  const m = machines.get(name)!
  const snapshot = structuredClone(m.snapshot)
  change(snapshot)
  return { snapshot, logs: m.logs }
}
const known = <T>(f: { status: string; value?: T }): T => {
  if (f.status !== 'known') throw new Error('fact not known')
  return f.value as T
}
const shown = (d: DiagnoseOutput) =>
  d.findings.flatMap((f) => f.remedies.flatMap((r: Remedy) => [...r.commands, ...(r.fillIn ?? [])]))
const repairsOf = (d: DiagnoseOutput) =>
  d.findings.flatMap((f) => [f.repair, ...f.remedies.map((r) => r.repair)]).filter(Boolean)
async function offers(state: { snapshot: MachineSnapshot; logs: LogsAnalysis }) {
  const d = diagnose(state)
  const repairs = createRepairService({
    dataDir: tempDirSync('sd-classes-repairs-'),
    scan: async () => state.snapshot,
    diagnose: async () => d,
    hostFor: () => {
      throw new Error('not read')
    },
    fetchPackage: () => async () => {
      throw new Error('no download')
    },
    resumeLauncher: null,
  })
  return (await repairs.offers({ kind: 'training', name: 'changed' })).offers.filter((o) => !o.refused)
}
function setReboot(s: MachineSnapshot, id: string, on: boolean) {
  const r = known(s.reboot)
  r.sources.find((x) => x.id === id)!.pending = on
  r.pending = r.sources.some((x) => x.pending === true)
}

describe('servicing mid-way', () => {
  const midway = () =>
    pc('x64-wu-components-broken', (s) => {
      setReboot(s, 'cbs-reboot-in-progress', true)
      known(s.services).find((x) => /^trustedinstaller$/i.test(x.name))!.status = 'running'
    })

  it('the Windows Update reset is not offered while an install is in progress; restarting and letting it finish comes first', async () => {
    const before = diagnose(machines.get('x64-wu-components-broken')!)
    expect(repairsOf(before)).toContain('reset-wu-components')
    const d = diagnose(midway())
    expect(repairsOf(d)).not.toContain('reset-wu-components')
    expect(shown(d).filter((c) => /SoftwareDistribution|catroot2|Stop-Service/i.test(c))).toEqual([])
    expect(d.findings[0]!.remedies[0]!.commands.some((c) => /shutdown(\.exe)?\s+\/r/i.test(c))).toBe(true)
    expect(d.findings[0]!.title).toMatch(/restart/i)
    expect((await offers(midway())).map((o) => o.repairId)).not.toContain('reset-wu-components')
  })

  it('a CBS.log mid-install (64 %) with Windows Update\'s 0x8024001E gets no "free space on the system drive"', () => {
    const log = [
      '2026-11-20 09:00:01, Info                  CBS    Session: 31234567_1234567890 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)',
      '2026-11-20 09:00:02, Info                  CBS    Exec: Processing started.  Client: WindowsUpdateAgent, Session: 31234567_1234567890, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4000.1.5',
      '2026-11-20 09:10:41, Info                  CBS    Progress: UI message updated. Operation type: Update. Stage: 1 out of 1. Percent progress: 64.',
    ].join('\n')
    const d = diagnose({ text: log, code: '0x8024001E' })
    expect(d.findings.flatMap((f) => f.remedies.map((r) => r.title))).not.toContain('Free space on the system drive')
    expect(shown(d).filter((c) => /cleanmgr|StartComponentCleanup/i.test(c))).toEqual([])
    expect(d.findings[0]!.id).toBe('servicing-in-progress')
  })
})

describe('"came back after a retry" needs a restart between the attempts', () => {
  it('a good cumulative update Install Pending and a .NET update failing 0x80070BC9 twice without a restart: no revert, no Remove-Package, no hive edit', () => {
    const state = pc('x64-pending-restart', (s) => {
      // The last boot before both attempts: no restart between them.
      known(s.os).lastBootAt = new Date(BOOT).toISOString()
      const h = known(s.history)
      h.unshift(
        ...[1, 2].map((n) => ({
          title: '2026-11 Cumulative Update for .NET Framework (KB5099901)',
          kb: 'KB5099901',
          date: new Date(BOOT + n * 3600_000).toISOString(),
          operation: 'install' as const,
          result: 'failed' as const,
          hresult: '0x80070BC9',
        })),
      )
    })
    expect(known(state.snapshot.packages).packages.some((p) => p.state === 'install-pending')).toBe(true)
    const d = diagnose(state)
    expect(shown(d).filter((c) => /RevertPendingActions|Remove-Package|pending\.xml|COMPONENTS/i.test(c))).toEqual([])
    const declared = d.findings.flatMap((f) =>
      f.remedies.flatMap((r) => (r.steps ?? []).filter((s) => s.risk !== 'read-only').map((s) => s.kind)),
    )
    expect(declared.filter((k) => ['pending-xml', 'revert-pending', 'remove-package'].includes(k))).toEqual([])
    expect(repairsOf(d)).not.toContain('remove-package')
  })
})

describe("another OS's boot loader on the EFI partition", () => {
  const dualBoot = () =>
    pc('x64-efi-partition-full', (s) => {
      const esp = known(s.bootChain!).esp!
      esp.folders = [
        ...esp.folders!.filter((f) => f.microsoft),
        { name: 'ubuntu', bytes: 52 * MB, microsoft: false, loaders: 4 },
      ]
    })

  it("\\EFI\\ubuntu is never moved: no move command, no free-esp-space repair; Microsoft's font clean-up and enlarging by hand instead", async () => {
    const d = diagnose(dualBoot())
    expect(shown(d).filter((c) => /\\EFI\\ubuntu/i.test(c))).toEqual([])
    expect(repairsOf(d)).not.toContain('free-esp-space')
    expect((await offers(dualBoot())).map((o) => o.repairId)).not.toContain('free-esp-space')
    const esp = d.findings.find((f) => f.id === 'esp-full')!
    // Microsoft's font clean-up is given in words (the training PCs do not model the Fonts folder, so no box of it runs yet).
    expect(esp.remedies.some((r) => /EFI\\+Microsoft\\+Boot\\+Fonts/i.test(JSON.stringify(r)))).toBe(true)
    expect(esp.remedies.map((r) => r.id)).toContain('esp-enlarge')
  })

  it("a vendor folder without a loader is still moved (HP's firmware images), and only it", async () => {
    const both = pc('x64-efi-partition-full', (s) => {
      known(s.bootChain!).esp!.folders!.push({ name: 'ubuntu', bytes: 5 * MB, microsoft: false, loaders: 4 })
    })
    const o = (await offers(both)).find((x) => x.repairId === 'free-esp-space')!
    expect(o.steps.map((s) => s.commandLine).join('\n')).toMatch(/\\EFI\\HP/)
    expect(o.steps.map((s) => s.commandLine).join('\n')).not.toMatch(/ubuntu/i)
  })
})

describe('BitLocker with no recovery password (TPM only)', () => {
  const tpmOnly = (name: string) =>
    pc(name, (s) => {
      known(s.storage).bitlocker = {
        protectionStatus: 'on',
        encryptionPercentage: 100,
        tpmProtector: true,
        recoveryPassword: false,
      }
    })

  it('neither the WinRE partition resize nor the Secure Boot certificate update is offered; adding and backing up a recovery password comes first', async () => {
    for (const [name, repair] of [
      ['x64-winre-partition-full', 'winre-resize'],
      ['x64-secureboot-2011', 'secure-boot-update'],
    ] as const) {
      expect(repairsOf(diagnose(machines.get(name)!)), name).toContain(repair)
      const d = diagnose(tpmOnly(name))
      expect(repairsOf(d), name).not.toContain(repair)
      expect(
        d.findings.flatMap((f) => f.remedies.map((r) => r.id)),
        name,
      ).toContain('bitlocker-recovery-password')
      const first = d.findings.find((f) => f.remedies.some((r) => r.id === 'bitlocker-recovery-password'))!
      expect(first.remedies[0]!.id).toBe('bitlocker-recovery-password')
      expect(
        first.remedies[0]!.commands.some((c) => /manage-bde(\.exe)?"? -protectors -add C: -RecoveryPassword/i.test(c)),
      ).toBe(true)
      expect(
        (await offers(tpmOnly(name))).map((o) => o.repairId),
        name,
      ).not.toContain(repair)
    }
  })

  it('with a recovery password protector beside the TPM, both are offered', () => {
    const both = (name: string) =>
      pc(name, (s) => {
        known(s.storage).bitlocker = {
          protectionStatus: 'on',
          encryptionPercentage: 100,
          tpmProtector: true,
          recoveryPassword: true,
        }
      })
    expect(repairsOf(diagnose(both('x64-winre-partition-full')))).toContain('winre-resize')
    expect(repairsOf(diagnose(both('x64-secureboot-2011')))).toContain('secure-boot-update')
  })
})

describe('a recovery partition before C:', () => {
  it('diagnose agrees with winre: the resize does not fit, so no destructive "the app can do this"', () => {
    const before = pc('x64-winre-partition-full', (s) => {
      const w = known(s.winre)
      w.recoveryPartition = { ...w.recoveryPartition!, position: 'before', adjacentToOs: false }
    })
    const d = diagnose(before)
    expect(repairsOf(d)).not.toContain('winre-resize')
    const steps = d.findings.flatMap((f) => f.remedies.flatMap((r) => r.steps ?? []))
    expect(steps.filter((s) => s.kind === 'partition-resize')).toEqual([])
    const withheld = d.findings.flatMap((f) => f.remedies.flatMap((r) => r.withheld ?? []))
    expect(withheld.map((s) => s.kind)).toContain('partition-resize')
    expect(d.findings.flatMap((f) => f.remedies.map((r) => r.text)).join(' ')).toMatch(/before C:/)
  })
})

describe('the gate fails closed', () => {
  it('every command of the review is destructive, never offered without a precondition; an unknown command too', () => {
    for (const c of [
      'bcdboot C:\\Windows /s S: /f UEFI',
      'bcdedit /delete {current}',
      'format S: /fs:FAT32',
      'Remove-Partition -DiskNumber 0 -PartitionNumber 4',
      'DISM /Online /Cleanup-Image /StartComponentCleanup /ResetBase',
      'wusa /uninstall /kb:5034441',
      'robocopy C:\\ProgramData\\ServicingDesk\\esp-moved\\HP S:\\EFI\\HP /E /MOVE',
      'mystery.exe /fix',
    ]) {
      expect(kindOfCommand(c).risk, c).toBe('destructive')
    }
  })

  it('RestoreHealth, sfc, Add-Package and a restart are not "can be put back"', () => {
    for (const c of [
      'DISM /Online /Cleanup-Image /RestoreHealth',
      'sfc /scannow',
      'DISM /Online /Add-Package /PackagePath:C:\\x.msu',
      'shutdown /r /t 0',
    ]) {
      expect(kindOfCommand(c).risk, c).toBe('irreversible')
    }
    for (const id of ['restart', 'restore-health', 'install-update'] as const)
      expect(stepKind(REPAIR_KINDS[id]!)!.risk, id).toBe('irreversible')
  })

  it('one pasted reagentc line does not make analyze advise bcdboot', () => {
    const r = analyzeText('REAGENTC.EXE: Unable to update Boot Configuration Data.\r\n', 'reagentc-info')
    const advice = r.findings.map((f) => `${f.title} ${f.detail}`).join(' ')
    expect(r.findings.length).toBeGreaterThan(0)
    expect(advice).not.toMatch(/\bbcdboot\b(?![^.]*Not advised)/i)
  })
})
