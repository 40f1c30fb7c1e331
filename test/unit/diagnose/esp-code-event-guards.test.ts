/**
 * The esp-full, known-code (the fallback) and update-failed-no-code rules, one condition per test, on
 * hand-made facts. The ESP thresholds are Microsoft's 15 MB (MS-SRP) and the unverified 10 MB
 * reported for the 2026 updates; codes are explained from the shipped error knowledge.
 */
import { describe, expect, it } from 'vitest'
import { espFullRule, espOf, ESP_MOVED_FOLDER } from '../../../main/diagnose/rules/efi-partition.ts'
import { knownCodeRule } from '../../../main/diagnose/rules/known-code.ts'
import { errorCodesAsOf } from '../../../main/knowledge/error-codes.ts'
import { failedEventWithoutCodeRule } from '../../../main/diagnose/rules/failed-event.ts'
import { factText } from '../../../main/diagnose/rules/boot-chain-facts.ts'
import { emptyLogs } from '../../../main/diagnose/rule.ts'
import {
  MB,
  dismOutputLogs,
  fact,
  failed,
  input,
  partition,
  snap,
  storage,
  typed,
  wuEventLogs,
} from './rule-fixtures.ts'

type Folder = { name: string; bytes: number | null; microsoft: boolean; loaders?: number | null }
const bootChain = (freeBytes: number | null, folders: Folder[] | null = null, foldersDetail = 'not read') =>
  fact({ esp: { disk: 0, partition: 1, sizeBytes: 100 * MB, freeBytes, folders, foldersDetail } }, [
    { source: 'Boot chain', excerpt: 'ESP 100 MB' },
    { source: 'second', excerpt: 'x' },
  ])
// Read holding no .efi file (firmware images): a folder with a loader, or one not counted, is never moved.
const hp = { name: 'HP', bytes: 30 * MB, microsoft: false, loaders: 0 }
const ms = { name: 'Microsoft', bytes: 40 * MB, microsoft: true }
const dell = { name: 'Dell', bytes: null, microsoft: false, loaders: 0 }

