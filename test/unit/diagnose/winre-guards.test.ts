/**
 * The WinRE rules, one condition per test, on hand-made facts: the recovery partition too small
 * (KB5034441 family, 250 MB needed), WinRE disabled (with and without the reagentc fact), WinRE older than its
 * branch's Safe OS target. Assertions are on the finding's id, severity, confidence, repair and evidence.
 */
import { describe, expect, it } from 'vitest'
import { winrePartitionRule, winreDisabledRule, winreStaleRule } from '../../../main/diagnose/rules/winre.ts'
import type { WinreTarget } from '../../../main/diagnose/rule.ts'
import type { WinreFact } from '../../../preload/model/snapshot.ts'
import { MB, cbsAnalysis, cbsLogs, failed, fact, input, os, partition, snap, storage, typed } from './rule-fixtures.ts'

const winreKbFailed = (kb = 'KB5034441', over = {}) =>
  fact([
    failed(kb, '0x80070643', { title: `2024-01 Security Update for Windows Recovery Environment (${kb})`, ...over }),
  ])
const small = () => storage({ partitions: [partition({ freeBytes: 100 * MB, sizeBytes: 529 * MB })] })
const roomy = () => storage({ partitions: [partition({ freeBytes: 300 * MB })] })
const cbs828 = (n = 1) =>
  cbsLogs(
    cbsAnalysis({
      errors: Array.from({ length: n }, (_, i) => ({
        code: '0x800F0828',
        line: 10 + i,
        text: `Failed to stage WinRE [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE] ${i}`,
      })) as never,
    }),
  )
const part = (over: Parameters<typeof partition>[0] = {}) => storage({ partitions: [partition(over)] })

