/**
 * The knowledge overlay: what `knowledge refresh` read from Microsoft's public pages, kept beside the shipped
 * data in the data folder (`<data>/knowledge/overlay.json`), each entry with where and when it was read.
 *
 * One loader: `loadKnowledgeOverlay(dataDir)` validates the file (zod) and adds its updates to the servicing
 * chains (a KB the shipped data already has keeps the shipped entry). Shipped data + overlay is what the app
 * uses everywhere (plans, verification, diagnosis, `knowledge`).
 *
 * What it reads (update-history.ts): the release headings of support.microsoft.com's update-history pages and
 * of the table of contents those pages are built from, and the rows of learn.microsoft.com's release-health
 * tables. Tested on real captures (test/unit/knowledge/refresh-real-pages.test.ts, knowledge-round4.test.ts): the
 * TOC JSON as captured live, and the release-health rows as the page renders them. No verbatim copy of the
 * update-history HTML page itself was found in public sources (searched 2026-11-23 and 2026-11-24: one public
 * project's tests describe captures of September 2026, but the files are not among the stored sources), so its
 * markup is covered through the left-navigation element public scrapers quote (`July 11, 2023&#x2014;KB5028185
 * (OS Build 22621.1992)`) and the 2026 heading forms a public reader of those pages documents.
 */
import { readFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomicSync } from '../atomic-write.ts'
import { overlayPath } from './overlay-path.ts'
import { applyOverlayUpdates, compareKey, knownUpdate, type KnownUpdate, type Provenance } from './servicing-chains.ts'
import { parseUpdateHistory, branchesOfRelease, type HistoryRelease } from './update-history.ts'

export const OVERLAY_SCHEMA_VERSION = 1

const OverlayUpdateSchema = z.object({
  kb: z.string().regex(/^KB\d{6,8}$/),
  kind: z.literal('lcu'),
  checkpoint: z.literal(false),
  branchIds: z.array(z.string()).min(1),
  baseBuild: z.number().int(),
  ubr: z.number().int().nonnegative(),
  released: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  title: z.string(),
  prerequisites: z.array(z.string()),
  source: z.string(),
  verified: z.boolean(),
  outOfBand: z.boolean().optional(),
  preview: z.boolean().optional(),
  note: z.string().optional(),
  provenance: z.object({ origin: z.literal('overlay'), readFrom: z.string(), readAt: z.string() }),
})

export const OverlaySchema = z.object({
  schema: z.literal(OVERLAY_SCHEMA_VERSION),
  writtenAt: z.string(),
  reads: z.array(
    z.object({ from: z.string(), readAt: z.string(), releases: z.number().int(), added: z.number().int() }),
  ),
  updates: z.array(OverlayUpdateSchema),
})
export type Overlay = z.infer<typeof OverlaySchema>

export { overlayPath }

export type OverlayStatus =
  | { state: 'none'; path: string }
  | { state: 'loaded'; path: string; writtenAt: string; updates: number; reads: Overlay['reads'] }
  | { state: 'invalid'; path: string; error: string }

let lastStatus: OverlayStatus | null = null

/** Reads and applies the overlay of a data folder. A damaged overlay is ignored (shipped data only) and said so. */
export function loadKnowledgeOverlay(dataDir: string): OverlayStatus {
  const path = overlayPath(dataDir)
  if (!existsSync(path)) {
    applyOverlayUpdates([])
    lastStatus = { state: 'none', path }
    return lastStatus
  }
  try {
    const parsed = OverlaySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
    if (!parsed.success)
      throw new Error(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      )
    // Only what the app itself read live from Microsoft's pages can be verified: an entry read from a file (or
    // edited in) stays unverified whatever it says.
    const updates = parsed.data.updates.map((u) =>
      u.verified && !REFRESH_URLS.includes(u.provenance.readFrom) ? { ...u, verified: false } : u,
    )
    applyOverlayUpdates(updates as Array<KnownUpdate & { provenance: Provenance }>)
    lastStatus = {
      state: 'loaded',
      path,
      writtenAt: parsed.data.writtenAt,
      updates: parsed.data.updates.length,
      reads: parsed.data.reads,
    }
    return lastStatus
  } catch (err) {
    applyOverlayUpdates([])
    lastStatus = {
      state: 'invalid',
      path,
      error: `The knowledge overlay ${path} is not usable (${(err as Error).message}); only the shipped knowledge is used.`,
    }
    return lastStatus
  }
}

