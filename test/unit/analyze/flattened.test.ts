/**
 * A paste whose newlines were all lost (turned into spaces) reads the same facts as the
 * original. Table-driven over every captured fixture of every analyzer kind; line numbers and excerpts
 * (which change with the layout) are left out of the comparison. The fixtures that still differ are
 * listed by name with the reason, and a test checks they still differ, so a fix must move them here.
 */
import { describe, it, expect } from 'vitest'
import { readdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures')
/** Fixture folder → the kind its files are read as. */
const KIND_DIRS: Record<string, string> = {
  'cbs-log': 'cbs-log',
  'dism-log': 'dism-log',
  'dism-output': 'dism-output',
  'wu-event': 'wu-event',
  setupdiag: 'setupdiag',
  systeminfo: 'os-info',
  'reg-query': 'os-info',
  computerinfo: 'os-info',
  hotfix: 'hotfix-list',
  'dism-packages': 'dism-packages',
  'dism-image-info': 'dism-image-info',
  reagentc: 'reagentc-info',
}
const KNOWN_GAPS: Record<string, string> = {
  'cbs-log/0x80070002-symptoms.log': 'lines quoted without timestamps (Microsoft article) merge into one error line',
  'cbs-log/0x800f0831-manifest-missing.log': 'lines quoted without timestamps merge',
  'cbs-log/0x800f0922-scheduled-task.log': 'lines quoted without timestamps merge',
  'computerinfo/en-windowsubr-elided.txt': 'the ". . ." elision joins the WindowsUBR line',
  'dism-image-info/en-get-windowsimage-ansible-json-lines.txt': 'JSON lines without newlines are not split',
  'dism-image-info/en-wiminfo-index-markdown-mct375.txt': 'Markdown table rows',
  'dism-image-info/en-wiminfo-server2016-packer34.txt': 'descriptions with " : " inside',
  'dism-packages/en-gb-list-fod-dismtools220.txt': 'release type words run into the next label',
  'dism-packages/en-gb-list-wifi-fod-dismtools220.txt': 'release type words run into the next label',
  'reagentc/zh-cn-enable-image-not-found.txt': 'the Chinese failure message runs into the next line',
  'systeminfo/es-win10-1809-redacted.txt': 'labels of this language not all listed',
  'systeminfo/fr-win7-sp1-oem-mojibake.txt': 'OEM code-page mojibake in the labels',
}

function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(comparable)
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(
          ([k]) =>
            ![
              'line',
              'text',
              'lines',
              'message',
              'extracted',
              'startLine',
              'timeline',
              'lastLine',
              'excerpt',
              'raw',
            ].includes(k),
        )
        .map(([k, x]) => [k, comparable(x)]),
    )
  }
  return typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v
}

const cases = Object.entries(KIND_DIRS).flatMap(([dir, kind]) =>
  readdirSync(join(fixturesDir, dir))
    .filter((f) => !f.endsWith('.source') && !f.endsWith('.expect.json'))
    .map((f) => ({ name: `${dir}/${f}`, kind })),
)

function sameFacts(name: string): { same: boolean; a: unknown; b: unknown } {
  const { text } = loadFixture(name)
  const a = analyzeText(text)
  const b = analyzeText(text.replace(/\r?\n/g, ' '))
  const ca = { kind: a.kind, facts: comparable(a.facts) }
  const cb = { kind: b.kind, facts: comparable(b.facts) }
  return { same: JSON.stringify(ca) === JSON.stringify(cb), a: ca, b: cb }
}

describe('flattened pastes read the same facts', () => {
  it('runs every fixture of every kind', () => {
    expect(cases.length).toBe(62)
    expect(new Set(cases.map((c) => c.kind)).size).toBe(10)
  })

  it('every kind has at least one fixture whose flattened paste reads the same', () => {
    const kinds = new Set(cases.filter((c) => !(c.name in KNOWN_GAPS)).map((c) => c.kind))
    expect([...kinds].sort()).toEqual([...new Set(Object.values(KIND_DIRS))].sort())
  })

  it.each(cases.filter((c) => !(c.name in KNOWN_GAPS)))('$name ($kind)', ({ name }) => {
    const r = sameFacts(name)
    expect(r.b).toEqual(r.a)
  })

  it(`the ${Object.keys(KNOWN_GAPS).length} known gaps still differ (move a fixed one out of KNOWN_GAPS)`, () => {
    for (const name of Object.keys(KNOWN_GAPS)) expect(sameFacts(name).same, name).toBe(false)
  })
})
