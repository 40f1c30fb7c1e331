/**
 * parseDismPackages line by line (mutation testing). Whole records of the real captures in
 * test/fixtures/dism-packages and test/fixtures/corpus/dism-packages; every state word, state and release
 * number, error line and JSON shape on short hand-made records in DISM's documented list layout (edge
 * cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import type { InstalledPackage } from '../../../preload/model/snapshot.ts'

type M0 = typeof import('../../../main/parse/dism-packages.ts')
let effectiveLcu: M0['effectiveLcu'],
  jsonDateText: M0['jsonDateText'],
  parseDismPackages: M0['parseDismPackages'],
  servicingStackVersion: M0['servicingStackVersion'],
  WINDOWS_PACKAGE_SCRIPT: M0['WINDOWS_PACKAGE_SCRIPT']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ effectiveLcu, jsonDateText, parseDismPackages, servicingStackVersion, WINDOWS_PACKAGE_SCRIPT } = await import(
    '../../../main/parse/dism-packages.ts'
  ))
})

const ID = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10'
const list = (state: string, release = 'Security Update', time = '9/13/2024 4:11 AM') =>
  `Package Identity : ${ID}\nState : ${state}\nRelease Type : ${release}\nInstall Time : ${time}\n`
const stateOf = (s: string) => parseDismPackages(list(s)).packages[0]!.state
const json = (rows: unknown) => parseDismPackages(JSON.stringify(rows))

describe('parseDismPackages on the real captures', () => {
  it("a RollupFix record, installed, read whole (15063, Microsoft's OEM lab sample)", () => {
    const r = parseDismPackages(loadFixture('corpus/dism-packages/en-rollupfix-15063-installed-oem-lab.txt').text)
    expect(r).toEqual({
      packages: [
        {
          identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~15063.250.1.1',
          kb: null,
          arch: 'x64',
          version: '15063.250.1.1',
          state: 'installed',
          releaseType: 'Security Update',
          installTime: '2017-04-29T18:26:00',
        },
      ],
      format: 'dism-list',
      imageVersion: null,
      error: null,
      warnings: [],
    })
    expect(effectiveLcu(r.packages)).toEqual({
      identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~15063.250.1.1',
      version: '15063.250.1.1',
      build: 15063,
      ubr: 250,
    })
  })

  it('a RollupFix record in Install Pending is not the effective LCU (17134)', () => {
    const r = parseDismPackages(loadFixture('corpus/dism-packages/en-rollupfix-17134-install-pending.txt').text)
    expect(r.packages.map((p) => [p.version, p.state, p.releaseType, p.installTime])).toEqual([
      ['17134.345.1.5', 'install-pending', 'Security Update', null],
    ])
    expect(effectiveLcu(r.packages)).toBeNull()
  })

  it('an identity-only list (findstr): identities with KB, arch and version, state unknown', () => {
    const r = parseDismPackages(loadFixture('corpus/dism-packages/en-get-packages-findstr-kb2706045.txt').text)
    expect(r.format).toBe('dism-list')
    expect(r.packages.map((p) => [p.kb, p.arch, p.version, p.state, p.releaseType, p.installTime])).toEqual(
      Array(3).fill(['KB2706045', 'x64', '6.1.1.0', 'other', null, null]),
    )
  })

  it('a paste whose tildes markdown ate has no identities, but the image version is read', () => {
    expect(parseDismPackages(loadFixture('corpus/dism-packages/en-markdown-stripped-tildes-staged.txt').text)).toEqual({
      packages: [],
      format: 'none',
      imageVersion: '6.1.7601.18489',
      error: null,
      warnings: [],
    })
  })

  it('the FoD list with day-first dates: the ambiguous one kept as written, with one warning', () => {
    const r = parseDismPackages(loadFixture('dism-packages/en-gb-list-fod-dismtools220.txt').text)
    expect(r.packages.map((p) => p.installTime)).toEqual([
      '06/09/2024 04:11',
      '06/09/2024 04:11',
      '01/04/2024 08:04',
      '06/09/2024 04:11',
      '06/09/2024 04:11',
      '06/09/2024 04:11',
    ])
    expect(r.warnings).toHaveLength(1)
  })
})

describe('state words, numbers and release types (hand-made records)', () => {
  it('every state word the table lists, in five languages', () => {
    const cases: Array<[string, string]> = [
      ['Uninstall Pending', 'uninstall-pending'],
      ['UninstallPending', 'uninstall-pending'],
      ['Deinstallation ausstehend', 'uninstall-pending'],
      ['Désinstallation en attente', 'uninstall-pending'],
      ['Desinstallation en attente', 'uninstall-pending'],
      ['Desinstalación pendiente', 'uninstall-pending'],
      ['Desinstalacion pendiente', 'uninstall-pending'],
      ['卸载挂起', 'uninstall-pending'],
      ['挂起卸载', 'uninstall-pending'],
      ['卸载暂挂', 'uninstall-pending'],
      ['Install Pending', 'install-pending'],
      ['InstallPending', 'install-pending'],
      ['Installation ausstehend', 'install-pending'],
      ['Installation en attente', 'install-pending'],
      ['Instalación pendiente', 'install-pending'],
      ['Instalacion pendiente', 'install-pending'],
      ['安装挂起', 'install-pending'],
      ['挂起安装', 'install-pending'],
      ['安装暂挂', 'install-pending'],
      ['Partially Installed', 'other'],
      ['PartiallyInstalled', 'other'],
      ['Teilweise installiert', 'other'],
      ['Partiellement installé', 'other'],
      ['部分安装', 'other'],
      ['Installed', 'installed'],
      ['installiert', 'installed'],
      ['Installé', 'installed'],
      ['Installée', 'installed'],
      ['Installe', 'installed'],
      ['Instalado', 'installed'],
      ['已安装', 'installed'],
      ['Staged', 'staged'],
      ['Bereitgestellt', 'staged'],
      ['Préparé', 'staged'],
      ['Préparée', 'staged'],
      ['Prepare', 'staged'],
      ['Indexé', 'staged'],
      ['Almacenado', 'staged'],
      ['已暂存', 'staged'],
      ['已暂留', 'staged'],
      ['Superseded', 'superseded'],
      ['Ersetzt', 'superseded'],
      ['Remplacé', 'superseded'],
      ['Remplacée', 'superseded'],
      ['Reemplazado', 'superseded'],
      ['已被取代', 'superseded'],
      ['已取代', 'superseded'],
      ['已替代', 'superseded'],
      ['Not Present', 'absent'],
      ['NotPresent', 'absent'],
      ['Nicht vorhanden', 'absent'],
      ['Non présent', 'absent'],
      ['No presente', 'absent'],
      ['不存在', 'absent'],
      ['Resolved', 'absent'],
      ['Removed', 'absent'],
      ['Uninstalled', 'other'],
      ['Preinstalled', 'other'],
      ['Stagedx', 'other'],
      ['Mystery', 'other'],
      ['', 'other'],
    ]
    let ran = 0
    for (const [word, state] of cases) {
      expect(stateOf(word), word).toBe(state)
      ran++
    }
    expect(ran).toBe(61)
  })

  it('the earliest state word in the text wins', () => {
    expect(stateOf('Superseded (was Installed)')).toBe('superseded')
    expect(stateOf('Installed, later Superseded')).toBe('installed')
  })

  it('DismPackageFeatureState numbers, as JSON numbers and as text', () => {
    const byNumber = [
      'absent',
      'uninstall-pending',
      'staged',
      'absent',
      'installed',
      'install-pending',
      'superseded',
      'other',
    ]
    let ran = 0
    for (let n = 0; n < byNumber.length; n++) {
      expect(json([{ PackageName: ID, PackageState: n }]).packages[0]!.state, `json ${n}`).toBe(byNumber[n])
      expect(stateOf(String(n)), `text ${n}`).toBe(byNumber[n])
      ran++
    }
    expect(ran).toBe(8)
    expect(json([{ PackageName: ID, PackageState: 9 }]).packages[0]!.state).toBe('other')
    expect(stateOf('9')).toBe('other')
  })

  it('release types by number and by name, spaced as DISM prints them', () => {
    const names = [
      'Critical Update',
      'Driver',
      'Feature Pack',
      'Hotfix',
      'Security Update',
      'Software Update',
      'Update',
      'Update Rollup',
      'Language Pack',
      'Foundation',
      'Service Pack',
      'Product',
      'Local Pack',
      'Other',
      'OnDemand Pack',
    ]
    let ran = 0
    for (let n = 0; n < names.length; n++) {
      expect(json([{ PackageName: ID, ReleaseType: n }]).packages[0]!.releaseType, `json ${n}`).toBe(names[n])
      expect(
        json([{ PackageName: ID, ReleaseType: names[n]!.replace(/\s/g, '') }]).packages[0]!.releaseType,
        names[n],
      ).toBe(names[n])
      ran++
    }
    expect(ran).toBe(15)
    const rel = (r: unknown) => json([{ PackageName: ID, ReleaseType: r }]).packages[0]!.releaseType
    expect(rel(99)).toBe('99')
    expect(rel('securityupdate')).toBe('Security Update')
    expect(rel('NewKindOfPack')).toBe('New Kind Of Pack')
    expect(rel('mystery')).toBe('mystery')
    expect(rel(' ')).toBeNull()
    expect(rel(null)).toBeNull()
    expect(parseDismPackages(list('Installed', 'Sicherheitsupdate')).packages[0]!.releaseType).toBe('Sicherheitsupdate')
  })
})

describe('errors, header and formats (hand-made)', () => {
  it('reads DISM’s error line in each language and as hex, and warns', () => {
    const cases: Array<[string, string]> = [
      ['Error: 740', '740'],
      ['Fehler: 87', '87'],
      ['Erreur: 0x800f081f', '0x800f081f'],
      ['错误: 2', '2'],
      ['  Error : 50', '50'],
    ]
    let ran = 0
    for (const [line, code] of cases) {
      const r = parseDismPackages(
        `Deployment Image Servicing and Management tool\nVersion: 10.0.26100.1\n\n${line}\n\nThe operation failed.\n`,
      )
      expect([r.error, r.warnings, r.format], line).toEqual([
        code,
        [`DISM reported error ${code}; the list may be empty or incomplete.`],
        'none',
      ])
      ran++
    }
    expect(ran).toBe(5)
    expect(parseDismPackages('Error: see the log\n').error).toBeNull()
    expect(parseDismPackages('An Error: 5 inside a sentence\n').error).toBeNull()
  })

  it('the image version from the header, never DISM’s own version', () => {
    const r = parseDismPackages(
      `Deployment Image Servicing and Management tool\nVersion: 10.0.26100.1\n\nImage Version: 10.0.26100.1742\n\n${list('Installed')}`,
    )
    expect(r.imageVersion).toBe('10.0.26100.1742')
    expect(parseDismPackages('Version: 10.0.26100.1\n').imageVersion).toBeNull()
  })

  it('Get-WindowsPackage list output is its own format; a record ends at a blank line after its values or after three values', () => {
    const r = parseDismPackages(
      `PackageName  : ${ID}\nPackageState : Installed\nReleaseType  : SecurityUpdate\nInstallTime  : 9/13/2024 4:11:00 AM\n`,
    )
    expect(r.format).toBe('get-windowspackage')
    expect(r.packages[0]).toMatchObject({
      state: 'installed',
      releaseType: 'Security Update',
      installTime: '2024-09-13T04:11:00',
    })
    // A blank line before the first value does not end the record; a blank line after a value does.
    expect(parseDismPackages(`Package Identity : ${ID}\n\nState : Installed\n`).packages[0]!.state).toBe('installed')
    expect(
      parseDismPackages(`Package Identity : ${ID}\nState : Installed\n\nRelease Type : Update\n`).packages[0],
    ).toMatchObject({ state: 'installed', releaseType: null })
    // Three values are a record's; a fourth label line is not read as its state.
    const full = parseDismPackages(
      `Package Identity : ${ID}\nState : Installed\nRelease Type : Update\nInstall Time : 9/13/2024 4:11 AM\nExtra : Superseded\n`,
    )
    expect(full.packages[0]).toMatchObject({
      state: 'installed',
      releaseType: 'Update',
      installTime: '2024-09-13T04:11:00',
    })
  })

  it('PowerShell JSON: PackageName or PackageIdentity, PackageState or State, dates in each serialisation', () => {
    const r = json([
      { PackageName: ID, PackageState: 'Installed', InstallTime: '2024-09-13T04:11:00' },
      {
        PackageIdentity: 'Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1742.1.10',
        State: 'Superseded',
        InstallTime: { value: '/Date(1726200000000)/', DateTime: 'Friday' },
      },
      {
        PackageName: 'Package_for_ServicingStack_1742~31bf3856ad364e35~amd64~~26100.1742.1.2',
        PackageState: 4,
        InstallTime: { DateTime: '2024-09-13T04:11:00' },
      },
      { PackageName: 5 },
      null,
      'text',
    ])
    expect(r.format).toBe('json')
    expect(r.packages.map((p) => [p.kb, p.state, p.installTime])).toEqual([
      [null, 'installed', '2024-09-13T04:11:00'],
      ['KB5043080', 'superseded', '2024-09-13T04:00:00.000Z'],
      [null, 'installed', '2024-09-13T04:11:00'],
    ])
    expect(r.warnings).toEqual([])
    expect(json([{ Name: 'x' }])).toEqual({
      packages: [],
      format: 'json',
      imageVersion: null,
      error: null,
      warnings: ['The JSON has no PackageName fields; is it Get-WindowsPackage output?'],
    })
    expect(json([])).toEqual({ packages: [], format: 'json', imageVersion: null, error: null, warnings: [] })
    expect(parseDismPackages('{ not json').format).toBe('none')
  })

  it('jsonDateText reads each serialisation, else null', () => {
    expect(jsonDateText('x')).toBe('x')
    expect(jsonDateText({ value: 'v', DateTime: 'd' })).toBe('v')
    expect(jsonDateText({ DateTime: 'd' })).toBe('d')
    expect(jsonDateText({ value: 5 })).toBeNull()
    expect(jsonDateText(5)).toBeNull()
    expect(jsonDateText(null)).toBeNull()
    expect(jsonDateText(undefined)).toBeNull()
  })

  it('the probe script asks for enum names as text and sortable local times', () => {
    expect(WINDOWS_PACKAGE_SCRIPT).toContain("@{n='PackageState';e={[string]$_.PackageState}}")
    expect(WINDOWS_PACKAGE_SCRIPT).toContain("$_.InstallTime.ToString('s')")
    expect(WINDOWS_PACKAGE_SCRIPT.split('\n')).toHaveLength(4)
  })
})

describe('effectiveLcu and servicingStackVersion', () => {
  const pkg = (identity: string, state: InstalledPackage['state'] = 'installed'): InstalledPackage => ({
    identity,
    kb: null,
    arch: 'x64',
    version: null,
    state,
    releaseType: null,
    installTime: null,
  })

  it('the highest installed RollupFix, by version not by order', () => {
    const ps = [
      pkg('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10'),
      pkg('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.7'),
      pkg('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.5'),
      pkg('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.9000.1.1', 'superseded'),
      pkg('Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.9999.1.1'),
    ]
    expect(effectiveLcu(ps)).toEqual({
      identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.7',
      version: '26100.8117.1.7',
      build: 26100,
      ubr: 8117,
    })
    expect(effectiveLcu([])).toBeNull()
  })

  it('the highest installed servicing stack', () => {
    const ps = [
      pkg('Package_for_ServicingStack_1742~31bf3856ad364e35~amd64~~26100.1742.1.2'),
      pkg('Package_for_ServicingStack_8117~31bf3856ad364e35~amd64~~26100.8117.1.3'),
      pkg('Package_for_ServicingStack_4061~31bf3856ad364e35~amd64~~26100.4061.1.1'),
      pkg('Package_for_ServicingStack_9999~31bf3856ad364e35~amd64~~26100.9999.1.1', 'staged'),
    ]
    expect(servicingStackVersion(ps)).toBe('26100.8117.1.3')
    expect(servicingStackVersion([pkg('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10')])).toBeNull()
  })
})

const FLAT = 'The text lost its line breaks; packages were read by their identities.'
const id = (n: number) => `Package_for_KB50${String(n).padStart(5, '0')}~31bf3856ad364e35~amd64~~26100.${1000 + n}.1.1`
/** Records as a flattened paste (one line, over 300 characters): the labels and values in one run of words. */
const flat = (records: Array<[state: string, release: string | null, time: string | null]>) =>
  records
    .map(
      ([state, release, time], i) =>
        `Package Identity : ${id(i)} State : ${state}${release === null ? '' : ` Release Type : ${release}`} Install Time :${time === null ? '' : ` ${time}`}`,
    )
    .join(' ')

