/** Property: no parser throws, whatever the text (random strings, random bytes as text, damaged captures). */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismPackages } from '../../../main/parse/dism-packages.ts'
import { parseHotfixList } from '../../../main/parse/hotfix-list.ts'
import { parseSysteminfo } from '../../../main/parse/systeminfo.ts'
import { parseComputerInfo } from '../../../main/parse/computer-info.ts'
import { parseDismImageInfo } from '../../../main/parse/dism-image-info.ts'
import { parseUpdateHistory } from '../../../main/parse/update-history.ts'
import { parseRebootPending } from '../../../main/parse/reboot-pending.ts'
import { parseServices } from '../../../main/parse/services.ts'
import { parseStorageLayout } from '../../../main/parse/storage-layout.ts'
import { parseManageBdeStatus } from '../../../main/parse/manage-bde-status.ts'
import { parsePackageIdentity } from '../../../main/parse/package-identity.ts'
import { readDate } from '../../../main/parse/date-text.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const parsers: Array<[string, (t: string) => unknown]> = [
  ['dism-packages', parseDismPackages],
  ['hotfix-list', parseHotfixList],
  ['systeminfo', parseSysteminfo],
  ['computer-info', parseComputerInfo],
  ['dism-image-info', parseDismImageInfo],
  ['update-history', parseUpdateHistory],
  ['reboot-pending', parseRebootPending],
  ['services', parseServices],
  ['storage-layout', (t) => parseStorageLayout(t, t)],
  ['manage-bde', parseManageBdeStatus],
  ['package-identity', parsePackageIdentity],
  ['date', (t) => readDate(t)],
]

const seeds = [
  'dism-packages/en-gb-list-fod-dismtools220.txt',
  'systeminfo/zh-cn-win10-1809.txt',
  'hotfix/wmic-qfe-table-ru-server2012r2.txt',
  'dism-image-info/en-wiminfo-index-markdown-mct375.txt',
].map((f) => loadFixture(f).text)

/** Text that looks like what the parsers expect, with random damage: cuts, splices, random characters. */
const damaged = fc
  .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 40 }))
  .map(([s, a, b, junk]) => {
    const i = a % (s.length + 1)
    const j = b % (s.length + 1)
    return s.slice(0, Math.min(i, j)) + junk + s.slice(Math.max(i, j))
  })

const jsonish = fc.jsonValue().map((v) => JSON.stringify(v))

describe('no parser throws on arbitrary input', () => {
  for (const [name, parse] of parsers) {
    it(`${name}: random text, damaged captures, random JSON`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), damaged, jsonish), (t) => {
          parse(t)
        }),
        { numRuns: 300 },
      )
    })
  }

  it('analyze: random bytes (any encoding guess) give a kind and never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        const r = analyzeText(b)
        expect(typeof r.kind).toBe('string')
        expect(Array.isArray(r.warnings)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
