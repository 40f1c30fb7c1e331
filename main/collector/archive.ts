/**
 * The collector's zip, read and written: `snapshot.json` + `files/...` + `manifest.json` (SHA-256 of each
 * other entry). Reading checks everything before anything is used: the zip itself (zip.ts), the manifest's
 * hashes and sizes, the snapshot's schema (preload/model/collector.ts), and that every file the snapshot
 * names is in the zip. Any failure is one plain sentence (CollectorArchiveError); nothing partial comes back.
 */
import { createHash } from 'node:crypto'
import { readZip, writeZip, ZipError } from './zip.ts'
import {
  COLLECTOR_FORMAT,
  CollectorManifestSchema,
  CollectorSnapshotSchema,
  COLLECTOR_MAX_BYTES,
  type CollectorSnapshot,
} from '../../preload/model/collector.ts'

export class CollectorArchiveError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CollectorArchiveError'
  }
}

export interface CollectorArchive {
  snapshot: CollectorSnapshot
  /** File contents by lower-case Windows path. */
  files: Map<string, Buffer>
}

export const SNAPSHOT_ENTRY = 'snapshot.json'
export const MANIFEST_ENTRY = 'manifest.json'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** True when the bytes start like a zip (the app then reads the file as the collector's). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50
}

export function readCollectorArchive(buf: Buffer): CollectorArchive {
  const what = 'This collector file'
  if (buf.length > COLLECTOR_MAX_BYTES + 1024 * 1024)
    throw new CollectorArchiveError(
      `${what} is ${(buf.length / 1024 / 1024).toFixed(1)} MB; the collector writes at most ${COLLECTOR_MAX_BYTES / 1024 / 1024} MB, so it is not one.`,
    )
  let entries: Map<string, Buffer>
  try {
    entries = readZip(buf)
  } catch (err) {
    if (err instanceof ZipError) throw new CollectorArchiveError(`${what} cannot be opened: ${lowerFirst(err.message)}`)
    throw err
  }
  const manifestBuf = entries.get(MANIFEST_ENTRY)
  const snapshotBuf = entries.get(SNAPSHOT_ENTRY)
  if (!manifestBuf || !snapshotBuf)
    throw new CollectorArchiveError(
      `${what} has no ${!snapshotBuf ? SNAPSHOT_ENTRY : MANIFEST_ENTRY}: it is not from the Servicing Desk collector.`,
    )
  const manifest = CollectorManifestSchema.safeParse(parseJson(manifestBuf, MANIFEST_ENTRY))
  if (!manifest.success)
    throw new CollectorArchiveError(
      `${what}'s ${MANIFEST_ENTRY} is not the collector's: ${firstIssue(manifest.error.issues)}.`,
    )
  const listed = new Map(manifest.data.files.map((f) => [f.entry.replace(/\\/g, '/'), f]))
  for (const [name, data] of entries) {
    if (name === MANIFEST_ENTRY) continue
    const m = listed.get(name)
    if (!m)
      throw new CollectorArchiveError(
        `${what} holds ${name}, which its manifest does not list: it was changed after it was written.`,
      )
    if (m.bytes !== data.length || m.sha256.toLowerCase() !== sha256(data))
      throw new CollectorArchiveError(
        `${what}'s ${name} does not match its SHA-256 in the manifest: it is damaged or was changed.`,
      )
  }
  for (const name of listed.keys())
    if (!entries.has(name))
      throw new CollectorArchiveError(`${what} lacks ${name}, which its manifest lists: it is incomplete.`)
  const json = parseJson(snapshotBuf, SNAPSHOT_ENTRY)
  const format = json as { format?: unknown; formatVersion?: unknown } | null
  if (format?.format !== COLLECTOR_FORMAT)
    throw new CollectorArchiveError(`${what}'s ${SNAPSHOT_ENTRY} is not the collector's.`)
  const parsed = CollectorSnapshotSchema.safeParse(json)
  if (!parsed.success)
    throw new CollectorArchiveError(
      `${what}'s ${SNAPSHOT_ENTRY} is damaged or from another version: ${firstIssue(parsed.error.issues)}.`,
    )
  const files = new Map<string, Buffer>()
  for (const f of parsed.data.files) {
    const data = entries.get(f.entry)
    if (!data) throw new CollectorArchiveError(`${what} names ${f.entry} for ${f.path}, but the zip does not hold it.`)
    files.set(f.path.toLowerCase(), data)
  }
  return { snapshot: parsed.data, files }
}

/** The zip for a snapshot and its files (entries named by the snapshot), with the manifest. */
export function writeCollectorArchive(
  snapshot: CollectorSnapshot,
  contents: ReadonlyMap<string, Buffer>,
  when?: Date,
): Buffer {
  const parsed = CollectorSnapshotSchema.parse(snapshot)
  const entries: { name: string; data: Buffer }[] = [
    { name: SNAPSHOT_ENTRY, data: Buffer.from(JSON.stringify(parsed), 'utf8') },
  ]
  for (const f of parsed.files) {
    const data = contents.get(f.entry)
    if (!data) throw new CollectorArchiveError(`No content for ${f.entry}.`)
    entries.push({ name: f.entry, data })
  }
  const manifest = {
    format: COLLECTOR_FORMAT,
    files: entries.map((e) => ({ entry: e.name, sha256: sha256(e.data), bytes: e.data.length })),
  }
  return writeZip([...entries, { name: MANIFEST_ENTRY, data: Buffer.from(JSON.stringify(manifest), 'utf8') }], when)
}

function parseJson(buf: Buffer, name: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new CollectorArchiveError(`The collector file's ${name} is not JSON (${(err as Error).message}).`)
  }
}

function firstIssue(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 2)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)
