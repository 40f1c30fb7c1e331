/**
 * `servicing-desk catalog search <query> [--arch A] [--max-pages N] [--json]` and
 * `servicing-desk catalog chain --kb KB --arch A [--json]`: the Microsoft Update Catalog.
 *
 * On a PC that is not Windows (or for a training machine) the local Catalog is started in-process on
 * 127.0.0.1 and used instead, and stderr says so. `--catalog-url` (hidden, tests) accepts only loopback.
 */
import { type Command, Option } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { MachineArchSchema, type MachineArch } from '../../../preload/model/common.ts'
import { createPackagesService, type CatalogChoice, type PackagesService } from '../../kit/packages-service.ts'
import { CatalogError } from '../../catalog/catalog-error.ts'
import { DownloadError } from '../../download/download-errors.ts'
import { KitError } from '../../kit/kit-build.ts'
import { signatureCheckerFor } from '../../download/signature.ts'
import { isLoopbackHost } from '../../catalog/download-policy.ts'

export interface CatalogCliOptions {
  catalogUrl?: string
}

/** The hidden `--catalog-url` option (a loopback local Catalog, for tests). */
export function catalogUrlOption(): Option {
  return new Option('--catalog-url <url>', 'a local Catalog on 127.0.0.1 (tests)').hideHelp()
}

export function parseArch(value: string | undefined, what = '--arch'): MachineArch | null {
  if (value === undefined) return null
  const a = MachineArchSchema.safeParse(value.toLowerCase() === 'amd64' ? 'x64' : value.toLowerCase())
  if (!a.success) throw new CliError(`${what} must be one of x64, arm64, x86, arm; not '${value}'.`)
  return a.data
}

export function parseKb(value: string | undefined): string {
  if (!value) throw new CliError('Give the update with --kb KB (e.g. --kb KB5086672).')
  const kb = /^\d{6,8}$/.test(value) ? `KB${value}` : value.toUpperCase()
  if (!/^KB\d{6,8}$/.test(kb)) throw new CliError(`'${value}' is not a KB number (e.g. KB5086672).`)
  return kb
}

/**
 * The packages service for one CLI run: the real Catalog on Windows for this PC; otherwise the local
 * Catalog (said on stderr). Close it when done (the local Catalog holds a port open).
 */
export function packagesForCli(ctx: CliContext, opts: CatalogCliOptions & { training?: boolean }): PackagesService {
  let choice: CatalogChoice
  if (opts.catalogUrl) {
    let u: URL
    try {
      u = new URL(opts.catalogUrl)
    } catch {
      throw new CliError(`--catalog-url is not a URL: ${opts.catalogUrl}`)
    }
    if (!isLoopbackHost(u.hostname))
      throw new CliError(`--catalog-url must be a loopback address (a local Catalog), not ${u.hostname}.`)
    choice = { url: u.origin }
  } else {
    choice = ctx.services.platform === 'win32' && !opts.training ? 'microsoft' : 'local'
  }
  const platform = ctx.services.platform
  return createPackagesService({
    dataDir: ctx.services.dataDir,
    toolVersion: ctx.services.appVersion,
    defaultCatalog: choice,
    signatures: (kind) =>
      signatureCheckerFor(
        kind === 'microsoft' && platform === 'win32' ? ctx.services.hostFor({ kind: 'this-pc' }) : null,
        kind === 'microsoft' ? platform : 'linux',
      ),
    onLocalCatalog: (url) => {
      const why = platform === 'win32' ? 'a training machine' : 'this is not Windows'
      ctx.io.note(
        `servicing-desk: ${why}; using the local training Catalog at ${url} (offline, synthetic packages), not the Microsoft Update Catalog.`,
      )
    },
  })
}

/** Turns the domain errors into plain CLI errors (exit 1), and always closes the service. */
export async function withPackages<T>(pkgs: PackagesService, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof CatalogError || err instanceof DownloadError || err instanceof KitError)
      throw new CliError(err.message, 1)
    throw err
  } finally {
    await pkgs.close()
  }
}

