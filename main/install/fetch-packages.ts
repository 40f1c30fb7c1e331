/**
 * Fetches a target update and its checkpoints for a plan: the Microsoft Update Catalog for this PC on
 * Windows, the local training Catalog (real HTTP on 127.0.0.1) for a training machine or off Windows.
 * Every file is verified (SHA-1/SHA-256, and the signature on Windows) by the download layer, then copied
 * into a folder of its own, so DISM's folder discovery sees only the target and its checkpoints
 * (learn.microsoft.com catalog-checkpoint-cumulative-updates: "make sure there are no other .msu files").
 */
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { copyFailure } from '../atomic-write.ts'
import { join, resolve } from 'node:path'
import type { Host } from '../host/host.ts'
import type { MachineArch, MachineRef } from '../../preload/model/common.ts'
import type { DownloadProgress } from '../../preload/model/catalog.ts'
import { createPackagesService } from '../kit/packages-service.ts'
import { signatureCheckerFor } from '../download/signature.ts'
import type { PackageCandidate } from './planner.ts'

export interface FetchArgs {
  dataDir: string
  platform: NodeJS.Platform
  appVersion: string
  /** This PC's host, for Authenticode checks on Windows (null elsewhere): files are checked where they are fetched. */
  thisPc: Host | null
  ref: MachineRef
  kbs: string[]
  arch: MachineArch
  onNote?: (line: string) => void
  onProgress?: (p: DownloadProgress) => void
  signal?: AbortSignal
}

export async function fetchPackages(a: FetchArgs): Promise<PackageCandidate[]> {
  // A snapshot of another PC is prepared from the real Catalog too, when this PC is Windows.
  const microsoft = a.platform === 'win32' && a.ref.kind !== 'training'
  const service = createPackagesService({
    dataDir: a.dataDir,
    toolVersion: a.appVersion,
    defaultCatalog: microsoft ? 'microsoft' : 'local',
    signatures: (kind) =>
      signatureCheckerFor(kind === 'microsoft' ? a.thisPc : null, kind === 'microsoft' ? a.platform : 'linux'),
    onLocalCatalog: (url) =>
      a.onNote?.(
        `Packages from the local training Catalog at ${url} (offline, synthetic packages), not the Microsoft Update Catalog.`,
      ),
  })
  try {
    const dir = join(resolve(a.dataDir), 'kits', 'install', `${a.kbs.join('-')}-${a.arch}`)
    try {
      mkdirSync(dir, { recursive: true })
    } catch (err) {
      throw copyFailure(dir, err, 'the package folder')
    }
    const out: PackageCandidate[] = []
    for (const kb of a.kbs) {
      const got = await service.download(kb, a.arch, { signal: a.signal, onProgress: a.onProgress })
      for (const f of got.files) {
        const meta = got.chain.files.find((c) => c.fileName === f.fileName)
        const path = join(dir, f.fileName)
        // Copied beside it, then renamed over it: another process planning the same update (a second window, the CLI)
        // may be hashing the file at `path` right now, and must see the whole old file or the whole new one.
        const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
        try {
          copyFileSync(f.path, tmp)
          renameSync(tmp, path)
        } catch (err) {
          rmSync(tmp, { force: true })
          throw copyFailure(path, err, f.fileName)
        }
        a.onNote?.(
          `${f.fileName}: ${f.fromCache ? 'from the download cache' : 'downloaded'}, SHA-1 and SHA-256 verified${f.signature.status === 'valid' ? `, signed by ${f.signature.signer}` : ''}.`,
        )
        out.push({
          kb: meta?.kb ?? kb,
          fileName: f.fileName,
          path,
          arch: meta?.arch ?? a.arch,
          sha1: f.sha1,
          sha256: f.sha256,
          sizeBytes: f.sizeBytes,
          title: meta?.role === 'target' ? got.chain.update.title : null,
        })
      }
    }
    return out
  } finally {
    await service.close()
  }
}
