import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import {
  parseDismPackages,
  effectiveLcu,
  servicingStackVersion,
  ENGLISH_STATES,
  stateByWords,
} from '../../../main/parse/dism-packages.ts'
import { parsePackageIdentity } from '../../../main/parse/package-identity.ts'
import { readDate } from '../../../main/parse/date-text.ts'
import { renderDismGetPackages, renderWindowsPackages } from '../../../main/training/renderers/packages.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { hardWrap, loseNewlines, toCrlf, padLines } from './paste-damage.ts'
import { withinCpu } from '../cpu-time.ts'

const fod = loadFixture('dism-packages/en-gb-list-fod-dismtools220.txt').text
const wifi = loadFixture('dism-packages/en-gb-list-wifi-fod-dismtools220.txt').text

async function render(cmd: typeof renderDismGetPackages, state: TrainingState): Promise<string> {
  const out = await cmd({ state, spec: { name: 'x', file: 'x', args: [], timeoutMs: 1 }, options: {} })
  return out.stdout
}

describe('parseDismPackages on captured DISM /Get-Packages lists', () => {
  it('reads an English state by its table as the state words read it, in every case form', () => {
    for (const [words, state] of ENGLISH_STATES) {
      const title = words.replace(/\b\w/g, (c) => c.toUpperCase())
      for (const form of [words, words.toUpperCase(), title, title.replace(/ /g, ''), ` ${title}  `]) {
        expect(stateByWords(form), form).toBe(state)
        const list = parseDismPackages(
          `Package Identity : Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1742.1.10\nState : ${form}\n`,
        )
        expect(list.packages[0]?.state, form).toBe(state)
      }
    }
  })

  it('reads identity, arch, version, state and release type of every record', () => {
    const r = parseDismPackages(fod)
    expect(r.format).toBe('dism-list')
    expect(r.packages).toHaveLength(6)
    expect(r.packages[0]).toEqual({
      identity: 'Microsoft-Windows-Notepad-System-FoD-Package~31bf3856ad364e35~amd64~en-US~10.0.26100.1742',
      kb: null,
      arch: 'x64',
      version: '10.0.26100.1742',
      state: 'installed',
      releaseType: 'OnDemand Pack',
      installTime: '06/09/2024 04:11',
    })
    expect(r.packages[2].arch).toBe('wow64')
    expect(parseDismPackages(wifi).packages.map((p) => p.state)).toEqual(Array(6).fill('installed'))
  })

  it('keeps day/month-ambiguous install times as written and warns, instead of guessing', () => {
    const r = parseDismPackages(fod)
    expect(r.packages.map((p) => p.installTime)).toContain('01/04/2024 08:04')
    expect(r.warnings.join(' ')).toMatch(/day\/month or month\/day/)
  })

  it('gives each install time its own date when two texts share the look-up number (textHash)', () => {
    // textHash('7/2/2000 3:02 AM') === textHash('5/17/2001 10:00 PM'): the second is no repeat of the first.
    const rec = (n: number, time: string) =>
      `Package Identity : Package_for_KB${5000000 + n}~31bf3856ad364e35~amd64~~10.0.26100.${n}\nState : Installed\nRelease Type : Update\nInstall Time : ${time}\n\n`
    const r = parseDismPackages(
      rec(1, '7/2/2000 3:02 AM') +
        rec(2, '5/17/2001 10:00 PM') +
        rec(3, '7/2/2000 3:02 AM') +
        rec(4, '5/17/2001 10:00 PM'),
    )
    expect(r.packages.map((p) => p.installTime)).toEqual([
      '2000-07-02T03:02:00',
      '2001-05-17T22:00:00',
      '2000-07-02T03:02:00',
      '2001-05-17T22:00:00',
    ])
  })

  it('joins 30,000 label-less words after an identity line in linear time, as written and with CR line ends (the console-lines pass; fuzz case: 0.9 s)', () => {
    const text = `Package Identity : Package_for_KB5000001~31bf3856ad364e35~amd64~~10.0.26100.1\r\n${'<<<<<<<\r\n'.repeat(30000)}State : Installed\r\n`
    for (const t of [text, text.replace(/\r\n/g, '\r')]) {
      const r = withinCpu(500, () => parseDismPackages(t))
      expect(r.packages.map((p) => [p.identity, p.state])).toEqual([
        ['Package_for_KB5000001~31bf3856ad364e35~amd64~~10.0.26100.1', 'installed'],
      ])
    }
  })

  it('reads a million characters of one-character lines in linear time (fuzz case: 1.3 s)', () => {
    expect(withinCpu(500, () => parseDismPackages('"\n'.repeat(500000))).format).toBe('none')
  })

  it('reads the same records after a hard wrap at 80 columns that splits every identity', () => {
    const wrapped = hardWrap(fod, 80)
    expect(wrapped.split('\n').some((l) => l.length === 80 && /^Package Identity : .*~31bf3856ad364e35$/.test(l))).toBe(
      true,
    )
    expect(parseDismPackages(wrapped).packages).toEqual(parseDismPackages(fod).packages)
  })

  it('reads the same records from a rectangular console selection (every line padded to 80 columns)', () => {
    const rect = hardWrap(fod, 80)
      .split('\n')
      .map((l) => l.padEnd(80))
      .join('\n')
    expect(parseDismPackages(rect).packages).toEqual(parseDismPackages(fod).packages)
  })

  it('reads the same records from CRLF text with trailing spaces', () => {
    expect(parseDismPackages(toCrlf(padLines(fod))).packages).toEqual(parseDismPackages(fod).packages)
  })

  it('reads identities and states from a paste that lost every newline, and says so', () => {
    const r = parseDismPackages(loseNewlines(wifi))
    expect(r.format).toBe('flattened')
    expect(r.packages.map((p) => [p.identity, p.state, p.releaseType, p.installTime])).toEqual(
      parseDismPackages(wifi).packages.map((p) => [p.identity, p.state, p.releaseType, p.installTime]),
    )
    expect(r.warnings.join(' ')).toMatch(/lost its line breaks/)
  })
})

