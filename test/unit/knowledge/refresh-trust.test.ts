/**
 * `knowledge refresh --from` reads files a person hands it: their `# source:` line is a claim, not a read of
 * Microsoft's page. So entries from files are never "verified" (even when the claim names a Microsoft URL),
 * an overlay edited on disk to say "verified" is loaded unverified unless the app read it live from one of its
 * own Microsoft URLs, and a release dated in the future is refused. Real captures only
 * (test/fixtures/update-history, each naming its public source).
 */
import { describe, it, expect, afterEach } from 'vitest'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  overlayFromPages,
  pagesFromDir,
  writeOverlay,
  loadKnowledgeOverlay,
  overlayPath,
  REFRESH_URLS,
} from '../../../main/knowledge/overlay.ts'
import { knownUpdate, applyOverlayUpdates } from '../../../main/knowledge/servicing-chains.ts'
import { tempDirSync } from '../temp-dirs.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures/update-history')
const TOC = 'ms-windows11-servicing-toc-2026-07.json'
const NOW = new Date('2026-11-23T02:00:00Z')

afterEach(() => applyOverlayUpdates([]))

describe('overlays from files are never verified', () => {
  it('a captured page whose source line claims a Microsoft URL still gives unverified entries, noted as read from the file', () => {
    const dir = tempDirSync('sd-refresh-trust-')
    // The real capture, its source line replaced by a claim of Microsoft's own address.
    const text = readFileSync(join(FIXTURES, TOC), 'utf8').replace(/^#\s*source:\s*\S+/, `# source: ${REFRESH_URLS[0]}`)
    writeFileSync(join(dir, 'page.json'), text)
    const pages = pagesFromDir(dir)
    expect(pages[0]).toMatchObject({ from: REFRESH_URLS[0], origin: 'file', file: join(dir, 'page.json') })
    const { overlay, added } = overlayFromPages(pages, NOW)
    expect(added.length).toBeGreaterThan(3)
    for (const u of overlay.updates) {
      expect(u.verified, u.kb).toBe(false)
      expect(u.note).toContain(`local file ${join(dir, 'page.json')}`)
    }
  })

  it('the same text read live from that URL is verified (the only way)', () => {
    const text = readFileSync(join(FIXTURES, TOC), 'utf8')
    const { overlay } = overlayFromPages([{ from: REFRESH_URLS[0]!, text, origin: 'live' }], NOW)
    expect(overlay.updates.length).toBeGreaterThan(3)
    expect(overlay.updates.every((u) => u.verified)).toBe(true)
    // "live" from any other address is not.
    expect(
      overlayFromPages([{ from: 'https://evil.example/history', text, origin: 'live' }], NOW).overlay.updates.some(
        (u) => u.verified,
      ),
    ).toBe(false)
  })

  it('an overlay file edited to say "verified" loads unverified', () => {
    const home = tempDirSync('sd-refresh-trust-home-')
    const dir = tempDirSync('sd-refresh-trust-')
    copyFileSync(join(FIXTURES, TOC), join(dir, TOC))
    const { overlay } = overlayFromPages(pagesFromDir(dir), NOW)
    writeOverlay(home, overlay)
    const edited = JSON.parse(readFileSync(overlayPath(home), 'utf8'))
    for (const u of edited.updates) u.verified = true
    writeFileSync(overlayPath(home), JSON.stringify(edited))
    expect(loadKnowledgeOverlay(home)).toMatchObject({ state: 'loaded' })
    const kb = edited.updates[0].kb as string
    expect(knownUpdate(kb)?.provenance?.origin).toBe('overlay')
    expect(knownUpdate(kb)?.verified).toBe(false)
  })
})

describe('future dates are refused', () => {
  it('read on a day before its releases, every release is refused as dated after today, and nothing is added', () => {
    const dir = tempDirSync('sd-refresh-trust-')
    copyFileSync(join(FIXTURES, TOC), join(dir, TOC))
    const { overlay, added, skipped } = overlayFromPages(pagesFromDir(dir), new Date('2020-01-01T00:00:00Z'))
    expect(added).toEqual([])
    expect(overlay.updates).toEqual([])
    expect(skipped.length).toBeGreaterThan(3)
    for (const s of skipped) expect(s.reason).toMatch(/^dated \d{4}-\d{2}-\d{2}, after today \(2020-01-01\): refused$/)
  })
  it('a release dated today (or tomorrow, for time zones) is kept', () => {
    const dir = tempDirSync('sd-refresh-trust-')
    copyFileSync(join(FIXTURES, TOC), join(dir, TOC))
    const all = overlayFromPages(pagesFromDir(dir), NOW).overlay.updates
    const newest = all
      .map((u) => u.released)
      .sort()
      .at(-1)!
    const dayBefore = new Date(Date.parse(`${newest}T00:00:00Z`) - 12 * 3600_000)
    expect(overlayFromPages(pagesFromDir(dir), dayBefore).overlay.updates.map((u) => u.released)).toContain(newest)
  })
})