describe('the probe script, whole', () => {
  it('is exactly the four lines the packages probe runs', () => {
    expect(WINDOWS_PACKAGE_SCRIPT).toBe(
      [
        '$rows = @(Get-WindowsPackage -Online | Select-Object PackageName,',
        "  @{n='PackageState';e={[string]$_.PackageState}}, @{n='ReleaseType';e={[string]$_.ReleaseType}},",
        "  @{n='InstallTime';e={if ($_.InstallTime) { $_.InstallTime.ToString('s') }}})",
        'ConvertTo-Json -InputObject $rows -Compress',
      ].join('\n'),
    )
  })
})

describe('state words with other spacing, case and punctuation (hand-made)', () => {
  it('reads each word run together, with two spaces, in capitals and in brackets', () => {
    const cases: Array<[string, string]> = [
      ['uninstallpending', 'uninstall-pending'],
      ['Deinstallation  ausstehend', 'uninstall-pending'],
      ['Désinstallation  en attente', 'uninstall-pending'],
      ['Désinstallation en  attente', 'uninstall-pending'],
      ['Desinstalación  pendiente', 'uninstall-pending'],
      ['installpending', 'install-pending'],
      ['Installation  ausstehend', 'install-pending'],
      ['Installation  en attente', 'install-pending'],
      ['Installation en  attente', 'install-pending'],
      ['Instalación  pendiente', 'install-pending'],
      ['partiallyinstalled', 'other'],
      ['Teilweise  installiert', 'other'],
      ['Partiellement  installé', 'other'],
      ['Instalado (2024)', 'installed'],
      ['INSTALLED', 'installed'],
      ['(Staged)', 'staged'],
      ['(Superseded)', 'superseded'],
      ['notpresent', 'absent'],
      ['NOTPRESENT', 'absent'],
      ['Nicht  vorhanden', 'absent'],
      ['Non  présent', 'absent'],
      ['No  presente', 'absent'],
      ['(Removed)', 'absent'],
      ['Removed (2024)', 'absent'],
    ]
    let ran = 0
    for (const [word, state] of cases) {
      expect([word, stateOf(word)]).toEqual([word, state])
      ran++
    }
    expect(ran).toBe(24)
  })
})

