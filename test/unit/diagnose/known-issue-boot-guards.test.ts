/**
 * The known-issue rule and the two Secure Boot rules, one condition per test, on hand-made facts.
 * Known issues are the shipped data (main/knowledge/data/known-issues.json): KB5079391 failing with 0x80073712
 * on 24H2 (resolved by KB5086672), KB5034441 on Windows 10 22H2 (not needed once WinRE is 10.0.19041.3920),
 * KB5068781 with a condition Servicing Desk cannot read.
 */
import { describe, expect, it } from 'vitest'
import { knownIssuesRule } from '../../../main/diagnose/rules/known-issues.ts'
import { knownIssues } from '../../../main/knowledge/known-issues.ts'
import {
  bootManager2011Rule,
  secureBootCertificateRule,
  startWindowsCertificateUpdate,
} from '../../../main/diagnose/rules/secure-boot.ts'
import { bootFact, factText, sourceUrl } from '../../../main/diagnose/rules/boot-chain-facts.ts'
import type { BootChainFact, WinreFact } from '../../../preload/model/snapshot.ts'
import { fact, failed, input, os, packages, pkg, snap, typed } from './rule-fixtures.ts'

const win10 = () => fact(os({ productName: 'Windows 10 Pro', displayVersion: '22H2', build: 19045, ubr: 3803 }))
const winreAt = (version: string) =>
  fact<WinreFact>({
    status: 'enabled',
    location: null,
    bcdId: null,
    version,
    stagedImagePath: null,
    imagePresent: true,
    disagreements: [],
  })

