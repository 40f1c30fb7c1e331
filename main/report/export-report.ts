/**
 * The `exportReport` service: reads the machine (a fresh scan of a live machine, or the imported
 * snapshot), runs the diagnosis, reads the install journals, and renders HTML, JSON or the summary.
 *
 * The diagnosis engine and the file saver are injected: the CLI and the preview bridge have no save
 * dialog (the CLI writes `--out`, the preview page downloads), the Electron main process does.
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { ExportReportInput, ExportReportOutput, Report } from '../../preload/model/report.ts'
import { buildReport } from './build-report.ts'
import { readActions, readRunRecords } from './journals.ts'
import { renderReportHtml } from './html.ts'
import { summaryOf } from './summary.ts'

/** Ranks findings for a snapshot, most likely cause first (the Diagnosis engine, `main/diagnose/`). */
export type DiagnoseForReport = (
  snapshot: MachineSnapshot,
  machine: MachineRef,
) => Promise<{ findings: Finding[]; notes: string[] }>

export interface ReportDeps {
  scan(ref: MachineRef): Promise<MachineSnapshot>
  dataDir: string
  appVersion: string
  /** Absent until the diagnosis engine is wired; the report then says "not diagnosed". */
  diagnose?: DiagnoseForReport
  /** Saves a file where the user chooses (Electron's save dialog); resolves to the path, or null when cancelled. */
  saveFile?: (fileName: string, content: string) => Promise<string | null>
  now?: () => Date
}

export async function makeReport(deps: ReportDeps, machine: MachineRef): Promise<Report> {
  const snapshot = await deps.scan(machine)
  let diagnosis: Report['diagnosis']
  if (deps.diagnose) {
    try {
      const d = await deps.diagnose(snapshot, machine)
      diagnosis = { available: true, findings: d.findings, notes: d.notes }
    } catch (err) {
      diagnosis = { available: false, findings: [], notes: [`The diagnosis failed: ${(err as Error).message}`] }
    }
  } else {
    diagnosis = { available: false, findings: [], notes: ['The diagnosis engine is not part of this build.'] }
  }
  const name =
    snapshot.os.status === 'known' ? (snapshot.os.value.computerName ?? snapshot.origin.name) : snapshot.origin.name
  const os = snapshot.os.status === 'known' ? snapshot.os.value : null
  const { actions, notes, firstFailure } = await readActions(
    deps.dataDir,
    machine,
    name,
    os ? { build: os.build ?? null, ubr: os.ubr ?? null } : null,
  )
  diagnosis.notes.push(...notes)
  const runs = readRunRecords(deps.dataDir, machine, name)
  diagnosis.notes.push(...runs.notes.filter((n) => !notes.includes(n)))
  return buildReport({
    snapshot,
    diagnosis,
    actions,
    runs: runs.runs,
    firstFailure,
    viaSnapshot: machine.kind === 'snapshot',
    appVersion: deps.appVersion,
    now: deps.now?.() ?? new Date(),
  })
}

/** A file name safe on every OS: `servicing-report-<machine>-<yyyy-mm-dd>.<ext>`. */
export function reportFileName(r: Report, ext: string): string {
  const who =
    r.snapshot.origin.name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'machine'
  return `servicing-report-${who}-${r.generatedAt.slice(0, 10)}.${ext}`
}

export async function exportReport(deps: ReportDeps, input: ExportReportInput): Promise<ExportReportOutput> {
  const report = await makeReport(deps, input.machine)
  const summary = summaryOf(report)
  const [fileName, mimeType, content] =
    input.format === 'html'
      ? [reportFileName(report, 'html'), 'text/html', renderReportHtml(report)]
      : input.format === 'json'
        ? [reportFileName(report, 'json'), 'application/json', `${JSON.stringify(report, null, 2)}\n`]
        : [reportFileName(report, 'txt'), 'text/plain', `${summary}\n`]
  let savedPath: string | null = null
  let saveStatus: ExportReportOutput['saveStatus'] = 'not-asked'
  if (input.save) {
    if (!deps.saveFile) saveStatus = 'unavailable'
    else {
      savedPath = await deps.saveFile(fileName, content)
      saveStatus = savedPath ? 'saved' : 'cancelled'
    }
  }
  return {
    fileName,
    mimeType,
    content,
    summary,
    topCause: report.topCause,
    diagnosisAvailable: report.diagnosis.available,
    verificationStatus: report.verification.status,
    savedPath,
    saveStatus,
  }
}