export function overlayStatus(): OverlayStatus | null {
  return lastStatus
}

/** One page (or file) to read: its text and where it came from (URL or path). */
export interface RefreshInput {
  from: string
  text: string
  /**
   * Where the text was actually read: 'live' = fetched by the app from one of REFRESH_URLS; 'file' = a local
   * file whose `# source:` line (or sidecar) only CLAIMS `from`. A file's entries are never verified.
   */
  origin?: 'live' | 'file'
  /** For a file: its path. */
  file?: string
}

/** A release dated after this moment (plus a day for time zones) is refused: no update is released in the future. */
const FUTURE_LEEWAY_MS = 24 * 60 * 60 * 1000

/** Turns the releases of the pages into overlay entries: cumulative updates the shipped data does not know. */
export function overlayFromPages(
  pages: RefreshInput[],
  now: Date,
  previous: Overlay | null = null,
): { overlay: Overlay; added: string[]; skipped: Array<{ kb: string; reason: string }> } {
  const readAt = now.toISOString()
  const byKb = new Map<string, Overlay['updates'][number]>((previous?.updates ?? []).map((u) => [u.kb, u]))
  const reads: Overlay['reads'] = []
  const added: string[] = []
  const skipped: Array<{ kb: string; reason: string }> = []
  for (const page of pages) {
    const releases = parseUpdateHistory(page.text)
    let count = 0
    const live = page.origin === 'live' && REFRESH_URLS.includes(page.from)
    for (const r of releases) {
      if (!(Date.parse(`${r.released}T00:00:00Z`) <= now.getTime() + FUTURE_LEEWAY_MS)) {
        skipped.push({ kb: r.kb, reason: `dated ${r.released}, after today (${readAt.slice(0, 10)}): refused` })
        continue
      }
      const entry = toEntry(r, page.from, readAt, live, page.file)
      if (!entry.ok) {
        skipped.push({ kb: r.kb, reason: entry.reason })
        continue
      }
      const shipped = knownUpdate(r.kb)
      if (shipped && shipped.provenance?.origin !== 'overlay') {
        skipped.push({ kb: r.kb, reason: 'already in the shipped knowledge' })
        continue
      }
      if (!byKb.has(r.kb)) {
        added.push(r.kb)
        count++
      }
      byKb.set(r.kb, entry.value)
    }
    reads.push({ from: page.from, readAt, releases: releases.length, added: count })
  }
  const updates = [...byKb.values()].sort((a, b) => compareKey(a.released, b.released) || compareKey(a.kb, b.kb))
  return {
    overlay: {
      schema: OVERLAY_SCHEMA_VERSION,
      writtenAt: readAt,
      reads: [...(previous?.reads ?? []), ...reads],
      updates,
    },
    added,
    skipped,
  }
}

function toEntry(
  r: HistoryRelease,
  from: string,
  readAt: string,
  live: boolean,
  file: string | undefined,
): { ok: true; value: Overlay['updates'][number] } | { ok: false; reason: string } {
  const branches = branchesOfRelease(r)
  if (branches.length === 0)
    return {
      ok: false,
      reason: `builds ${r.builds.map((b) => `${b.build}.${b.ubr}`).join(', ')} belong to no branch the knowledge has`,
    }
  const ubrs = new Set(r.builds.filter((b) => branches.some((x) => x.builds.includes(b.build))).map((b) => b.ubr))
  if (ubrs.size !== 1) return { ok: false, reason: `the heading gives several UBRs (${[...ubrs].join(', ')})` }
  const ubr = [...ubrs][0]
  const baseBuild = Math.min(...r.builds.map((b) => b.build))
  const checkpoints = [...new Set(branches.flatMap((b) => b.checkpoints))]
  return {
    ok: true,
    value: {
      kb: r.kb,
      kind: 'lcu',
      checkpoint: false,
      branchIds: branches.map((b) => b.id),
      baseBuild,
      ubr,
      released: r.released,
      title: `${r.released.slice(0, 7)} ${r.kind === 'preview' ? 'Cumulative Update Preview' : 'Cumulative Update'} for ${branches.map((b) => `${b.product} ${b.displayVersion}`).join(' / ')}`,
      // Later cumulative updates of a checkpointed branch need its checkpoint (S19).
      prerequisites: checkpoints,
      source: from,
      verified: live,
      ...(r.kind === 'out-of-band' ? { outOfBand: true } : {}),
      ...(r.kind === 'preview' ? { preview: true } : {}),
      note: live
        ? `Read by knowledge refresh: "${r.heading}".`
        : `Read by knowledge refresh from the local file ${file ?? from}, which names ${from} as its source (unverified): "${r.heading}".`,
      provenance: { origin: 'overlay', readFrom: from, readAt },
    },
  }
}