describe('known-issue', () => {
  const run = (over: Parameters<typeof input>[0]) => knownIssuesRule.evaluate(input(over))

  it('KB5079391 failed with 0x80073712 on 24H2: critical, 0.97, install KB5086672 instead, the failure and the source as evidence', () => {
    const [f, ...rest] = run({
      snapshot: snap({
        os: fact(os()),
        history: fact([failed('KB5079391', '0x80073712', { title: 'Preview (KB5079391)' })]),
      }),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'known-issue:kb5079391-0x80073712',
      severity: 'critical',
      confidence: 0.97,
      repair: null,
      codes: ['0x80073712'],
    })
    expect(f!.title).toBe(
      'The March 2026 preview KB5079391 fails with 0x80073712 — Microsoft replaced it with the out-of-band KB5086672',
    )
    expect(f!.technical).toMatch(/^Known issue kb5079391-0x80073712: /)
    // Why, in plain words first; then Microsoft's words with the source.
    expect(f!.causes[0]).toBe(knownIssues().find((i) => i.id === 'kb5079391-0x80073712')!.why)
    expect(f!.causes[1]).toMatch(/^Microsoft acknowledged this issue: .* \(source: https:\/\//)
    expect(f!.causes.slice(2)).toEqual([
      'KB5079391 failed on this PC with 0x80073712.',
      "This PC's branch (win11-24h2) is one the issue affects.",
    ])
    expect(f!.remedies).toHaveLength(1)
    expect(f!.remedies[0]).toMatchObject({
      id: 'known-issue-kb5079391-0x80073712',
      title: 'Install KB5086672 instead',
      repair: null,
      verified: true,
    })
    expect(f!.evidence[0]).toEqual({
      source: 'Windows Update history',
      excerpt: '2026-10-20 10:00:00  failed  0x80073712  Preview (KB5079391)',
    })
    expect(f!.evidence.at(-1)!.source).toBe('Known issue (Microsoft)')
    expect(f!.evidence.at(-1)!.excerpt).toMatch(/^https:\/\/\S+$/)
  })

  it('the resolution already installed: warning, said in the causes', () => {
    const [f] = run({
      snapshot: snap({
        os: fact(os()),
        history: fact([failed('KB5079391', '0x80073712')]),
        packages: packages([pkg({ kb: 'KB5086672', identity: 'Package_for_KB5086672', version: null })]),
      }),
    })
    expect(f).toMatchObject({ severity: 'warning', confidence: 0.97 })
    expect(f!.causes.at(-1)).toBe('KB5086672 is already installed, so the failure is behind this PC.')
    expect(
      run({
        snapshot: snap({
          os: fact(os()),
          history: fact([failed('KB5079391', '0x80073712')]),
          packages: packages([pkg({ kb: 'KB5086672', identity: 'P', version: null, state: 'superseded' })]),
        }),
      })[0],
    ).toMatchObject({ severity: 'warning' })
    expect(
      run({
        snapshot: snap({
          os: fact(os()),
          history: fact([failed('KB5079391', '0x80073712')]),
          packages: packages([pkg({ kb: 'KB5086672', identity: 'P', version: null, state: 'staged' })]),
        }),
      })[0],
    ).toMatchObject({ severity: 'critical' })
  })

  it('the failed KB with another code: weak, 0.7, no codes; at most two history lines', () => {
    const hist = fact([
      failed('KB5079391', '0x80070005', { date: '1' }),
      failed('KB5079391', '0x80070005', { date: '2' }),
      failed('KB5079391', '0x80070005', { date: '3' }),
    ])
    const [f] = run({ snapshot: snap({ os: fact(os()), history: hist }) })
    expect(f).toMatchObject({ confidence: 0.7, codes: [] })
    expect(f!.causes[2]).toBe('KB5079391 failed on this PC.')
    expect(f!.evidence.filter((e) => e.source === 'Windows Update history')).toHaveLength(2)
  })

  it('a condition Servicing Desk cannot read lowers a strong match to 0.8 and is said', () => {
    const [f] = run({ snapshot: snap({ os: win10(), history: fact([failed('KB5068781', '0x800F0922')]) }) })
    expect(f).toMatchObject({
      id: 'known-issue:kb5068781-esu-subscription',
      confidence: 0.8,
      severity: 'critical',
      codes: ['0x800F0922'],
    })
    expect(f!.causes[4]).toMatch(/^Condition: Windows subscription activation/)
    expect(f!.remedies[0]!.title).toBe('Install KB5072653 first, then KB5068781 again')
  })

  it('KB5034441 with WinRE already new enough: not needed, warning, the WinRE version as evidence; older WinRE: no finding', () => {
    const [f] = run({
      snapshot: snap({
        os: win10(),
        history: fact([failed('KB5034441', '0x80070643')]),
        winre: winreAt('10.0.19041.3920'),
      }),
    })
    expect(f).toMatchObject({
      id: 'known-issue:kb5034441-winre-partition',
      severity: 'warning',
      confidence: 0.97,
      codes: ['0x80070643'],
      title: 'KB5034441 is not needed on this PC (a known issue Microsoft acknowledged)',
    })
    expect(f!.remedies[0]!.title).toBe('Hide the update; nothing to repair')
    expect(f!.evidence).toContainEqual({ source: 'WinRE version', excerpt: '10.0.19041.3920' })
    expect(
      run({
        snapshot: snap({
          os: win10(),
          history: fact([failed('KB5034441', '0x80070643')]),
          winre: winreAt('10.0.19041.3919'),
        }),
      }),
    ).toEqual([])
  })

  it("the code typed counts as the failure's code; kb in lower case matches", () => {
    expect(
      run({
        code: typed('0x80073712'),
        snapshot: snap({ os: fact(os()), history: fact([failed('kb5079391', '0x80070005')]) }),
      })[0],
    ).toMatchObject({ confidence: 0.97, codes: ['0x80073712'] })
  })

  it('another branch, another KB, no failure, or no OS fact with the KB failed (branch unknown matches every branch)', () => {
    expect(run({ snapshot: snap({ os: win10(), history: fact([failed('KB5079391', '0x80073712')]) }) })).toEqual([])
    expect(run({ snapshot: snap({ os: fact(os()), history: fact([failed('KB5044284', '0x80073712')]) }) })).toEqual([])
    expect(run({ code: typed('0x80073712'), snapshot: snap({ os: fact(os()) }) })).toEqual([])
    expect(run({ snapshot: snap({ history: fact([failed('KB5079391', '0x80073712')]) }) })[0]!.causes).toHaveLength(3)
    expect(
      run({ snapshot: snap({ os: fact(os({ build: null })), history: fact([failed('KB5079391', '0x80073712')]) }) }),
    ).toHaveLength(1)
    expect(run({})).toEqual([])
  })
})

type Ev = BootChainFact['events'][number]
const chain = (over: Partial<BootChainFact> = {}) =>
  fact<BootChainFact>(
    {
      secureBoot: 'on',
      db: {
        windowsUefiCa2023: false,
        microsoftUefiCa2023: null,
        optionRomUefiCa2023: null,
        windowsProductionPca2011: true,
        microsoftUefiCa2011: null,
      },
      kek: { kek2023: false, kek2011: true },
      pca2011Revoked: false,
      servicing: {
        availableUpdates: 0x5944,
        uefiCa2023Status: 'NotStarted',
        uefiCa2023Error: null,
        windowsUefiCa2023Capable: 0,
      },
      events: [],
      bootManager: { signer: 'windows-uefi-ca-2023', issuer: 'Windows UEFI CA 2023', detail: '' },
      esp: null,
      warnings: [],
      ...over,
    },
    [
      { source: 'Confirm-SecureBootUEFI', excerpt: 'True' },
      { source: 'second', excerpt: 'x' },
    ],
  )
const event = (id: number, message = `event ${id}\nsecond line`): Ev => ({
  id,
  time: '2026-11-01T10:00:00',
  level: 'Error',
  message,
})

describe('secure-boot-2023-missing', () => {
  const run = (b: ReturnType<typeof chain> | null) =>
    secureBootCertificateRule.evaluate(input({ snapshot: b ? snap({ bootChain: b }) : snap() }))

  it('db without Windows UEFI CA 2023, KEK 2023 missing: warning, 0.9, the db/KEK and registry lines, the secure-boot-update repair (none once the firmware refused)', () => {
    for (const id of [1795, 1796, 1802, 1803])
      expect(run(chain({ events: [event(id)] }))[0]!.repair, String(id)).toBeNull()
    expect(run(chain({ secureBoot: 'off' }))[0]!.repair).toBeNull()
    const [f, ...rest] = run(chain())
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'secure-boot-2023-missing',
      severity: 'warning',
      confidence: 0.9,
      repair: 'secure-boot-update',
      codes: [],
      title: 'Secure Boot still trusts only the 2011 certificates: the 2023 certificate is not installed',
      technical:
        'db lacks Windows UEFI CA 2023; KEK lacks Microsoft Corporation KEK 2K CA 2023; UEFICA2023Status NotStarted',
    })
    expect(f!.evidence.slice(0, 2)).toEqual([
      {
        source: "Get-SecureBootUEFI db / KEK (Microsoft's ASCII check)",
        excerpt:
          'db: Windows UEFI CA 2023 missing; Microsoft Windows Production PCA 2011 present; KEK: Microsoft Corporation KEK 2K CA 2023 missing',
      },
      {
        source: 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /s',
        excerpt: 'UEFICA2023Status NotStarted; AvailableUpdates 0x5944; WindowsUEFICA2023Capable 0',
      },
    ])
    expect(f!.evidence[2]).toEqual({ source: 'Confirm-SecureBootUEFI', excerpt: 'True' })
    expect(f!.evidence).toHaveLength(3)
    expect(f!.causes[0]).toBe(
      `The Secure Boot db does not hold Windows UEFI CA 2023, and KEK lacks Microsoft Corporation KEK 2K CA 2023: this PC still trusts only Microsoft's 2011 certificates. ${factText('certs-expire-2026')}`,
    )
    expect(f!.causes[1]).toBe(factText('cert-replacements'))
    expect(f!.causes[2]).toBe(
      `Windows' servicing status: UEFICA2023Status NotStarted; AvailableUpdates 0x5944; WindowsUEFICA2023Capable 0. ${factText('servicing-registry')}`,
    )
    expect(f!.causes).toHaveLength(3)
    expect(f!.remedies.map((r) => r.id)).toEqual(['secure-boot-wait', 'secure-boot-update', 'secure-boot-firmware'])
  })

  it('unset registry values and an error code; PCA 2011 missing or unknown; KEK 2023 present or unknown', () => {
    const [f] = run(
      chain({
        servicing: {
          availableUpdates: null,
          uefiCa2023Status: null,
          uefiCa2023Error: 0x80070057,
          windowsUefiCa2023Capable: null,
        },
        db: {
          windowsUefiCa2023: false,
          microsoftUefiCa2023: null,
          optionRomUefiCa2023: null,
          windowsProductionPca2011: false,
          microsoftUefiCa2011: null,
        },
        kek: { kek2023: true, kek2011: true },
      }),
    )
    expect(f!.evidence[1]!.excerpt).toBe(
      'UEFICA2023Status (not set); AvailableUpdates (not set); WindowsUEFICA2023Capable (not set); UEFICA2023Error 0x80070057',
    )
    expect(f!.evidence[0]!.excerpt).toBe(
      'db: Windows UEFI CA 2023 missing; Microsoft Windows Production PCA 2011 missing; KEK: Microsoft Corporation KEK 2K CA 2023 present',
    )
    expect(f!.technical).toBe('db lacks Windows UEFI CA 2023; UEFICA2023Status (not set)')
    expect(f!.causes[0]).toMatch(/^The Secure Boot db does not hold Windows UEFI CA 2023: this PC/)
    const [g] = run(
      chain({
        db: {
          windowsUefiCa2023: false,
          microsoftUefiCa2023: null,
          optionRomUefiCa2023: null,
          windowsProductionPca2011: null,
          microsoftUefiCa2011: null,
        },
        kek: { kek2023: null, kek2011: null },
      }),
    )
    expect(g!.evidence[0]!.excerpt).toBe(
      'db: Windows UEFI CA 2023 missing; Microsoft Windows Production PCA 2011 unknown; KEK: Microsoft Corporation KEK 2K CA 2023 unknown',
    )
  })

  it('firmware refusal events: error, the event ids once each; three event lines at most, first line of each message', () => {
    const [f] = run(
      chain({
        events: [event(1795), event(1796), { ...event(1795), time: '2026-11-02T10:00:00' }, event(1802), event(1808)],
      }),
    )
    expect(f).toMatchObject({ severity: 'error' })
    expect(f!.causes[3]).toBe(
      `The firmware refused or blocked the update (events 1795, 1796, 1802): ${factText('events')}`,
    )
    expect(f!.evidence.filter((e) => e.source.startsWith('System log'))).toEqual([
      { source: 'System log, TPM-WMI event 1795', excerpt: '2026-11-01T10:00:00  Error  event 1795' },
      { source: 'System log, TPM-WMI event 1796', excerpt: '2026-11-01T10:00:00  Error  event 1796' },
      { source: 'System log, TPM-WMI event 1795', excerpt: '2026-11-02T10:00:00  Error  event 1795' },
    ])
    let ran = 0
    for (const id of [1795, 1796, 1802, 1803]) {
      const [g] = run(chain({ events: [event(id)] }))
      expect(g, `${id}`).toMatchObject({ severity: 'error' })
      expect(g!.causes[3], `${id}`).toBe(
        `The firmware refused or blocked the update (event ${id}): ${factText('events')}`,
      )
      ran++
    }
    expect(ran).toBe(4)
  })

  it('event 1801 alone says the keys need updating; Secure Boot off is said; an event without time or level', () => {
    const [f] = run(
      chain({ events: [{ id: 1801, time: null, level: null, message: 'CA needs update' }], secureBoot: 'off' }),
    )
    expect(f).toMatchObject({ severity: 'warning' })
    expect(f!.causes.slice(3)).toEqual([
      'Event 1801 says the Secure Boot CA/keys need to be updated on this device.',
      'Secure Boot is off on this PC.',
    ])
    expect(f!.evidence).toContainEqual({ source: 'System log, TPM-WMI event 1801', excerpt: 'CA needs update' })
  })

  it('the CA 2023 present or unknown, Secure Boot unsupported, or no boot-chain fact: nothing', () => {
    const db = (v: boolean | null) => ({
      windowsUefiCa2023: v,
      microsoftUefiCa2023: null,
      optionRomUefiCa2023: null,
      windowsProductionPca2011: null,
      microsoftUefiCa2011: null,
    })
    expect(run(chain({ db: db(true) }))).toEqual([])
    expect(run(chain({ db: db(null) }))).toEqual([])
    expect(run(chain({ secureBoot: 'unsupported' }))).toEqual([])
    expect(run(null)).toEqual([])
  })
})

