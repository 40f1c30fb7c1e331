/**
 * The contract handlers for packages: catalogSearch, catalogChain, download, exportKit, importKit,
 * verifyKit. `main/handlers.ts` spreads them in. A training machine (or any PC that is not Windows)
 * uses the local Catalog; this PC on Windows uses the Microsoft Update Catalog.
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { CatalogSearchResult, DownloadOutput, UpdateChain, DownloadProgress } from '../../preload/model/catalog.ts'
import type { ImportKitResult, KitManifest, KitVerifyResult } from '../../preload/model/kit.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import type { Host } from '../host/host.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { AppError } from '../errors.ts'
import { CatalogError } from '../catalog/catalog-error.ts'
import { DownloadError } from '../download/download-errors.ts'
import { signatureCheckerFor } from '../download/signature.ts'
import { createPackagesService, kitMachineOf, type CatalogChoice } from './packages-service.ts'
import { KitError } from './kit-build.ts'
import { verifyKit } from './kit-verify.ts'

/** What the handlers need from the services (a subset, so tests can pass their own). */
export interface PackagesDeps {
  dataDir: string
  platform: NodeJS.Platform
  appVersion: string
  hostFor(ref: MachineRef): Host
  scan(ref: MachineRef, opts?: { signal?: AbortSignal }): Promise<MachineSnapshot>
}

interface Ctx {
  emit(event: 'downloadProgress', payload: DownloadProgress): void
  signal?: AbortSignal
}

function toAppError(err: unknown): never {
  if (err instanceof CatalogError)
    throw new AppError(
      err.code === 'not-found' ? 'not-found' : err.code === 'refused' ? 'forbidden' : 'failed',
      err.message,
      { code: err.code },
    )
  if (err instanceof DownloadError)
    throw new AppError(
      err.code === 'cancelled' ? 'cancelled' : err.code === 'refused' ? 'forbidden' : 'failed',
      err.message,
      { code: err.code },
    )
  if (err instanceof KitError) throw new AppError('invalid-input', err.message)
  throw err
}

const sourceOf = (choice: CatalogChoice): 'microsoft' | 'training' =>
  choice === 'microsoft' ? 'microsoft' : 'training'

export function createPackagesHandlers(deps: PackagesDeps) {
  const choiceFor = (machine?: MachineRef): CatalogChoice =>
    deps.platform === 'win32' && machine?.kind !== 'training' ? 'microsoft' : 'local'
  const service = createPackagesService({
    dataDir: deps.dataDir,
    toolVersion: deps.appVersion,
    defaultCatalog: deps.platform === 'win32' ? 'microsoft' : 'local',
    signatures: (kind) =>
      signatureCheckerFor(
        kind === 'microsoft' && deps.platform === 'win32' ? deps.hostFor({ kind: 'this-pc' }) : null,
        kind === 'microsoft' ? deps.platform : 'linux',
      ),
  })
  const guard = <T>(p: Promise<T>): Promise<T> => p.catch(toAppError)

  return {
    // Each answer says which Catalog it came from, so the screen never calls the training Catalog Microsoft's.
    catalogSearch: async (
      input: { query: string; arch?: MachineArch; maxPages?: number; machine?: MachineRef },
      ctx: Ctx,
    ): Promise<CatalogSearchResult> => {
      const choice = choiceFor(input.machine)
      return {
        ...(await guard(
          service.search(input.query, {
            arch: input.arch,
            maxPages: input.maxPages,
            catalog: choice,
            signal: ctx.signal,
          }),
        )),
        catalog: sourceOf(choice),
      }
    },
    catalogChain: async (
      input: { kb: string; arch: MachineArch; machine?: MachineRef },
      ctx: Ctx,
    ): Promise<UpdateChain> => {
      const choice = choiceFor(input.machine)
      return {
        ...(await guard(service.chain(input.kb, input.arch, { catalog: choice, signal: ctx.signal }))),
        catalog: sourceOf(choice),
      }
    },
    download: (
      input: { kb: string; arch: MachineArch; operationId: string; machine?: MachineRef },
      ctx: Ctx,
    ): Promise<DownloadOutput> =>
      guard(
        service.download(input.kb, input.arch, {
          catalog: choiceFor(input.machine),
          signal: ctx.signal,
          operationId: input.operationId,
          onProgress: (p) => ctx.emit('downloadProgress', p),
        }),
      ),
    exportKit: async (
      input: { kb: string; arch: MachineArch; outDir: string; operationId: string; machine?: MachineRef },
      ctx: Ctx,
    ): Promise<{ dir: string; manifest: KitManifest }> => {
      const machine = input.machine ? kitMachineOf(await deps.scan(input.machine, { signal: ctx.signal })) : null
      return guard(
        service.exportKit({
          kb: input.kb,
          arch: input.arch,
          outDir: input.outDir,
          machine,
          catalog: choiceFor(input.machine),
          signal: ctx.signal,
          operationId: input.operationId,
          onProgress: (p) => ctx.emit('downloadProgress', p),
        }),
      )
    },
    importKit: (input: { dir: string; arch: MachineArch; targetKb?: string }): Promise<ImportKitResult> =>
      guard(service.importKit(input.dir, input.arch, input.targetKb)),
    verifyKit: (input: { dir: string }): Promise<KitVerifyResult> => verifyKit(input.dir),
  }
}
