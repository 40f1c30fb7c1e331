/**
 * parseBootChain and its helpers (main/parse/boot-chain.ts) on exact results (mutation testing): the
 * read-only script line by line, then the whole fact for a PC before and after the 2023 certificate update,
 * then each rule on small edge inputs: the JSON wrapper (BOM, junk, arrays), Secure Boot's values, the
 * certificate maps, the registry values by name and type, the events (one object or many, bad ids, order),
 * the EFI partition (numbers as strings, missing fields, folders unreadable or absent) and the boot manager's
 * issuer. The values inside the JSON are the real ones of test/fixtures/boot-chain (Confirm-SecureBootUEFI's
 * `True` and BIOS message, the `reg query` status line); the rest are edge inputs, not captures.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

type M = typeof import('../../../main/parse/boot-chain.ts')
let parseBootChain: M['parseBootChain']
let bootManagerSigner: M['bootManagerSigner']
let isMicrosoftEspFolder: M['isMicrosoftEspFolder']
let BOOT_CHAIN_SCRIPT: M['BOOT_CHAIN_SCRIPT']
let ESP_GPT_TYPE: M['ESP_GPT_TYPE']
// Loaded fresh for this file, so the module-level names, lists and the script are the ones under test.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseBootChain, bootManagerSigner, isMicrosoftEspFolder, BOOT_CHAIN_SCRIPT, ESP_GPT_TYPE } = await import(
    '../../../main/parse/boot-chain.ts'
  ))
})

const TRUE = loadFixture('boot-chain/confirm-securebootuefi-true.txt').text.trim()
const BIOS = loadFixture('boot-chain/confirm-securebootuefi-bios.txt').text.trim()
const STATUS = loadFixture('boot-chain/reg-uefica2023status-updated.txt').text.trimEnd()

const W23 = 'Windows UEFI CA 2023'
const M23 = 'Microsoft UEFI CA 2023'
const OROM = 'Microsoft Option ROM UEFI CA 2023'
const PCA = 'Microsoft Windows Production PCA 2011'
const M11 = 'Microsoft Corporation UEFI CA 2011'
const KEK23 = 'Microsoft Corporation KEK 2K CA 2023'
const KEK11 = 'Microsoft Corporation KEK CA 2011'
const PCA_ISSUER = 'CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'
const KEY = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot'
// `reg query … /s` layout: a blank line, the key, its value lines (4-space separated), a blank line.
const REG = [
  '',
  KEY,
  '    AvailableUpdates    REG_DWORD    0x5944',
  '',
  `${KEY}\\Servicing`,
  STATUS,
  '    UEFICA2023Error    REG_DWORD    0x0',
  '    WindowsUEFICA2023Capable    REG_DWORD    0x1',
  '',
].join('\r\n')
const EVENT = {
  Id: 1801,
  TimeCreated: '2026-06-10T08:41:17.0000000Z',
  LevelDisplayName: 'Error',
  Message: 'Secure Boot CA/keys need to be updated.',
}
const ESP = {
  DiskNumber: 0,
  PartitionNumber: 1,
  Size: 104857600,
  SizeRemaining: 7969177,
  Folders: [
    { Name: 'Microsoft', Bytes: 100 },
    { Name: 'HP', Bytes: 200 },
  ],
  FoldersError: null,
  BootManagerIssuer: PCA_ISSUER,
  BootManagerError: null,
}
function json(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    SecureBoot: TRUE,
    SecureBootError: null,
    Db: { [W23]: false, [M23]: false, [OROM]: false, [PCA]: true, [M11]: true },
    Kek: { [KEK23]: false, [KEK11]: true },
    Dbx: { [PCA]: false },
    Registry: REG,
    Events: [EVENT],
    Esp: ESP,
    ...over,
  })
}
const parse = (over: Record<string, unknown> = {}) => parseBootChain(json(over))
const fact = (over: Record<string, unknown> = {}) => parse(over).fact!
const READ = "Read through the partition's volume path, without mounting it."
const NO_ESP = 'No EFI system partition was found (a BIOS/MBR PC, or Get-Partition gave nothing).'
const NOT_JSON = { fact: null, warnings: ['The boot-chain output is not the JSON object our script prints.'] }
const DB_UNREAD = 'The Secure Boot db could not be read (Get-SecureBootUEFI db).'
const signedBy = (issuer: string) =>
  `Get-AuthenticodeSignature \\EFI\\Microsoft\\Boot\\bootmgfw.efi: signer issued by ${issuer}`
const UNSIGNED =
  "The boot manager's signer is unknown: \\EFI\\Microsoft\\Boot\\bootmgfw.efi could not be read without mounting the partition"

describe('the boot-chain script', () => {
  it('is exactly these read-only lines (the names, event ids and ESP type it asks for are the ones parsed back)', () => {
    expect(BOOT_CHAIN_SCRIPT.split('\n')).toEqual(EXPECTED_SCRIPT.split('\n'))
    expect(BOOT_CHAIN_SCRIPT.split('\n')).toHaveLength(21)
    expect(ESP_GPT_TYPE).toBe('{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}')
  })
})

describe('parseBootChain: whole facts', () => {
  it('a PC before the 2023 update: Secure Boot on, 2011 certificates only, status Updated, one event, the ESP', () => {
    const r = parse()
    const warnings: string[] = []
    expect(r).toEqual({
      fact: {
        secureBoot: 'on',
        db: {
          windowsUefiCa2023: false,
          microsoftUefiCa2023: false,
          optionRomUefiCa2023: false,
          windowsProductionPca2011: true,
          microsoftUefiCa2011: true,
        },
        kek: { kek2023: false, kek2011: true },
        pca2011Revoked: false,
        servicing: {
          availableUpdates: 0x5944,
          uefiCa2023Status: 'Updated',
          uefiCa2023Error: 0,
          windowsUefiCa2023Capable: 1,
        },
        events: [
          {
            id: 1801,
            time: '2026-06-10T08:41:17.0000000Z',
            level: 'Error',
            message: 'Secure Boot CA/keys need to be updated.',
          },
        ],
        bootManager: { signer: 'windows-production-pca-2011', issuer: PCA_ISSUER, detail: signedBy(PCA_ISSUER) },
        esp: {
          disk: 0,
          partition: 1,
          sizeBytes: 104857600,
          freeBytes: 7969177,
          folders: [
            { name: 'Microsoft', bytes: 100, microsoft: true, loaders: null },
            { name: 'HP', bytes: 200, microsoft: false, loaders: null },
          ],
          foldersDetail: READ,
        },
        warnings,
      },
      warnings,
    })
    expect(r.fact!.warnings).toBe(r.warnings)
  })

  it('a BIOS PC: unsupported, nothing read, no ESP; only the db warning', () => {
    const r = parse({
      SecureBoot: null,
      SecureBootError: BIOS,
      Db: {},
      Kek: {},
      Dbx: {},
      Registry: '',
      Events: [],
      Esp: null,
    })
    expect(r.fact).toEqual({
      secureBoot: 'unsupported',
      db: {
        windowsUefiCa2023: null,
        microsoftUefiCa2023: null,
        optionRomUefiCa2023: null,
        windowsProductionPca2011: null,
        microsoftUefiCa2011: null,
      },
      kek: { kek2023: null, kek2011: null },
      pca2011Revoked: null,
      servicing: {
        availableUpdates: null,
        uefiCa2023Status: null,
        uefiCa2023Error: null,
        windowsUefiCa2023Capable: null,
      },
      events: [],
      bootManager: { signer: 'unknown', issuer: null, detail: NO_ESP },
      esp: null,
      warnings: [DB_UNREAD],
    })
    expect(r.warnings).toEqual([DB_UNREAD])
  })
})

describe('parseBootChain: the JSON wrapper', () => {
  it('anything but one JSON object is refused with one warning', () => {
    let ran = 0
    for (const input of [
      '',
      'not json',
      '[1,2]',
      '5',
      'null',
      'true',
      '"x"',
      '[]',
      `[${json()}]`,
      '\n\uFEFF{}x',
      undefined,
      5,
      null,
    ]) {
      ran++
      expect(parseBootChain(input as string), String(input)).toEqual(NOT_JSON)
    }
    expect(ran).toBe(13)
  })

  it('surrounding blank lines and a leading BOM are allowed (also a BOM after a newline)', () => {
    const whole = parse()
    expect(parseBootChain(`\r\n  ${json()}  \r\n`)).toEqual(whole)
    expect(parseBootChain(`\uFEFF${json()}`)).toEqual(whole)
    expect(parseBootChain(`\n\uFEFF${json()}\n`)).toEqual(whole)
  })

  it('an empty object: everything unknown, both warnings', () => {
    expect(parseBootChain('{}')).toEqual({
      fact: {
        secureBoot: 'unknown',
        db: {
          windowsUefiCa2023: null,
          microsoftUefiCa2023: null,
          optionRomUefiCa2023: null,
          windowsProductionPca2011: null,
          microsoftUefiCa2011: null,
        },
        kek: { kek2023: null, kek2011: null },
        pca2011Revoked: null,
        servicing: {
          availableUpdates: null,
          uefiCa2023Status: null,
          uefiCa2023Error: null,
          windowsUefiCa2023Capable: null,
        },
        events: [],
        bootManager: { signer: 'unknown', issuer: null, detail: NO_ESP },
        esp: null,
        warnings: ['Secure Boot state not read.', DB_UNREAD],
      },
      warnings: ['Secure Boot state not read.', DB_UNREAD],
    })
  })
})

describe('parseBootChain: Secure Boot', () => {
  it('the state from Confirm-SecureBootUEFI or its error, with the warning only when unknown', () => {
    let ran = 0
    const cases: [sb: unknown, err: unknown, state: string, warnings: string[]][] = [
      [TRUE, null, 'on', []],
      [true, null, 'on', []],
      ['true', null, 'on', []],
      ['False', null, 'off', []],
      [false, null, 'off', []],
      ['false', null, 'off', []],
      [null, BIOS, 'unsupported', []],
      [null, 'CMDLET NOT SUPPORTED ON THIS PLATFORM', 'unsupported', []],
      [
        null,
        'Variable is currently undefined: 0xC0000100',
        'unknown',
        ['Secure Boot state not read: Variable is currently undefined: 0xC0000100.'],
      ],
      [null, '  Access was denied  ', 'unknown', ['Secure Boot state not read: Access was denied.']],
      [null, null, 'unknown', ['Secure Boot state not read.']],
      [null, '   ', 'unknown', ['Secure Boot state not read.']],
      ['TRUE', null, 'unknown', ['Secure Boot state not read.']],
      [1, null, 'unknown', ['Secure Boot state not read.']],
      ['', null, 'unknown', ['Secure Boot state not read.']],
      [false, BIOS, 'off', []],
    ]
    for (const [sb, err, state, warnings] of cases) {
      ran++
      const f = fact({ SecureBoot: sb, SecureBootError: err })
      expect([f.secureBoot, f.warnings], `${String(sb)} / ${String(err)}`).toEqual([state, warnings])
    }
    expect(ran).toBe(16)
  })
})

describe('parseBootChain: certificates', () => {
  it('each name read from its own map; True/False strings too; others null', () => {
    const f = fact({
      Db: { [W23]: 'True', [M23]: 'false', [OROM]: 1, [PCA]: 'yes' },
      Kek: { [KEK23]: true },
      Dbx: { [PCA]: 'True', [W23]: false },
    })
    expect([f.db, f.kek, f.pca2011Revoked, f.warnings]).toEqual([
      {
        windowsUefiCa2023: true,
        microsoftUefiCa2023: false,
        optionRomUefiCa2023: null,
        windowsProductionPca2011: null,
        microsoftUefiCa2011: null,
      },
      { kek2023: true, kek2011: null },
      true,
      [],
    ])
  })

  it('the db warning only when no db name could be read; maps that are not objects count as empty', () => {
    let ran = 0
    const cases: [db: unknown, warned: boolean][] = [
      [{ [M11]: true }, false],
      [{ [W23]: false }, false],
      [{ [OROM]: 'False' }, false],
      [{}, true],
      [{ [KEK23]: true }, true],
      [[true, true], true],
      ['Windows UEFI CA 2023', true],
      [null, true],
    ]
    for (const [db, warned] of cases) {
      ran++
      expect(fact({ Db: db }).warnings, JSON.stringify(db)).toEqual(warned ? [DB_UNREAD] : [])
    }
    expect(ran).toBe(8)
    expect(fact({ Kek: [true], Dbx: 'True' })).toMatchObject({
      kek: { kek2023: null, kek2011: null },
      pca2011Revoked: null,
    })
  })
})

describe('parseBootChain: servicing registry values', () => {
  const servicing = (reg: unknown) => fact({ Registry: reg }).servicing
  it('each value by name in any key, any case; numbers only from REG_DWORD, the status only as text', () => {
    let ran = 0
    const cases: [reg: unknown, want: object][] = [
      [REG, { availableUpdates: 0x5944, uefiCa2023Status: 'Updated', uefiCa2023Error: 0, windowsUefiCa2023Capable: 1 }],
      [
        `${KEY}\\Servicing\r\n    uefica2023status    REG_SZ    InProgress\r\n    UEFICA2023ERROR    REG_DWORD    0x80070002\r\n`,
        {
          availableUpdates: null,
          uefiCa2023Status: 'InProgress',
          uefiCa2023Error: 0x80070002,
          windowsUefiCa2023Capable: null,
        },
      ],
      [
        `${KEY}\r\n    AvailableUpdates    REG_SZ    0x40\r\n    UEFICA2023Status    REG_DWORD    0x2\r\n    WindowsUEFICA2023Capable    REG_DWORD    0x2\r\n`,
        { availableUpdates: null, uefiCa2023Status: null, uefiCa2023Error: null, windowsUefiCa2023Capable: 2 },
      ],
      [
        `${KEY}\r\n    Other    REG_DWORD    0x7\r\n    UEFICA2023StatusX    REG_SZ    Updated\r\n`,
        { availableUpdates: null, uefiCa2023Status: null, uefiCa2023Error: null, windowsUefiCa2023Capable: null },
      ],
      ['', { availableUpdates: null, uefiCa2023Status: null, uefiCa2023Error: null, windowsUefiCa2023Capable: null }],
      [null, { availableUpdates: null, uefiCa2023Status: null, uefiCa2023Error: null, windowsUefiCa2023Capable: null }],
      [
        ['    UEFICA2023Status    REG_SZ    Updated'],
        { availableUpdates: null, uefiCa2023Status: null, uefiCa2023Error: null, windowsUefiCa2023Capable: null },
      ],
    ]
    for (const [reg, want] of cases) {
      ran++
      expect(servicing(reg), String(reg)).toEqual(want)
    }
    expect(ran).toBe(7)
  })
})

describe('parseBootChain: events', () => {
  const events = (ev: unknown) => fact({ Events: ev }).events
  it('one object or an array; bad ids and entries dropped; newest first, undated last; missing texts null or empty', () => {
    expect(events(EVENT)).toEqual([
      {
        id: 1801,
        time: '2026-06-10T08:41:17.0000000Z',
        level: 'Error',
        message: 'Secure Boot CA/keys need to be updated.',
      },
    ])
    expect(
      events([
        { Id: 1808, TimeCreated: '2026-06-09T08:00:00.0000000Z', LevelDisplayName: 'Information', Message: 'ok' },
        null,
        5,
        'x',
        [EVENT],
        { Id: 0, Message: 'zero' },
        { Id: -3, Message: 'negative' },
        { Message: 'no id' },
        { Id: 'x', Message: 'bad id' },
        { Id: '1800', TimeCreated: null, LevelDisplayName: '  ', Message: null },
        { Id: 1801, TimeCreated: '2026-06-11T08:00:00.0000000Z', LevelDisplayName: ' Warning ', Message: 7 },
        { Id: 1799, TimeCreated: '   ', LevelDisplayName: 'Information', Message: '' },
      ]),
    ).toEqual([
      { id: 1801, time: '2026-06-11T08:00:00.0000000Z', level: 'Warning', message: '' },
      { id: 1808, time: '2026-06-09T08:00:00.0000000Z', level: 'Information', message: 'ok' },
      { id: 1800, time: null, level: null, message: '' },
      { id: 1799, time: null, level: 'Information', message: '' },
    ])
    expect(events(null)).toEqual([])
    expect(events('1801')).toEqual([])
    expect(events(1801)).toEqual([])
  })

  it('undated events sort after dated ones, from either side of the comparison', () => {
    const a = { Id: 1, TimeCreated: null, Message: 'a' }
    const b = { Id: 2, TimeCreated: '2026-01-01T00:00:00Z', Message: 'b' }
    const c = { Id: 3, TimeCreated: 'Stryker was here!', Message: 'c' }
    expect(events([a, b]).map((e) => e.id)).toEqual([2, 1])
    expect(events([b, a]).map((e) => e.id)).toEqual([2, 1])
    expect(events([a, c, b]).map((e) => e.id)).toEqual([3, 2, 1])
  })
})

describe('parseBootChain: the EFI system partition', () => {
  const esp = (over: Record<string, unknown>) => fact({ Esp: { ...ESP, ...over } })
  it('numbers from numbers or digit strings only; missing disk/partition -1, size 0, free null', () => {
    let ran = 0
    const cases: [over: Record<string, unknown>, want: [number, number, number, number | null]][] = [
      [{ DiskNumber: 2, PartitionNumber: 3 }, [2, 3, 104857600, 7969177]],
      [{ DiskNumber: '2', PartitionNumber: '12', Size: '104857600', SizeRemaining: '0' }, [2, 12, 104857600, 0]],
      [
        { DiskNumber: undefined, PartitionNumber: undefined, Size: undefined, SizeRemaining: undefined },
        [-1, -1, 0, null],
      ],
      [{ DiskNumber: 'x5', PartitionNumber: '5x', Size: 'abc', SizeRemaining: '' }, [-1, -1, 0, null]],
      [
        { DiskNumber: '-1', PartitionNumber: '1.5', Size: Number.POSITIVE_INFINITY, SizeRemaining: true },
        [-1, -1, 0, null],
      ],
      [{ DiskNumber: 0, PartitionNumber: 0, Size: 0, SizeRemaining: 0 }, [0, 0, 0, 0]],
    ]
    for (const [over, [disk, partition, size, free]] of cases) {
      ran++
      expect(esp(over).esp, JSON.stringify(over)).toMatchObject({ disk, partition, sizeBytes: size, freeBytes: free })
    }
    expect(ran).toBe(6)
    // JSON.stringify writes Infinity as null, so the overflowing number goes in as raw text; an array whose only
    // element is a digit string would pass a digit test made on its text ("5"), but is not a number.
    const raw = json({ Esp: { ...ESP, Size: '__SIZE__', DiskNumber: ['5'], PartitionNumber: [12] } }).replace(
      '"__SIZE__"',
      '1e999',
    )
    expect(parseBootChain(raw).fact!.esp).toMatchObject({ disk: -1, partition: -1, sizeBytes: 0, freeBytes: 7969177 })
  })

  it('a BOM inside the text is data, not a header: only a leading one is dropped', () => {
    expect(fact({ Esp: { ...ESP, Folders: [{ Name: '\uFEFFHP', Bytes: 1 }] } }).esp!.folders).toEqual([
      { name: '\uFEFFHP', bytes: 1, microsoft: false, loaders: null },
    ])
  })

  it("folders: an array or one object; nameless ones dropped; sizes as numbers; Microsoft and Boot are Windows'", () => {
    expect(esp({ Folders: { Name: 'Boot', Bytes: '4096' } }).esp!.folders).toEqual([
      { name: 'Boot', bytes: 4096, microsoft: true, loaders: null },
    ])
    expect(
      esp({
        Folders: [
          { Name: '', Bytes: 1 },
          { Bytes: 2 },
          null,
          'HP',
          { Name: 'ubuntu', Bytes: null },
          { Name: 'Stryker was here!', Bytes: 3 },
        ],
      }).esp!.folders,
    ).toEqual([
      { name: 'ubuntu', bytes: null, microsoft: false, loaders: null },
      { name: 'Stryker was here!', bytes: 3, microsoft: false, loaders: null },
    ])
    expect(esp({ Folders: [] }).esp).toMatchObject({ folders: [], foldersDetail: READ })
  })

  it('folders unreadable (with the reason) or not listed at all', () => {
    expect(esp({ Folders: null, FoldersError: 'Access is denied' }).esp).toMatchObject({
      folders: null,
      foldersDetail:
        'What occupies the EFI partition is unknown: its folders could not be read without mounting it (Access is denied).',
    })
    expect(esp({ FoldersError: ' Access is denied ' }).esp).toMatchObject({
      folders: null,
      foldersDetail:
        'What occupies the EFI partition is unknown: its folders could not be read without mounting it (Access is denied).',
    })
    expect(esp({ Folders: null, FoldersError: null }).esp).toMatchObject({
      folders: null,
      foldersDetail: 'Its folders were not listed.',
    })
    expect(esp({ Folders: 'EFI', FoldersError: '  ' }).esp).toMatchObject({
      folders: null,
      foldersDetail: 'Its folders were not listed.',
    })
  })

  it('the boot manager: its issuer named, or unknown with the reason when there is one', () => {
    const w23 = 'CN=Windows UEFI CA 2023, O=Microsoft Corporation, C=US'
    expect(esp({ BootManagerIssuer: ` ${w23} ` }).bootManager).toEqual({
      signer: 'windows-uefi-ca-2023',
      issuer: w23,
      detail: signedBy(w23),
    })
    expect(esp({ BootManagerIssuer: null, BootManagerError: 'Access is denied' }).bootManager).toEqual({
      signer: 'unknown',
      issuer: null,
      detail: `${UNSIGNED} (Access is denied).`,
    })
    expect(esp({ BootManagerIssuer: '', BootManagerError: null }).bootManager).toEqual({
      signer: 'unknown',
      issuer: null,
      detail: `${UNSIGNED}.`,
    })
    expect(esp({ BootManagerIssuer: 'CN=Other CA', BootManagerError: 'ignored' }).bootManager).toEqual({
      signer: 'other',
      issuer: 'CN=Other CA',
      detail: signedBy('CN=Other CA'),
    })
    expect(fact({ Esp: [ESP] })).toMatchObject({
      esp: null,
      bootManager: { signer: 'unknown', issuer: null, detail: NO_ESP },
    })
  })
})

describe('helpers', () => {
  it('bootManagerSigner and isMicrosoftEspFolder', () => {
    let ran = 0
    const signers: [string | null, string][] = [
      ['CN=Windows UEFI CA 2023, O=Microsoft Corporation, C=US', 'windows-uefi-ca-2023'],
      ['cn=windows uefi ca 2023', 'windows-uefi-ca-2023'],
      ['CN=Windows UEFI CA 20231', 'other'],
      [PCA_ISSUER, 'windows-production-pca-2011'],
      ['CN=Microsoft Windows Production PCA 2011X', 'other'],
      ['CN=Microsoft Corporation UEFI CA 2011', 'other'],
      ['', 'unknown'],
      [null, 'unknown'],
    ]
    for (const [issuer, signer] of signers) {
      ran++
      expect(bootManagerSigner(issuer), String(issuer)).toBe(signer)
    }
    const folders: [string, boolean][] = [
      ['Microsoft', true],
      ['BOOT', true],
      [' Boot ', true],
      ['xboot', false],
      ['bootx', false],
      ['MicrosoftX', false],
      ['HP', false],
      ['', false],
    ]
    for (const [name, ms] of folders) {
      ran++
      expect(isMicrosoftEspFolder(name), name).toBe(ms)
    }
    expect(ran).toBe(16)
  })
})

const EXPECTED_SCRIPT = String.raw`$ErrorActionPreference = "SilentlyContinue"
function Test-Cert($var, $name) { try { $b = (Get-SecureBootUEFI -Name $var -ErrorAction Stop).Bytes; [bool]([System.Text.Encoding]::ASCII.GetString($b) -match $name) } catch { $null } }
$sb = $null; $sbError = $null
try { $sb = [string](Confirm-SecureBootUEFI -ErrorAction Stop) } catch { $sbError = $_.Exception.Message }
$db = [ordered]@{}; foreach ($n in @('Windows UEFI CA 2023','Microsoft UEFI CA 2023','Microsoft Option ROM UEFI CA 2023','Microsoft Windows Production PCA 2011','Microsoft Corporation UEFI CA 2011')) { $db[$n] = Test-Cert 'db' $n }
$kek = [ordered]@{}; foreach ($n in @('Microsoft Corporation KEK 2K CA 2023','Microsoft Corporation KEK CA 2011')) { $kek[$n] = Test-Cert 'KEK' $n }
$dbx = [ordered]@{ 'Microsoft Windows Production PCA 2011' = (Test-Cert 'dbx' 'Microsoft Windows Production PCA 2011') }
$reg = (reg.exe query "HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot" /s | Out-String)
$ev = @(Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-TPM-WMI'; Id = 1032,1033,1034,1036,1037,1043,1044,1045,1795,1796,1797,1798,1799,1800,1801,1802,1803,1808 } -MaxEvents 40 -ErrorAction SilentlyContinue | ForEach-Object { [pscustomobject]@{ Id = $_.Id; TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o'); LevelDisplayName = $_.LevelDisplayName; Message = $_.Message } })
$p = Get-Partition | Where-Object { $_.GptType -eq '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}' } | Select-Object -First 1
$esp = $null
if ($p) {
  $path = @($p.AccessPaths | Where-Object { $_ -like '\\?\Volume*' })[0]
  $v = Get-Volume | Where-Object { $_.Path -eq $path } | Select-Object -First 1
  $folders = $null; $foldersError = $null
  try { $folders = @(Get-ChildItem -LiteralPath ($path + 'EFI') -Directory -Force -ErrorAction Stop | ForEach-Object { $files = @(Get-ChildItem -LiteralPath $_.FullName -Recurse -File -Force -ErrorAction Stop); [pscustomobject]@{ Name = $_.Name; Bytes = [int64](($files | Measure-Object -Property Length -Sum).Sum); Loaders = @($files | Where-Object { $_.Extension -eq '.efi' }).Count } }) } catch { $foldersError = $_.Exception.Message }
  $issuer = $null; $issuerError = $null
  try { $issuer = (Get-AuthenticodeSignature -LiteralPath ($path + 'EFI\Microsoft\Boot\bootmgfw.efi') -ErrorAction Stop).SignerCertificate.Issuer } catch { $issuerError = $_.Exception.Message }
  $esp = [pscustomobject]@{ DiskNumber = $p.DiskNumber; PartitionNumber = $p.PartitionNumber; Size = $p.Size; SizeRemaining = $v.SizeRemaining; Folders = $folders; FoldersError = $foldersError; BootManagerIssuer = $issuer; BootManagerError = $issuerError }
}
[pscustomobject]@{ SecureBoot = $sb; SecureBootError = $sbError; Db = $db; Kek = $kek; Dbx = $dbx; Registry = $reg; Events = $ev; Esp = $esp } | ConvertTo-Json -Depth 5 -Compress`
