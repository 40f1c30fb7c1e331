/**
 * analyze on captured text: each fixture is detected as its kind (never as another), facts come out in the
 * shapes the readers promise, and unknown input says what to paste instead. Also through the real CLI.
 */
import { describe, it, expect } from 'vitest'
import { readdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { InstalledPackageSchema } from '../../../preload/model/snapshot.ts'
import { loseNewlines, hardWrap, utf16leWithBom, toCrlf } from '../parse/paste-damage.ts'
import { CLI } from '../../cli-script.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const kinds: Record<string, string> = {
  systeminfo: 'os-info',
  computerinfo: 'os-info',
  'reg-query': 'os-info',
  hotfix: 'hotfix-list',
  'dism-packages': 'dism-packages',
  'dism-image-info': 'dism-image-info',
}

describe('analyze detects every captured fixture as its kind', () => {
  for (const [dir, kind] of Object.entries(kinds)) {
    for (const file of readdirSync(join(root, 'test/fixtures', dir))) {
      it(`${dir}/${file} → ${kind}`, () => {
        const r = analyzeText(loadFixture(`${dir}/${file}`).text)
        expect(r.kind).toBe(kind)
      })
    }
  }

  it('has captured fixtures in every folder (an empty or moved folder would leave its kind untested)', () => {
    const counts = Object.keys(kinds).map((dir) => readdirSync(join(root, 'test/fixtures', dir)).length)
    expect(
      counts.every((n) => n >= 1),
      JSON.stringify(Object.fromEntries(Object.keys(kinds).map((d, i) => [d, counts[i]]))),
    ).toBe(true)
  })

  it('still detects each kind after a hard wrap at 80 columns, lost newlines, CRLF and UTF-16', () => {
    const samples: Array<[string, string]> = [
      ['systeminfo/it-win10-1803.txt', 'os-info'],
      ['hotfix/wmic-qfe-list-brief-wufuc92.txt', 'hotfix-list'],
      ['dism-packages/en-gb-list-fod-dismtools220.txt', 'dism-packages'],
      ['dism-image-info/en-wiminfo-index-markdown-mct375.txt', 'dism-image-info'],
    ]
    for (const [f, kind] of samples) {
      const t = loadFixture(f).text
      expect(analyzeText(hardWrap(t, 80)).kind).toBe(kind)
      expect(analyzeText(loseNewlines(t)).kind).toBe(kind)
      expect(analyzeText(utf16leWithBom(toCrlf(t))).kind).toBe(kind)
    }
  })
})

describe('analyze fact shapes', () => {
  it('os-info: facts.os = {build, ubr, displayVersion, edition, arch}, null where the text does not say', () => {
    expect(analyzeText(loadFixture('reg-query/currentversion-win10-22h2-regsz.txt').text).facts.os).toEqual({
      build: 19045,
      ubr: null,
      displayVersion: '22H2',
      edition: 'Enterprise',
      arch: 'x64',
    })
    expect(analyzeText(loadFixture('systeminfo/en-win11-24h2-ltsc.txt').text).facts.os).toEqual({
      build: 26100,
      ubr: null,
      displayVersion: null,
      edition: 'Enterprise LTSC',
      arch: 'x64',
    })
  })

  it('os-info: a reg query at 26100.1150 raises the missing-checkpoint finding', () => {
    const reg =
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\n    CurrentBuild    REG_SZ    26100\n    UBR    REG_DWORD    0x47e\n    EditionID    REG_SZ    Professional\n    DisplayVersion    REG_SZ    24H2\n'
    const r = analyzeText(reg)
    expect(r.facts.os).toEqual({ build: 26100, ubr: 1150, displayVersion: '24H2', edition: 'Professional', arch: null })
    expect(r.findings.map((f) => f.id)).toEqual(['checkpoint-missing'])
  })

  it('hotfix-list: facts.hotfixes = [{kb, installedOn}] with ISO dates', () => {
    const r = analyzeText(loadFixture('hotfix/wmic-qfe-table-ru-server2012r2.txt').text)
    expect((r.facts.hotfixes as unknown[])[0]).toEqual({ kb: 'KB2919355', installedOn: '2014-03-18' })
  })

  it('dism-packages: facts.packages match the snapshot schema, with state words normalised', () => {
    const r = analyzeText(loadFixture('dism-packages/en-gb-list-fod-dismtools220.txt').text)
    const pkgs = r.facts.packages as unknown[]
    expect(pkgs).toHaveLength(6)
    for (const p of pkgs) expect(InstalledPackageSchema.parse(p)).toEqual(p)
    expect(r.warnings.join(' ')).toMatch(/day\/month/)
  })

  it('dism-image-info: facts.images = [{index, name, version, spBuild, arch, edition}]', () => {
    const r = analyzeText(loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt').text)
    expect(r.facts.images).toEqual([
      {
        index: 3,
        name: 'Windows 11 Enterprise',
        version: '10.0.22621',
        spBuild: 2861,
        arch: 'x64',
        edition: 'Enterprise',
      },
    ])
  })

  it('unknown input gives kind "unknown" with a helpful warning, never a crash', () => {
    for (const t of ['', 'hello, my update is stuck', '<ComputerName> ####', '\u0000\u0001garbage']) {
      const r = analyzeText(t)
      expect(r.kind).toBe('unknown')
      expect(r.warnings[0]).toMatch(/empty|Could not tell what this text is/)
    }
  })
})

describe('servicing-desk analyze (the CLI)', () => {
  it('lists a DISM package list with states as JSON on stdout', () => {
    const out = execFileSync(
      process.execPath,
      [CLI, 'analyze', 'test/fixtures/dism-packages/en-gb-list-wifi-fod-dismtools220.txt', '--json'],
      { cwd: root, encoding: 'utf8' },
    )
    const r = JSON.parse(out) as { kind: string; facts: { packages: Array<{ state: string }> } }
    expect(r.kind).toBe('dism-packages')
    expect(r.facts.packages.map((p) => p.state)).toEqual(Array(6).fill('installed'))
  })

  it('honours --kind and reads standard input', () => {
    const out = execFileSync(process.execPath, [CLI, 'analyze', '-', '--kind', 'hotfix-list', '--json'], {
      cwd: root,
      encoding: 'utf8',
      input: 'KB5043080 KB5044284',
    })
    expect(JSON.parse(out)).toMatchObject({
      kind: 'hotfix-list',
      facts: {
        hotfixes: [
          { kb: 'KB5043080', installedOn: null },
          { kb: 'KB5044284', installedOn: null },
        ],
      },
    })
  })
})
