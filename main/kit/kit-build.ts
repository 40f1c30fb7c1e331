/**
 * Writes a repair kit: the verified packages (target and the checkpoints it needs, in order),
 * `manifest.json`, `PLAN.md` and `Install-Kit.ps1`.
 *
 * The folder holds no other MSU/CAB: DISM's folder method takes every MSU it finds there as a
 * checkpoint candidate (learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates).
 */
import { bootMediaNotes, type KitBootCerts } from './boot-media.ts'
import { constants, copyFile, mkdir, open, readdir, rm } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { MachineArch } from '../../preload/model/common.ts'
import type { UpdateChain, VerifiedFile } from '../../preload/model/catalog.ts'
import { KIT_SCHEMA_VERSION, KitManifestSchema, type KitManifest } from '../../preload/model/kit.ts'
import { branchForBuild } from '../knowledge/servicing-chains.ts'
import chains from '../knowledge/data/servicing-chains.json' with { type: 'json' }
import { renderInstallScript } from './install-script.ts'
import { renderPlan } from './kit-plan.ts'
import { oneLine, powerShellFileText } from '../host/powershell-text.ts'
import { copyFailure, writeFileAtomic } from '../atomic-write.ts'
import { kitDigest } from './kit-seal.ts'
import { collectorScript } from '../collector/collector-script.ts'

/** The collector ships in every kit: run after the install, its zip shows the technician what changed. */
export const KIT_COLLECTOR = 'Collect-ServicingFacts.ps1'

export interface KitMachine {
  name: string
  nativeArch: MachineArch | null
  build: number | null
  ubr: number | null
  /** Whether the PC already has its branch's latest checkpoint (null: unknown). */
  checkpointPresent: boolean | null
  /** The PC's Secure Boot certificate state, for the kit's boot-media line (absent/null: not inspected). */
  bootCerts?: KitBootCerts | null
  /**
   * A repair the PC needs before this update can install (the diagnosis's finding, e.g. a damaged component
   * store: the update fails again with 0x80073712 until the store is repaired). The kit says so first.
   */
  repairFirst?: string | null
}

export interface KitBuildInput {
  chain: UpdateChain
  files: VerifiedFile[]
  outDir: string
  machine: KitMachine | null
  toolVersion: string
  now?: Date
}

export class KitError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KitError'
  }
}

/** Builds that take the same packages as `build`: the branches with the same servicing base and checkpoints (26100/26200, 22621/22631). */
export function buildsSharingBase(build: number | null): number[] {
  if (build === null) return []
  const b = branchForBuild(build)
  if (!b) return [build]
  const same = (chains.branches as Array<{ builds: number[]; servicingBase: number; checkpoints: string[] }>).filter(
    (x) => x.servicingBase === b.servicingBase && x.checkpoints.join() === b.checkpoints.join(),
  )
  return [...new Set([build, ...same.flatMap((x) => x.builds)])].sort((x, y) => x - y)
}

