/**
 * One vocabulary: one name per status on every screen, the report and the CLI — the words of
 * preload/model/status-words.ts and no others. Before, one level had four names (Overview "!", What's wrong
 * "Attention", Proof "✕ Problem", Fleet "Warning"; the CLI's "[WARNING]", the report's "pass").
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { STATUS_WORDS, levelWords, severityWords, checkWords } from '../../../preload/model/status-words.ts'
import { strings } from '../../../renderer/src/strings.ts'
import { fleetStrings } from '../../../renderer/src/screens/fleet-screen.tsx'
import { runCliInProcess } from '../cli-in-process.ts'
import { tempDirSync } from '../temp-dirs.ts'
import type { ReportCheck } from '../../../preload/model/report.ts'

const home = join(tempDirSync('sd-status-words-'), 'data')
const oldHome = process.env.SERVICING_DESK_HOME
beforeAll(() => {
  process.env.SERVICING_DESK_HOME = home
})
afterAll(() => {
  if (oldHome === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = oldHome
})

const upper = new Set(STATUS_WORDS.map((w) => w.toUpperCase()))

/** Source files of the surfaces (screens, report, CLI). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : []
  })
}

describe('one name per status', () => {
  it('the screens take the status words from the glossary', () => {
    expect(strings.health.levels).toEqual(levelWords)
    expect(strings.diagnosis.severity).toEqual(severityWords)
    expect(strings.install.checkStatus).toEqual(checkWords)
    expect(fleetStrings.severity).toEqual(severityWords)
  })

  it('no surface keeps a status-word table of its own', () => {
    const own: string[] = []
    for (const f of [...sources('renderer/src'), ...sources('main/report'), ...sources('main/cli')]) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\b(?:warning|warn|critical|pass|fail):\s*'([^']*[A-Za-z][^']*)'/g))
        own.push(`${f}: ${m[0]}`)
    }
    expect(own).toEqual([])
  })

  it("the CLI says the glossary's words: diagnose, winre, a plan's checks", async () => {
    const d = await runCliInProcess('diagnose', '--machine', 'x64-secureboot-2011')
    const said = [...d.out.matchAll(/^\s*\d+\. \[([A-Z ]+)\]/gm)].map((m) => m[1]!)
    expect(said.length).toBeGreaterThan(0)
    expect(
      said.filter((w) => !upper.has(w)),
      'diagnose',
    ).toEqual([])
    const w = await runCliInProcess('winre', '--machine', 'x64-secureboot-2011')
    const winre = [...w.out.matchAll(/^\s+\[([A-Za-z ]+)\] /gm)].map((m) => m[1]!)
    expect(winre.length).toBeGreaterThan(0)
    expect(
      winre.filter((x) => !STATUS_WORDS.includes(x)),
      'winre',
    ).toEqual([])
  })

  it("the HTML report says the glossary's words for severities and check results", async () => {
    const out = join(home, 'r.html')
    expect((await runCliInProcess('report', '--machine', 'x64-secureboot-2011', '--out', out)).code).toBe(0)
    const html = readFileSync(out, 'utf8')
    const sev = [...html.matchAll(/Severity: ([^ ·<]+)/g)].map((m) => m[1]!)
    expect(sev.length).toBeGreaterThan(0)
    expect(sev.filter((x) => !STATUS_WORDS.includes(x))).toEqual([])
    const results = [...html.matchAll(/<td><span class="(?:ok|warn|bad|unknown)">([^<]+)<\/span><\/td>/g)].map(
      (m) => m[1]!,
    )
    expect(results.length).toBeGreaterThan(0)
    expect(results.filter((x) => !STATUS_WORDS.includes(x))).toEqual([])
  })

  it("a check's result says its level's word: Attention on the Overview is Attention on Proof and in the report", async () => {
    // x64-secureboot-2011: WinRE a little out of date (a warning: its Overview tile says Attention).
    const json = join(home, 'winre.json')
    const html = join(home, 'winre.html')
    expect((await runCliInProcess('report', '--machine', 'x64-secureboot-2011', '--out', json)).code).toBe(0)
    expect((await runCliInProcess('report', '--machine', 'x64-secureboot-2011', '--out', html)).code).toBe(0)
    const checks = (JSON.parse(readFileSync(json, 'utf8')) as { verification: { checks: ReportCheck[] } }).verification
      .checks
    const winre = checks.find((c) => c.id === 'winre')!
    expect(winre).toMatchObject({ ok: false, level: 'warn' })
    for (const c of checks) {
      expect(c.level, c.id).toBeDefined()
      expect(c.ok, `${c.id}: ok and level agree`).toBe(c.level === 'unknown' ? null : c.level === 'ok')
    }
    const row = readFileSync(html, 'utf8').match(
      /<td>Recovery environment \(WinRE\)<\/td><td><span class="(\w+)">([^<]+)</,
    )
    expect(row?.slice(1)).toEqual(['warn', levelWords.warn])
  })
})
