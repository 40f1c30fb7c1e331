/**
 * The parsers behind our PowerShell probe scripts (history, reboot, services, storage). Their input is
 * JSON our own scripts print, so the cases are PowerShell 5.1's serialisation quirks (enums as numbers,
 * a single object instead of an array, /Date()/) and broken output.
 */
import { describe, it, expect } from 'vitest'
import { parseUpdateHistory, UPDATE_HISTORY_SCRIPT } from '../../../main/parse/update-history.ts'
import { parseRebootPending } from '../../../main/parse/reboot-pending.ts'
import { parseServices } from '../../../main/parse/services.ts'
import {
  parseStorageLayout,
  winreLocationFromReagentc,
  normalizeGptType,
  GPT_TYPES,
} from '../../../main/parse/storage-layout.ts'
import { parseManageBdeStatus } from '../../../main/parse/manage-bde-status.ts'

describe('parseUpdateHistory', () => {
  it('reads IUpdateHistoryEntry JSON: operation, result code, signed HResult kept raw, KB from the title', () => {
    const json = JSON.stringify([
      {
        Title: '2026-04 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)',
        Date: '2026-04-15T02:41:09.0000000Z',
        Operation: 1,
        ResultCode: 4,
        HResult: -2146498270,
        UpdateId: 'a',
      },
      {
        Title: 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.449.112.0)',
        Date: '/Date(1776192002000)/',
        Operation: 1,
        ResultCode: 2,
        HResult: 0,
      },
      { Title: '', Date: null, Operation: 2, ResultCode: 3, HResult: 0 },
    ])
    const r = parseUpdateHistory(json)
    expect(r.ok).toBe(true)
    expect(r.entries[0]).toEqual({
      title: expect.stringContaining('KB5086672'),
      kb: 'KB5086672',
      date: '2026-04-15T02:41:09.000Z',
      operation: 'install',
      result: 'failed',
      hresultRaw: -2146498270,
      updateId: 'a',
    })
    expect(r.entries[1]).toMatchObject({ kb: 'KB2267602', result: 'succeeded', date: '2026-04-14T18:40:02.000Z' })
    expect(r.entries[2]).toMatchObject({
      operation: 'uninstall',
      result: 'succeeded-with-errors',
      kb: null,
      date: null,
    })
  })

  it('reads a single entry (not an array) and string enum names', () => {
    const r = parseUpdateHistory(
      JSON.stringify({
        Title: 'x (KB5043080)',
        Operation: 'Installation',
        ResultCode: 'orcFailed',
        HResult: '0x800F0922',
      }),
    )
    expect(r.entries[0]).toMatchObject({ operation: 'install', result: 'failed', hresultRaw: '0x800F0922' })
  })

  it('fails plainly on empty or non-JSON output', () => {
    expect(parseUpdateHistory('')).toMatchObject({ ok: false, warnings: ['The history output is empty.'] })
    expect(parseUpdateHistory('Exception from HRESULT: 0x80240438').ok).toBe(false)
  })

  it('asks PowerShell for dates in UTC ISO 8601 so no display culture is involved', () => {
    expect(UPDATE_HISTORY_SCRIPT).toContain('ToUniversalTime().ToString("o")')
    expect(UPDATE_HISTORY_SCRIPT).toContain('QueryHistory(0, $count)')
  })
})

