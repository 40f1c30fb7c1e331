/**
 * The packages service: Catalog search, update chains, verified downloads into the cache, repair kits.
 *
 * Which Catalog: the real one (https://www.catalog.update.microsoft.com, MICROSOFT_POLICY) for this PC
 * on Windows; the local Catalog (started in-process on 127.0.0.1, its own loopback-only policy) for
 * training machines and on any other OS, so the app works offline. `localCatalogUrl` (tests, the CLI's
 * hidden `--catalog-url`) must be loopback and gets the loopback policy for that origin only.
 */
import { join } from 'node:path'
import type { MachineArch } from '../../preload/model/common.ts'
import type { CatalogSearchResult, DownloadOutput, DownloadProgress, UpdateChain } from '../../preload/model/catalog.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { ImportKitResult, KitManifest } from '../../preload/model/kit.ts'
import { CatalogClient } from '../catalog/catalog-client.ts'
import { resolveUpdateChain } from '../catalog/update-chain.ts'
import { isLoopbackHost, loopbackPolicyForLocalCatalog, type DownloadPolicy } from '../catalog/download-policy.ts'
import { startLocalCatalog, type LocalCatalog } from '../catalog/local-catalog/server.ts'
import { DownloadCache } from '../download/download-cache.ts'
import { downloadSet } from '../download/download-set.ts'
import type { SignatureChecker } from '../download/signature.ts'
import { buildKit, type KitMachine } from './kit-build.ts'
import { kitBootCertsOf } from './boot-media.ts'
import { importKitFolder } from './kit-import.ts'

export type CatalogChoice = 'microsoft' | 'local' | { url: string }

export interface PackagesServiceOptions {
  dataDir: string
  toolVersion: string
  /** Default Catalog when a call does not say (non-Windows → 'local'). */
  defaultCatalog: CatalogChoice
  signatures: (catalog: 'microsoft' | 'local') => SignatureChecker
  /** Told once when the local Catalog starts (the CLI says so on stderr). */
  onLocalCatalog?: (baseUrl: string) => void
  clientOptions?: { backoffMs?: number; attempts?: number }
}

export interface CallOpts {
  catalog?: CatalogChoice
  signal?: AbortSignal
}

/** The facts a kit needs from a snapshot. */
export function kitMachineOf(snapshot: MachineSnapshot): KitMachine {
  const os = snapshot.os.status === 'known' ? snapshot.os.value : null
  const pk = snapshot.packages.status === 'known' ? snapshot.packages.value : null
  return {
    name: snapshot.origin.name,
    nativeArch: os?.nativeArch ?? null,
    build: os?.build ?? null,
    ubr: os?.ubr ?? null,
    checkpointPresent: pk?.checkpoint.present ?? null,
    bootCerts: kitBootCertsOf(snapshot.bootChain?.status === 'known' ? snapshot.bootChain.value : null),
  }
}

export function createPackagesService(options: PackagesServiceOptions) {
  let local: Promise<LocalCatalog> | null = null
  const cache = new DownloadCache(join(options.dataDir, 'downloads'))

  async function endpoint(
    choice: CatalogChoice = options.defaultCatalog,
  ): Promise<{ client: CatalogClient; policy: DownloadPolicy; kind: 'microsoft' | 'local' }> {
    const co = options.clientOptions ?? {}
    if (choice === 'microsoft') {
      const client = new CatalogClient(co)
      return { client, policy: client.policy, kind: 'microsoft' }
    }
    if (choice === 'local') {
      local ??= startLocalCatalog().then((c) => {
        options.onLocalCatalog?.(c.baseUrl)
        return c
      })
      const c = await local
      return {
        client: new CatalogClient({ ...co, baseUrl: c.baseUrl, policy: c.policy }),
        policy: c.policy,
        kind: 'local',
      }
    }
    const u = new URL(choice.url)
    if (!isLoopbackHost(u.hostname))
      throw new Error(`--catalog-url must be a loopback address (a local Catalog); ${u.hostname} is not.`)
    const policy = loopbackPolicyForLocalCatalog(u.origin)
    return { client: new CatalogClient({ ...co, baseUrl: u.origin, policy }), policy, kind: 'local' }
  }

  async function search(
    query: string,
    o: CallOpts & { arch?: MachineArch; maxPages?: number } = {},
  ): Promise<CatalogSearchResult> {
    const { client } = await endpoint(o.catalog)
    return client.search(query, { arch: o.arch, maxPages: o.maxPages, signal: o.signal })
  }

  async function chain(kb: string, arch: MachineArch, o: CallOpts = {}): Promise<UpdateChain> {
    const { client } = await endpoint(o.catalog)
    return resolveUpdateChain(client, kb, arch, { signal: o.signal })
  }

  async function download(
    kb: string,
    arch: MachineArch,
    o: CallOpts & {
      operationId?: string
      onProgress?: (p: DownloadProgress) => void
      roles?: Array<'checkpoint' | 'target' | 'other'>
    } = {},
  ): Promise<DownloadOutput> {
    const ep = await endpoint(o.catalog)
    const ch = await resolveUpdateChain(ep.client, kb, arch, { signal: o.signal })
    const roles = o.roles ?? ['checkpoint', 'target']
    const wanted = ch.files.filter((f) => roles.includes(f.role))
    const files = await downloadSet(
      wanted.map((f) => ({ url: f.url, fileName: f.fileName, sha1: f.sha1, sha256: f.sha256 })),
      {
        cache,
        policy: ep.policy,
        signatures: options.signatures(ep.kind),
        operationId: o.operationId,
        signal: o.signal,
        onProgress: o.onProgress,
        fileOptions:
          options.clientOptions?.backoffMs !== undefined ? { backoffMs: options.clientOptions.backoffMs } : undefined,
      },
    )
    return { chain: ch, files }
  }

  async function exportKit(
    args: { kb: string; arch: MachineArch; outDir: string; machine: KitMachine | null } & CallOpts & {
        operationId?: string
        onProgress?: (p: DownloadProgress) => void
      },
  ): Promise<{ dir: string; manifest: KitManifest }> {
    const got = await download(args.kb, args.arch, args)
    return buildKit({
      chain: got.chain,
      files: got.files,
      outDir: args.outDir,
      machine: args.machine,
      toolVersion: options.toolVersion,
    })
  }

  async function importKit(dir: string, arch: MachineArch, targetKb?: string): Promise<ImportKitResult> {
    return importKitFolder(dir, arch, targetKb)
  }

  async function close(): Promise<void> {
    if (local) await (await local).close()
    local = null
  }

  return { search, chain, download, exportKit, importKit, close, cache }
}

export type PackagesService = ReturnType<typeof createPackagesService>