describe('parseDismPackages on a captured /Format:Table listing', () => {
  const table = loadFixture('dism-packages/en-us-table-24h2-openssh2282.txt').text

  it('reads rows between the dashed rules, superseded and installed, dates month first (10/13 tells)', () => {
    const r = parseDismPackages(table)
    expect(r.format).toBe('dism-table')
    expect(r.packages.map((p) => [p.version, p.state, p.releaseType, p.installTime])).toEqual([
      ['10.0.26100.1742', 'superseded', 'OnDemand Pack', '2024-09-06T04:10:00'],
      ['10.0.26100.2033', 'installed', 'OnDemand Pack', '2024-10-13T06:28:00'],
      ['10.0.26100.1742', 'superseded', 'OnDemand Pack', '2024-09-06T04:10:00'],
      ['10.0.26100.2033', 'installed', 'OnDemand Pack', '2024-10-13T06:28:00'],
    ])
    expect(r.warnings).toEqual([])
  })

  it('reads the same rows after a hard wrap at 80 and at 120 columns', () => {
    for (const w of [80, 120])
      expect(parseDismPackages(hardWrap(table, w)).packages).toEqual(parseDismPackages(table).packages)
  })
})

describe('parseDismPackages on what the training machines print', () => {
  for (const state of trainingProfiles) {
    it(`reads ${state.name}'s DISM list and Get-WindowsPackage JSON to the same packages`, async () => {
      const list = parseDismPackages(await render(renderDismGetPackages, state))
      const json = parseDismPackages(await render(renderWindowsPackages, state))
      expect(list.format).toBe('dism-list')
      expect(json.format).toBe('json')
      expect(list.packages.map((p) => p.identity)).toEqual(state.packages.map((p) => p.identity))
      expect(json.packages.map(({ installTime, ...rest }) => rest)).toEqual(
        list.packages.map(({ installTime, ...rest }) => rest),
      )
      expect(list.imageVersion).toBe(`10.0.${state.os.currentBuild}.${state.os.ubr}`)
    })
  }

  it('finds the effective LCU and the servicing stack of arm64-missing-checkpoint (26100.1150, before the checkpoint)', async () => {
    const state = trainingProfiles.find((p) => p.name === 'arm64-missing-checkpoint')!
    const r = parseDismPackages(await render(renderDismGetPackages, state))
    expect(effectiveLcu(r.packages)).toEqual({
      identity: 'Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.1150.1.10',
      version: '26100.1150.1.10',
      build: 26100,
      ubr: 1150,
    })
    expect(servicingStackVersion(r.packages)).toBe('26100.1150.1.2')
    expect(r.packages.every((p) => p.arch === 'arm64')).toBe(true)
  })

  it('does not count an Install Pending rollup as the effective LCU', async () => {
    const state = trainingProfiles.find((p) => p.name === 'x64-pending-restart')!
    const r = parseDismPackages(await render(renderDismGetPackages, state))
    expect(r.packages.find((p) => p.version === '26100.8655.1.14')?.state).toBe('install-pending')
    expect(effectiveLcu(r.packages)?.ubr).toBe(8117)
  })
})