export async function buildKit(input: KitBuildInput): Promise<{ dir: string; manifest: KitManifest }> {
  const { chain, machine } = input
  const notes = [...chain.notes]
  if (machine?.nativeArch && machine.nativeArch !== chain.arch) {
    throw new KitError(
      `${machine.name} is ${machine.nativeArch}; a ${chain.arch} kit would not install there. Build the kit with --arch ${machine.nativeArch}.`,
    )
  }
  const byName = new Map(input.files.map((f) => [f.fileName, f]))
  let wanted = chain.files.filter((f) => f.role !== 'other')
  for (const f of chain.files.filter((x) => x.role === 'other'))
    notes.push(`${f.fileName} is in the download dialog but not in the checkpoint chain; left out of the kit.`)
  if (machine?.checkpointPresent === true) {
    const cps = wanted.filter((f) => f.role === 'checkpoint')
    if (cps.length) {
      wanted = wanted.filter((f) => f.role !== 'checkpoint')
      notes.push(
        `${machine.name} already has its checkpoint (UBR ${machine.ubr}); ${cps.map((c) => c.kb).join(', ')} left out, as Microsoft says a device on the latest checkpoint needs only the target.`,
      )
    }
  }
  for (const f of wanted) {
    const v = byName.get(f.fileName)
    if (!v || v.sha1 !== f.sha1)
      throw new KitError(`${f.fileName} was not downloaded and verified; cannot put it in a kit.`)
    if (v.signature.status === 'invalid') throw new KitError(`${f.fileName}: ${v.signature.reason}`)
  }
  try {
    await mkdir(input.outDir, { recursive: true })
  } catch (err) {
    throw copyFailure(input.outDir, err, 'the kit folder')
  }
  const existing = (await readdir(input.outDir)).filter(
    (n) => /\.(msu|cab)$/i.test(n) && !wanted.some((w) => w.fileName === n),
  )
  if (existing.length)
    throw new KitError(
      `${input.outDir} already holds other packages (${existing.join(', ')}); DISM would take them for checkpoints. Use an empty folder.`,
    )
  const manifest: KitManifest = KitManifestSchema.parse({
    schemaVersion: KIT_SCHEMA_VERSION,
    tool: { name: 'servicing-desk', version: input.toolVersion },
    created: (input.now ?? new Date()).toISOString(),
    target: {
      kb: chain.targetKb,
      arch: chain.arch,
      build: machine?.build ?? null,
      ubr: machine?.ubr ?? null,
      // Text from the Catalog and the PC is one line of plain text (never a way out of a script comment).
      machine: machine?.name != null ? oneLine(machine.name) : null,
      title: oneLine(chain.update.title),
    },
    files: wanted.map((f, i) => {
      const v = byName.get(f.fileName) as VerifiedFile
      return {
        order: i + 1,
        fileName: f.fileName,
        role: f.role,
        kb: f.kb,
        arch: chain.arch,
        sha1: v.sha1,
        sha256: v.sha256,
        sizeBytes: v.sizeBytes,
        reason: f.reason,
      }
    }),
    notes: [
      ...(machine?.repairFirst
        ? [
            `Repair first: ${machine.repairFirst} Install this kit only after that repair ends verified, or the update fails again the same way (a fix package from Servicing Desk runs the repair, then this kit, in that order).`,
          ]
        : []),
      ...notes,
      ...bootMediaNotes(machine?.name ?? null, machine?.bootCerts ?? null),
      ...wanted
        .map((f) => byName.get(f.fileName) as VerifiedFile)
        .filter((v) => v.signature.status === 'not-checked')
        .slice(0, 1)
        .map(
          (v) =>
            `Signatures: ${v.signature.status === 'not-checked' ? v.signature.reason : ''} Install-Kit.ps1 checks the hashes; Windows checks the signature when DISM adds the package.`,
        ),
    ],
  })
  for (const f of manifest.files) {
    const src = (byName.get(f.fileName) as VerifiedFile).path
    const dest = join(input.outDir, f.fileName)
    // A copy (a reflink where the file system can), never a hard link: editing the kit must not touch the cache.
    try {
      await rm(dest, { force: true })
      await copyFile(src, dest, constants.COPYFILE_FICLONE)
    } catch (err) {
      await rm(dest, { force: true }).catch(() => {})
      throw copyFailure(dest, err, `${f.fileName} in the kit`)
    }
  }
  // The seal: manifest.json records the SHA-256 of PLAN.md and Install-Kit.ps1 as written, so `kit verify`
  // notices when either is changed. A BOM (Windows PowerShell 5.1 reads a BOM-less script in the ANSI code
  // page) and CRLF for the script (powershell-text.ts).
  const plan = Buffer.from(renderPlan(manifest), 'utf8')
  const script = Buffer.from(
    powerShellFileText(renderInstallScript(manifest, buildsSharingBase(manifest.target.build))),
    'utf8',
  )
  const collector = Buffer.from(collectorScript({ version: input.toolVersion }), 'utf8')
  // The kit's digest over the whole kit (kit-seal.ts): shown at export, for the technician to compare at install.
  const kitDigestValue = kitDigest({
    target: manifest.target,
    files: manifest.files,
    installScriptSha256: sha256(script),
    planSha256: sha256(plan),
    collectorSha256: sha256(collector),
  })
  const sealed: KitManifest = KitManifestSchema.parse({
    ...manifest,
    seal: {
      installScriptSha256: sha256(script),
      planSha256: sha256(plan),
      collectorSha256: sha256(collector),
      kitDigest: kitDigestValue,
    },
  })
  await writeFileAtomic(join(input.outDir, 'PLAN.md'), plan, { what: "the kit's PLAN.md" })
  await writeFileAtomic(join(input.outDir, 'Install-Kit.ps1'), script, { what: "the kit's Install-Kit.ps1" })
  await writeFileAtomic(join(input.outDir, KIT_COLLECTOR), collector, { what: "the kit's collector" })
  await writeFileAtomic(join(input.outDir, 'manifest.json'), `${JSON.stringify(sealed, null, 2)}\n`, {
    what: "the kit's manifest.json",
  })
  await syncToDevice(input.outDir, [
    ...manifest.files.map((f) => f.fileName),
    'manifest.json',
    'PLAN.md',
    'Install-Kit.ps1',
    KIT_COLLECTOR,
  ])
  return { dir: input.outDir, manifest: sealed }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/**
 * A kit is often written to a USB stick that is pulled out as soon as we say "done": every file we wrote,
 * and the folder's entries, are on the device before we do (the download cache is not synced: its files
 * are re-verified whenever they are used).
 */
export async function syncToDevice(dir: string, names: string[]): Promise<void> {
  for (const n of names) {
    const fh = await open(join(dir, n), 'r+')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
  }
  // Windows cannot open a folder for FlushFileBuffers (NTFS and FAT commit the entries with the files).
  if (process.platform === 'win32') return
  const d = await open(dir, 'r')
  try {
    await d.sync()
  } finally {
    await d.close()
  }
}
