/**
 * `servicing-desk knowledge [--json]`: how current the update knowledge is — asOf, the latest Patch Tuesday,
 * the newest update known per branch and its age, where the sources are silent, and the refresh overlay.
 * `servicing-desk knowledge refresh [--from DIR] [--json]`: reads Microsoft's public update-history /
 * release-health pages (or captured copies in DIR, each with its URL on the first line `# source: URL` or in
 * `<file>.source`) and writes the overlay `<data>/knowledge/overlay.json` with where each entry was read.
 */
import { Option, type Command } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { knowledgeFreshness, type KnowledgeFreshness } from '../../knowledge/freshness.ts'
import {
  applyOverlayUpdates,
  allKnownUpdates,
  allBranches,
  servicingChainsAsOf,
  knowledgeGaps,
  branchReason,
} from '../../knowledge/servicing-chains.ts'
import { winreTargetsAsOf, allWinreTargets, winreGaps } from '../../knowledge/winre-targets.ts'
import { existsSync } from 'node:fs'
import type { OverlayStatus, RefreshInput } from '../../knowledge/overlay.ts'
import { overlayPath } from '../../knowledge/overlay-path.ts'
import { knownIssues } from '../../knowledge/known-issues.ts'
import { allSetupDus, setupDuGaps, setupDuSources, setupDusAsOf, setupDuUpdates } from '../../knowledge/setup-dus.ts'