const sizeText = (n: number | null) =>
  n === null ? '?' : n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`

export function registerCatalog(program: Command, ctx: CliContext): void {
  const catalog = program
    .command('catalog')
    .description(
      'search the Microsoft Update Catalog (off Windows and for a training machine: the local training Catalog) and resolve update chains',
    )
  catalog
    .command('search <query>')
    .description('search the Catalog (KB number, title words); architecture read from each title')
    .option('--arch <arch>', 'keep only rows for this architecture (x64, arm64, x86, arm)')
    .option('--max-pages <n>', 'read at most N pages of 25 rows (default 4, at most 40)')
    .option('--json', 'print the result as JSON only')
    .addOption(catalogUrlOption())
    .action(async (query: string, opts: { arch?: string; maxPages?: string; json?: boolean } & CatalogCliOptions) => {
      const arch = parseArch(opts.arch)
      const maxPages = opts.maxPages === undefined ? undefined : Number(opts.maxPages)
      if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > 40))
        throw new CliError(`--max-pages must be 1..40, not '${opts.maxPages}'.`)
      if (!query.trim() || query.length > 200) throw new CliError('The query must be 1 to 200 characters.')
      const pkgs = packagesForCli(ctx, opts)
      const r = await withPackages(pkgs, () => pkgs.search(query, { arch: arch ?? undefined, maxPages }))
      if (opts.json) {
        ctx.io.json(r)
        return
      }
      if (r.updates.length === 0) ctx.io.text(`No updates found for "${r.query}"${arch ? ` on ${arch}` : ''}.`)
      for (const u of r.updates) {
        ctx.io.text(
          `${(u.kb ?? '-').padEnd(10)} ${(u.arch ?? '?').padEnd(6)} ${(u.lastUpdated ?? '').padEnd(10)} ${sizeText(u.sizeBytes).padStart(8)}  ${u.title}`,
        )
        ctx.io.text(`${''.padEnd(10)} ${u.updateId}  ${u.classification}; ${u.products.join(', ')}`)
      }
      const which =
        ctx.services.platform === 'win32' && !opts.catalogUrl
          ? 'the Microsoft Update Catalog'
          : 'the training Catalog (local, synthetic packages)'
      ctx.io.text(
        `${r.updates.length} update(s)${r.totalCount !== null ? ` of ${r.totalCount} reported by ${which}` : ` from ${which}`}, ${r.pagesRead} page(s) read${r.incomplete ? ' (more exist: narrow the search or raise --max-pages)' : ''}.`,
      )
      for (const n of r.notes) ctx.io.note(`note: ${n}`)
    })
  catalog
    .command('chain')
    .description('the files an update needs on one architecture, checkpoint(s) first, with their hashes')
    .option('--kb <kb>', 'the target update, e.g. KB5086672')
    .option('--arch <arch>', "the PC's native architecture (x64, arm64)")
    .option('--json', 'print the chain as JSON only')
    .addOption(catalogUrlOption())
    .action(async (opts: { kb?: string; arch?: string; json?: boolean } & CatalogCliOptions) => {
      const kb = parseKb(opts.kb)
      const arch = parseArch(opts.arch)
      if (!arch) throw new CliError('Give the architecture with --arch x64|arm64.')
      const pkgs = packagesForCli(ctx, opts)
      const chain = await withPackages(pkgs, () => pkgs.chain(kb, arch))
      if (opts.json) {
        ctx.io.json(chain)
        return
      }
      ctx.io.text(`${chain.update.title}`)
      for (const f of chain.files) {
        ctx.io.text(`${f.order}. ${f.role.padEnd(10)} ${f.fileName}`)
        ctx.io.text(`   sha1 ${f.sha1}${f.sha256 ? `  sha256 ${f.sha256}` : ''}`)
        ctx.io.text(`   ${f.url}`)
        ctx.io.text(`   ${f.reason}`)
      }
      for (const n of chain.notes) ctx.io.note(`note: ${n}`)
    })
}