/** Writes the overlay atomically and applies it at once. */
export function writeOverlay(dataDir: string, overlay: Overlay): string {
  const path = overlayPath(dataDir)
  mkdirSync(join(dataDir, 'knowledge'), { recursive: true })
  writeFileAtomicSync(path, `${JSON.stringify(overlay, null, 2)}\n`)
  loadKnowledgeOverlay(dataDir)
  return path
}

export function readOverlayFile(dataDir: string): Overlay | null {
  const path = overlayPath(dataDir)
  if (!existsSync(path)) return null
  const parsed = OverlaySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  return parsed.success ? parsed.data : null
}

/** The page files of a folder (captured pages for `knowledge refresh --from DIR`), each with its source URL. */
export function pagesFromDir(dir: string): RefreshInput[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder.`)
  const files = readdirSync(dir)
    .filter((n) => /\.(html?|txt|json|xml|md)$/i.test(n) && !n.endsWith('.source'))
    .sort()
  return files.map((name) => {
    const text = readFileSync(join(dir, name), 'utf8')
    const first = /^#\s*source:\s*(\S+)/.exec(text)
    const sidecar = join(dir, `${name}.source`)
    const url = first?.[1] ?? (existsSync(sidecar) ? readFileSync(sidecar, 'utf8').trim().split(/\s+/)[0] : null)
    return { from: url ?? join(dir, name), text, origin: 'file' as const, file: join(dir, name) }
  })
}

/**
 * Microsoft's public pages `knowledge refresh` reads when it has no --from folder: one update-history page per
 * branch the knowledge has (every page titles each release "Month D, YYYY—KB… (OS Build[s] …)"), plus the
 * release-health tables. Since 2025 the Windows 11 and 10 pages live under support.microsoft.com/…/servicing/os/
 * (addresses as public tools and notes of September 2026 link them); the older /topic/ addresses redirect.
 */
export const REFRESH_URLS = [
  'https://aka.ms/Windows11UpdateHistory',
  'https://aka.ms/WindowsUpdateHistory',
  'https://support.microsoft.com/en-us/servicing/os/windows-11/2026/09/windows-11-version-26h2-update-history',
  'https://support.microsoft.com/en-us/servicing/os/windows-11/2025/07/windows-11-version-25h2-update-history',
  'https://support.microsoft.com/en-us/servicing/os/windows-11/2026/02/windows-11-version-26h1-update-history',
  'https://support.microsoft.com/en-us/topic/windows-11-version-23h2-update-history-59875222-b990-4bd9-932f-91a5954de434',
  'https://support.microsoft.com/en-us/servicing/os/windows-10/2022/09/windows-10-update-history',
  'https://support.microsoft.com/en-us/topic/windows-server-2025-update-history-10f58da7-e57b-4a9d-9c16-9f1dcd72d7d7',
  'https://support.microsoft.com/en-us/topic/windows-server-2022-update-history-e1caa597-00c5-4ab9-9f3e-8212fe80b2ee',
  'https://support.microsoft.com/en-us/topic/windows-10-and-windows-server-2019-update-history-725fc2e1-4443-6831-a5ca-51ff5cbcb059',
  'https://support.microsoft.com/en-us/topic/windows-10-and-windows-server-2016-update-history-4acfbc84-a290-1b54-536a-1c0430e9f3fd',
  'https://learn.microsoft.com/en-us/windows/release-health/windows11-release-information',
  'https://learn.microsoft.com/en-us/windows/release-health/release-information',
]
