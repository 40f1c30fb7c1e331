/**
 * package-identity (main/parse/package-identity.ts: CBS identities decide which updates a PC has) on exact
 * results: every part and role of an identity, the limits of the token, KB and version, each architecture
 * name, numeric version order, identities found inside text, and tildes put back after Markdown. Loaded
 * fresh for this file so the module-level pattern is the one under test (57% at its first run).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type Mod = typeof import('../../../main/parse/package-identity.ts')
let m: Mod
beforeAll(async () => {
  vi.resetModules()
  m = await import('../../../main/parse/package-identity.ts')
})

const LCU = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10'

describe('package identities at their boundaries (fresh module load)', () => {
  it('parsePackageIdentity: every part, and the role the name gives', () => {
    expect(m.parsePackageIdentity(`  ${LCU}\t`)).toEqual({
      identity: LCU,
      name: 'Package_for_RollupFix',
      publicKeyToken: '31bf3856ad364e35',
      arch: 'x64',
      rawArch: 'amd64',
      language: '',
      version: '26100.1742.1.10',
      kb: null,
      role: 'lcu',
    })
    const cases: [string, Partial<ReturnType<Mod['parsePackageIdentity']>> | null][] = [
      [
        'Package_for_ServicingStack_8655~31bf3856ad364e35~arm64~~26100.8655.1.3',
        { role: 'ssu', arch: 'arm64', kb: null },
      ],
      [
        'Package_for_KB5043080~31BF3856AD364E35~amd64~~26100.1742.1.10',
        { role: 'kb', kb: 'KB5043080', publicKeyToken: '31bf3856ad364e35' },
      ],
      ['Package_for_kb5043080_1~31bf3856ad364e35~amd64~~10.0.1.2', { role: 'kb', kb: 'KB5043080' }],
      ['KB5043080~31bf3856ad364e35~amd64~~10.0', { role: 'kb', kb: 'KB5043080', version: '10.0' }],
      ['Package_for_KB12345~31bf3856ad364e35~amd64~~10.0', { role: 'other', kb: null }],
      ['Package_for_KB123456789~31bf3856ad364e35~amd64~~10.0', { role: 'other', kb: null }],
      ['XKB5043080~31bf3856ad364e35~amd64~~10.0', { role: 'other', kb: null }],
      ['Package_for_KB5043080x~31bf3856ad364e35~amd64~~10.0', { role: 'other', kb: null }],
      [
        'Microsoft-OneCore-ApplicationModel-Sync-Desktop-FOD-Package~31bf3856ad364e35~amd64~~10.0.26100.1',
        { role: 'feature' },
      ],
      [
        'Microsoft-Windows-LanguageFeatures-Basic-en-us-Package~31bf3856ad364e35~amd64~~10.0.26100.1',
        { role: 'feature' },
      ],
      [
        'Microsoft-Windows-Foo-Package~31bf3856ad364e35~wow64~en-US~10.0.26100.1',
        { role: 'other', arch: 'wow64', language: 'en-US' },
      ],
      ['Package_for_RollupFix_2~31bf3856ad364e35~amd64~~26100.1742.1.10', { role: 'other' }],
      ['Package_for_RollupFix~31bf3856ad364e3~amd64~~26100.1', null],
      ['Package_for_RollupFix~31bf3856ad364e35g~amd64~~26100.1', null],
      ['Package_for_RollupFix~31bf3856ad364e35~amd64~~26100', null],
      ['Package_for_RollupFix~31bf3856ad364e35~amd64~~1.2.3.4.5', null],
      ['_Package~31bf3856ad364e35~amd64~~1.2', null],
      ['Package~31bf3856ad364e35~amd64~~1.2 x', null],
      ['x Package~31bf3856ad364e35~amd64~~1.2', null],
      ['Package~31bf3856ad364e35~amd64~en US~1.2', null],
      ['', null],
    ]
    for (const [t, want] of cases) {
      const got = m.parsePackageIdentity(t)
      if (want === null) expect(got, t).toBeNull()
      else expect(got, t).toMatchObject(want)
    }
    expect(cases).toHaveLength(21)
    expect(m.parsePackageIdentity(42 as unknown as string)).toBeNull()
  })

  it('normalizePackageArch: each name DISM writes', () => {
    const cases: [string, string | null][] = [
      ['amd64', 'x64'],
      ['AMD64', 'x64'],
      ['x64', 'x64'],
      ['x86', 'x86'],
      ['X86', 'x86'],
      ['arm64', 'arm64'],
      ['arm', 'arm'],
      ['wow64', 'wow64'],
      ['arm64.x86', 'wow64'],
      ['arm64.arm', 'wow64'],
      ['', 'neutral'],
      ['msil', 'neutral'],
      ['neutral', 'neutral'],
      ['ia64', null],
      ['x86.arm64', null],
      ['amd64 ', null],
    ]
    for (const [raw, want] of cases) expect(m.normalizePackageArch(raw), raw).toBe(want)
    expect(cases).toHaveLength(16)
  })

  it('compareVersions: numeric, part by part, missing parts as 0 (exact differences)', () => {
    const cases: [string, string, number][] = [
      ['26100.8655.1.7', '26100.1742.1.10', 6913],
      ['26100.1742.1.10', '26100.8655.1.7', -6913],
      ['1.2', '1.2.0', 0],
      ['1.2.0', '1.2', 0],
      ['1.2', '1.2.1', -1],
      ['1.2.1', '1.2', 1],
      ['2', '10', -8],
      ['10.0.1', '10.0.1', 0],
      ['1.10', '1.9', 1],
      ['1.0.0.5', '1.0.0.2', 3],
    ]
    for (const [a, b, want] of cases) expect(m.compareVersions(a, b), `${a} vs ${b}`).toBe(want)
    expect(cases).toHaveLength(10)
  })

  it('PACKAGE_IDENTITY_PATTERN: identities inside text, whole, and not a placeholder or a name run', () => {
    const find = (t: string) => [...t.matchAll(new RegExp(m.PACKAGE_IDENTITY_PATTERN))].map((x) => x[0])
    const cases: [string, string[]][] = [
      [`Package Identity : ${LCU}\r\n`, [LCU]],
      [`x ${LCU} y ${LCU.replace('1742', '8655')}`, [LCU, LCU.replace('1742', '8655')]],
      [`(${LCU})`, [LCU]],
      [`__${LCU}`, [LCU]],
      [`${LCU}#`, []],
      [`${LCU}.x`, []],
      [`${LCU}x`, []],
      ['Package~31bf3856ad364e35~amd64~~26100.<ubr>', []],
      ['Package~31bf3856ad364e3~amd64~~26100.1', []],
      ['Package~31bf3856ad364e35~amd64~~26100', []],
      ['a.b-c~0123456789abcdef~x~y~1.2', ['a.b-c~0123456789abcdef~x~y~1.2']],
      ['~0123456789abcdef~x~y~1.2', []],
    ]
    for (const [t, want] of cases) expect(find(t), t).toEqual(want)
    expect(cases).toHaveLength(12)
  })

  it('restoreStrippedTildes: the parts of a Markdown-stripped identity, and nothing else changed', () => {
    const cases: [string, string][] = [
      ['Package_for_KB272945231bf3856ad364e35amd646.1.1.0', 'Package_for_KB2729452~31bf3856ad364e35~amd64~~6.1.1.0'],
      [
        'Microsoft-Windows-Foo31bf3856ad364e35amd64en-US10.0.1',
        'Microsoft-Windows-Foo~31bf3856ad364e35~amd64~en-US~10.0.1',
      ],
      ['see Pkg31bf3856ad364e35wow6410.0.1.2 here', 'see Pkg~31bf3856ad364e35~wow64~~10.0.1.2 here'],
      ['Pkg31bf3856ad364e35arm6410.0', 'Pkg~31bf3856ad364e35~arm64~~10.0'],
      ['Pkg31bf3856ad364e35msil1.0', 'Pkg~31bf3856ad364e35~msil~~1.0'],
      [LCU, LCU],
      ['no token here', 'no token here'],
      ['Pkg31bf3856ad364e35amd6410', 'Pkg31bf3856ad364e35amd6410'],
      ['Pkg31bf3856ad364e35amd641.0x', 'Pkg31bf3856ad364e35amd641.0x'],
      ['9Pkg31bf3856ad364e35amd641.0', '9Pkg31bf3856ad364e35amd641.0'],
    ]
    for (const [t, want] of cases) expect(m.restoreStrippedTildes(t), t).toBe(want)
    expect(cases).toHaveLength(10)
    expect(m.restoreStrippedTildes(7 as unknown as string)).toBe(7)
  })

  it('restoreStrippedTildes: the pattern run on every text gives the same text, whatever comes before the token', () => {
    // restoreStrippedTildes runs its pattern only where the token follows a name character; here it is run everywhere.
    const everywhere = (t: string) =>
      t.replace(
        /(?<![\w~])([A-Za-z][\w.-]*?)31bf3856ad364e35(amd64|wow64|x86|arm64|msil|arm)((?:[a-z]{2,3}-[A-Za-z]{2,4})?)(\d+(?:\.\d+){1,3})(?![\w.])/g,
        (_m, name: string, arch: string, lang: string, ver: string) =>
          `${name}~31bf3856ad364e35~${arch}~${lang}~${ver}`,
      )
    let changed = 0
    for (const before of [
      '',
      'P',
      'p',
      'Z',
      '9',
      '0',
      '_',
      '.',
      '-',
      '~',
      ' ',
      '!',
      '/',
      '\u00e9',
      'Pkg~',
      'a~',
      '~a',
      'x.y_',
      'Pkg',
      'KB123_',
    ]) {
      for (const after of ['amd6410.0.1', 'x8610.0', 'amd64', '~amd64~~10.0', 'arm64en-US1.2']) {
        for (const t of [
          `${before}31bf3856ad364e35${after}`,
          `${LCU} ${before}31bf3856ad364e35${after}`,
          `${before}31bf3856ad364e35${after} ${before}31bf3856ad364e35${after}`,
        ]) {
          expect(m.restoreStrippedTildes(t), t).toBe(everywhere(t))
          if (everywhere(t) !== t) changed++
        }
      }
    }
    expect(changed).toBeGreaterThan(50)
  })
})
