/**
 * parseStorageLayout and parseServices line by line (mutation testing). Their input is the JSON
 * our own scripts print (STORAGE_SCRIPT, SERVICES_SCRIPT), so the cases are its fields one at a time,
 * PowerShell 5.1's enums as numbers, and hostile values; the reagentc text inside is real (test/fixtures/reagentc).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

type M0 = typeof import('../../../main/parse/storage-layout.ts')
let GPT_TYPES: M0['GPT_TYPES'],
  STORAGE_SCRIPT: M0['STORAGE_SCRIPT'],
  normalizeGptType: M0['normalizeGptType'],
  parseStorageLayout: M0['parseStorageLayout'],
  winreLocationFromReagentc: M0['winreLocationFromReagentc']
type M1 = typeof import('../../../main/parse/services.ts')
let parseServices: M1['parseServices'],
  SERVICING_SERVICES: M1['SERVICING_SERVICES'],
  SERVICES_SCRIPT: M1['SERVICES_SCRIPT']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ GPT_TYPES, STORAGE_SCRIPT, normalizeGptType, parseStorageLayout, winreLocationFromReagentc } = await import(
    '../../../main/parse/storage-layout.ts'
  ))
  ;({ parseServices, SERVICING_SERVICES, SERVICES_SCRIPT } = await import('../../../main/parse/services.ts'))
})

const reagentc6 = loadFixture('reagentc/en-server2025-enabled-partition6.txt').text
const reagentcOff = loadFixture('reagentc/en-server2025-disabled.txt').text
const NO_BITLOCKER = 'Get-BitLockerVolume gave no answer; BitLocker state unknown.'
const NO_WINRE = 'reagentc did not name a WinRE location (WinRE disabled or reagentc failed).'

const base = () => ({
  SystemDrive: 'C:' as unknown,
  Disks: [{ Number: 0, Size: 1000, PartitionStyle: 'GPT' }] as Record<string, unknown>[],
  Partitions: [
    {
      DiskNumber: 0,
      PartitionNumber: 6,
      Offset: 900,
      Size: 100,
      GptType: `{${GPT_TYPES.recovery.toUpperCase()}}`,
      MbrType: null,
      DriveLetter: null,
      AccessPaths: ['\\\\?\\Volume{r}\\'],
    },
    {
      DiskNumber: 0,
      PartitionNumber: 1,
      Offset: 1,
      Size: 100,
      GptType: GPT_TYPES.system,
      MbrType: null,
      DriveLetter: null,
      AccessPaths: ['\\\\?\\Volume{s}\\'],
    },
    {
      DiskNumber: 0,
      PartitionNumber: 3,
      Offset: 200,
      Size: 600,
      GptType: GPT_TYPES.basicData,
      MbrType: null,
      DriveLetter: 'c',
      AccessPaths: ['C:\\'],
    },
  ] as Record<string, unknown>[],
  Volumes: [
    { DriveLetter: null, Path: '\\\\?\\Volume{r}\\', FileSystemLabel: 'Recovery', Size: 100, SizeRemaining: 40 },
    { DriveLetter: null, Path: '\\\\?\\Volume{s}\\', FileSystemLabel: '', Size: 100, SizeRemaining: 70 },
    { DriveLetter: 'C', Path: '\\\\?\\Volume{c}\\', FileSystemLabel: 'Windows', Size: 600, SizeRemaining: 300 },
  ] as Record<string, unknown>[],
  ReagentcInfo: reagentc6 as unknown,
  BitLocker: {
    ProtectionStatus: 'On',
    EncryptionPercentage: 100,
    VolumeStatus: 'FullyEncrypted',
    KeyProtectorTypes: ['Tpm', 'RecoveryPassword'],
  } as unknown,
})
const parse = (o: unknown, bde?: string) => parseStorageLayout(JSON.stringify(o), bde)

describe('parseStorageLayout', () => {
  it('a whole GPT layout: partitions sorted, roles, free space by access path or letter, WinRE from the real reagentc text', () => {
    expect(parse(base())).toEqual({
      fact: {
        systemDrive: { letter: 'C', sizeBytes: 600, freeBytes: 300 },
        disks: [
          {
            number: 0,
            sizeBytes: 1000,
            partitionStyle: 'GPT',
            partitions: [
              {
                diskNumber: 0,
                partitionNumber: 1,
                offsetBytes: 1,
                sizeBytes: 100,
                freeBytes: 70,
                type: GPT_TYPES.system,
                role: 'system',
                driveLetter: null,
                label: null,
                holdsWinre: false,
              },
              {
                diskNumber: 0,
                partitionNumber: 3,
                offsetBytes: 200,
                sizeBytes: 600,
                freeBytes: 300,
                type: GPT_TYPES.basicData,
                role: 'os',
                driveLetter: 'C',
                label: 'Windows',
                holdsWinre: false,
              },
              {
                diskNumber: 0,
                partitionNumber: 6,
                offsetBytes: 900,
                sizeBytes: 100,
                freeBytes: 40,
                type: GPT_TYPES.recovery,
                role: 'recovery',
                driveLetter: null,
                label: 'Recovery',
                holdsWinre: true,
              },
            ],
          },
        ],
        bitlocker: { protectionStatus: 'on', encryptionPercentage: 100, tpmProtector: true, recoveryPassword: true },
      },
      winreLocation: {
        disk: 0,
        partition: 6,
        path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition6\\Recovery\\WindowsRE',
      },
      warnings: [],
    })
  })

  it('roles by GPT type and by MBR type, and the MBR type written as hex', () => {
    const cases: Array<[Record<string, unknown>, string, string | null]> = [
      [{ GptType: GPT_TYPES.msr }, 'msr', GPT_TYPES.msr],
      [{ GptType: GPT_TYPES.basicData }, 'data', GPT_TYPES.basicData],
      [{ GptType: '{00000000-0000-0000-0000-000000000000}' }, 'other', '00000000-0000-0000-0000-000000000000'],
      [{ MbrType: 0xef }, 'system', '0xEF'],
      [{ MbrType: 39 }, 'recovery', '0x27'],
      [{ MbrType: 7 }, 'data', '0x07'],
      [{ MbrType: '7' }, 'data', '0x07'],
      [{ MbrType: 12 }, 'other', '0x0C'],
      [{ MbrType: 0 }, 'other', null],
      [{ MbrType: null }, 'other', null],
      [{ GptType: 'junk' }, 'other', null],
    ]
    let ran = 0
    for (const [fields, role, type] of cases) {
      const o = base()
      o.Partitions = [
        {
          DiskNumber: 0,
          PartitionNumber: 9,
          Offset: 0,
          Size: 1,
          GptType: null,
          MbrType: null,
          DriveLetter: null,
          AccessPaths: [],
          ...fields,
        },
        o.Partitions[2]!,
      ]
      const p = parse(o).fact!.disks[0]!.partitions.find((x) => x.partitionNumber === 9)!
      expect([p.role, p.type], JSON.stringify(fields)).toEqual([role, type])
      ran++
    }
    expect(ran).toBe(11)
  })

  it('partition styles as words and as PowerShell 5.1 numbers', () => {
    const cases: Array<[unknown, string]> = [
      ['GPT', 'GPT'],
      ['gpt', 'GPT'],
      [2, 'GPT'],
      ['MBR', 'MBR'],
      [1, 'MBR'],
      ['RAW', 'RAW'],
      [0, 'RAW'],
      ['x', 'unknown'],
      [null, 'unknown'],
      [3, 'unknown'],
    ]
    let ran = 0
    for (const [PartitionStyle, style] of cases) {
      const o = base()
      o.Disks = [{ Number: 0, Size: 1, PartitionStyle }]
      expect(parse(o).fact!.disks[0]!.partitionStyle, String(PartitionStyle)).toBe(style)
      ran++
    }
    expect(ran).toBe(10)
  })

  it('numbers as text are read, anything else falls back; a partition lands on its own disk', () => {
    const o = base()
    o.Disks = [
      { Number: '1', Size: '5', PartitionStyle: 'GPT' },
      { Number: 0, Size: 1.5e12, PartitionStyle: 'GPT' },
    ]
    o.Partitions = [
      {
        DiskNumber: '1',
        PartitionNumber: '2',
        Offset: 'x',
        Size: -1,
        GptType: null,
        MbrType: null,
        DriveLetter: 'CC',
        AccessPaths: 'C:\\',
      },
      o.Partitions[2]!,
    ]
    const disks = parse(o).fact!.disks
    expect(disks.map((d) => [d.number, d.sizeBytes, d.partitions.map((p) => p.partitionNumber)])).toEqual([
      [1, 5, [2]],
      [0, 1.5e12, [3]],
    ])
    expect(disks[0]!.partitions[0]).toMatchObject({
      offsetBytes: 0,
      sizeBytes: -1,
      driveLetter: null,
      freeBytes: null,
      label: null,
    })
    const bad = base()
    bad.Disks = [{ Size: 'big' }]
    bad.Partitions = [{}]
    expect(parse(bad).fact!.disks).toEqual([
      {
        number: -1,
        sizeBytes: 0,
        partitionStyle: 'unknown',
        partitions: [
          {
            diskNumber: -1,
            partitionNumber: -1,
            offsetBytes: 0,
            sizeBytes: 0,
            freeBytes: null,
            type: null,
            role: 'other',
            driveLetter: null,
            label: null,
            holdsWinre: false,
          },
        ],
      },
    ])
  })

  it('a single object instead of an array (PowerShell 5.1) is one item; other values none', () => {
    const o = base()
    o.Disks = { Number: 0, Size: 1, PartitionStyle: 'MBR' } as never
    o.Volumes = o.Volumes[2] as never
    expect(parse(o).fact!.disks.map((d) => d.partitionStyle)).toEqual(['MBR'])
    const none = base()
    none.Disks = 'disk' as never
    none.Partitions = [null, 5, 'x'] as never
    expect(parse(none).fact!.disks).toEqual([])
  })

  it('another system drive letter, and its absence from the volumes', () => {
    const o = base()
    o.SystemDrive = 'd:'
    o.Volumes = [...o.Volumes, { DriveLetter: 'D', Path: 'x', FileSystemLabel: 'Win', Size: 9, SizeRemaining: 'n/a' }]
    const r = parse(o)
    expect(r.fact!.systemDrive).toEqual({ letter: 'D', sizeBytes: 9, freeBytes: 0 })
    expect(r.fact!.disks[0]!.partitions.find((p) => p.partitionNumber === 3)!.role).toBe('data')
    const missing = base()
    missing.Volumes = missing.Volumes.slice(0, 2)
    expect(parse(missing)).toEqual({
      fact: null,
      winreLocation: {
        disk: 0,
        partition: 6,
        path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition6\\Recovery\\WindowsRE',
      },
      warnings: ['The system drive C: was not among the volumes.'],
    })
    const noDrive = base()
    delete (noDrive as Record<string, unknown>).SystemDrive
    expect(parse(noDrive).fact!.systemDrive.letter).toBe('C')
    const oddDrive = base()
    oddDrive.SystemDrive = '\\\\?\\x'
    expect(parse(oddDrive).fact!.systemDrive.letter).toBe('C')
  })

  it('BitLocker: each protection status, the percentage only as a number, a TPM protector by name', () => {
    const cases: Array<
      [
        unknown,
        unknown,
        unknown,
        {
          protectionStatus: string
          encryptionPercentage: number | null
          tpmProtector: boolean
          recoveryPassword: boolean | null
        },
      ]
    > = [
      [
        'On',
        100,
        ['Tpm'],
        { protectionStatus: 'on', encryptionPercentage: 100, tpmProtector: true, recoveryPassword: false },
      ],
      [
        1,
        50.5,
        ['TpmPin', 'RecoveryPassword'],
        { protectionStatus: 'on', encryptionPercentage: 50.5, tpmProtector: true, recoveryPassword: true },
      ],
      [
        'Off',
        '0',
        ['RecoveryPassword'],
        { protectionStatus: 'off', encryptionPercentage: null, tpmProtector: false, recoveryPassword: true },
      ],
      [
        0,
        null,
        'Tpm',
        { protectionStatus: 'off', encryptionPercentage: null, tpmProtector: false, recoveryPassword: null },
      ],
      [
        'Unknown',
        0,
        ['ExternalKey', 'NotTpm'],
        { protectionStatus: 'unknown', encryptionPercentage: 0, tpmProtector: false, recoveryPassword: false },
      ],
      [
        undefined,
        undefined,
        undefined,
        { protectionStatus: 'unknown', encryptionPercentage: null, tpmProtector: false, recoveryPassword: null },
      ],
    ]
    let ran = 0
    for (const [ProtectionStatus, EncryptionPercentage, KeyProtectorTypes, want] of cases) {
      const o = base()
      o.BitLocker = { ProtectionStatus, EncryptionPercentage, KeyProtectorTypes }
      const r = parse(o)
      expect(r.fact!.bitlocker, JSON.stringify(want)).toEqual(want)
      expect(r.warnings).toEqual([])
      ran++
    }
    expect(ran).toBe(6)
  })

  it('no Get-BitLockerVolume answer: manage-bde text when recognised, else a warning', () => {
    const o = base()
    o.BitLocker = null
    expect(parse(o)).toMatchObject({
      fact: { bitlocker: { protectionStatus: 'unknown', encryptionPercentage: null, tpmProtector: null } },
      warnings: [NO_BITLOCKER],
    })
    const bde =
      'Volume C: [Windows]\n[OS Volume]\n\n    Percentage Encrypted: 42,5%\n    Protection Status:    Protection Off\n    Key Protectors:\n        Numerical Password\n'
    expect(parse(o, bde)).toMatchObject({
      fact: { bitlocker: { protectionStatus: 'off', encryptionPercentage: 42.5, tpmProtector: false } },
      warnings: [],
    })
    expect(parse(o, 'ERROR: An attempt to access a required resource was denied.')).toMatchObject({
      fact: { bitlocker: { protectionStatus: 'unknown' } },
      warnings: ['manage-bde output was not recognised; BitLocker state unknown.'],
    })
    o.BitLocker = 'On'
    expect(parse(o).warnings).toEqual([NO_BITLOCKER])
  })

  it('WinRE disabled (real reagentc text with an empty location), or no reagentc text: no partition holds it, and a warning', () => {
    for (const info of [reagentcOff, undefined, 42]) {
      const o = base()
      o.ReagentcInfo = info
      const r = parse(o)
      expect(r.winreLocation).toBeNull()
      expect(r.warnings).toEqual([NO_WINRE])
      expect(r.fact!.disks[0]!.partitions.every((p) => !p.holdsWinre)).toBe(true)
    }
    const other = base()
    other.ReagentcInfo = reagentc6.replace('harddisk0', 'harddisk1')
    expect(parse(other).fact!.disks[0]!.partitions.every((p) => !p.holdsWinre)).toBe(true)
  })

  it('refuses what is not our JSON object, after trimming and a byte-order mark', () => {
    let ran = 0
    for (const t of ['', 'not json', '[]', 'null', '5', '"C:"']) {
      expect(parseStorageLayout(t), t).toEqual({
        fact: null,
        winreLocation: null,
        warnings: ['The storage output is not the JSON object our script prints.'],
      })
      ran++
    }
    expect(ran).toBe(6)
    expect(parseStorageLayout(`\uFEFF ${JSON.stringify(base())} \n`).fact).not.toBeNull()
  })

  it('winreLocationFromReagentc and normalizeGptType', () => {
    expect(winreLocationFromReagentc(loadFixture('reagentc/fr-enabled-quoted.txt').text)).toEqual({
      disk: 0,
      partition: 4,
      path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE',
    })
    expect(
      winreLocationFromReagentc('\\\\?\\globalroot\\Device\\HardDisk12\\Partition3\\Recovery\\WindowsRE'),
    ).toMatchObject({ disk: 12, partition: 3 })
    expect(winreLocationFromReagentc('\\\\?\\GLOBALROOT\\device\\harddiskX\\partition3\\')).toBeNull()
    expect(normalizeGptType(' {DE94BBA4-06D1-4D40-A16A-BFD50179D6AC} ')).toBe(GPT_TYPES.recovery)
    expect(normalizeGptType('de94bba4-06d1-4d40-a16a-bfd50179d6ac')).toBe(GPT_TYPES.recovery)
    expect(normalizeGptType('de94bba4-06d1-4d40-a16a-bfd50179d6a')).toBeNull()
    expect(normalizeGptType('xde94bba4-06d1-4d40-a16a-bfd50179d6ac')).toBeNull()
    expect(normalizeGptType('ge94bba4-06d1-4d40-a16a-bfd50179d6ac')).toBeNull()
    expect(normalizeGptType(7)).toBeNull()
  })
})

describe('parseServices', () => {
  const all = () =>
    SERVICING_SERVICES.map((Name) => ({ Name, DisplayName: Name, Status: 'Running', StartType: 'Manual' }))

  it('each status and start type, as a name or a PowerShell 5.1 number', () => {
    const statuses: Array<[unknown, string]> = [
      [1, 'stopped'],
      [2, 'start-pending'],
      [3, 'stop-pending'],
      [4, 'running'],
      [5, 'other'],
      [6, 'other'],
      [7, 'paused'],
      ['Stopped', 'stopped'],
      ['StartPending', 'start-pending'],
      ['Stop_Pending', 'stop-pending'],
      ['running', 'running'],
      ['Paused', 'paused'],
      ['Weird', 'other'],
      [null, 'other'],
      [8, 'other'],
    ]
    const starts: Array<[unknown, string]> = [
      [2, 'automatic'],
      [3, 'manual'],
      [4, 'disabled'],
      [10, 'automatic-delayed'],
      [0, 'other'],
      [1, 'other'],
      ['Automatic', 'automatic'],
      ['Manual', 'manual'],
      ['Disabled', 'disabled'],
      ['AutomaticDelayedStart', 'automatic-delayed'],
      ['Boot', 'other'],
      [undefined, 'other'],
    ]
    let ran = 0
    for (const [Status, status] of statuses) {
      expect(parseServices(JSON.stringify({ Name: 'wuauserv', Status })).services[0]!.status, String(Status)).toBe(
        status,
      )
      ran++
    }
    for (const [StartType, startType] of starts) {
      expect(
        parseServices(JSON.stringify({ Name: 'wuauserv', StartType })).services[0]!.startType,
        String(StartType),
      ).toBe(startType)
      ran++
    }
    expect(ran).toBe(27)
  })

  it('DelayedAutoStart turns automatic into automatic-delayed, only when true and only for automatic', () => {
    const st = (o: Record<string, unknown>) =>
      parseServices(JSON.stringify({ Name: 'bits', ...o })).services[0]!.startType
    expect(st({ StartType: 'Automatic', DelayedAutoStart: true })).toBe('automatic-delayed')
    expect(st({ StartType: 'Automatic', DelayedAutoStart: 'true' })).toBe('automatic')
    expect(st({ StartType: 'Automatic', DelayedAutoStart: false })).toBe('automatic')
    expect(st({ StartType: 'Manual', DelayedAutoStart: true })).toBe('manual')
  })

  it('names lower-cased, display name only as text, rows without a name skipped; missing services named', () => {
    const r = parseServices(
      JSON.stringify([
        { Name: 'WuAuServ', DisplayName: 5, Status: 4, StartType: 3 },
        { Name: '' },
        { DisplayName: 'x' },
        null,
        'bits',
      ]),
    )
    expect(r).toEqual({
      services: [{ name: 'wuauserv', displayName: null, status: 'running', startType: 'manual' }],
      missing: ['bits', 'cryptsvc', 'trustedinstaller', 'msiserver', 'usosvc'],
      warnings: ['Not found on this PC: bits, cryptsvc, trustedinstaller, msiserver, usosvc.'],
      ok: true,
    })
    expect(parseServices(`\uFEFF${JSON.stringify(all())}\n`)).toMatchObject({ missing: [], warnings: [], ok: true })
    expect(parseServices(JSON.stringify(all())).services).toHaveLength(6)
  })

  it('refuses what is not JSON, plainly', () => {
    expect(parseServices('')).toEqual({
      services: [],
      missing: [],
      warnings: ['The services output is not JSON (expected Get-Service as ConvertTo-Json).'],
      ok: false,
    })
    expect(parseServices(undefined as unknown as string).ok).toBe(false)
  })

  it('the script asks for exactly the servicing services', () => {
    expect(SERVICES_SCRIPT).toContain("$names = 'wuauserv','bits','cryptsvc','trustedinstaller','msiserver','usosvc'")
    expect(SERVICES_SCRIPT.split('\n')).toHaveLength(6)
  })
})

describe('STORAGE_SCRIPT', () => {
  it('prints the object the parser reads: system drive, disks, partitions, volumes, reagentc text and BitLocker', () => {
    const lines = STORAGE_SCRIPT.split('\n')
    expect(lines).toHaveLength(12)
    expect(lines[0]).toBe('$ErrorActionPreference = "SilentlyContinue"')
    expect(lines[11]).toBe('} | ConvertTo-Json -Depth 4 -Compress')
    let ran = 0
    for (const field of [
      'SystemDrive = $env:SystemDrive',
      'Disks = @(Get-Disk',
      'Partitions = @(Get-Partition',
      'Volumes = @(Get-Volume',
      'ReagentcInfo = (reagentc.exe /info | Out-String)',
      'BitLocker = $bl',
    ]) {
      expect(
        lines.filter((l) => l.startsWith(`  ${field}`)),
        field,
      ).toHaveLength(1)
      ran++
    }
    expect(ran).toBe(6)
    for (const part of [
      'Get-BitLockerVolume -MountPoint $env:SystemDrive',
      'KeyProtectorTypes',
      'GptType, MbrType',
      'AccessPaths',
      'SizeRemaining',
      '[string]$_.PartitionStyle',
    ])
      expect(STORAGE_SCRIPT, part).toContain(part)
  })
})