describe('esp-full', () => {
  const run = (over: Parameters<typeof input>[0]) => espFullRule.evaluate(input(over))

  it('0x800F0922 with a vendor folder on a full ESP: error, 0.95, free-esp-space, the folder moved aside (never deleted)', () => {
    const [f, ...rest] = run({ snapshot: snap({ bootChain: bootChain(4 * MB, [ms, hp]) }), code: typed('0x800F0922') })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'esp-full',
      severity: 'error',
      confidence: 0.95,
      repair: 'free-esp-space',
      codes: ['0x800F0922'],
      title: 'The EFI system partition is full (4.0 MB free), so the update fails',
    })
    expect(f!.technical).toMatch(/\(0x800F0922\); EFI system partition 4\.0 MB free < 15 MB$/)
    expect(f!.evidence.slice(0, 2)).toEqual([
      {
        source: 'Boot chain (Get-Partition / Get-Volume)',
        excerpt: 'EFI system partition: disk 0 partition 1, 100.0 MB, 4.0 MB free (Microsoft asks for 15 MB free)',
      },
      {
        source: 'EFI partition folders (read without mounting)',
        excerpt: '\\EFI\\Microsoft 40.0 MB (Windows); \\EFI\\HP 30.0 MB (not Windows)',
      },
    ])
    expect(f!.evidence).toContainEqual({ source: 'the code you entered', excerpt: '0x800F0922' })
    expect(f!.evidence).toContainEqual({ source: 'Boot chain', excerpt: 'ESP 100 MB' })
    expect(f!.evidence).not.toContainEqual({ source: 'second', excerpt: 'x' })
    expect(f!.causes[0]).toBe(`The EFI system partition has 4.0 MB free of 100.0 MB. ${factText('esp-0x800f0922')}`)
    expect(f!.causes[1]).toBe(
      "Folders that are not Windows' own take 30.0 MB there: \\EFI\\HP (PC-vendor tools and other boot loaders put files there).",
    )
    expect(f!.causes[2]).toBe(factText('esp-10mb-2026'))
    const move = f!.remedies.find((r) => r.id === 'esp-move-aside')!
    expect(move.repair).toBe('free-esp-space')
    expect(move.commands).toEqual([
      '%SystemRoot%\\System32\\mountvol.exe Y: /s',
      // The folder it moves to is made first: owner Administrators, no explicit grant left, SYSTEM and Administrators only.
      '%SystemRoot%\\System32\\cmd.exe /c if not exist C:\\ProgramData\\ServicingDesk\\esp-moved mkdir C:\\ProgramData\\ServicingDesk\\esp-moved',
      '%SystemRoot%\\System32\\icacls.exe C:\\ProgramData\\ServicingDesk /setowner *S-1-5-32-544 /T /C /L /Q',
      '%SystemRoot%\\System32\\icacls.exe C:\\ProgramData\\ServicingDesk /reset /T /C /L /Q',
      '%SystemRoot%\\System32\\icacls.exe C:\\ProgramData\\ServicingDesk /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" /Q',
      `%SystemRoot%\\System32\\Robocopy.exe Y:\\EFI\\HP ${ESP_MOVED_FOLDER}\\HP /E /MOVE /COPY:DAT`,
      '%SystemRoot%\\System32\\mountvol.exe Y: /d',
      'Get-Partition | Where-Object GptType -eq "{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}" | Get-Volume | Select-Object Size, SizeRemaining',
    ])
    expect(f!.remedies.map((r) => r.id)).toEqual([
      'esp-vendor-tool',
      'esp-fonts',
      'esp-move-aside',
      'esp-retry-update',
      'esp-enlarge',
    ])
    expect(f!.remedies.find((r) => r.id === 'esp-vendor-tool')!.text).toMatch(/^\\EFI\\HP belongs to another vendor/)
    expect(f!.remedies.find((r) => r.id === 'esp-enlarge')!.verified).toBe(false)
  })

  it('two vendor folders, one of unknown size: both moved, their known size summed', () => {
    const [f] = run({ snapshot: snap({ bootChain: bootChain(4 * MB, [hp, ms, dell]) }), code: typed('0xC1900104') })
    expect(f).toMatchObject({ confidence: 0.95, codes: ['0xC1900104'] })
    expect(f!.causes[1]).toBe(
      "Folders that are not Windows' own take 30.0 MB there: \\EFI\\HP, \\EFI\\Dell (PC-vendor tools and other boot loaders put files there).",
    )
    expect(f!.evidence[1]!.excerpt).toBe(
      '\\EFI\\HP 30.0 MB (not Windows); \\EFI\\Microsoft 40.0 MB (Windows); \\EFI\\Dell ? (not Windows)',
    )
    expect(
      f!.remedies
        .find((r) => r.id === 'esp-move-aside')!
        .commands.filter((c) => c.startsWith('%SystemRoot%\\System32\\Robocopy.exe ')),
    ).toHaveLength(2)
  })

  it('the code with only Windows folders: 0.9, no repair, no foreign-folder cause, the generic listing command', () => {
    const [f] = run({ snapshot: snap({ bootChain: bootChain(4 * MB, [ms]) }), code: typed('0x800F0922') })
    expect(f).toMatchObject({ confidence: 0.9, repair: null })
    expect(f!.causes).toHaveLength(2)
    expect(f!.remedies.find((r) => r.id === 'esp-move-aside')).toMatchObject({ repair: null })
    expect(f!.remedies.find((r) => r.id === 'esp-move-aside')!.commands[1]).toBe(
      'dir Y:\\EFI /s    (find the folders that are not \\EFI\\Microsoft or \\EFI\\Boot)',
    )
    expect(f!.remedies.find((r) => r.id === 'esp-vendor-tool')!.text).toMatch(
      /^If the PC vendor's firmware-update utility/,
    )
  })

  it('folders not read: the reason why is a cause; without a reason, the default sentence', () => {
    const [f] = run({
      snapshot: snap({ bootChain: bootChain(4 * MB, null, 'the ESP has no drive letter') }),
      code: typed('0x800F0922'),
    })
    expect(f!.causes[1]).toBe('the ESP has no drive letter')
    expect(f!.evidence.some((e) => e.source === 'EFI partition folders (read without mounting)')).toBe(false)
    const st = storage({
      partitions: [partition({ role: 'system', partitionNumber: 1, sizeBytes: 260 * MB, freeBytes: 5 * MB })],
    })
    const [g] = run({ snapshot: snap({ storage: st }), code: typed('0x800F0922') })
    expect(g!.causes[1]).toBe('What occupies the partition was not read (it is not readable without mounting it).')
    expect(g!.evidence[0]).toEqual({
      source: 'Disk layout (Get-Partition / Get-Volume)',
      excerpt: 'EFI system partition: disk 0 partition 1, 260.0 MB, 5.0 MB free (Microsoft asks for 15 MB free)',
    })
    expect(g!.evidence).toContainEqual({ source: 'Get-Volume', excerpt: 'C NTFS Fixed Healthy' })
  })

  it('thresholds: 15 MB free is enough even with the code; just under with the code is an error; under 10 MB without a code a warning, 10 MB not', () => {
    expect(run({ snapshot: snap({ bootChain: bootChain(15 * MB) }), code: typed('0x800F0922') })).toEqual([])
    expect(run({ snapshot: snap({ bootChain: bootChain(15 * MB - 1) }), code: typed('0x800F0922') })).toHaveLength(1)
    expect(run({ snapshot: snap({ bootChain: bootChain(12 * MB) }) })).toEqual([])
    expect(run({ snapshot: snap({ bootChain: bootChain(10 * MB) }) })).toEqual([])
    const [w] = run({ snapshot: snap({ bootChain: bootChain(10 * MB - 1, [hp]) }) })
    expect(w).toMatchObject({
      severity: 'warning',
      confidence: 0.6,
      codes: [],
      repair: 'free-esp-space',
      title: 'The EFI system partition is nearly full (10.0 MB free)',
      technical: 'EFI system partition 10.0 MB free < 10 MB',
    })
  })

  it('another code on a small ESP over 10 MB: nothing; the code from update history counts', () => {
    expect(run({ snapshot: snap({ bootChain: bootChain(12 * MB) }), code: typed('0x80070005') })).toEqual([])
    expect(
      run({ snapshot: snap({ bootChain: bootChain(12 * MB), history: fact([failed('KB1', '0x800F0922')]) }) })[0],
    ).toMatchObject({ severity: 'error', codes: ['0x800F0922'] })
  })

  it('where the ESP is read: the boot-chain fact first; its unknown free space falls back to the system partition; no system partition: nothing', () => {
    const st = storage({
      partitions: [partition({ role: 'system', partitionNumber: 2, sizeBytes: 100 * MB, freeBytes: 3 * MB })],
    })
    expect(espOf({ snapshot: snap({ bootChain: bootChain(4 * MB), storage: st }) })).toMatchObject({
      partition: 1,
      freeBytes: 4 * MB,
      source: 'Boot chain (Get-Partition / Get-Volume)',
    })
    expect(espOf({ snapshot: snap({ bootChain: bootChain(null), storage: st }) })).toEqual({
      disk: 0,
      partition: 2,
      sizeBytes: 100 * MB,
      freeBytes: 3 * MB,
      folders: null,
      foldersDetail: null,
      source: 'Disk layout (Get-Partition / Get-Volume)',
    })
    expect(espOf({ snapshot: snap({ bootChain: fact({ esp: null }), storage: st }) })).toMatchObject({ partition: 2 })
    expect(
      espOf({ snapshot: snap({ storage: storage({ partitions: [partition({ role: 'system', freeBytes: null })] }) }) }),
    ).toBeNull()
    expect(
      espOf({ snapshot: snap({ storage: storage({ partitions: [partition({ role: 'recovery', freeBytes: 1 })] }) }) }),
    ).toBeNull()
    expect(espOf({ snapshot: null })).toBeNull()
    expect(run({ code: typed('0x800F0922') })).toEqual([])
  })
})