describe('winre-partition-too-small', () => {
  const run = (over: Parameters<typeof input>[0]) => winrePartitionRule.evaluate(input(over))

  it('a failed WinRE KB and a partition under 250 MB free: error, 0.92, winre-resize, the partition and the KB named', () => {
    const [f, ...rest] = run({ snapshot: snap({ history: winreKbFailed(), storage: small() }) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'winre-partition-too-small',
      severity: 'error',
      confidence: 0.92,
      repair: 'winre-resize',
      codes: ['0x80070643'],
    })
    expect(f!.title).toBe('The recovery partition is too small for the WinRE update')
    expect(f!.technical).toMatch(
      /^.*\(0x80070643\) reported; underlying CBS_E_INSUFFICIENT_DISK_SPACE \(0x800F0828\) on the recovery partition$/,
    )
    expect(f!.causes[0]).toMatch(/^WinRE updates need 250 MB free on the recovery partition; this one has 100 MB\. /)
    expect(f!.evidence).toContainEqual({
      source: 'Disk layout (Get-Partition / Get-Volume)',
      excerpt: 'Recovery partition: disk 0 partition 4, 529 MB, 100 MB free',
    })
    expect(f!.evidence[0]).toEqual({
      source: 'Windows Update history',
      excerpt:
        '2026-10-20 10:00:00  failed  0x80070643  2024-01 Security Update for Windows Recovery Environment (KB5034441)',
    })
    expect(f!.evidence).toContainEqual({ source: 'Get-Volume', excerpt: 'C NTFS Fixed Healthy' })
    const update = f!.remedies.find((r) => r.id === 'winre-update')!
    expect(update.commands).toEqual(['servicing-desk install --kb KB5034441'])
    expect(update.repair).toBe('winre-update')
    expect(f!.remedies.map((r) => r.id)).toEqual(['R9', 'winre-update'])
  })

  it('each WinRE KB of the family counts, and a title naming WinRE or Safe OS counts without a KB', () => {
    const cases = [
      ['KB5034441', 'x'],
      ['KB5034440', 'x'],
      ['KB5034439', 'x'],
      ['KB5034957', 'x'],
      [null, 'Windows Recovery Environment update'],
      [null, 'WinRE update'],
      [null, 'Safe OS Dynamic Update'],
      [null, 'safe os dynamic update'],
    ] as const
    let ran = 0
    for (const [kb, title] of cases) {
      const [f] = run({ snapshot: snap({ history: fact([failed(kb, '0x80070643', { title })]), storage: small() }) })
      expect(f, `${kb} ${title}`).toMatchObject({ id: 'winre-partition-too-small', confidence: 0.92 })
      ran++
    }
    expect(ran).toBe(8)
  })

  it('a cumulative update failing with 0x80070643 on a big enough partition: nothing; a small one with 0x80070643 alone: 0.92, no KB to reinstall', () => {
    expect(run({ snapshot: snap({ history: fact([failed('KB5044284', '0x80070643')]), storage: roomy() }) })).toEqual(
      [],
    )
    const [f] = run({ snapshot: snap({ history: fact([failed('KB5044284', '0x80070643')]), storage: small() }) })
    expect(f).toMatchObject({ confidence: 0.92, repair: 'winre-resize' })
    expect(f!.remedies.find((r) => r.id === 'winre-update')!.commands).toEqual([])
  })

  it('the typed 0x80070643 alone on a small partition: 0.92; its evidence from the code, not from history', () => {
    const [f] = run({ code: typed('0x80070643'), snapshot: snap({ storage: small() }) })
    expect(f).toMatchObject({ confidence: 0.92 })
    expect(f!.evidence).toContainEqual({ source: 'the code you entered', excerpt: '0x80070643' })
  })

  it('0x80070643 and no partition facts: nothing (no sign it is the partition)', () => {
    expect(run({ code: typed('0x80070643') })).toEqual([])
    expect(run({ code: typed('0x80070643'), snapshot: snap({ storage: part({ freeBytes: null }) }) })).toEqual([])
  })

  it('a partition exactly 250 MB free is big enough; one byte less is too small', () => {
    expect(run({ code: typed('0x80070643'), snapshot: snap({ storage: part({ freeBytes: 250 * MB }) }) })).toEqual([])
    expect(
      run({ code: typed('0x80070643'), snapshot: snap({ storage: part({ freeBytes: 250 * MB - 1 }) }) }),
    ).toHaveLength(1)
  })

  it('CBS_E_INSUFFICIENT_DISK_SPACE in CBS.log, partition size unknown: 0.8 and both codes; at most two log lines', () => {
    const [f] = run({ logs: cbs828(3) })
    expect(f).toMatchObject({ confidence: 0.8, codes: ['0x80070643', '0x800F0828'] })
    expect(f!.evidence.filter((e) => e.source === 'C:\\Windows\\Logs\\CBS\\CBS.log').map((e) => e.excerpt)).toEqual([
      'line 10: Failed to stage WinRE [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE] 0',
      'line 11: Failed to stage WinRE [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE] 1',
    ])
    expect(f!.causes[0]).toMatch(/^WinRE updates need 250 MB free on the recovery partition\. Windows Update/)
  })

  it('a failed WinRE KB alone (no partition facts): 0.6, free space unknown in the evidence when the partition has no free-space figure', () => {
    expect(run({ snapshot: snap({ history: winreKbFailed() }) })[0]).toMatchObject({
      confidence: 0.6,
      codes: ['0x80070643'],
    })
    const [f] = run({ snapshot: snap({ history: winreKbFailed(), storage: part({ freeBytes: null }) }) })
    expect(f!.evidence).toContainEqual({
      source: 'Disk layout (Get-Partition / Get-Volume)',
      excerpt: 'Recovery partition: disk 0 partition 4, 600 MB, free space unknown',
    })
  })

  it('the partition now has room: past failures and log lines are not a cause', () => {
    expect(run({ snapshot: snap({ history: winreKbFailed(), storage: roomy() }) })).toEqual([])
    expect(run({ logs: cbs828(), snapshot: snap({ storage: roomy() }) })).toEqual([])
  })

  it('the partition holding WinRE is preferred to another recovery partition; a recovery partition is used when none holds WinRE', () => {
    const both = storage({
      partitions: [
        partition({ partitionNumber: 1, freeBytes: 900 * MB, holdsWinre: false }),
        partition({ partitionNumber: 5, freeBytes: 50 * MB, holdsWinre: true }),
      ],
    })
    expect(run({ code: typed('0x80070643'), snapshot: snap({ storage: both }) })[0]!.evidence).toContainEqual({
      source: 'Disk layout (Get-Partition / Get-Volume)',
      excerpt: 'Recovery partition: disk 0 partition 5, 600 MB, 50 MB free',
    })
    const recOnly = storage({
      partitions: [
        partition({ partitionNumber: 1, role: 'os', freeBytes: 10 * MB, holdsWinre: false }),
        partition({ partitionNumber: 6, freeBytes: 20 * MB, holdsWinre: false }),
      ],
    })
    expect(run({ code: typed('0x80070643'), snapshot: snap({ storage: recOnly }) })[0]!.evidence).toContainEqual({
      source: 'Disk layout (Get-Partition / Get-Volume)',
      excerpt: 'Recovery partition: disk 0 partition 6, 600 MB, 20 MB free',
    })
    const none = storage({ partitions: [partition({ role: 'os', holdsWinre: false, freeBytes: 10 * MB })] })
    expect(run({ code: typed('0x80070643'), snapshot: snap({ storage: none }) })).toEqual([])
  })

  it('a failed WinRE KB that later succeeded is not a failure', () => {
    const hist = fact([
      failed('KB5034441', '0x80070643', { title: 'WinRE update (KB5034441)', date: '2026-01-01 10:00:00' }),
      failed('KB5034441', null, {
        result: 'succeeded',
        title: 'WinRE update (KB5034441)',
        date: '2026-02-01 10:00:00',
      }),
    ])
    expect(run({ snapshot: snap({ history: hist }) })).toEqual([])
  })

  it('a failed WinRE KB reported with another code is evidence but the WinRE KB still leads; a small partition with only unrelated history: nothing', () => {
    expect(run({ snapshot: snap({ history: fact([failed('KB5044284', '0x800F0922')]), storage: small() }) })).toEqual(
      [],
    )
  })
})

