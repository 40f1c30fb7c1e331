/**
 * One export file read from its path to its last batch, each step told as a message: opened (and from which .zip),
 * each batch of observations, the end, or where it failed. The same reading runs in a worker thread (read-worker.ts,
 * so the files are parsed on one core while the store writes on the other) and in-process for a build that did not
 * ship the worker; fleet import handles the messages the same either way.
 */
import { basename } from 'node:path'
import type { IntakeResult, Observation } from '../../../preload/model/fleet.ts'
import { kindOfHead, type IntakeKind } from './detect.ts'
import { ExportRefused, openExport, openZippedExport, type OpenedExport } from './source.ts'
import { IMPORT_PART, readExport } from './read-export.ts'

export interface ReadFileRequest {
  file: string
  /** A file found in a folder (links refused; a .zip there is a collected file unless `zipExport`). */
  inFolder: boolean
  kind?: IntakeKind
  /** A report's export .zip beside collected files: read as that export. */
  zipExport?: boolean
}

export type ReadFileMessage =
  /** `path`: what the rows are read from (`<zip>/<entry>` for an export .zip); `zipEntry`: that entry's name. */
  | { type: 'opened'; path: string; zipEntry: string | null }
  | { type: 'part'; part: IntakeResult }
  /** A part as the worker posts it (unpacked before fleet import sees it). */
  | { type: 'packed'; part: PackedPart }
  | { type: 'done' }
  /**
   * `stage`: 'open' (the file itself refused: in a folder it is noted and skipped), 'zip' (its .zip refused: the
   * import stops, as it always has), 'read' (refused while read: the batches before are kept).
   */
  | { type: 'failed'; stage: 'open' | 'zip' | 'read'; refused: boolean; message: string; stack?: string }

const failure = (stage: 'open' | 'zip' | 'read', err: unknown): ReadFileMessage => ({
  type: 'failed',
  stage,
  refused: err instanceof ExportRefused,
  message: err instanceof Error ? err.message : String(err),
  stack: err instanceof Error ? err.stack : undefined,
})

/** The error a failure message stands for (an ExportRefused stays one, so a folder's import notes it and goes on). */
export function failureError(m: Extract<ReadFileMessage, { type: 'failed' }>): Error {
  const e = m.refused ? new ExportRefused(m.message) : new Error(m.message)
  if (m.stack && !m.refused) e.stack = m.stack
  return e
}

/**
 * Reads `req.file`, telling each step to `send`; a part's send resolves when the reader may go on (the caller's
 * back-pressure). Never throws: a failure is its last message.
 */
export async function readFileParts(
  req: ReadFileRequest,
  send: (m: ReadFileMessage) => void | Promise<void>,
): Promise<void> {
  let opened: OpenedExport
  try {
    opened = await openExport(req.file, { inFolder: req.inFolder })
  } catch (err) {
    await send(failure('open', err))
    return
  }
  // A .zip named on its own is Intune's export (one CSV inside); in a folder, .zip files are collected files.
  let cleanup: (() => Promise<void>) | null = null
  let zipEntry: string | null = null
  if (opened.encoding === 'zip' && (!req.inFolder || req.zipExport)) {
    try {
      const z = await openZippedExport(opened, req.kind ? undefined : kindOfHead)
      await opened.fh.close()
      opened = z.opened
      cleanup = z.cleanup
      zipEntry = basename(opened.path)
    } catch (err) {
      await opened.fh.close()
      await send(failure('zip', err))
      return
    }
  }
  try {
    await send({ type: 'opened', path: opened.path, zipEntry })
    await readExport(opened, req.kind, async (part) => await send({ type: 'part', part }), IMPORT_PART)
    await send({ type: 'done' })
  } catch (err) {
    await send(failure('read', err))
  } finally {
    await opened.fh.close().catch(() => undefined)
    await cleanup?.()
  }
}

/**
 * A batch as it crosses between threads: each observation's fields as columns (arrays of strings), not an object
 * each. Structured clone writes every property's name with every object; columns send each value alone (at 200,000
 * devices the objects cost ~2 s more CPU across the two threads than reading on one).
 */
export interface PackedPart {
  kind: string
  rejected: IntakeResult['rejected']
  notes: string[]
  name: string[]
  aadId: (string | null)[]
  intuneId: (string | null)[]
  source: Observation['source'][]
  at: string[]
  obsKind: Observation['kind'][]
  line: (string | null)[]
  /** Each observation's codes joined by ',' (a code is 0x and eight hex digits: never a comma). */
  codes: string[]
  status: Observation['status'][]
  file: (string | null)[]
  detail: string[]
}

export function packPart(p: IntakeResult): PackedPart {
  const n = p.observations.length
  const out: PackedPart = {
    kind: p.kind,
    rejected: p.rejected,
    notes: p.notes,
    name: new Array(n),
    aadId: new Array(n),
    intuneId: new Array(n),
    source: new Array(n),
    at: new Array(n),
    obsKind: new Array(n),
    line: new Array(n),
    codes: new Array(n),
    status: new Array(n),
    file: new Array(n),
    detail: new Array(n),
  }
  for (let i = 0; i < n; i++) {
    const o = p.observations[i]!
    out.name[i] = o.device.name
    out.aadId[i] = o.device.aadId
    out.intuneId[i] = o.device.intuneId
    out.source[i] = o.source
    out.at[i] = o.at
    out.obsKind[i] = o.kind
    out.line[i] = o.line
    out.codes[i] = o.codes.join(',')
    out.status[i] = o.status
    out.file[i] = o.file
    out.detail[i] = o.detail
  }
  return out
}

export function unpackPart(p: PackedPart): IntakeResult {
  const n = p.name.length
  const observations: Observation[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const codes = p.codes[i]!
    observations[i] = {
      device: { name: p.name[i]!, aadId: p.aadId[i]!, intuneId: p.intuneId[i]! },
      source: p.source[i]!,
      at: p.at[i]!,
      kind: p.obsKind[i]!,
      line: p.line[i]!,
      codes: codes ? codes.split(',') : [],
      status: p.status[i]!,
      file: p.file[i]!,
      detail: p.detail[i]!,
    }
  }
  return { kind: p.kind, observations, rejected: p.rejected, notes: p.notes }
}