describe('parseDismPackages on the other documented formats (synthesised from the documented layouts)', () => {
  it('reads /Format:Table rows, every state word, and an empty install time', () => {
    const table = [
      'Package Identity                                                  | State             | Release Type    | Install Time',
      '------------------------------------------------------------------ | ----------------- | --------------- | ------------------',
      'Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1742.1.10      | Superseded        | Security Update | 9/25/2024 10:01 AM',
      'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.14      | Install Pending   | Security Update | 6/10/2026 7:58 AM',
      'Package_for_KB5000001~31bf3856ad364e35~amd64~~26100.1.1.1          | Uninstall Pending | Update          | 6/10/2026 7:58 AM',
      'Microsoft-Windows-Foo-Package~31bf3856ad364e35~arm64.x86~~10.0.1.0 | Staged            | Feature Pack    |',
      'Microsoft-Windows-Bar-Package~31bf3856ad364e35~x86~~10.0.1.0       | Partially Installed | Feature Pack  |',
      'Microsoft-Windows-Baz-Package~31bf3856ad364e35~~~10.0.1.0          | Not Present       | Feature Pack    |',
    ].join('\n')
    const r = parseDismPackages(table)
    expect(r.format).toBe('dism-table')
    expect(r.packages.map((p) => [p.kb, p.arch, p.state, p.installTime])).toEqual([
      ['KB5043080', 'x64', 'superseded', '2024-09-25T10:01:00'],
      [null, 'x64', 'install-pending', '2026-06-10T07:58:00'],
      ['KB5000001', 'x64', 'uninstall-pending', '2026-06-10T07:58:00'],
      [null, 'wow64', 'staged', null],
      [null, 'x86', 'other', null],
      [null, 'neutral', 'absent', null],
    ])
  })

  it('reads /Format:Table rows cut at 80 columns, even where the cut falls on a space', () => {
    const table = [
      'Package Identity                                                  | State             | Release Type    | Install Time',
      '------------------------------------------------------------------ | ----------------- | --------------- | ------------------',
      'Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1742.1.10      | Superseded        | Security Update | 9/25/2024 10:01 AM',
      'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.14      | Install Pending   | Security Update | 6/10/2026 7:58 AM',
    ].join('\n')
    const wrapped = hardWrap(table, 80)
    expect(wrapped.split('\n')[4]).toMatch(/\| Superseded $/)
    expect(parseDismPackages(wrapped).packages).toEqual(parseDismPackages(table).packages)
  })

  it('reads Get-WindowsPackage list output and PowerShell 5.1 JSON with enum numbers and /Date()/', () => {
    const list =
      'PackageName  : Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10\nPackageState : Installed\nReleaseType  : SecurityUpdate\nInstallTime  : 9/13/2024 4:11:00 AM\n'
    expect(parseDismPackages(list).packages[0]).toMatchObject({
      state: 'installed',
      releaseType: 'Security Update',
      installTime: '2024-09-13T04:11:00',
    })
    const json = JSON.stringify([
      {
        PackageName: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10',
        PackageState: 5,
        ReleaseType: 4,
        InstallTime: '/Date(1726200000000)/',
      },
    ])
    expect(parseDismPackages(json).packages[0]).toMatchObject({
      state: 'install-pending',
      releaseType: 'Security Update',
      installTime: '2024-09-13T04:00:00.000Z',
    })
    expect(
      parseDismPackages(
        JSON.stringify({ PackageName: 'x~31bf3856ad364e35~amd64~~1.2.3.4', PackageState: 'Superseded' }),
      ).packages[0].state,
    ).toBe('superseded')
  })

  it('reads German, French and Chinese state words', () => {
    const mk = (state: string) =>
      `Paketidentität : Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10\nStatus : ${state}\nReleasetyp : Sicherheitsupdate\nInstallationszeit : 10.09.2024 04:11\n`
    expect(parseDismPackages(mk('Installiert')).packages[0]).toMatchObject({
      state: 'installed',
      installTime: '2024-09-10T04:11:00',
      releaseType: 'Sicherheitsupdate',
    })
    expect(parseDismPackages(mk('Installation ausstehend')).packages[0].state).toBe('install-pending')
    expect(parseDismPackages(mk('Ersetzt')).packages[0].state).toBe('superseded')
    expect(parseDismPackages(mk('Installé')).packages[0].state).toBe('installed')
    expect(parseDismPackages(mk('Désinstallation en attente')).packages[0].state).toBe('uninstall-pending')
    expect(parseDismPackages(mk('已安装')).packages[0].state).toBe('installed')
    expect(parseDismPackages(mk('安装挂起')).packages[0].state).toBe('install-pending')
    // Any case, accented capitals too (the words are matched against the lowered text); a letter of any script on either
    // side makes it another word (an astral letter is two code units; an emoji is no letter).
    const states: Array<[string, string]> = [
      ['INSTALLÉ', 'installed'],
      ['DÉSINSTALLATION EN ATTENTE', 'uninstall-pending'],
      ['PRÉPARÉE', 'staged'],
      ['(Installed)', 'installed'],
      ['Éinstallé', 'other'],
      ['Uninstalled', 'other'],
      ['Installé名', 'other'],
      ['\u{1D400}installed', 'other'],
      ['\u{1F600}installed\u{1F600}', 'installed'],
    ]
    for (const [word, state] of states) expect(parseDismPackages(mk(word)).packages[0].state, word).toBe(state)
  })

  it('reports DISM errors and empty input plainly', () => {
    const r = parseDismPackages(
      '\nDeployment Image Servicing and Management tool\nVersion: 10.0.26100.1\n\nError: 740\n\nElevated permissions are required to run DISM.\n',
    )
    expect(r.packages).toEqual([])
    expect(r.error).toBe('740')
    expect(r.warnings[0]).toMatch(/error 740/)
    expect(parseDismPackages('').packages).toEqual([])
    expect(parseDismPackages('[').format).toBe('none')
  })
})