describe('parseRebootPending', () => {
  const clear = {
    CbsRebootPending: false,
    CbsRebootInProgress: false,
    CbsPackagesPending: false,
    WuRebootRequired: false,
    WuPostRebootReporting: false,
    WuServicesPending: false,
    PendingFileRenameOperations: [],
    PendingFileRenameOperations2: [],
    UpdateExeVolatile: null,
    ServerManagerRebootAttempts: false,
    NetlogonJoinDomain: false,
    NetlogonAvoidSpnSet: false,
    ActiveComputerName: 'PC1',
    ComputerName: 'PC1',
    DvdRebootSignal: false,
    PendingXml: false,
    CcmRebootPending: null,
  }

  it('reports every source separately and nothing pending on a clear machine', () => {
    const r = parseRebootPending(JSON.stringify(clear))
    expect(r.fact!.pending).toBe(false)
    expect(r.fact!.sources.map((s) => s.id)).toEqual([
      'cbs-reboot-pending',
      'cbs-reboot-in-progress',
      'cbs-packages-pending',
      'cbs-pending-xml',
      'wu-reboot-required',
      'wu-post-reboot-reporting',
      'wu-services-pending',
      'pending-file-rename',
      'pending-file-rename-2',
      'update-exe-volatile',
      'server-manager',
      'domain-join',
      'computer-rename',
      'dvd-reboot-signal',
      'configmgr',
    ])
    expect(r.fact!.sources.find((s) => s.id === 'configmgr')).toMatchObject({ pending: null })
  })

  it('names each signal with its evidence: CBS key, file renames (noisy), a pending rename', () => {
    const r = parseRebootPending(
      JSON.stringify({
        ...clear,
        CbsRebootPending: true,
        PendingFileRenameOperations: ['\\??\\C:\\a.tmp', '', '*1\\??\\C:\\b', ''],
        ComputerName: 'PC2',
        UpdateExeVolatile: 1,
      }),
    )
    const byId = Object.fromEntries(r.fact!.sources.map((s) => [s.id, s]))
    expect(r.fact!.pending).toBe(true)
    expect(byId['cbs-reboot-pending'].detail).toMatch(/RebootPending exists/)
    expect(byId['pending-file-rename']).toMatchObject({
      pending: true,
      label: expect.stringMatching(/noisy/),
      detail: expect.stringMatching(/^2 file operation\(s\)/),
    })
    expect(byId['computer-rename']).toMatchObject({
      pending: true,
      detail: "Active name 'PC1', name after restart 'PC2'.",
    })
    expect(byId['update-exe-volatile'].pending).toBe(true)
  })

  it('marks fields the script did not report as unknown, and rejects what is not our JSON', () => {
    const r = parseRebootPending('{"CbsRebootPending": true}')
    expect(r.fact!.sources.find((s) => s.id === 'wu-reboot-required')).toMatchObject({
      pending: null,
      detail: expect.stringMatching(/not reported/),
    })
    expect(parseRebootPending('[1,2]').fact).toBeNull()
    expect(parseRebootPending('True').fact).toBeNull()
  })
})

describe('parseServices', () => {
  it('reads string and numeric (PowerShell 5.1) enums and the delayed start flag', () => {
    const r = parseServices(
      JSON.stringify([
        { Name: 'wuauserv', DisplayName: 'Windows Update', Status: 'Stopped', StartType: 'Disabled' },
        {
          Name: 'BITS',
          DisplayName: 'Background Intelligent Transfer Service',
          Status: 4,
          StartType: 2,
          DelayedAutoStart: true,
        },
        { Name: 'TrustedInstaller', Status: 2, StartType: 3 },
      ]),
    )
    expect(r.services).toEqual([
      { name: 'wuauserv', displayName: 'Windows Update', status: 'stopped', startType: 'disabled' },
      {
        name: 'bits',
        displayName: 'Background Intelligent Transfer Service',
        status: 'running',
        startType: 'automatic-delayed',
      },
      { name: 'trustedinstaller', displayName: null, status: 'start-pending', startType: 'manual' },
    ])
    expect(r.missing).toEqual(['cryptsvc', 'msiserver', 'usosvc'])
  })

  it('fails plainly on non-JSON', () => {
    expect(parseServices('Get-Service : Cannot find any service')).toMatchObject({ ok: false, services: [] })
  })
})

