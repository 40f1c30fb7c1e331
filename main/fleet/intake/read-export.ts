/**
 * One export file read as it is stored, handed on in batches: collector lines and CSV exports a record at a time
 * (csv-parse), JSON (Graph pages, Log Analytics results) whole up to its bound. Each batch is an IntakeResult of at
 * most `batch` observations with the rows set aside meanwhile; the caller stores them in transactions of
 * IMPORT_BATCH rows (fleet import: parts of IMPORT_PART rows, a transaction held open across a batch's parts), so
 * neither the file nor its rows are ever in memory at once.
 */
import { basename } from 'node:path'
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { emptyIntake, reject } from './common.ts'
import { fileLineObservation, unvouchedNote } from './collector-lines.ts'
import { intuneCsvMissing, intuneCsvRow } from './intune-csv.ts'
import { alertRow, statusRow, csvRow, columnName } from './wufb.ts'
import { featureFailureRow } from './intune-reports.ts'
import {
  historyState,
  intuneUpdateErrorRow,
  intuneUpdateStateRow,
  isTypeLine,
  serviceStatusRow,
  updateEventRow,
  complianceRow,
  wuHistoryRow,
} from './windows-exports.ts'
import { describeUnknown, detectKind, kindOfHead, readIntake, type IntakeKind } from './detect.ts'
import {
  ExportRefused,
  csvInput,
  csvRecordsOf,
  encodingWords,
  linesOf,
  textChunks,
  wholeText,
  type OpenedExport,
} from './source.ts'

const SOURCE_OF: Record<IntakeKind, string> = {
  lines: 'collector-line',
  'intune-graph': 'intune-graph',
  'intune-csv': 'intune-csv',
  'intune-feature-failures': 'intune-report',
  alerts: 'uc-update-alert',
  'update-status': 'uc-client-update-status',
  'service-status': 'uc-service-update-status',
  'intune-update-state': 'intune-report',
  'intune-update-errors': 'intune-report',
  'wu-history': 'wu-history',
  'update-events': 'event-log',
  'update-compliance': 'configmgr',
}

/** Rows stored in one transaction. */
export const IMPORT_BATCH = 20_000
/** Rows handed over at a time (a batch's parts go into its one transaction as they are read). */
export const IMPORT_PART = 1_000

/** Reads the file as `kind` (or the kind its header or JSON shape tells), handing each batch to `emit`. */
export async function readExport(
  f: OpenedExport,
  kind: IntakeKind | undefined,
  emit: (part: IntakeResult) => Promise<void>,
  batch = IMPORT_BATCH,
): Promise<{ kind: IntakeKind }> {
  const name = basename(f.path)
  if (f.encoding === 'zip')
    throw new ExportRefused(
      `${name} is a ZIP archive: import it on its own (fleet import FILE.zip reads the Intune export's one CSV), or import the folder of collected .zip files`,
    )
  if (f.encoding === 'binary')
    throw new ExportRefused(`${name} is binary data (zero bytes where text has none), not an export`)
  const head = f.headText.trimStart()
  const json = head.startsWith('{') || head.startsWith('[')
  const first = emptyIntake(SOURCE_OF[kind ?? 'lines'])
  if (f.encoding !== 'utf8') first.notes.push(`Read as ${encodingWords(f.encoding)}.`)
  if (json) {
    const text = await wholeText(f)
    const k = kind ?? detectKind(text)
    if (!k) throw new ExportRefused(`Cannot tell what ${name} is. ${describeUnknown(text)}`)
    const r = readIntake(k, text)
    r.notes.unshift(...first.notes)
    for (let i = 0; i === 0 || i < r.observations.length; i += batch) {
      await emit({
        kind: r.kind,
        observations: r.observations.slice(i, i + batch),
        rejected: i === 0 ? r.rejected : [],
        notes: i === 0 ? r.notes : [],
      })
    }
    return { kind: k }
  }
  const k = kind ?? kindOfHead(f.headText)
  if (!k) throw new ExportRefused(`Cannot tell what ${name} is. ${describeUnknown(f.headText)}`)
  if (k === 'intune-graph')
    throw new ExportRefused(`${name} is not JSON: Graph's run states are JSON (save the response as it came)`)
  let out: IntakeResult = { ...first, kind: SOURCE_OF[k] }
  const flush = async () => {
    await emit(out)
    out = emptyIntake(out.kind)
  }
  if (k === 'lines') {
    let unvouched = 0
    for await (const part of linesOf(textChunks(f))) {
      for (const l of part) {
        if (!l.text.trim()) continue
        if (l.tooLong) {
          reject(out, l.line, 'a line longer than any collector line', l.text.slice(0, 200))
          continue
        }
        const o = fileLineObservation(l.text, 'collector-line')
        if ('error' in o) reject(out, l.line, o.error, l.text)
        else {
          if (!o.vouched) unvouched++
          out.observations.push(o.value)
          if (out.observations.length >= batch) await flush()
        }
      }
    }
    if (unvouched) out.notes.push(unvouchedNote(unvouched))
    await flush()
    return { kind: k }
  }
  let header: string[] | null = null
  let index = new Map<string, number>()
  const history = historyState()
  read: for await (const part of csvRecordsOf(csvInput(f))) {
    for (const r of part) {
      if ('error' in r) {
        reject(out, r.line, r.error, '')
        continue
      }
      if (!header) {
        // Windows PowerShell 5.1's Export-Csv: `#TYPE <type name>` above the header (counted as the file's first line).
        if (r.fields.length === 1 && isTypeLine(r.fields[0]!)) continue
        header = r.fields.map((h) => h.trim())
        index = new Map(header.map((h, i) => [columnName(h), i]))
        if (k === 'intune-csv') {
          const missing = intuneCsvMissing(header)
          if (missing) {
            out.notes.push(missing)
            break read
          }
        }
        continue
      }
      if (k === 'intune-csv')
        intuneCsvRow(
          (c) => r.fields[index.get(c) ?? -1] ?? '',
          r.line,
          r.fields.length,
          header.length,
          r.fields.join(','),
          out,
        )
      else if (k === 'alerts') alertRow(csvRow(index, r.fields, r.line), out)
      else if (k === 'intune-feature-failures') featureFailureRow(csvRow(index, r.fields, r.line), out)
      else if (k === 'service-status') serviceStatusRow(csvRow(index, r.fields, r.line), out)
      else if (k === 'intune-update-state') intuneUpdateStateRow(csvRow(index, r.fields, r.line), out)
      else if (k === 'intune-update-errors') intuneUpdateErrorRow(csvRow(index, r.fields, r.line), out)
      else if (k === 'wu-history') wuHistoryRow(csvRow(index, r.fields, r.line), out, history)
      else if (k === 'update-events') updateEventRow(csvRow(index, r.fields, r.line), out)
      else if (k === 'update-compliance') complianceRow(csvRow(index, r.fields, r.line), out)
      else statusRow(csvRow(index, r.fields, r.line), out)
      if (out.observations.length >= batch) await flush()
    }
  }
  await flush()
  return { kind: k }
}