// The JSON form skips work: the KB is searched in the whole identity (no slice of the name), and
// a time in the probe's own `s` form is kept without readDate. Each shortcut must give what the reader it
// stands for gives, on inputs built to sit on its edges (hand-made: the shapes a loosened check would let by).
describe('parseDismPackages shortcuts agree with the readers they stand for (hostile shapes)', () => {
  const TOKEN = '31bf3856ad364e35'
  const identities = [
    `Package_for_KB5043080~${TOKEN}~amd64~~26100.1742.1.10`,
    `package_for_kb5043080_x~${TOKEN}~amd64~~26100.1`,
    `KB12345678~${TOKEN}~x86~~1.2`,
    `_KB1234567~${TOKEN}~x86~~1.2`,
    // A KB-looking part after the name is no KB; nor are 5 or 9 digits, or KB without `_` or the start before it.
    `Foo~${TOKEN}~_KB1234567~~1.0`,
    `Foo~${TOKEN}~amd64~_KB1234567~1.0`,
    `Foo_KB~${TOKEN}~KB1234567~~1.0`,
    `a_KB12345~${TOKEN}~x86~~1.2`,
    `x_KB123456789~${TOKEN}~x86~~1.2`,
    `aKB1234567~${TOKEN}~x86~~1.2`,
    `a_KB1234567x~${TOKEN}~x86~~1.2`,
    `\u212aB1234567~${TOKEN}~x86~~1.2`,
    // Not whole identities: blanks around, a fifth version part, a short token, an empty name, an extra `~`.
    ` Package_for_KB5043080~${TOKEN}~amd64~~26100.1.1.1 `,
    `Package_for_KB5043080~${TOKEN}~amd64~~26100.1.1.1.1`,
    `Package_for_KB5043080~${TOKEN.slice(1)}~amd64~~26100.1`,
    `~${TOKEN}~amd64~~1.2`,
    `Package_for_KB5043080~~${TOKEN}~amd64~~26100.1`,
    '<script>alert(1)</script>',
    'a'.repeat(300),
  ]

  it("kb, arch and version of a JSON row, and of a list record, are parsePackageIdentity's", () => {
    let checked = 0
    for (const identity of identities) {
      const id = parsePackageIdentity(identity)
      const want = id ? [id.kb, id.arch, id.version] : [null, null, null]
      const [p] = parseDismPackages(JSON.stringify([{ PackageName: identity, PackageState: 'Installed' }])).packages
      expect([p!.kb, p!.arch, p!.version], identity).toEqual(want)
      if (id) {
        const [q] = parseDismPackages(`Package Identity : ${identity.trim()}\nState : Installed\n`).packages
        expect([q!.kb, q!.arch, q!.version], identity).toEqual(want)
      }
      checked++
    }
    expect(checked).toBe(identities.length)
    expect(parseDismPackages(JSON.stringify([{ PackageName: identities[4] }])).packages[0]!.kb).toBeNull()
  })

  it('an install time in the `s` form, or near it, reads as readDate reads it', () => {
    const times = [
      '2024-09-13T04:11:00',
      '2024-13-45T25:61:61',
      '0999-01-01T00:00:00',
      '2201-01-01T00:00:00',
      '2024-09-13T04:11:00Z',
      '2024-09-13T04:11:00+02:00',
      '2024-09-13T04:11:00.123',
      '2024-09-13T04:11:00 ',
      ' 2024-09-13T04:11:00',
      '2024-09-13T04:11:00\n',
      '2024-9-13T04:11:00',
      '2024-09-13 04:11:00',
      '2024-09-13T4:11:00',
      '2024-09-13',
      '05/06/2024 04:11',
    ]
    let checked = 0
    for (const t of times) {
      // A day-first neighbour tells the order, as it would for a slash date among these.
      const rows = [
        { PackageName: identities[0], InstallTime: t },
        { PackageName: identities[0], InstallTime: { DateTime: t } },
        { PackageName: identities[0], InstallTime: '13/01/2024' },
      ]
      const got = parseDismPackages(JSON.stringify(rows)).packages.map((p) => p.installTime)
      expect(got, t).toEqual([readDate(t, 'dmy').value, readDate(t, 'dmy').value, '2024-01-13'])
      checked++
    }
    expect(checked).toBe(times.length)
    expect(
      parseDismPackages(JSON.stringify([{ PackageName: identities[0], InstallTime: '2024-09-13T04:11:00Z' }]))
        .packages[0]!.installTime,
    ).toBe('2024-09-13T04:11:00.000Z')
  })
})