describe("starting Windows' own certificate update", () => {
  it('sets AvailableUpdates 0x5944 and runs the task; BitLocker suspended first only after event 1032', () => {
    const plain = startWindowsCertificateUpdate(chain().value as BootChainFact)
    expect(plain).toMatchObject({ id: 'secure-boot-update', repair: 'secure-boot-update' })
    expect(
      startWindowsCertificateUpdate({ ...(chain().value as BootChainFact), events: [event(1803)] }).repair,
    ).toBeNull()
    expect(plain.commands[0]).toBe(
      'reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f',
    )
    expect(plain.commands).toHaveLength(4)
    expect(plain.text).toMatch(/^From an elevated PowerShell/)
    const bl = startWindowsCertificateUpdate({ ...(chain().value as BootChainFact), events: [event(1032)] })
    expect(bl.commands[0]).toBe('manage-bde -protectors -disable %systemdrive% -RebootCount 2')
    expect(bl.text).toMatch(/^First suspend BitLocker for two restarts/)
    expect(startWindowsCertificateUpdate(null).commands).toHaveLength(4)
  })
})

describe('boot-manager-2011', () => {
  const run = (b: ReturnType<typeof chain> | null) =>
    bootManager2011Rule.evaluate(input({ snapshot: b ? snap({ bootChain: b }) : snap() }))
  const pca = {
    signer: 'windows-production-pca-2011' as const,
    issuer: 'Microsoft Windows Production PCA 2011',
    detail: '',
  }

  it('signed under PCA 2011, not revoked: warning, 0.85, WinRE named, dbx says no', () => {
    const [f, ...rest] = run(chain({ bootManager: pca, events: [event(1799), event(1800), event(1801)] }))
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'boot-manager-2011',
      severity: 'warning',
      confidence: 0.85,
      repair: 'secure-boot-update',
      codes: [],
      title:
        'The boot manager WinRE starts through is signed by the 2011 certificate: WinRE stops booting once that certificate is revoked',
      technical: 'bootmgfw.efi signed under Microsoft Windows Production PCA 2011; PCA 2011 not revoked in dbx',
    })
    expect(f!.evidence).toEqual([
      {
        source: 'Get-AuthenticodeSignature \\EFI\\Microsoft\\Boot\\bootmgfw.efi',
        excerpt: 'signer issued by Microsoft Windows Production PCA 2011',
      },
      {
        source: "Get-SecureBootUEFI dbx (Microsoft's ASCII check)",
        excerpt: 'dbx revokes Microsoft Windows Production PCA 2011: no',
      },
      { source: 'System log, TPM-WMI event 1799', excerpt: '2026-11-01T10:00:00  Error  event 1799' },
      { source: 'System log, TPM-WMI event 1800', excerpt: '2026-11-01T10:00:00  Error  event 1800' },
    ])
    expect(f!.causes[0]).toBe(
      'The program that starts Windows and its recovery environment is still signed with an old Microsoft certificate; once this PC stops trusting that certificate, it no longer starts.',
    )
    expect(f!.causes[1]).toMatch(/It boots today because dbx does not revoke PCA 2011 yet\.$/)
    expect(f!.causes[2]).toBe(factText('revocation'))
    expect(f!.causes).toHaveLength(4)
    expect(f!.remedies.map((r) => r.id)).toEqual(['secure-boot-update', 'winre-media-refresh'])
  })

  it('revoked: error, said; revocation unknown: warning, "unknown"', () => {
    const [f] = run(chain({ bootManager: pca, pca2011Revoked: true }))
    expect(f).toMatchObject({
      severity: 'error',
      title: "The boot manager (and WinRE's start) is signed by a revoked 2011 certificate",
      technical: 'bootmgfw.efi signed under Microsoft Windows Production PCA 2011; PCA 2011 revoked in dbx',
    })
    expect(f!.causes[0]).toBe(
      'The program that starts Windows and its recovery environment is signed with an old Microsoft certificate this PC no longer trusts.',
    )
    expect(f!.causes[1]).toMatch(/dbx already revokes PCA 2011, so firmware refuses boot managers signed with it\.$/)
    expect(f!.evidence[1]!.excerpt).toBe('dbx revokes Microsoft Windows Production PCA 2011: yes')
    const [g] = run(chain({ bootManager: pca, pca2011Revoked: null }))
    expect(g).toMatchObject({ severity: 'warning' })
    expect(g!.evidence[1]!.excerpt).toBe('dbx revokes Microsoft Windows Production PCA 2011: unknown')
  })

  it('a 2023-signed or unknown boot manager, Secure Boot unsupported, no fact: nothing', () => {
    expect(run(chain())).toEqual([])
    expect(run(chain({ bootManager: { signer: 'unknown', issuer: null, detail: '' } }))).toEqual([])
    expect(run(chain({ bootManager: pca, secureBoot: 'unsupported' }))).toEqual([])
    expect(run(null)).toEqual([])
  })
})