const winre = (over: Partial<WinreFact> = {}) =>
  fact<WinreFact>(
    {
      status: 'enabled',
      location: null,
      bcdId: null,
      version: '10.0.26100.1',
      stagedImagePath: null,
      imagePresent: true,
      disagreements: [],
      ...over,
    },
    [
      { source: 'reagentc /info', excerpt: 'Windows RE status: Disabled' },
      { source: 'reagentc /info', excerpt: 'Windows RE location:' },
      { source: 'third', excerpt: 'x' },
    ],
  )

describe('winre-disabled', () => {
  const run = (over: Parameters<typeof input>[0]) => winreDisabledRule.evaluate(input(over))

  it("reagentc says Disabled: error (the WinRE assessment's severity for the same fact), 0.9, winre-enable, reagentc evidence (two lines)", () => {
    const [f, ...rest] = run({ snapshot: snap({ winre: winre({ status: 'disabled' }) }) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'winre-disabled',
      severity: 'error',
      confidence: 0.9,
      repair: 'winre-enable',
      codes: [],
      technical: 'reagentc: Windows RE status Disabled',
      title: 'The Windows Recovery Environment is turned off',
    })
    expect(f!.evidence).toEqual([
      { source: 'reagentc /info', excerpt: 'Windows RE status: Disabled' },
      { source: 'reagentc /info', excerpt: 'Windows RE location:' },
    ])
    expect(f!.remedies).toHaveLength(1)
    expect(f!.remedies[0]).toMatchObject({
      id: 'winre-enable',
      commands: ['%SystemRoot%\\System32\\ReAgentc.exe /enable', '%SystemRoot%\\System32\\ReAgentc.exe /info'],
      repair: 'winre-enable',
    })
    expect(f!.causes[0]).toMatch(/^WinRE is disabled\. Without it/)
  })

  it('the cause names where the image waits, or that it is missing', () => {
    expect(
      run({
        snapshot: snap({
          winre: winre({ status: 'disabled', stagedImagePath: 'C:\\Windows\\System32\\Recovery\\Winre.wim' }),
        }),
      })[0]!.causes[0],
    ).toMatch(/^WinRE is disabled; its image waits in C:\\Windows\\System32\\Recovery\\Winre\.wim\. Without/)
    expect(
      run({ snapshot: snap({ winre: winre({ status: 'disabled', imagePresent: false }) }) })[0]!.causes[0],
    ).toMatch(/^WinRE is disabled and its image is missing\. Without/)
  })

  it('enabled or unknown status: nothing', () => {
    expect(run({ snapshot: snap({ winre: winre({ status: 'enabled' }) }) })).toEqual([])
    expect(run({ snapshot: snap({ winre: winre({ status: 'unknown' }) }) })).toEqual([])
  })

  it('no reagentc fact, a recovery partition holding no WinRE: warning, 0.55, the partition named', () => {
    const [f, ...rest] = run({
      snapshot: snap({
        storage: part({ holdsWinre: false, partitionNumber: 5, sizeBytes: 1000 * MB, freeBytes: 400 * MB }),
      }),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'winre-disabled',
      severity: 'warning',
      confidence: 0.55,
      repair: 'winre-enable',
      codes: [],
      technical: 'no partition holds WinRE (reagentc /info not read)',
      title: 'The Windows Recovery Environment looks turned off',
    })
    expect(f!.evidence).toEqual([
      {
        source: 'Disk layout (Get-Partition / Get-Volume)',
        excerpt: 'Recovery partition: disk 0 partition 5, 1000 MB, 400 MB free; holds WinRE: no',
      },
    ])
    expect(f!.causes[0]).toMatch(/^A recovery partition exists \(disk 0 partition 5\) but no partition holds/)
    expect(f!.remedies[0]).toMatchObject({
      id: 'winre-enable',
      commands: ['%SystemRoot%\\System32\\ReAgentc.exe /info', '%SystemRoot%\\System32\\ReAgentc.exe /enable'],
      repair: 'winre-enable',
    })
    expect(
      run({ snapshot: snap({ storage: part({ holdsWinre: false, freeBytes: null }) }) })[0]!.evidence[0]!.excerpt,
    ).toBe('Recovery partition: disk 0 partition 4, 600 MB; holds WinRE: no')
  })

  it('no reagentc fact: a partition holding WinRE, no recovery partition, or no storage fact: nothing', () => {
    expect(run({ snapshot: snap({ storage: part({ holdsWinre: true }) }) })).toEqual([])
    expect(
      run({
        snapshot: snap({
          storage: storage({
            partitions: [
              partition({ role: 'recovery', holdsWinre: false }),
              partition({ role: 'os', partitionNumber: 3, holdsWinre: true }),
            ],
          }),
        }),
      }),
    ).toEqual([])
    expect(run({ snapshot: snap({ storage: part({ role: 'os', holdsWinre: false }) }) })).toEqual([])
    expect(run({ snapshot: snap() })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('winre-stale', () => {
  const target = (t: WinreTarget | null) => {
    const calls: unknown[] = []
    return {
      calls,
      fn: (build: number, ctx?: unknown) => {
        calls.push([build, ctx])
        return t
      },
    }
  }
  const run = (version: string | null, t: WinreTarget | null, o = os()) => {
    const tg = target(t)
    return {
      out: winreStaleRule.evaluate(
        input({ snapshot: snap({ winre: winre({ version }), os: fact(o) }), winreTarget: tg.fn }),
      ),
      calls: tg.calls,
    }
  }

  it('WinRE older than its target: warning, 0.85, winre-update naming the KB; the target is asked with the build and the PC context', () => {
    const {
      out: [f, ...rest],
      calls,
    } = run('10.0.26100.1', { kb: 'KB5070000', version: '10.0.26100.7000' })
    expect(rest).toEqual([])
    expect(calls).toEqual([[26100, { ubr: 4061, productName: 'Windows 11 Pro', edition: 'Professional' }]])
    expect(f).toMatchObject({
      id: 'winre-stale',
      severity: 'warning',
      confidence: 0.85,
      repair: 'winre-update',
      codes: [],
      title: 'WinRE is out of date (10.0.26100.1; KB5070000 brings 10.0.26100.7000)',
      technical: 'WinRE 10.0.26100.1 < 10.0.26100.7000',
    })
    expect(f!.causes).toHaveLength(1)
    expect(f!.remedies[0]).toMatchObject({
      id: 'winre-update',
      title: 'Apply KB5070000 to WinRE',
      repair: 'winre-update',
    })
    expect(f!.remedies[0]!.commands[2]).toBe(
      '%SystemRoot%\\System32\\Dism.exe /Image:C:\\mount /Add-Package /PackagePath:%USERPROFILE%\\Downloads\\KB5070000.cab',
    )
    expect(f!.evidence).toHaveLength(2)
  })

  it('an unverified target: 0.6, said in technical and causes', () => {
    const [f] = run('10.0.26100.1', { kb: 'KB5070000', version: '10.0.26100.7000', verified: false }).out
    expect(f).toMatchObject({
      confidence: 0.6,
      technical: 'WinRE 10.0.26100.1 < 10.0.26100.7000 (target version unverified)',
    })
    expect(f!.causes[1]).toMatch(/^The target version 10\.0\.26100\.7000 for KB5070000 is not confirmed/)
    expect(run('10.0.26100.1', { kb: 'K', version: '10.0.26100.7000', verified: true }).out[0]!.confidence).toBe(0.85)
  })

  it('versions compared part by part as numbers (not as text), missing parts as 0', () => {
    const cases: [string, string, boolean][] = [
      ['10.0.26100.999', '10.0.26100.1000', true],
      ['10.0.26100.1000', '10.0.26100.999', false],
      ['10.0.26100.7000', '10.0.26100.7000', false],
      ['10.0.26100', '10.0.26100.1', true],
      ['10.0.26100.1', '10.0.26100', false],
      ['10.0.26100.0', '10.0.26100', false],
      ['10.0.22631.9000', '10.0.26100.1', true],
      ['10.1.0.0', '10.0.26100.1', false],
    ]
    let ran = 0
    for (const [have, want, stale] of cases) {
      expect(run(have, { kb: 'KB1', version: want }).out.length, `${have} vs ${want}`).toBe(stale ? 1 : 0)
      ran++
    }
    expect(ran).toBe(8)
  })

  it('no WinRE version, no build, no target function or no target: nothing', () => {
    expect(run(null, { kb: 'KB1', version: '10.0.26100.9' }).out).toEqual([])
    expect(run('10.0.26100.1', { kb: 'KB1', version: '10.0.26100.9' }, os({ build: null })).out).toEqual([])
    expect(run('10.0.26100.1', null).out).toEqual([])
    expect(
      winreStaleRule.evaluate(input({ snapshot: snap({ winre: winre({ version: '10.0.26100.1' }), os: fact(os()) }) })),
    ).toEqual([])
    expect(
      winreStaleRule.evaluate(
        input({
          snapshot: snap({ winre: winre({ version: '10.0.26100.1' }) }),
          winreTarget: () => ({ kb: 'KB1', version: '10.0.26100.9' }),
        }),
      ),
    ).toEqual([])
  })
})

describe('winre-partition-too-small: what the first mutation run left unguarded', () => {
  const run = (over: Parameters<typeof input>[0]) => winrePartitionRule.evaluate(input(over))
  const DISK = 'Disk layout (Get-Partition / Get-Volume)'

  it('a failed WinRE KB with another code on a small partition: found through the KB (its history line as evidence)', () => {
    const [f] = run({
      snapshot: snap({
        history: winreKbFailed('KB5034441', { hresult: '0x800F0922', title: 'January update (KB5034441)' }),
        storage: small(),
      }),
    })
    expect(f).toMatchObject({ id: 'winre-partition-too-small', confidence: 0.92 })
    expect(f!.evidence[0]).toEqual({
      source: 'Windows Update history',
      excerpt: '2026-10-20 10:00:00  failed  0x800F0922  January update (KB5034441)',
    })
  })

  it("a cumulative update failing with 0x80070643 on a small partition: the code's history line is not repeated as WinRE evidence", () => {
    const [f] = run({
      snapshot: snap({ history: fact([failed('KB5044284', '0x80070643', { result: 'aborted' })]), storage: small() }),
    })
    expect(f!.evidence.filter((e) => e.source === 'Windows Update history')).toEqual([])
    expect(f!.evidence).toEqual([
      { source: DISK, excerpt: 'Recovery partition: disk 0 partition 4, 529 MB, 100 MB free' },
      { source: 'Get-Volume', excerpt: 'C NTFS Fixed Healthy' },
    ])
  })

  it('CBS_E_INSUFFICIENT_DISK_SPACE on a small partition without a WinRE failure: 0.8 (the log alone), and other CBS codes do not count', () => {
    expect(run({ logs: cbs828(), snapshot: snap({ storage: small() }) })[0]).toMatchObject({ confidence: 0.8 })
    expect(
      run({ logs: cbsLogs(cbsAnalysis({ errors: [{ code: '0x80070005', line: 3, text: 'denied' }] as never })) }),
    ).toEqual([])
  })

  it('at most two WinRE failures as evidence; no partition facts: no disk line', () => {
    const hist = fact(
      ['2026-01-01', '2026-02-01', '2026-03-01'].map((date) =>
        failed('KB5034441', '0x80070643', { title: `WinRE ${date}`, date }),
      ),
    )
    const [f] = run({ snapshot: snap({ history: hist }) })
    expect(f!.evidence.map((e) => e.excerpt)).toEqual([
      '2026-01-01  failed  0x80070643  WinRE 2026-01-01',
      '2026-02-01  failed  0x80070643  WinRE 2026-02-01',
    ])
  })

  it('the remedies: the KB5028997 resize, then the WinRE update (its command names the failed KB)', () => {
    const [f] = run({ snapshot: snap({ history: winreKbFailed('KB5034440'), storage: small() }) })
    expect(f!.remedies[0]).toMatchObject({ id: 'R9', repair: 'winre-resize' })
    expect(f!.remedies[0]!.text).toMatch(/^Resize the recovery partition as Microsoft documents in KB5028997: /)
    expect(f!.remedies[1]).toMatchObject({
      id: 'winre-update',
      title: 'Then install the WinRE update again',
      text: 'After the resize, install the WinRE / Safe OS update for this branch.',
      repair: 'winre-update',
      commands: ['servicing-desk install --kb KB5034440'],
    })
    expect(f!.remedies[1]!.sources.length).toBeGreaterThan(0)
    expect(f!.causes[1]).toBe(
      'The recovery partition created by older Windows 10 setups (about 500 MB) is too small for current WinRE images.',
    )
  })
})

describe('winre-disabled and winre-stale: remedies in full, and no snapshot', () => {
  it('the enable remedy, with and without the reagentc fact', () => {
    const [a] = winreDisabledRule.evaluate(input({ snapshot: snap({ winre: winre({ status: 'disabled' }) }) }))
    expect(a!.remedies[0]).toMatchObject({
      id: 'winre-enable',
      title: 'Turn WinRE back on',
      text: 'Enable WinRE, then confirm it with reagentc /info.',
      commands: ['%SystemRoot%\\System32\\ReAgentc.exe /enable', '%SystemRoot%\\System32\\ReAgentc.exe /info'],
      repair: 'winre-enable',
    })
    expect(a!.remedies[0]!.sources.length).toBe(2)
    const [b] = winreDisabledRule.evaluate(input({ snapshot: snap({ storage: part({ holdsWinre: false }) }) }))
    expect(b!.remedies[0]).toMatchObject({
      id: 'winre-enable',
      title: 'Turn WinRE back on',
      text: 'Check reagentc /info; if it says Disabled, enable WinRE.',
      commands: ['%SystemRoot%\\System32\\ReAgentc.exe /info', '%SystemRoot%\\System32\\ReAgentc.exe /enable'],
      repair: 'winre-enable',
    })
    expect(b!.remedies[0]!.sources.length).toBe(2)
  })

  it('the stale-WinRE remedy: mount, add the Safe OS update, clean up, commit; its cause', () => {
    const [f] = winreStaleRule.evaluate(
      input({
        snapshot: snap({ winre: winre({ version: '10.0.26100.1' }), os: fact(os()) }),
        winreTarget: () => ({ kb: 'KB5089593', version: '10.0.26100.8455' }),
      }),
    )
    expect(f!.remedies[0]).toMatchObject({
      id: 'winre-update',
      title: 'Apply KB5089593 to WinRE',
      text: 'Download the Safe OS update KB5089593 from the Microsoft Update Catalog and save it in your Downloads folder as KB5089593.cab; then mount WinRE, add it, clean up, commit.',
      repair: 'winre-update',
      commands: [
        'mkdir C:\\mount',
        '%SystemRoot%\\System32\\ReAgentc.exe /mountre /path C:\\mount',
        '%SystemRoot%\\System32\\Dism.exe /Image:C:\\mount /Add-Package /PackagePath:%USERPROFILE%\\Downloads\\KB5089593.cab',
        '%SystemRoot%\\System32\\Dism.exe /Image:C:\\mount /Cleanup-Image /StartComponentCleanup /ResetBase',
        '%SystemRoot%\\System32\\ReAgentc.exe /unmountre /path C:\\mount /commit',
        'rmdir C:\\mount',
      ],
    })
    expect(f!.remedies[0]!.sources.length).toBe(3)
    expect(f!.causes[0]).toBe(
      'Monthly cumulative updates do not update WinRE; only the servicing stack plus the Safe OS dynamic update do.',
    )
  })

  it('no snapshot, or WinRE unknown: nothing (and no error)', () => {
    const target = () => ({ kb: 'KB1', version: '10.0.26100.9' })
    expect(winreStaleRule.evaluate(input({ winreTarget: target }))).toEqual([])
    expect(winreStaleRule.evaluate(input({ snapshot: snap({ os: fact(os()) }), winreTarget: target }))).toEqual([])
  })
})

describe('winre-partition-too-small: the whole evidence of a log-only finding', () => {
  it('the CBS lines and nothing else (no code, no partition facts)', () => {
    expect(winrePartitionRule.evaluate(input({ logs: cbs828() }))[0]!.evidence).toEqual([
      {
        source: 'C:\\Windows\\Logs\\CBS\\CBS.log',
        excerpt: 'line 10: Failed to stage WinRE [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE] 0',
      },
    ])
  })
})