export function registerKnowledge(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('knowledge')
    .description(
      'how current the update knowledge is: as-of date, newest update per Windows branch and its age, gaps, overlay',
    )
    .option('--json', 'print JSON only')
    .option('--today <YYYY-MM-DD>', 'compute the age against this date instead of today')
    .action(async (opts: { json?: boolean; today?: string }) => {
      const status = await overlayNow(ctx.dataDir)
      const today = parseToday(opts.today)
      const f = knowledgeFreshness(today)
      if (opts.json) {
        ctx.io.json({
          ...f,
          winre: { asOf: winreTargetsAsOf, targets: allWinreTargets(), gaps: winreGaps },
          // Setup Dynamic Updates per branch and month, each with the page it was read from.
          setupDynamicUpdates: {
            asOf: setupDusAsOf,
            updates: setupDuUpdates,
            rows: allSetupDus().map((r) => ({
              ...r,
              updates: setupDuUpdates,
              sourceText: setupDuSources[r.source] ?? null,
            })),
            gaps: setupDuGaps,
          },
          gaps: knowledgeGaps(),
          overlay: status,
          branchRules: allBranches()
            .filter((b) => b.match)
            .map((b) => ({ branchId: b.id, match: b.match, example: branchReason(b.builds[0], { ubr: 32995 }) })),
          updates: allKnownUpdates(),
          knownIssues: knownIssues().length,
        })
        return
      }
      ctx.io.text(
        formatKnowledge(
          f,
          status.state === 'loaded'
            ? `overlay ${status.path}: ${status.updates} update(s), written ${status.writtenAt}`
            : status.state === 'invalid'
              ? status.error
              : 'no refresh overlay (shipped knowledge only)',
        ),
      )
    })

  cmd
    .command('refresh')
    .description(
      "read Microsoft's update-history / release-health pages (or captured copies with --from DIR) and write the knowledge overlay",
    )
    .option('--from <dir>', 'read captured pages from this folder instead of the internet (no network)')
    .option('--json', 'print JSON only')
    .action(async (opts: { from?: string; json?: boolean }) => {
      // `--json` after `refresh` may be taken by the parent command (it has --json too): honour either.
      const json = opts.json === true || (cmd.opts() as { json?: boolean }).json === true
      const { loadKnowledgeOverlay, overlayFromPages, pagesFromDir, readOverlayFile, writeOverlay, REFRESH_URLS } =
        await import('../../knowledge/overlay.ts')
      const pages: RefreshInput[] = []
      const failures: string[] = []
      if (opts.from) {
        try {
          pages.push(...pagesFromDir(opts.from))
        } catch (err) {
          throw new CliError((err as Error).message)
        }
        if (pages.length === 0)
          throw new CliError(`${opts.from} holds no page files (.html, .htm, .txt, .json, .xml, .md).`)
      } else {
        for (const url of REFRESH_URLS) {
          try {
            pages.push({ from: url, text: await fetchText(url), origin: 'live' })
          } catch (err) {
            failures.push(`${url}: ${(err as Error).message}`)
          }
        }
        if (pages.length === 0)
          throw new CliError(
            `No page could be read (no internet?): ${failures.join('; ')}. Nothing was changed; use --from DIR with saved pages.`,
          )
      }
      const dataDir = ctx.dataDir
      loadKnowledgeOverlay(dataDir)
      const { overlay, added, skipped } = overlayFromPages(pages, new Date(), readOverlayFile(dataDir))
      const path = writeOverlay(dataDir, overlay)
      const result = {
        overlay: path,
        read: overlay.reads.slice(-pages.length),
        added,
        skipped: skipped.filter((s) => s.reason !== 'already in the shipped knowledge').slice(0, 50),
        alreadyKnown: skipped.filter((s) => s.reason === 'already in the shipped knowledge').length,
        failures,
      }
      if (json) {
        ctx.io.json(result)
        return
      }
      const out = [`Knowledge overlay written: ${path}`]
      for (const r of result.read) out.push(`  read ${r.from}: ${r.releases} release(s), ${r.added} new`)
      out.push(added.length ? `  added: ${added.join(', ')}` : '  nothing new (every release read is already known)')
      if (result.alreadyKnown) out.push(`  ${result.alreadyKnown} release(s) already in the shipped knowledge`)
      for (const f of failures) out.push(`  could not read ${f}`)
      ctx.io.text(out.join('\n'))
    })

  cmd
    .command('catalog')
    .description(
      "search the Microsoft Update Catalog for a branch's newest cumulative update, Safe OS and Setup Dynamic Update (by title), beyond what the knowledge holds",
    )
    .requiredOption('--branch <id>', 'the Windows branch (e.g. win11-24h2, server-2025; `knowledge --json` lists them)')
    .option('--arch <arch>', 'x64, arm64, x86 or arm', 'x64')
    .option('--month <YYYY-MM>', 'look up that month only')
    .option('--today <YYYY-MM-DD>', 'the latest Patch Tuesday is computed from this date instead of today')
    .option('--json', 'print JSON only')
    // The hidden loopback-only Catalog URL for tests (as the catalog commands'); built here so `knowledge` loads no Catalog code.
    .addOption(new Option('--catalog-url <url>', 'a local Catalog on 127.0.0.1 (tests)').hideHelp())
    .action(
      async (opts: {
        branch: string
        arch: string
        month?: string
        today?: string
        json?: boolean
        catalogUrl?: string
      }) => {
        const json = opts.json === true || (cmd.opts() as { json?: boolean }).json === true
        const arch = opts.arch.toLowerCase() === 'amd64' ? 'x64' : opts.arch.toLowerCase()
        if (arch !== 'x64' && arch !== 'arm64' && arch !== 'x86' && arch !== 'arm')
          throw new CliError(`--arch must be one of x64, arm64, x86, arm; not '${opts.arch}'.`)
        if (opts.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.month))
          throw new CliError(`--month wants YYYY-MM, not '${opts.month}'.`)
        const { CatalogClient } = await import('../../catalog/catalog-client.ts')
        const { loopbackPolicyForLocalCatalog, isLoopbackHost } = await import('../../catalog/download-policy.ts')
        let client: InstanceType<typeof CatalogClient>
        if (opts.catalogUrl) {
          let u: URL
          try {
            u = new URL(opts.catalogUrl)
          } catch {
            throw new CliError(`--catalog-url is not a URL: ${opts.catalogUrl}`)
          }
          if (!isLoopbackHost(u.hostname))
            throw new CliError(`--catalog-url must be a loopback address (a local Catalog), not ${u.hostname}.`)
          client = new CatalogClient({ baseUrl: u.origin, policy: loopbackPolicyForLocalCatalog(u.origin) })
        } else client = new CatalogClient()
        const { catalogBeyondKnowledge } = await import('../../catalog/catalog-beyond.ts')
        let r: Awaited<ReturnType<typeof catalogBeyondKnowledge>>
        try {
          r = await catalogBeyondKnowledge(client, opts.branch, arch, parseToday(opts.today), opts.month)
        } catch (err) {
          throw new CliError((err as Error).message)
        }
        if (json) {
          ctx.io.json(r)
          return
        }
        const out = [r.knowledge ? `Knowledge: ${r.knowledge.says}` : 'Knowledge: none for this branch.', r.reason]
        for (const x of r.results) out.push(`  ${x.says}`)
        ctx.io.text(out.join('\n'))
      },
    )
}

