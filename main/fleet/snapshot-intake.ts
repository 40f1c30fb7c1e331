/**
 * Collected files (`scan --out FILE.zip`, the collector script's zip) dropped in a folder: each is one device's
 * observation at its collection time, diagnosed by the caller's single-PC diagnosis of a collected file (the
 * CLI passes the services' own: the same probes, logs and rules as opening the file on one PC), cached by the
 * file's SHA-256. Its line is the one the collector prints beside the zip, so a later line can be compared to it.
 * A file that is not a collector file is set aside with the reason, the others are read.
 */
import { readdir } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { DiagnoseOutput } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { IntakeResult, Observation } from '../../preload/model/fleet.ts'
import { readCollectorArchive } from '../collector/archive.ts'
import { readZip } from '../collector/zip.ts'
import { COLLECTOR_WORK_ROOT } from '../collector/steps.ts'
import { collectorLineOf } from './training/collector-line.ts'
import { emptyIntake, reject } from './intake/common.ts'
import { ExportRefused, openExport } from './intake/source.ts'

/** A collected file is at most this large (its logs are capped by the collector well below it). */
export const MAX_COLLECTED_BYTES = 1024 ** 3

/** The folder's own zip (no link followed, a regular file within its bound), read from the handle that was checked. */
async function readCollected(path: string): Promise<Buffer> {
  const f = await openExport(path, { inFolder: true, max: MAX_COLLECTED_BYTES })
  try {
    const buf = Buffer.alloc(f.size)
    let pos = 0
    while (pos < f.size) {
      const { bytesRead } = await f.fh.read(buf, pos, f.size - pos, pos)
      if (!bytesRead) break
      pos += bytesRead
    }
    return buf.subarray(0, pos)
  } finally {
    await f.fh.close()
  }
}

/** A zip holding exactly one CSV and nothing else of the collector's: Intune's export job, saved beside the collected files. */
function isExportZip(zip: Buffer): boolean {
  try {
    const names = [...readZip(zip, { maxEntries: 16, maxEntryBytes: 1024 ** 3, maxTotalBytes: 1024 ** 3 }).keys()]
    return names.filter((k) => /\.csv$/i.test(k)).length === 1
  } catch {
    return false
  }
}

export type DiagnoseFile = (zip: Buffer) => Promise<{ snapshot: MachineSnapshot; output: DiagnoseOutput }>

export interface SnapshotIntake extends IntakeResult {
  /** .zip files that are no collected file but a report's export (one CSV inside): to be read as exports. */
  exports: string[]
  diagKeys: Map<Observation, string>
  diagnoses: Map<string, DiagnoseOutput>
}

export async function readSnapshotFolder(
  dir: string,
  diagnoseFile: DiagnoseFile,
  opts: {
    known?: (key: string) => boolean | Promise<boolean>
    /** After each file: how many of the folder's zips are read (diagnosing one takes a second or more). */
    onFile?: (done: number, total: number) => void
  } = {},
): Promise<SnapshotIntake> {
  const out: SnapshotIntake = { ...emptyIntake('snapshots'), exports: [], diagKeys: new Map(), diagnoses: new Map() }
  const names = (await readdir(dir)).filter((n) => /\.zip$/i.test(n)).sort()
  for (const [i, n] of names.entries()) {
    if (i) opts.onFile?.(i, names.length)
    const path = join(dir, n)
    let zip: Buffer
    try {
      zip = await readCollected(path)
    } catch (err) {
      reject(
        out,
        i + 1,
        err instanceof ExportRefused
          ? err.message
          : `cannot read ${n}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        n,
      )
      continue
    }
    let archive: ReturnType<typeof readCollectorArchive>
    try {
      archive = readCollectorArchive(zip)
    } catch (err) {
      if (isExportZip(zip)) {
        out.exports.push(path)
        continue
      }
      reject(out, i + 1, `${n}: ${(err as Error).message}`, n)
      continue
    }
    const key = `snapshot:${createHash('sha256').update(zip).digest('hex')}`
    let nativeArch = archive.snapshot.processArch as string
    if (!(await opts.known?.(key))) {
      try {
        const d = await diagnoseFile(zip)
        out.diagnoses.set(key, d.output)
        if (d.snapshot.os.status === 'known' && d.snapshot.os.value.nativeArch)
          nativeArch = d.snapshot.os.value.nativeArch
      } catch (err) {
        reject(out, i + 1, `${n} could not be diagnosed: ${(err as Error).message}`, n)
        continue
      }
    }
    const s = archive.snapshot
    const obs: Observation = {
      device: { name: s.computerName, aadId: null, intuneId: null },
      source: 'snapshot',
      at: s.takenAt,
      kind: 'snapshot',
      line: collectorLineOf(archive, { nativeArch, outFile: `${COLLECTOR_WORK_ROOT}\\${n}` }),
      codes: [],
      status: null,
      file: path,
      detail: `collected by ${s.takenBy === 'app' ? 'Servicing Desk' : 'the collector script'} ${s.collectorVersion}`,
    }
    out.observations.push(obs)
    out.diagKeys.set(obs, key)
  }
  if (names.length) opts.onFile?.(names.length, names.length)
  return out
}