describe('parseStorageLayout', () => {
  const layout = {
    SystemDrive: 'C:',
    Disks: [{ Number: 0, Size: 512110190592, PartitionStyle: 'GPT' }],
    Partitions: [
      {
        DiskNumber: 0,
        PartitionNumber: 1,
        Offset: 1048576,
        Size: 104857600,
        GptType: '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}',
        MbrType: null,
        DriveLetter: null,
        AccessPaths: ['\\\\?\\Volume{a}\\'],
      },
      {
        DiskNumber: 0,
        PartitionNumber: 2,
        Offset: 105906176,
        Size: 16777216,
        GptType: '{e3c9e316-0b5c-4db8-817d-f92df00215ae}',
        MbrType: null,
        DriveLetter: null,
        AccessPaths: [],
      },
      {
        DiskNumber: 0,
        PartitionNumber: 3,
        Offset: 122683392,
        Size: 510907000000,
        GptType: '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}',
        MbrType: null,
        DriveLetter: 'C',
        AccessPaths: ['C:\\', '\\\\?\\Volume{c}\\'],
      },
      {
        DiskNumber: 0,
        PartitionNumber: 4,
        Offset: 511029000000,
        Size: 554696704,
        GptType: '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}',
        MbrType: null,
        DriveLetter: null,
        AccessPaths: ['\\\\?\\Volume{r}\\'],
      },
    ],
    Volumes: [
      { DriveLetter: null, Path: '\\\\?\\Volume{a}\\', FileSystemLabel: '', Size: 100663296, SizeRemaining: 70000000 },
      {
        DriveLetter: 'C',
        Path: '\\\\?\\Volume{c}\\',
        FileSystemLabel: 'Windows',
        Size: 510907000000,
        SizeRemaining: 12000000000,
      },
      {
        DriveLetter: null,
        Path: '\\\\?\\Volume{r}\\',
        FileSystemLabel: 'Windows RE tools',
        Size: 554696704,
        SizeRemaining: 87031808,
      },
    ],
    ReagentcInfo:
      '\r\nWindows Recovery Environment (Windows RE) and system reset configuration\r\nInformation:\r\n\r\n    Windows RE status:         Enabled\r\n    Windows RE location:       \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\r\n',
    BitLocker: {
      ProtectionStatus: 'On',
      EncryptionPercentage: 100,
      VolumeStatus: 'FullyEncrypted',
      KeyProtectorTypes: ['Tpm', 'RecoveryPassword'],
    },
  }

  it('gives each partition its role from the GPT type, its free space, and finds the one holding WinRE', () => {
    const r = parseStorageLayout(JSON.stringify(layout))
    const parts = r.fact!.disks[0].partitions
    expect(parts.map((p) => [p.partitionNumber, p.role, p.holdsWinre])).toEqual([
      [1, 'system', false],
      [2, 'msr', false],
      [3, 'os', false],
      [4, 'recovery', true],
    ])
    expect(parts[3]).toMatchObject({ type: GPT_TYPES.recovery, freeBytes: 87031808, label: 'Windows RE tools' })
    expect(parts[1].freeBytes).toBeNull()
    expect(r.fact!.systemDrive).toEqual({ letter: 'C', sizeBytes: 510907000000, freeBytes: 12000000000 })
    expect(r.fact!.bitlocker).toEqual({
      protectionStatus: 'on',
      encryptionPercentage: 100,
      tpmProtector: true,
      recoveryPassword: true,
    })
    expect(r.winreLocation).toEqual({
      disk: 0,
      partition: 4,
      path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE',
    })
  })

  it('reads MBR types and numeric PowerShell 5.1 enums, and falls back to manage-bde text for BitLocker', () => {
    const mbr = {
      ...layout,
      Disks: [{ Number: 0, Size: 1, PartitionStyle: 1 }],
      BitLocker: null,
      Partitions: [
        {
          DiskNumber: 0,
          PartitionNumber: 1,
          Offset: 0,
          Size: 1,
          GptType: null,
          MbrType: 39,
          DriveLetter: null,
          AccessPaths: [],
        },
        layout.Partitions[2],
      ],
    }
    const bde =
      'Volume C: [Windows]\n[OS Volume]\n\n    Percentage Encrypted: 42,5%\n    Protection Status:    Protection Off\n    Key Protectors:\n        Numerical Password\n'
    const r = parseStorageLayout(JSON.stringify(mbr), bde)
    expect(r.fact!.disks[0].partitionStyle).toBe('MBR')
    expect(r.fact!.disks[0].partitions[0]).toMatchObject({ type: '0x27', role: 'recovery' })
    expect(r.fact!.bitlocker).toEqual({
      protectionStatus: 'off',
      encryptionPercentage: 42.5,
      tpmProtector: false,
      recoveryPassword: true,
    })
  })

  it('is unknown, with a reason, when the system drive or the JSON is missing', () => {
    expect(parseStorageLayout(JSON.stringify({ ...layout, Volumes: [] }))).toMatchObject({
      fact: null,
      warnings: ['The system drive C: was not among the volumes.'],
    })
    expect(parseStorageLayout('not json').fact).toBeNull()
  })

  it('finds WinRE in reagentc text of any language by its device path, and normalises GPT GUIDs', () => {
    expect(
      winreLocationFromReagentc(
        '    Emplacement de Windows RE :    \\\\?\\GLOBALROOT\\device\\harddisk1\\partition5\\Recovery\\WindowsRE',
      ),
    ).toMatchObject({ disk: 1, partition: 5 })
    expect(winreLocationFromReagentc('    Windows RE status:         Disabled\n    Windows RE location:\n')).toBeNull()
    expect(normalizeGptType('{DE94BBA4-06D1-4D40-A16A-BFD50179D6AC}')).toBe(GPT_TYPES.recovery)
    expect(normalizeGptType('{not-a-guid}')).toBeNull()
  })
})

describe('parseManageBdeStatus (format of Microsoft manage-bde -status documentation)', () => {
  it('reads protection, percentage and the TPM protector', () => {
    const t =
      'BitLocker Drive Encryption: Configuration Tool version 10.0.26100\n\nVolume C: [Windows]\n[OS Volume]\n\n    Size:                 475.83 GB\n    Conversion Status:    Used Space Only Encrypted\n    Percentage Encrypted: 100.0%\n    Protection Status:    Protection On\n    Key Protectors:\n        TPM\n        Numerical Password\n'
    expect(parseManageBdeStatus(t)).toEqual({
      protectionStatus: 'on',
      encryptionPercentage: 100,
      tpmProtector: true,
      recoveryPassword: true,
      recognised: true,
    })
  })

  it('says unrecognised for unrelated text', () => {
    expect(parseManageBdeStatus('ERROR: An attempt to access a required resource was denied.').recognised).toBe(false)
  })
})