/** The overlay's state, applied to the knowledge; its schema (zod, overlay.ts) loads only when there is an overlay to read. */
async function overlayNow(dataDir: string): Promise<OverlayStatus> {
  if (!existsSync(overlayPath(dataDir))) {
    applyOverlayUpdates([])
    return { state: 'none', path: overlayPath(dataDir) }
  }
  return (await import('../../knowledge/overlay.ts')).loadKnowledgeOverlay(dataDir)
}

function parseToday(s: string | undefined): Date {
  if (s === undefined) return new Date()
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
    throw new CliError(`--today wants a date as YYYY-MM-DD, not '${s}'.`)
  return new Date(`${s}T12:00:00Z`)
}

async function fetchText(url: string): Promise<string> {
  // undici only for a refresh over the network: `knowledge` alone reads no page.
  const { request } = await import('undici')
  const res = await request(url, {
    method: 'GET',
    maxRedirections: 5,
    headersTimeout: 20_000,
    bodyTimeout: 30_000,
    headers: { 'user-agent': 'ServicingDesk-knowledge-refresh' },
  } as Parameters<typeof import('undici').request>[1])
  if (res.statusCode >= 400) {
    await res.body.dump()
    throw new Error(`HTTP ${res.statusCode}`)
  }
  return await res.body.text()
}

export function formatKnowledge(f: KnowledgeFreshness, overlayLine: string): string {
  const out: string[] = []
  out.push(
    `Update knowledge as of ${f.asOf} (WinRE targets as of ${winreTargetsAsOf}); today ${f.today}; latest Patch Tuesday ${f.latestPatchTuesday}.`,
  )
  if (f.warning) out.push(`Note: ${f.warning}`)
  if (f.kbUnknown) out.push(`Note: ${f.kbUnknown}`)
  for (const n of f.notices ?? []) out.push(`Support: ${n}`)
  out.push(
    `Overlay: ${overlayLine}.`,
    '',
    'Newest update known per Windows branch (optional previews are named apart):',
  )
  for (const b of f.branches) {
    const name = `${b.product} ${b.displayVersion}`.padEnd(32)
    if (!b.newest) {
      out.push(`  ${name} none known${b.silent.length ? ` (sources silent: ${b.silent.join(', ')})` : ''}`)
      continue
    }
    const notKnown = b.notKnown ? `  ${''.padEnd(32)} not known: ${b.notKnown}` : null
    const n = b.newest
    out.push(
      `  ${name} ${n.kb}  ${n.build.padEnd(12)} ${n.released}  ${String(b.ageDays).padStart(4)} days old${n.outOfBand ? '  out-of-band' : ''}${n.verified ? '' : '  (unverified)'}${n.origin === 'overlay' ? '  (from refresh)' : ''}`,
    )
    if (b.newestBuild)
      out.push(
        `  ${''.padEnd(32)} newer build, KB unknown: ${b.newestBuild.build}  ${b.newestBuild.released}  (${b.newestBuild.source}): ${b.newestBuild.says}`,
      )
    if (b.newerPreview)
      out.push(
        `  ${''.padEnd(32)} optional preview after it: ${b.newerPreview.kb}  ${b.newerPreview.build}  ${b.newerPreview.released}${b.newerPreview.verified ? '' : '  (unverified)'}`,
      )
    if (notKnown) out.push(notKnown)
  }
  out.push(
    '',
    `Build 26100 is Windows 11 24H2 or Windows Server 2025: the edition decides, else the UBR (Server 2025 is serviced on 26100.30000 and above).`,
  )
  out.push(
    `Unverified entries rest on one secondary source; Servicing Desk labels them wherever it uses them. Data: main/knowledge/data (as of ${servicingChainsAsOf()}).`,
  )
  return out.join('\n')
}