describe('parseDismPackages line ends', () => {
  it('a lone \\r ends a line (old Mac text, or one among CRLF lines), as unwrapConsoleLines reads it', () => {
    // (An 81-character identity line: a line of a console width would send the text to unwrapConsoleLines anyway.)
    const lf =
      'Package Identity : Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.100\nState : Installed\nRelease Type : Update\nInstall Time : 13/09/2024 04:11\n'
    const want = parseDismPackages(lf).packages
    expect(want[0]).toMatchObject({ state: 'installed', releaseType: 'Update', installTime: '2024-09-13T04:11:00' })
    const crlf = lf.replace(/\n/g, '\r\n')
    const texts = [lf.replace(/\n/g, '\r'), crlf.replace('\r\nRelease', '\rRelease'), `\r${crlf}`, `${crlf}\r`, crlf]
    for (const t of texts) expect(parseDismPackages(t).packages, JSON.stringify(t)).toEqual(want)
    // A lone \r right after a CRLF is a blank line, which ends the record after its values.
    expect(parseDismPackages(crlf.replace('\r\nRelease', '\r\n\rRelease')).packages[0]).toMatchObject({
      state: 'installed',
      releaseType: null,
      installTime: null,
    })
  })
})

describe('parseDismPackages header and error lines', () => {
  it('reads them whatever their first character: a letter in either case, a blank, a no-break or ideographic space', () => {
    const rec = 'Package Identity : Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.100\nState : Installed\n'
    const read = (head: string) => {
      const r = parseDismPackages(`${head}\n${rec}`)
      return [r.imageVersion, r.error]
    }
    expect(read('Image Version: 10.0.26100.1742')).toEqual(['10.0.26100.1742', null])
    expect(read('image version : 10.0.26100.1742')).toEqual(['10.0.26100.1742', null])
    expect(read('\u00a0Image Version: 10.0.26100.1742')).toEqual(['10.0.26100.1742', null])
    expect(read('\u3000Error: 740')).toEqual([null, '740'])
    expect(read('\tFehler: 0x800f081f')).toEqual([null, '0x800f081f'])
    expect(read('Erreur : 2')).toEqual([null, '2'])
    expect(read('Fehler: 5')).toEqual([null, '5'])
    expect(read('错误: 87')).toEqual([null, '87'])
    expect(read('error: 5')).toEqual([null, null])
  })
})

describe('parseDismPackages keeps nothing of a parsed text', () => {
  it('its caches hold copies, not slices that keep the whole text alive (a 2.5-million-character list)', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const record = (i: number) =>
      `Package Identity : Package_for_KB${5000000 + i}~31bf3856ad364e35~amd64~~10.0.26100.${i}\nState : Install Pending (heap check ${i % 3})\nRelease Type : Security Update (heap check ${i % 2})\nInstall Time : 9/13/2024 4:11 AM\n\n`
    // State and release words no other test uses: the caches are the module's, shared by this file's tests.
    const block = Array.from({ length: 200 }, (_, i) => record(i)).join('')
    gc()
    const before = process.memoryUsage().heapUsed
    let text: string | null = `${block.repeat(Math.ceil(2.5e6 / block.length))} `
    const length = text.length
    expect(parseDismPackages(text).packages.length).toBeGreaterThan(10000)
    text = null
    void /x/.exec('x') // the RegExp's last match (V8 keeps its subject until the next match) is not the parser's doing
    gc()
    gc()
    expect(length).toBeGreaterThan(2.5e6)
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(length / 4)
  })
})