describe('records in a list: values, labels and wraps (hand-made)', () => {
  const fod = () => loadFixture('dism-packages/en-gb-list-fod-dismtools220.txt').text
  const hardWrap = (text: string, width: number) =>
    text
      .split('\n')
      .flatMap((l) => (l.length <= width ? [l] : [l.slice(0, width), l.slice(width)]))
      .join('\n')

  it('an identity cut by a console of an unusual width is joined again, and its record keeps its values (bug: lost or misread)', () => {
    const want = parseDismPackages(fod())
    expect(want.packages).toHaveLength(6)
    let ran = 0
    for (const width of [93, 97, 105]) {
      const wrapped = hardWrap(fod(), width)
      expect(wrapped.split('\n').length).toBeGreaterThan(fod().split('\n').length)
      expect([width, parseDismPackages(wrapped)]).toEqual([width, want])
      ran++
    }
    expect(ran).toBe(3)
  })

  it('a line that is no label before the first value is skipped; after the values it ends the record; sentences are not identity tails', () => {
    // (id(1): a line of exactly 80 characters would be taken for a console wrap and joined with the next.)
    const r = parseDismPackages(
      `Package Identity : ${id(1)}\n\`\`\`\nState : Installed\nRelease Type : Update\nThe operation completed successfully.\nInstall Time : 9/13/2024 4:11 AM\n`,
    )
    expect(r.packages).toEqual([
      {
        identity: id(1),
        kb: 'KB5000001',
        arch: 'x64',
        version: '26100.1001.1.1',
        state: 'installed',
        releaseType: 'Update',
        installTime: null,
      },
    ])
    const id2 = parseDismPackages(`Package Identity : ${id(1)}\nThe operation completed successfully.\n`)
    expect(id2.packages.map((p) => p.identity)).toEqual([id(1)])
  })

  it('a pager line (`| more`) between an identity and its values is skipped', () => {
    const r = parseDismPackages(
      `Package Identity : ${id(1)}\n-- More  --\nState : Installed\nRelease Type : Update\nInstall Time : 9/13/2024 4:11 AM\n`,
    )
    expect(r.packages).toEqual([
      {
        identity: id(1),
        kb: 'KB5000001',
        arch: 'x64',
        version: '26100.1001.1.1',
        state: 'installed',
        releaseType: 'Update',
        installTime: '2024-09-13T04:11:00',
      },
    ])
  })

  it('bare identities one a line (`(Get-WindowsPackage -Online).PackageName`): each its own record, none joined to the line above', () => {
    const r = parseDismPackages([id(1), id(2), id(3)].join('\n'))
    expect(r.packages.map((p) => [p.identity, p.state])).toEqual([
      [id(1), 'other'],
      [id(2), 'other'],
      [id(3), 'other'],
    ])
  })

  it('an indented list and a Get-WindowsPackage list (two spaces before the colon) cut at an unusual width are joined again', () => {
    const lab = loadFixture('corpus/dism-packages/en-rollupfix-15063-installed-oem-lab.txt').text
    expect(hardWrap(lab, 70).split('\n')[1]).toBe('5063.250.1.1')
    expect(parseDismPackages(hardWrap(lab, 70))).toEqual(parseDismPackages(lab))
    const ps = `PackageName  : ${ID}\nPackageState : Installed\nReleaseType  : SecurityUpdate\nInstallTime  : 9/13/2024 4:11:00 AM\n`
    expect(hardWrap(ps, 70).split('\n')[1]).toBe('2.1.10')
    expect(parseDismPackages(hardWrap(ps, 70)).packages).toEqual([
      {
        identity: ID,
        kb: null,
        arch: 'x64',
        version: '26100.1742.1.10',
        state: 'installed',
        releaseType: 'Security Update',
        installTime: '2024-09-13T04:11:00',
      },
    ])
  })

  it('labels with no space before the colon, a full-width colon and an empty first value', () => {
    expect(
      parseDismPackages(`Package Identity : ${id(1)}\nState: Installed\nRelease Type: Update\n`).packages[0],
    ).toMatchObject({ state: 'installed', releaseType: 'Update' })
    expect(parseDismPackages(`Package Identity : ${id(1)}\n状态： 已安装\n`).packages[0]!.state).toBe('installed')
    expect(
      parseDismPackages(`Package Identity : ${id(1)}\nState :\nRelease Type : Update\n`).packages[0],
    ).toMatchObject({ state: 'other', releaseType: 'Update' })
  })

  it('an install time with words around the date keeps the date; one with no date is kept as written', () => {
    expect(parseDismPackages(list('Installed', 'Update', '2024-09-13 오전 4:11')).packages[0]!.installTime).toBe(
      '2024-09-13',
    )
    expect(parseDismPackages(list('Installed', 'Update', '(none)')).packages[0]!.installTime).toBe('(none)')
  })

  it('the ambiguous-date warning names how many and the first one', () => {
    expect(parseDismPackages(fod()).warnings).toEqual([
      "6 date(s) such as '06/09/2024 04:11' could be day/month or month/day and nothing else in the text tells which; they are kept as written.",
    ])
  })

  it('a markdown table row: cells after the identity', () => {
    const r = parseDismPackages(
      `| Package Identity | State | Release Type | Install Time |\n|---|---|---|---|\n| ${ID} | Installed | Security Update | 9/13/2024 4:11 AM |\n| ${id(1)} | Staged | Update | 2024-09-13 오전 4:11 |\n| ${id(2)} | Staged | | (none) |\n`,
    )
    expect(r.format).toBe('dism-table')
    expect(r.packages.map((p) => [p.state, p.releaseType, p.installTime])).toEqual([
      ['installed', 'Security Update', '2024-09-13T04:11:00'],
      ['staged', 'Update', '2024-09-13'],
      ['staged', null, '(none)'],
    ])
  })
})

