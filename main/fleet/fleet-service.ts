/**
 * The fleet as a service the CLI (and later the app) calls: import a file or a folder (each export by its kind,
 * collected files, a list of computers reached over the remote transport), diagnose, group, show one device, build
 * the fix of a group, write the report. The single-PC parts it needs (diagnosing a collected file, collecting from
 * a PC, planning a repair on a collected file) come in as functions from the composition root.
 */
import { readdir, stat, lstat, mkdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Observation, IntakeResult } from '../../preload/model/fleet.ts'
import type { RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import { FleetStore, defaultFleetFile, type ImportSession } from './store.ts'
import { kindOfHead, type IntakeKind } from './intake/detect.ts'
import { SIGN_SCRIPT_NAME, signScriptsScript, signingThumbprint } from '../security/script-signing.ts'
import { openExport, openZippedExport, ExportRefused, wholeText } from './intake/source.ts'
import { readExport, IMPORT_BATCH, IMPORT_PART } from './intake/read-export.ts'
import { SAFEGUARD_HOLD } from './service-alerts.ts'
import type { ImportKind } from './import-kinds.ts'
import type { ImportProgress } from './import-progress.ts'
import { readSnapshotFolder, type DiagnoseFile } from './snapshot-intake.ts'
import { readComputerList } from './intake/computer-list.ts'
import {
  detectionScript,
  remediationScript,
  configMgrScript,
  cmPivotQuery,
  fanOutScript,
  intuneSettings,
  intuneScriptText,
  DEVICE_SIDE_REPAIRS,
  deviceSidePlan,
  type FleetPackage,
  type GroupPlan,
} from './fix.ts'
import { checkpointStatus } from '../knowledge/servicing-chains.ts'
import { fleetReportCsv, fleetReportHtml, fleetReportJson, type FleetReportData } from './report.ts'
import { NO_PROBLEM, NOT_REPORTED, REPORTED } from './cause.ts'
import { heldCause } from './alert-subtypes.ts'
import { FLEET_ONLY_REPAIRS, causeTestBlock } from './detect-cause.ts'
import { writeCollectorFile } from './collected-files.ts'

export interface FleetDeps {
  dataDir: string
  /** The store: a SQLite file (by default `<data>/fleet/fleet.sqlite`) or a `postgres://` connection string. */
  file?: string
  appVersion: string
  diagnoseFile: DiagnoseFile
  /** The collector's zip from a computer over the remote transport (`training:<machine>` for a training machine). */
  collect?: (computer: string) => Promise<Buffer>
  /** The repair plan of a collected file's PC (main/repair's planForPc on it), or null when not offered. */
  planRepair?: (
    zipPath: string,
    repairId: string,
  ) => Promise<{ plan: RepairPlan; env: RepairEnv; machineName: string } | null>
  /**
   * A Catalog file a device-side remediation fetches on each device (the missing checkpoint): looked up, not
   * downloaded, where the fix is built — its URL on the Catalog's file host and its published hashes.
   */
  packageOf?: (kb: string, arch: 'x64' | 'arm64' | 'x86') => Promise<FleetPackage | null>
}

export interface ImportSummary {
  files: {
    file: string
    kind: string
    observations: number
    added: number
    duplicates: number
    rejected: number
    notes: string[]
  }[]
  devices: number
  newDevices: number
  diagnoses: number
  rejected: { file: string; row: number; error: string }[]
}

function mergeInto(a: ImportSummary, b: ImportSummary): void {
  a.files.push(...b.files)
  a.newDevices += b.newDevices
  a.rejected.push(...b.rejected)
}

export { IMPORT_KINDS, type ImportKind } from './import-kinds.ts'

export function createFleet(deps: FleetDeps) {
  const store = new FleetStore(deps.file ?? defaultFleetFile(deps.dataDir))

  async function importPath(
    path: string,
    opts: { kind?: ImportKind; throttle?: number; onProgress?: (p: ImportProgress) => void } = {},
  ): Promise<ImportSummary> {
    const sum: ImportSummary = { files: [], devices: 0, newDevices: 0, diagnoses: 0, rejected: [] }
    const st = await stat(path)
    const add = async (file: string, r: IntakeResult, diagKeys?: Map<Observation, string>) => {
      const a = await store.addObservations(r.observations, { file, kind: r.kind, rejected: r.rejected, diagKeys })
      sum.files.push({
        file,
        kind: r.kind,
        observations: r.observations.length,
        added: a.added,
        duplicates: a.duplicates,
        rejected: r.rejected.length,
        notes: r.notes,
      })
      sum.newDevices += a.devices
      for (const x of r.rejected) sum.rejected.push({ file, row: x.row, error: x.error })
    }
    const snapshotsIn = async (dir: string) => {
      const r = await readSnapshotFolder(dir, deps.diagnoseFile, {
        known: (k) => store.hasDiagnosis(k),
        onFile: (done, total) => opts.onProgress?.({ phase: 'files', file: dir, rows: done, total }),
      })
      for (const [k, d] of r.diagnoses) await store.putDiagnosis(k, d)
      if (r.observations.length || r.rejected.length) await add(dir, r, r.diagKeys)
      // A report's export .zip (one CSV inside, as Intune's export job gives it) beside the collected files: read as that export.
      for (const z of r.exports) await importFile(z, true, undefined, true)
    }
    // One file: opened (a regular file, within its bound, a folder's own), read in batches, each batch stored in its transaction.
    const importFile = async (f: string, inFolder: boolean, kind?: IntakeKind, zipExport = false) => {
      let opened: Awaited<ReturnType<typeof openExport>>
      try {
        opened = await openExport(f, { inFolder })
      } catch (err) {
        if (!inFolder || !(err instanceof ExportRefused)) throw err
        sum.files.push({
          file: f,
          kind: 'unknown',
          observations: 0,
          added: 0,
          duplicates: 0,
          rejected: 0,
          notes: [`Not read: ${err.message}.`],
        })
        return
      }
      const session: ImportSession = { batch: IMPORT_BATCH }
      const entry = {
        file: f,
        kind: 'unknown',
        observations: 0,
        added: 0,
        duplicates: 0,
        rejected: 0,
        notes: [] as string[],
      }
      // A .zip named on its own is Intune's export (one CSV inside); in a folder, .zip files are collected files.
      let cleanup: (() => Promise<void>) | null = null
      if (opened.encoding === 'zip' && (!inFolder || zipExport)) {
        try {
          const z = await openZippedExport(opened, kind ? undefined : kindOfHead)
          await opened.fh.close()
          opened = z.opened
          cleanup = z.cleanup
        } catch (err) {
          await opened.fh.close()
          throw err
        }
        entry.notes.push(`Read ${basename(opened.path)} from the .zip.`)
      }
      const where = opened.path
      try {
        await readExport(
          opened,
          kind,
          async (part) => {
            const a = await store.addObservations(part.observations, {
              file: f,
              kind: part.kind,
              rejected: part.rejected,
              session,
            })
            opts.onProgress?.({
              phase: 'rows',
              file: where,
              rows: entry.observations + entry.rejected + part.observations.length + part.rejected.length,
            })
            entry.kind = part.kind
            entry.observations += part.observations.length
            entry.added += a.added
            entry.duplicates += a.duplicates
            entry.rejected += part.rejected.length
            entry.notes.push(...part.notes)
            sum.newDevices += a.devices
            for (const x of part.rejected) sum.rejected.push({ file: where, row: x.row, error: x.error })
          },
          IMPORT_PART,
        )
        await store.endImport(session)
        sum.files.push(entry)
      } catch (err) {
        // The batch being written is not kept (the batches before it are), as when a batch was read whole before it was written.
        await store.endImport(session, false)
        if (!inFolder || !(err instanceof ExportRefused)) throw err
        sum.files.push({ ...entry, notes: [...entry.notes, `Skipped: ${err.message}`] })
      } finally {
        await opened.fh.close().catch(() => undefined)
        await cleanup?.()
      }
    }
    if (st.isDirectory()) {
      if (opts.kind && opts.kind !== 'snapshots')
        throw new Error(
          `A folder is read as collected files and exports by their contents; --kind ${opts.kind} needs a file.`,
        )
      const names = (await readdir(path)).sort()
      if (names.some((n) => /\.zip$/i.test(n))) await snapshotsIn(path)
      for (const n of names) {
        if (/\.zip$/i.test(n) || /^truth\.json$/i.test(n)) continue
        const f = join(path, n)
        const fst = await lstat(f)
        // Only what the folder itself holds: a link (to a file, a folder or a device elsewhere) is not followed.
        if (fst.isSymbolicLink()) {
          sum.files.push({
            file: f,
            kind: 'unknown',
            observations: 0,
            added: 0,
            duplicates: 0,
            rejected: 0,
            notes: [`Not read: ${n} is a link: links are not followed out of the folder (copy the file itself in).`],
          })
          continue
        }
        if (fst.isDirectory()) {
          const sub = await importPath(f, { onProgress: opts.onProgress })
          mergeInto(sum, sub)
          continue
        }
        if (!fst.isFile()) {
          sum.files.push({
            file: f,
            kind: 'unknown',
            observations: 0,
            added: 0,
            duplicates: 0,
            rejected: 0,
            notes: [`Not read: ${n} is not a regular file.`],
          })
          continue
        }
        await importFile(f, true)
      }
    } else if (opts.kind === 'snapshots') {
      throw new Error('Collected files are read from a folder: give the folder that holds the zips.')
    } else if (opts.kind === 'computers' || (!opts.kind && (await isComputerListFile(path)))) {
      // A list of computer names is told by its lines (names, comments), as an export is by its header: no --kind needed.
      await fanOut(path, opts.throttle ?? 8, add, opts.onProgress)
    } else {
      await importFile(path, false, opts.kind as IntakeKind | undefined)
    }
    opts.onProgress?.({ phase: 'states', file: path, rows: 0 })
    const r = await store.refresh((done, total) =>
      opts.onProgress?.({ phase: 'states', file: path, rows: done, total }),
    )
    sum.devices = r.devices
    sum.diagnoses = r.diagnoses
    return sum
  }

  /** Whether a file is a list of computers (every line one name or a comment) and no export. */
  async function isComputerListFile(file: string): Promise<boolean> {
    let opened: Awaited<ReturnType<typeof openExport>>
    try {
      opened = await openExport(file, { max: 16 * 1024 ** 2 })
    } catch {
      return false
    }
    try {
      if (opened.encoding === 'zip' || opened.encoding === 'binary' || opened.size > 16 * 1024 ** 2) return false
      if (kindOfHead(opened.headText)) return false
      // One name a line (a table's rows hold commas: a comma-separated list needs --kind computers).
      const text = await wholeText(opened)
      if (text.split(/\r\n|\r|\n/).some((l) => l.replace(/#.*$/, '').includes(','))) return false
      const list = readComputerList(text)
      return list.names.length > 0 && list.rejected.length === 0
    } finally {
      await opened.fh.close()
    }
  }

  /** Each computer of the list collected over the remote transport (a few at a time), its file diagnosed like a dropped one. */
  async function fanOut(
    listFile: string,
    throttle: number,
    add: (file: string, r: IntakeResult, keys?: Map<Observation, string>) => Promise<void>,
    onProgress?: (p: ImportProgress) => void,
  ) {
    if (!deps.collect) throw new Error('Reaching computers needs the remote transport (not available here).')
    const opened = await openExport(listFile, { max: 16 * 1024 ** 2 })
    let text: string
    try {
      text = await wholeText(opened)
    } finally {
      await opened.fh.close()
    }
    const list = readComputerList(text)
    const dir = join(deps.dataDir, 'fleet', 'collected')
    await mkdir(dir, { recursive: true })
    const failed: IntakeResult = { kind: 'fan-out', observations: [], rejected: [...list.rejected], notes: [] }
    let next = 0
    let reached = 0
    const worker = async () => {
      while (next < list.names.length) {
        if (reached) onProgress?.({ phase: 'computers', file: listFile, rows: reached, total: list.names.length })
        const i = next++
        const { name, row } = list.names[i]!
        try {
          const zip = await deps.collect!(name)
          await writeCollectorFile(dir, zip)
        } catch (err) {
          failed.rejected.push({ row, error: `${name}: ${(err as Error).message}`, raw: name })
        }
        reached++
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(throttle, list.names.length)) }, worker))
    const r = await readSnapshotFolder(dir, deps.diagnoseFile, {
      known: (k) => store.hasDiagnosis(k),
      onFile: (done, total) => onProgress?.({ phase: 'files', file: dir, rows: done, total }),
    })
    for (const [k, d] of r.diagnoses) await store.putDiagnosis(k, d)
    const keys = new Map<Observation, string>()
    const obs = r.observations.map((o) => {
      const x = { ...o, source: 'fan-out' as const }
      keys.set(x, r.diagKeys.get(o)!)
      return x
    })
    await add(
      listFile,
      { ...r, kind: 'fan-out', observations: obs, rejected: [...r.rejected, ...failed.rejected] },
      keys,
    )
  }

  async function report(): Promise<FleetReportData> {
    return { createdAt: new Date().toISOString(), groups: await store.groups(), devices: await store.allDevices() }
  }

  async function writeReport(out: string): Promise<void> {
    const d = await report()
    const text = /\.json$/i.test(out)
      ? fleetReportJson(d)
      : /\.csv$/i.test(out)
        ? fleetReportCsv(d)
        : fleetReportHtml(d)
    await writeFile(out, text, 'utf8')
  }

  /** The group's fix files; the fix is recorded so that later evidence can prove each device fixed. */
  /** The checkpoint a device of the plan's build needs, for its native architecture, as the Catalog publishes it. */
  async function withCheckpointPackage(plan: GroupPlan, notes: string[]): Promise<void> {
    const [b, u] = plan.build.split('.').map(Number)
    const kb = checkpointStatus(b ?? null, u ?? null).kb
    const arch = /arm64/i.test(plan.arch)
      ? 'arm64'
      : /amd64|x64/i.test(plan.arch)
        ? 'x64'
        : /x86/i.test(plan.arch)
          ? 'x86'
          : null
    if (!kb || !arch) {
      plan.packageProblem = `no checkpoint is known for build ${plan.build} on ${plan.arch}`
      notes.push(
        `Build ${plan.build} (${plan.arch}): ${plan.packageProblem}; its devices are refused with that reason.`,
      )
      return
    }
    if (!deps.packageOf) {
      plan.packageProblem = `the Catalog was not asked for ${kb} (${arch}) when this fix was built`
      notes.push(`Build ${plan.build} (${plan.arch}): ${plan.packageProblem}.`)
      return
    }
    try {
      plan.package = await deps.packageOf(kb, arch)
      if (!plan.package) plan.packageProblem = `the Microsoft Update Catalog lists no ${kb} file for ${arch}`
    } catch (err) {
      plan.packageProblem = `the Microsoft Update Catalog could not be asked for ${kb} (${arch}): ${(err as Error).message}`
    }
    notes.push(
      plan.package
        ? `Build ${plan.build} (${plan.arch}): ${plan.package.fileName}, fetched on each device from ${new URL(plan.package.url).host} and checked against its published ${plan.package.sha256 ? 'SHA-256 and SHA-1' : 'SHA-1'}; or put the file beside Remediate.ps1 in a Win32 app or ConfigMgr package (checked the same way).`
        : `Build ${plan.build} (${plan.arch}): ${plan.packageProblem}; its devices are refused with that reason.`,
    )
  }

  async function buildFix(
    cause: string,
    outDir: string,
    opts: { record?: boolean; signCert?: string } = {},
  ): Promise<{ files: string[]; devices: number; notes: string[] }> {
    // A code-signing certificate (--sign-cert, or SERVICING_DESK_SIGN_CERT): checked before anything is written.
    let thumbprint: string | null
    try {
      thumbprint = signingThumbprint(opts.signCert)
    } catch (err) {
      throw new Error((err as Error).message)
    }
    const g = (await store.groups()).find((x) => x.cause === cause)
    if (!g || cause === NO_PROBLEM || cause === NOT_REPORTED || cause === REPORTED)
      throw new Error(`No group of failing devices named '${cause}'. See: fleet groups.`)
    if (cause === SAFEGUARD_HOLD)
      throw new Error(
        'Nothing on these devices to fix: Microsoft holds the update back from them on purpose (a safeguard hold). They get it when Microsoft releases the hold. See: fleet groups.',
      )
    if (heldCause(cause))
      throw new Error(
        `Nothing on these devices to fix: ${g.title.charAt(0).toLowerCase()}${g.title.slice(1)} — a state of the deployment service, not of the PCs. See: fleet groups.`,
      )
    const notes: string[] = []
    const devices = await store.devicesOf(cause, { state: 'failing' })
    // The cause as the device tests it on itself (never its failure code alone); none: the scripts only report.
    const test = causeTestBlock(cause, { builds: Object.keys(g.builds) })
    if (!test)
      notes.push(
        "The app cannot test this cause on a device by itself: Detect.ps1 reports the device's line and never asks for a remediation; import the collected files to see which devices have it.",
      )
    const plans: GroupPlan[] = []
    // A cause whose fix is the fleet's own (no single-PC repair in the diagnosis): an installer that failed.
    const fleetOnly = g.repair ? null : (FLEET_ONLY_REPAIRS[cause] ?? null)
    const deviceSide = fleetOnly ?? (g.repair && DEVICE_SIDE_REPAIRS.has(g.repair) ? g.repair : null)
    if (deviceSide) {
      // Decided on each device from its own state (no plan from one device's evidence): one per build and architecture.
      for (const [build, file, arch] of await store.representativeFiles(cause)) {
        const plan = deviceSidePlan(deviceSide, build, arch, file)
        if (deviceSide === 'install-checkpoint') await withCheckpointPackage(plan, notes)
        plans.push(plan)
      }
      if (deviceSide === 'installer-fix' && plans.length)
        notes.push(
          "On each device: where Task Scheduler's cache shows the SecureBootEncodeUEFI task corrupted, Microsoft's fix for 0x800F0922 (staged packages removed, the task's cache entries kept with reg export and deleted); where CBS.log names another installer, nothing is changed and Remediate.ps1 exits 1 naming it (Microsoft documents no fix a script could run for it).",
        )
      const builds = Object.keys(g.builds).filter((b) => !plans.some((p) => p.build === b))
      if (builds.length)
        notes.push(
          `No collected file for build(s) ${builds.join(', ')} of this group: the remediation skips those devices. Collect one from each (scan --out, or fleet import of a computer list).`,
        )
    } else if (g.repair && deps.planRepair) {
      for (const [build, file, arch] of await store.representativeFiles(cause)) {
        try {
          const p = await deps.planRepair(file, g.repair)
          if (p) plans.push({ build, arch, ...p })
          else notes.push(`The repair is not offered for the collected file of build ${build}.`)
        } catch (err) {
          notes.push(`Build ${build}: ${(err as Error).message}`)
        }
      }
      const builds = Object.keys(g.builds).filter((b) => !plans.some((p) => p.build === b))
      if (builds.length)
        notes.push(
          `No collected file for build(s) ${builds.join(', ')} of this group: the remediation skips those devices. Collect one from each (scan --out, or fleet import of a computer list).`,
        )
    } else
      notes.push(
        g.repair
          ? 'No repair planner here.'
          : "The app has no repair it runs for this cause: the scripts find the devices and report back; the fix is done by hand (see the group's remedies in fleet device).",
      )
    await mkdir(outDir, { recursive: true })
    const files: Record<string, string> = {
      'Detect.ps1': intuneScriptText(detectionScript(deps.appVersion, test)),
      'ConfigMgr-Collect.ps1': detectionScript(deps.appVersion, null, { exitCode: false }),
      // The group's devices by name (each by its own diagnosis); not by a failure code in the line, which two causes share.
      'CMPivot.kql': cmPivotQuery(
        devices.map((d) => d.name),
        null,
      ),
      'FanOut.ps1': fanOutScript(),
      'computers.txt': `${devices.map((d) => d.name).join('\r\n')}\r\n`,
    }
    if (plans.length && test) {
      const rem = intuneScriptText(remediationScript(plans, cause, test))
      files['Remediate.ps1'] = rem
      files['ConfigMgr-Fix.ps1'] = configMgrScript(rem)
      files['intune-remediation.json'] = intuneSettings(cause, g.title, files['Detect.ps1']!, rem, {
        signed: thumbprint !== null,
      })
    }
    if (thumbprint) {
      const scripts = Object.keys(files).filter((n) => n.endsWith('.ps1'))
      files[SIGN_SCRIPT_NAME] = signScriptsScript(
        thumbprint,
        scripts,
        files['intune-remediation.json'] ? 'intune-remediation.json' : null,
      )
      notes.push(
        `Signing: run ${SIGN_SCRIPT_NAME} in this folder on the Windows PC that holds the certificate ${thumbprint} before uploading or copying the scripts; it signs ${scripts.join(', ')} (Authenticode, SHA-256) and puts the signed scripts into intune-remediation.json, whose signature check is on.`,
      )
    }
    for (const [n, c] of Object.entries(files)) await writeFile(join(outDir, n), c, 'utf8')
    if (opts.record !== false) await store.recordFix(cause, outDir, g.codes)
    return { files: Object.keys(files), devices: devices.length, notes }
  }

  return { store, ready: () => store.ready, importPath, report, writeReport, buildFix, close: () => store.close() }
}

export type Fleet = ReturnType<typeof createFleet>
