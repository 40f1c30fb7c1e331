/**
 * Writes a training fleet to a folder: what Intune, Windows Update for Business reports and the collector give for
 * the same devices, and the generator's truth. Files:
 * `intune-runstates.json` (Graph deviceRunStates page), `intune-runstates.csv` (the Remediations export),
 * `ucupdatealert.csv` and `ucupdatealert.json` (the same alert rows as the portal's CSV and the query API's JSON),
 * `lines.txt` (one -Line per reporting device), `snapshots/<device>.zip` (when asked), `truth.json`.
 */
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import {
  alertsCsv,
  alertsJson,
  deviceArchive,
  graphRunStates,
  intuneExportCsv,
  fleetDevices,
  updateAlerts,
  type CollectedProfile,
  type FleetDevice,
} from './fleet-generator.ts'

export const TRAINING_SCRIPT_ID = '1e1a5a4c-45c0-4e1d-9c4b-5e55e5a5c045'

/** Devices whose files' text is made and written at a time (a whole fleet's text at once took 1.6 GB at 200,000 devices). */
const SLICE = 5_000

/**
 * One file written a slice of devices at a time, the same bytes as its text made whole: the slices' texts with what
 * each repeats (a CSV's header row, a JSON document's head and tail) cut, joined by the document's own separator.
 */
class SliceWriter {
  private fh: FileHandle | null = null
  private any = false
  private tail = ''
  private readonly path: string
  /** A slice's text cut into what the whole file has once at its start (head) and end (tail), and its items (body). */
  private readonly cut: (text: string) => { head: string; body: string; tail: string }
  private readonly separator: string
  /** What the file holds between head and tail when no slice had an item. */
  private readonly whenEmpty: string
  constructor(
    path: string,
    cut: (text: string) => { head: string; body: string; tail: string },
    separator: string,
    whenEmpty = '',
  ) {
    this.path = path
    this.cut = cut
    this.separator = separator
    this.whenEmpty = whenEmpty
  }
  async add(text: string): Promise<void> {
    const { head, body, tail } = this.cut(text)
    if (!this.fh) {
      this.fh = await open(this.path, 'w')
      await this.fh.write(head)
    }
    if (body !== '') {
      await this.fh.write(this.any ? this.separator + body : body)
      this.any = true
    }
    this.tail = tail
  }
  async close(): Promise<void> {
    if (!this.fh) return
    await this.fh.write(this.any ? this.tail : this.whenEmpty + this.tail)
    await this.fh.close()
  }
}

/** A CSV: its header row once (each slice's text begins with it). */
const csvCut = (text: string) => {
  const at = text.indexOf('\r\n') + 2
  return { head: text.slice(0, at), body: text.slice(at), tail: '' }
}
/** A JSON array or an object whose last member is one (`"value": [ … ]`): the items between its brackets. */
const jsonArrayCut = (open: string, close: string) => (text: string) => {
  const at = text.indexOf(open) + open.length
  const end = text.lastIndexOf(close)
  // An empty array is written `[]` whatever the indentation.
  if (at < open.length || end < at) {
    const empty = text.indexOf('[]')
    return { head: text.slice(0, empty + 1), body: '', tail: text.slice(empty + 1) }
  }
  return { head: text.slice(0, at), body: text.slice(at, end), tail: text.slice(end) }
}

export async function writeTrainingFleet(
  dir: string,
  collected: Map<string, CollectedProfile>,
  opts: {
    devices: number
    seed?: number
    snapshots?: boolean
    alertsPerDevice?: number
    /** Devices written at a time (tests give a few, to cross many slices). */
    slice?: number
    /** false: the devices are not given back (only their count), so a large fleet is never held whole. */
    keep?: boolean
  },
): Promise<{ devices: FleetDevice[]; count: number; files: string[] }> {
  const keep = opts.keep !== false
  const devices: FleetDevice[] = []
  let count = 0
  await mkdir(dir, { recursive: true })
  // Each file's text made and written a slice of devices at a time: every row depends only on its own device.
  const files: Record<string, [SliceWriter, (part: readonly FleetDevice[]) => string]> = {
    'intune-runstates.json': [
      new SliceWriter(join(dir, 'intune-runstates.json'), jsonArrayCut('"value": [\n', '\n ]\n}'), ',\n'),
      (part) => graphRunStates(part, TRAINING_SCRIPT_ID),
    ],
    'intune-runstates.csv': [
      new SliceWriter(join(dir, 'intune-runstates.csv'), csvCut, ''),
      (part) => intuneExportCsv(part, TRAINING_SCRIPT_ID),
    ],
    'ucupdatealert.csv': [
      new SliceWriter(join(dir, 'ucupdatealert.csv'), csvCut, ''),
      (part) => alertsCsv(updateAlerts(part, { perDevice: opts.alertsPerDevice ?? 1 })),
    ],
    'ucupdatealert.json': [
      new SliceWriter(join(dir, 'ucupdatealert.json'), jsonArrayCut('[', ']'), ','),
      (part) => alertsJson(updateAlerts(part, { perDevice: opts.alertsPerDevice ?? 1 })),
    ],
    'lines.txt': [
      new SliceWriter(join(dir, 'lines.txt'), (text) => ({ head: '', body: text, tail: '' }), '', '\r\n'),
      (part) =>
        part
          .filter((d) => d.line)
          .map((d) => `${d.line}\r\n`)
          .join(''),
    ],
    'truth.json': [
      new SliceWriter(join(dir, 'truth.json'), jsonArrayCut('[\n', '\n]'), ',\n'),
      (part) =>
        JSON.stringify(
          part.map(({ line: _l, ...d }) => d),
          null,
          1,
        ),
    ],
  }
  const names = Object.keys(files)
  const snapshots = join(dir, 'snapshots')
  if (opts.snapshots) await mkdir(snapshots, { recursive: true })
  const slice = opts.slice ?? SLICE
  let part: FleetDevice[] = []
  const write = async () => {
    for (const [w, text] of Object.values(files)) await w.add(text(part))
    for (const d of opts.snapshots ? part : []) {
      if (!d.reportedAt) continue
      await writeFile(join(snapshots, `${d.name}.zip`), deviceArchive(collected.get(d.profile)!, d.name, d.reportedAt))
      names.push(`snapshots/${d.name}.zip`)
    }
    part = []
  }
  try {
    for (const d of fleetDevices(collected, { devices: opts.devices, seed: opts.seed })) {
      count++
      if (keep) devices.push(d)
      part.push(d)
      if (part.length >= slice) await write()
    }
    if (part.length || count === 0) await write()
  } finally {
    for (const [w] of Object.values(files)) await w.close()
  }
  return { devices, count, files: names }
}