describe('header and error lines (hand-made)', () => {
  it('the first error line and the first image version count; a code inside a sentence or with no space is read only where DISM puts it', () => {
    expect(parseDismPackages('Error: 87\n\nError: see the log\n').error).toBe('87')
    expect(parseDismPackages('Error:87\n').error).toBe('87')
    expect(parseDismPackages('DISM failed. Error: 5\n').error).toBeNull()
    expect(
      parseDismPackages(`Image Version: 10.0.26100.1742\n\n${list('Installed')}\nImage Version: 10.0.26100.2033\n`)
        .imageVersion,
    ).toBe('10.0.26100.1742')
    expect(parseDismPackages('Image Version:\n').imageVersion).toBeNull()
    expect(parseDismPackages('Image Version : 10.0.26100.1742\n').imageVersion).toBe('10.0.26100.1742')
  })
})

describe('flattened pastes (hand-made, one line)', () => {
  it('every release word, spaced as DISM prints it and run together as PowerShell does', () => {
    const words: Array<[string, string]> = [
      ['Security Update', 'Security Update'],
      ['SecurityUpdate', 'Security Update'],
      ['Critical Update', 'Critical Update'],
      ['CriticalUpdate', 'Critical Update'],
      ['Update Rollup', 'Update Rollup'],
      ['UpdateRollup', 'Update Rollup'],
      ['Software Update', 'Software Update'],
      ['SoftwareUpdate', 'Software Update'],
      ['Feature Pack', 'Feature Pack'],
      ['FeaturePack', 'Feature Pack'],
      ['Language Pack', 'Language Pack'],
      ['LanguagePack', 'Language Pack'],
      ['OnDemand Pack', 'OnDemand Pack'],
      ['OnDemandPack', 'OnDemand Pack'],
      ['On Demand Pack', 'OnDemand Pack'],
      ['Service Pack', 'Service Pack'],
      ['ServicePack', 'Service Pack'],
      ['Local Pack', 'Local Pack'],
      ['LocalPack', 'Local Pack'],
      ['Foundation', 'Foundation'],
      ['Hotfix', 'Hotfix'],
      ['Driver', 'Driver'],
      ['Product', 'Product'],
      ['Update', 'Update'],
      ['Other', 'Other'],
    ]
    const r = parseDismPackages(flat(words.map(([w]) => ['Installed', w, '9/13/2024 4:11 AM'])))
    expect(r.format).toBe('flattened')
    let ran = 0
    for (let i = 0; i < words.length; i++) {
      expect([words[i]![0], r.packages[i]!.releaseType]).toEqual([words[i]![0], words[i]![1]])
      ran++
    }
    expect(ran).toBe(25)
    expect(r.packages.every((p) => p.state === 'installed' && p.installTime === '2024-09-13T04:11:00')).toBe(true)
  })

  it("states, times in several layouts, a record with no release type and one with no time (the next record's are not taken)", () => {
    const r = parseDismPackages(
      flat([
        ['Installed', 'Security Update', '10/13/2024 6:28 PM'],
        ['Superseded', null, '13.09.2024 04:11:27'],
        ['Install Pending', 'Update', null],
        ['Staged', 'Update', '13/09/2024 - 04:11'],
        ['Installed', 'Update', '9/13/2024 4:11PM'],
        ['Installed', 'Update', '9/13/2024'],
      ]),
    )
    expect({ ...r, packages: r.packages.map((p) => [p.identity, p.state, p.releaseType, p.installTime]) }).toEqual({
      packages: [
        [id(0), 'installed', 'Security Update', '2024-10-13T18:28:00'],
        [id(1), 'superseded', null, '2024-09-13T04:11:27'],
        [id(2), 'install-pending', 'Update', null],
        [id(3), 'staged', 'Update', '2024-09-13T04:11:00'],
        [id(4), 'installed', 'Update', '2024-09-13T16:11:00'],
        [id(5), 'installed', 'Update', '2024-09-13'],
      ],
      format: 'flattened',
      imageVersion: null,
      error: null,
      warnings: [FLAT],
    })
  })

  it('the header and the error line of a flattened paste, at its start, inside it and at its end', () => {
    const records = flat([
      ['Installed', 'Update', '9/13/2024 4:11 AM'],
      ['Staged', 'Update', '9/13/2024 4:11 AM'],
    ])
    const head = parseDismPackages(
      `Deployment Image Servicing and Management tool Version: 10.0.26100.1 Image Version: 10.0.26100.1742 Packages listing: ${records} The operation completed successfully.`,
    )
    expect([head.imageVersion, head.error, head.warnings, head.packages.length]).toEqual([
      '10.0.26100.1742',
      null,
      [FLAT],
      2,
    ])
    const cases: Array<[text: string, error: string | null, imageVersion: string | null]> = [
      [`Error: 87 ${records}`, '87', null],
      [`Image Version : 6.1.7601.18489 ${records} Error : 0x800f081f`, '0x800f081f', '6.1.7601.18489'],
      [`${records} Fehler:87 Die Option ist unbekannt.`, '87', null],
      [`${records} An error: see the log`, null, null],
    ]
    let ran = 0
    for (const [text, error, imageVersion] of cases) {
      const r = parseDismPackages(text)
      expect([text.slice(0, 20), r.error, r.imageVersion, r.packages.length]).toEqual([
        text.slice(0, 20),
        error,
        imageVersion,
        2,
      ])
      ran++
    }
    expect(ran).toBe(4)
  })

  it('a flattened paste with no identity: its image version, and no flattened-list warning', () => {
    // The capture pasted twice, flattened (once it is 265 characters, under the 300 that tell a flattened paste).
    const once = loadFixture('corpus/dism-packages/en-markdown-stripped-tildes-staged.txt').text
    const text = `${once}\n${once}`.replace(/\s*\n\s*/g, ' ').trim()
    expect(text.length).toBeGreaterThan(300)
    expect(parseDismPackages(text)).toEqual({
      packages: [],
      format: 'none',
      imageVersion: '6.1.7601.18489',
      error: null,
      warnings: [],
    })
  })
})