describe('boot-chain facts as the rules cite them', () => {
  it('a source key becomes its URL (trailing ")" or "," dropped), a key without URL its text, an unknown key itself', () => {
    expect(sourceUrl('MS-SRP')).toBe(
      'https://support.microsoft.com/en-us/topic/-we-couldn-t-update-system-reserved-partition-error-installing-windows-10-46865f3f-37bb-4c51-c69f-07271b6672ac',
    )
    expect(sourceUrl('TP-TASK')).toBe(
      'https://deploymentbunny.com/2026/04/07/secure-boot-2026-essential-updates-and-fixes',
    )
    expect(sourceUrl('NO-SUCH-KEY')).toBe('NO-SUCH-KEY')
    expect(sourceUrl('PS-Get')).toBe(
      'https://learn.microsoft.com/en-us/powershell/module/secureboot/get-securebootuefi',
    )
  })
  it('a verified fact: its text and "(source: …)" without the scheme; an unverified one says so and why', () => {
    expect(bootFact('esp-0x800f0922')).toMatchObject({ verified: true, reason: null, sources: [sourceUrl('MS-SRP')] })
    expect(factText('esp-0x800f0922')).toBe(
      `${bootFact('esp-0x800f0922').text} (source: support.microsoft.com/en-us/topic/-we-couldn-t-update-system-reserved-partition-error-installing-windows-10-46865f3f-37bb-4c51-c69f-07271b6672ac)`,
    )
    const u = bootFact('esp-10mb-2026')
    expect(u).toMatchObject({
      verified: false,
      reason:
        "Only third-party reports of Microsoft's release-health note were readable; the Microsoft KB5089549 page itself was not.",
    })
    expect(factText('esp-10mb-2026')).toMatch(
      /^The May 12, 2026 update KB5089549 failed .* \(unverified: Only third-party reports of Microsoft's release-health note were readable; the Microsoft KB5089549 page itself was not\.; source: \S+\)$/,
    )
    expect(factText('revocation')).toMatch(/ \(source: support\.microsoft\.com\/\S+, support\.microsoft\.com\/\S+\)$/)
  })
  it('an unknown fact id is an error, not an empty text', () => {
    expect(() => bootFact('no-such-fact' as never)).toThrow('boot-chain fact no-such-fact is missing')
  })
})

describe('known-issue: what the first mutation run left unguarded', () => {
  const run = (over: Parameters<typeof input>[0]) => knownIssuesRule.evaluate(input(over))
  it("the issue's first URL as evidence; only that KB's failures (a failure without a KB is skipped); an undated one trimmed", () => {
    const hist = fact([
      failed('KB5079391', '0x80073712', { date: null, title: 'Preview (KB5079391)' }),
      failed('KB5044284', '0x80070005'),
      failed(null, '0x80070005', { title: 'Defender' }),
    ])
    const [f] = run({ snapshot: snap({ os: fact(os()), history: hist }) })
    expect(f!.evidence).toEqual([
      { source: 'Windows Update history', excerpt: 'failed  0x80073712  Preview (KB5079391)' },
      { source: 'Known issue (Microsoft)', excerpt: 'https://support.microsoft.com/help/5079391' },
    ])
    expect(f!.remedies[0]!.sources).toEqual(['KI-5079391'])
  })
  it('the WinRE version is evidence only for a "not needed" match', () => {
    const [f] = run({
      snapshot: snap({
        os: fact(os()),
        history: fact([failed('KB5079391', '0x80073712')]),
        winre: winreAt('10.0.26100.1'),
      }),
    })
    expect(f!.evidence.some((e) => e.source === 'WinRE version')).toBe(false)
  })
  it('build 26100 with a Server 2025 UBR is not Windows 11 24H2: the 24H2 issue does not match', () => {
    expect(
      run({
        snapshot: snap({
          os: fact(os({ productName: 'Windows Server 2025 Datacenter', edition: 'ServerDatacenter', ubr: 32000 })),
          history: fact([failed('KB5079391', '0x80073712')]),
        }),
      }),
    ).toEqual([])
  })
})

describe('Secure Boot rules: what their first run left unguarded', () => {
  it('a registry error code in upper-case hex; no snapshot: nothing from either rule', () => {
    const [f] = secureBootCertificateRule.evaluate(
      input({
        snapshot: snap({
          bootChain: chain({
            servicing: {
              availableUpdates: 0x5944,
              uefiCa2023Status: 'InProgress',
              uefiCa2023Error: 0x800f0922,
              windowsUefiCa2023Capable: 1,
            },
          }),
        }),
      }),
    )
    expect(f!.evidence[1]!.excerpt).toBe(
      'UEFICA2023Status InProgress; AvailableUpdates 0x5944; WindowsUEFICA2023Capable 1; UEFICA2023Error 0x800F0922',
    )
    expect(secureBootCertificateRule.evaluate(input({ snapshot: null }))).toEqual([])
    expect(bootManager2011Rule.evaluate(input({ snapshot: null }))).toEqual([])
  })
  it('BitLocker is suspended first only for event 1032, not for any event', () => {
    const other = startWindowsCertificateUpdate({
      ...(chain().value as BootChainFact),
      events: [event(1801), event(1808)],
    })
    expect(other.commands[0]).toBe(
      'reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f',
    )
    expect(other.text).toMatch(/^From an elevated PowerShell/)
  })
})