describe('known-code (the fallback)', () => {
  const run = (over: Parameters<typeof input>[0]) => knownCodeRule.evaluate(input(over))

  it("a known code the person typed: error, 0.5, its name and meaning, the knowledge's remedies", () => {
    const [f, ...rest] = run({ code: typed('0x80070005') })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'code-0x80070005',
      severity: 'error',
      confidence: 0.5,
      repair: null,
      codes: ['0x80070005'],
      title: 'Access is denied',
      technical: 'E_ACCESSDENIED (0x80070005), Win32',
    })
    expect(f!.causes).toHaveLength(3)
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0', 'R4'])
    expect(f!.evidence).toEqual([{ source: 'the code you entered', excerpt: '0x80070005' }])
  })

  it('the same code seen only on the PC: 0.4', () => {
    expect(run({ snapshot: snap({ history: fact([failed('KB1', '0x80070005')]) }) })[0]).toMatchObject({
      confidence: 0.4,
      id: 'code-0x80070005',
    })
    expect(
      run({ code: typed('0x80070005'), snapshot: snap({ history: fact([failed('KB1', '0x80070005')]) }) })[0],
    ).toMatchObject({ confidence: 0.5 })
  })

  it('an unknown code: "Unknown code", 0.2, its decoded meaning as the cause, R0', () => {
    const [f] = run({ code: typed('0x8BAD0001') })
    expect(f).toMatchObject({
      title: "An error code Servicing Desk's knowledge does not hold",
      confidence: 0.2,
      technical: 'unnamed (0x8BAD0001) — name or meaning unverified',
    })
    expect(f!.causes).toEqual([
      `Not in Servicing Desk's knowledge (as of ${errorCodesAsOf()}). Decoded: an error; facility 941.`,
    ])
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0'])
  })

  it("a known code with no name and an unverified meaning: titled by its code, said unverified; a remedy's repair becomes the finding's", () => {
    const [f] = run({ code: typed('0x800F0838') })
    expect(f).toMatchObject({
      repair: 'install-checkpoint',
      technical: 'unnamed (0x800F0838), CBS — name or meaning unverified',
    })
    expect(f!.title).toMatch(/^Not documented/)
  })

  it('one finding per code in play, in the order seen; no code: nothing', () => {
    const out = run({ code: typed('0x80070005'), snapshot: snap({ history: fact([failed('KB1', '0x800F0922')]) }) })
    expect(out.map((f) => f.id)).toEqual(['code-0x80070005', 'code-0x800F0922'])
    expect(run({})).toEqual([])
  })
})