describe('input shapes (hand-made)', () => {
  it('no text, JSON after blanks, a JSON string (read as text), non-object rows, identities that are no package identity', () => {
    let ran = 0
    for (const input of [null, undefined, 42, ''] as unknown[]) {
      expect(parseDismPackages(input as string)).toEqual({
        packages: [],
        format: 'none',
        imageVersion: null,
        error: null,
        warnings: [],
      })
      ran++
    }
    expect(ran).toBe(4)
    expect(parseDismPackages(`\n  ${JSON.stringify([{ PackageName: ID, PackageState: ' 4 ' }])}\n`).packages).toEqual([
      {
        identity: ID,
        kb: null,
        arch: 'x64',
        version: '26100.1742.1.10',
        state: 'installed',
        releaseType: null,
        installTime: null,
      },
    ])
    expect(parseDismPackages(JSON.stringify(ID)).format).toBe('dism-list')
    expect(json(['text', 5])).toEqual({ packages: [], format: 'json', imageVersion: null, error: null, warnings: [] })
    expect(json([{ PackageIdentity: 5 }])).toEqual({
      packages: [],
      format: 'json',
      imageVersion: null,
      error: null,
      warnings: ['The JSON has no PackageName fields; is it Get-WindowsPackage output?'],
    })
    expect(json([{ PackageName: 'Microsoft-Windows-Foundation-Package', PackageState: 'Installed' }]).packages).toEqual(
      [
        {
          identity: 'Microsoft-Windows-Foundation-Package',
          kb: null,
          arch: null,
          version: null,
          state: 'installed',
          releaseType: null,
          installTime: null,
        },
      ],
    )
  })
})
