/**
 * Reads Microsoft's public update-history / release-health text for cumulative updates: the headings of
 * the update-history pages (and their TOC JSON) and the rows of the release-health tables.
 *
 * Every Windows update-history page (aka.ms/Windows11UpdateHistory, aka.ms/WindowsUpdateHistory, the
 * Windows Server update histories) and every KB page titles a release the same way:
 *   "March 31, 2026—KB5086672 (OS Builds 26200.8117 and 26100.8117) Out-of-band"
 * The parser finds those headings in any text (HTML, JSON, plain) and turns each into a release: KB, date,
 * builds, kind. Pure; the refresh command (overlay.ts) decides what to keep.
 */
import { branchForBuild, type Branch } from './servicing-chains.ts'

export interface HistoryRelease {
  kb: string
  /** YYYY-MM-DD. */
  released: string
  builds: Array<{ build: number; ubr: number }>
  kind: 'monthly' | 'out-of-band' | 'preview'
  /** The heading as found (entities decoded), for provenance. */
  heading: string
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

const HEADING =
  /(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),\s+(\d{4})\s*(?:—|–|-|&#8212;|&mdash;|\\u2014)\s*KB\s?(\d{6,8})\s*\(OS Builds?\s+(?:OS\s+)?(\d{5}\.\d{1,6}(?:\s*(?:,\s*and|,|and|&amp;|&)\s*\d{5}\.\d{1,6})*)\)(?:\s*(Out-of-band|Preview))?/g

function decode(text: string): string {
  // support.microsoft.com writes the dash of its left-navigation headings as `&#x2014;`
  // ("July 11, 2023&#x2014;KB5028185 (OS Build 22621.1992)"); its TOC JSON as `\u2014`.
  return text
    .replace(/&nbsp;|&#160;|&#xa0;/gi, ' ')
    .replace(/\\u2014/g, '—')
    .replace(/&#8212;|&#x2014;|&mdash;/gi, '—')
    .replace(/&#8211;|&#x2013;|&ndash;/gi, '–')
}

/**
 * The rows of Microsoft's release-health tables (learn.microsoft.com/windows/release-health/…-release-information):
 * "Servicing option | Update type | Availability date | Build | KB article", e.g. as the page renders
 * "General Availability Channel 2025-10 B 2025-10-14 26200.6899 KB5066835" or "LTSC 2025-08 B 2025-08-12 20348.4052 KB5063880".
 * B = the Patch Tuesday security update, C/D = optional previews, OOB = out-of-band; rows without a KB are skipped.
 */
const TABLE_ROW = /\b(\d{4})-(\d{2})\s+(B|C|D|OOB)\s+(\d{4})-(\d{2})-(\d{2})\s+(\d{5})\.(\d{1,6})\s+KB\s?(\d{6,8})\b/g

function tableRows(src: string): HistoryRelease[] {
  const text = src.replace(/<[^>]*>/g, ' ').replace(/[ \t\r\n|]+/g, ' ')
  const out: HistoryRelease[] = []
  for (const m of text.matchAll(TABLE_ROW)) {
    const [, , , type, y, mo, d, build, ubr, kb] = m
    const month = Number(mo),
      day = Number(d),
      year = Number(y)
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 2015 || year > 2100) continue
    out.push({
      kb: `KB${kb}`,
      released: `${y}-${mo}-${d}`,
      builds: [{ build: Number(build), ubr: Number(ubr) }],
      kind: type === 'OOB' ? 'out-of-band' : type === 'B' ? 'monthly' : 'preview',
      heading: m[0].trim(),
    })
  }
  return out
}

/** Every release heading in the text, one per KB (the first heading wins; duplicates are the same release). */
export function parseUpdateHistory(text: string): HistoryRelease[] {
  if (typeof text !== 'string') return []
  const src = decode(text)
  const out = new Map<string, HistoryRelease>()
  for (const m of src.matchAll(HEADING)) {
    const month = MONTHS.indexOf(m[1].toLowerCase()) + 1
    const day = Number(m[2])
    const year = Number(m[3])
    if (month < 1 || day < 1 || day > 31 || year < 2015 || year > 2100) continue
    const kb = `KB${m[4]}`
    if (out.has(kb)) continue
    const builds = [...m[5].matchAll(/(\d{5})\.(\d{1,6})/g)].map((b) => ({ build: Number(b[1]), ubr: Number(b[2]) }))
    const kind = m[6] === 'Out-of-band' ? 'out-of-band' : m[6] === 'Preview' ? 'preview' : 'monthly'
    out.set(kb, {
      kb,
      released: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      builds,
      kind,
      heading: m[0].trim(),
    })
  }
  // Release-health table rows: a KB already seen in a heading keeps the heading; a KB in several rows
  // (one per version table: 24H2 26100.x and 25H2 26200.x) collects every build.
  const fromHeadings = new Set(out.keys())
  for (const r of tableRows(src)) {
    const seen = out.get(r.kb)
    if (!seen) {
      out.set(r.kb, r)
      continue
    }
    if (fromHeadings.has(r.kb)) continue
    for (const b of r.builds) if (!seen.builds.some((x) => x.build === b.build && x.ubr === b.ubr)) seen.builds.push(b)
  }
  return [...out.values()]
}

/** The branches a release's builds belong to (26100.32xxx → Server 2025 by its UBR line). */
export function branchesOfRelease(r: HistoryRelease): Branch[] {
  const seen = new Map<string, Branch>()
  for (const b of r.builds) {
    const branch = branchForBuild(b.build, { ubr: b.ubr })
    if (branch) seen.set(branch.id, branch)
  }
  return [...seen.values()]
}