describe('update-failed-no-code', () => {
  const run = (logs: ReturnType<typeof emptyLogs>) => failedEventWithoutCodeRule.evaluate(input({ logs }))

  it('a failed event without a code: error, 0.3, the full-message command, the event message as evidence', () => {
    const [f, ...rest] = run(
      wuEventLogs([
        {
          id: 20,
          time: '2026-10-20T10:00:00',
          kb: 'KB5044284',
          message: 'Installation Failure: Windows failed to install the following update',
        },
      ]),
    )
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'update-failed-no-code',
      severity: 'error',
      confidence: 0.3,
      repair: null,
      codes: [],
      title: 'An update failed to install; its error code is not in the text',
      technical: 'event 20 at 2026-10-20T10:00:00 (KB5044284)',
    })
    expect(f!.causes).toEqual(['The event says the installation failed, but its message names no error code.'])
    expect(f!.remedies.map((r) => r.id)).toEqual(['full-event-message', 'R0'])
    expect(f!.remedies[0]!.commands[0]).toMatch(/Id=20} -MaxEvents 5 \| Format-List TimeCreated, Id, Message$/)
    expect(f!.evidence).toEqual([
      { source: 'System event log', excerpt: 'Installation Failure: Windows failed to install the following update' },
    ])
  })

  it('a cut message says so; unknown id and time; at most five in technical', () => {
    const [f] = run(
      wuEventLogs([
        { id: null, time: null, message: 'a', truncated: true },
        ...Array.from({ length: 6 }, (_, i) => ({ id: 20, time: null, message: `m${i}` })),
      ]),
    )
    expect(f!.causes[0]).toMatch(/^The event says the installation failed, but its message was cut off/)
    expect(f!.technical).toBe('event ?, event 20, event 20, event 20, event 20')
    expect(f!.evidence).toHaveLength(7)
  })

  it('a failed event with a code, or another kind of event: nothing', () => {
    expect(
      run(
        wuEventLogs([
          { code: '0x80070005', message: 'x' },
          { kind: 'installed', message: 'y' },
        ]),
      ),
    ).toEqual([])
    expect(run(emptyLogs())).toEqual([])
    expect(run(dismOutputLogs('0x80070005'))).toEqual([])
  })
})

describe('esp-full: remedies in full, evidence without folders or code', () => {
  const run = (over: Parameters<typeof input>[0]) => espFullRule.evaluate(input(over))
  it('each remedy has its title, text and source; enlarging is unverified and cites nothing', () => {
    const [f] = run({ snapshot: snap({ bootChain: bootChain(4 * MB, [hp]) }), code: typed('0x800F0922') })
    const by = Object.fromEntries(f!.remedies.map((r) => [r.id, r]))
    expect(by['esp-vendor-tool']).toMatchObject({
      title: "Remove the PC vendor's leftovers with its own tool first",
      commands: [],
    })
    expect(by['esp-move-aside']!.title).toBe(
      "Move files that are not Windows' boot files off the EFI partition (never delete them)",
    )
    expect(by['esp-move-aside']!.text).toMatch(
      /^From an elevated prompt: mount the EFI partition, make C:\\ProgramData\\ServicingDesk\\esp-moved and the folder that holds it folders only administrators can change \(the same folder Fix it uses\), move only folders other than \\EFI\\Microsoft and \\EFI\\Boot that hold no \.efi boot loader there .* check 15\.0 MB or more is free/,
    )
    expect(by['esp-retry-update']).toMatchObject({
      title: 'Install the update again',
      text: "Once 15 MB or more is free, retry the update (Windows Update, or Servicing Desk's install with the Catalog package).",
      commands: [],
    })
    expect(by['esp-enlarge']).toMatchObject({
      title: 'If that is not enough: enlarge the EFI partition by hand',
      commands: [],
      sources: [],
      verified: false,
    })
    expect(by['esp-enlarge']!.text).toMatch(/^With a full backup first, enlarge the EFI system partition/)
    for (const id of ['esp-vendor-tool', 'esp-move-aside', 'esp-retry-update']) {
      expect(by[id]!.sources, id).toHaveLength(1)
      expect(by[id]!.sources[0], id).toMatch(/\S/)
    }
  })
  it('a warning from the system partition alone: the partition and the storage fact, nothing else', () => {
    const st = storage({
      partitions: [partition({ role: 'system', partitionNumber: 1, sizeBytes: 100 * MB, freeBytes: 5 * MB })],
    })
    expect(run({ snapshot: snap({ storage: st }) })[0]!.evidence).toEqual([
      {
        source: 'Disk layout (Get-Partition / Get-Volume)',
        excerpt: 'EFI system partition: disk 0 partition 1, 100.0 MB, 5.0 MB free (Microsoft asks for 15 MB free)',
      },
      { source: 'Get-Volume', excerpt: 'C NTFS Fixed Healthy' },
    ])
  })
})
