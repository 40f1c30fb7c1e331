/**
 * The contract handlers of the Fleet screen (preload/model/fleet-calls.ts); `main/handlers.ts` spreads them in, so
 * the Electron window and the preview bridge serve the same. Two fleets: `yours` is the store the CLI's `fleet import`
 * fills (`<data>/fleet/fleet.sqlite`); `training` is its own store under `<data>/fleet/training/`, made fresh by each
 * training import (the generator's exports written there, then read by the same intake as real ones), so practice
 * never mixes with real devices. The page names no path: a group's fix goes to a folder main's dialog picked.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Fleet } from './fleet-service.ts'
import { newestFixes, deviceWindow, fixesOfDevice, fleetFacets } from './fleet-view.ts'
import { fleetReportCsv, fleetReportHtml, fleetReportJson } from './report.ts'
import { whyOf } from './why.ts'
import {
  collectProfilesScratch,
  deviceArchive,
  intuneExportCsv,
  makeFleet,
  seeded,
  updateAlerts,
  alertsCsv,
  type CollectedProfile,
  type FleetDevice,
} from './training/fleet-generator.ts'
import { TRAINING_SCRIPT_ID } from './training/write-fleet.ts'
import { AppError } from '../errors.ts'
import type { EventName, EventPayload } from '../../preload/contract.ts'
import type {
  FleetName,
  FleetOverview,
  FleetDevices,
  FleetDeviceTimeline,
  FleetImportOutput,
  FleetBuildFixOutput,
  FleetDeviceState,
} from '../../preload/model/fleet-calls.ts'
import type { FleetSource } from '../../preload/model/fleet.ts'

interface Ctx {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void
}

export interface FleetHandlerDeps {
  dataDir: string
  /** A fleet service on a store file, wired to the single-PC services (the CLI's wiring). */
  open: (file: string) => Promise<Fleet>
  /** Every training profile collected again after `repairId` ran on those training machines (scratch copies, never the person's). */
  collectAfterRepair: (repairId: string, profiles: readonly string[]) => Promise<Map<string, CollectedProfile>>
  /** The path behind a folder handle picked for `fleet-fix`. */
  fixFolder: (handle: string) => string
  saveFile?: (fileName: string, content: string) => Promise<string | null>
}

/** What each fix file is for, and how the admin's tool takes it. */
export const FIX_FILE_WORDS: Readonly<Record<string, string>> = {
  'Detect.ps1':
    'Intune Remediations, detection script: prints the device’s one-line summary (what Intune keeps) and reports the device as having the problem while that line shows this group’s cause.',
  'Remediate.ps1':
    'Intune Remediations, remediation script: runs the repair as SYSTEM in 64-bit PowerShell, only on the build and architecture it was planned for, and never restarts the PC (it says when a restart is needed).',
  'intune-remediation.json':
    'The same pair as Intune’s remediation settings (64-bit, run as system), ready to post with Microsoft Graph.',
  'ConfigMgr-Fix.ps1':
    'Configuration Manager, Run Scripts: the same repair, its output cut to the last 4,000 characters that Run Scripts keeps.',
  'ConfigMgr-Collect.ps1':
    'Configuration Manager, Run Scripts: prints each device’s one-line summary, for importing here afterwards.',
  'CMPivot.kql':
    'CMPivot query: finds this group’s devices by name, and any device whose last summary line shows the cause.',
  'FanOut.ps1':
    'PowerShell remoting: runs the repair on every computer in computers.txt a few at a time, then saves each one’s summary line for importing here.',
  'computers.txt': 'The names of the devices failing with this cause now, one a line.',
}

const TRAINING_DIR = (dataDir: string) => join(dataDir, 'fleet', 'training')
const STATES: ReadonlySet<string> = new Set([
  'failing',
  'fixed',
  'healthy',
  'not-reported',
  'awaiting-report',
  'unproven',
])
const stateOf = (s: string): FleetDeviceState => (STATES.has(s) ? (s as FleetDeviceState) : 'not-reported')

export function createFleetHandlers(deps: FleetHandlerDeps) {
  const open = new Map<FleetName, Promise<Fleet>>()
  let profiles: Promise<Map<string, CollectedProfile>> | null = null
  // `yours`: the CLI's store (store.ts defaultFleetFile; not imported here so node:sqlite loads only when a fleet opens).
  const fileOf = (name: FleetName) =>
    join(deps.dataDir, 'fleet', ...(name === 'training' ? ['training', 'training.sqlite'] : ['fleet.sqlite']))
  const fleetOf = (name: FleetName): Promise<Fleet> => {
    let f = open.get(name)
    if (!f) {
      f = deps.open(fileOf(name)).then(async (x) => {
        await x.ready()
        return x
      })
      open.set(name, f)
      f.catch(() => open.delete(name))
    }
    return f
  }
  const collected = () => (profiles ??= collectProfilesScratch())

  async function overview(name: FleetName): Promise<FleetOverview> {
    const f = await fleetOf(name)
    const groups = await f.store.groups()
    const totals = await f.store.totals()
    const facets = await fleetFacets(f.store.db)
    return {
      fleet: name,
      devices: totals.devices,
      totals,
      groups,
      fixes: await newestFixes(f.store.db),
      imports: facets.imports,
      architectures: facets.architectures,
      builds: facets.builds,
    }
  }

  /** Reads each of a training fleet's files with the same intake as real exports; one summary. */
  async function importFiles(
    f: Fleet,
    paths: string[],
    ctx: Ctx,
    operationId: string,
    t0: number,
  ): Promise<FleetImportOutput> {
    const out: FleetImportOutput = { devices: 0, newDevices: 0, read: [], seconds: 0 }
    for (const [i, p] of paths.entries()) {
      ctx.emit('progress', {
        operationId,
        label: `Reading what the devices reported (${i + 1} of ${paths.length})`,
        fraction: 0.4 + 0.6 * (i / paths.length),
      })
      const s = await f.importPath(p)
      out.newDevices += s.newDevices
      out.devices = s.devices
      for (const x of s.files) out.read.push({ source: x.kind, observations: x.observations, setAside: x.rejected })
    }
    out.seconds = Math.round((performance.now() - t0) / 100) / 10
    return out
  }

  return {
    fleetOverview: async ({ fleet }: { fleet: FleetName }) => overview(fleet),

    fleetDevices: async (input: {
      fleet: FleetName
      search?: string
      cause?: string
      state?: string
      arch?: string
      build?: string
      offset: number
      limit: number
    }): Promise<FleetDevices> => {
      const f = await fleetOf(input.fleet)
      const w = await deviceWindow(f.store.db, input, input.offset, input.limit)
      return { total: w.total, offset: input.offset, rows: w.rows.map((r) => ({ ...r, state: stateOf(r.state) })) }
    },

    fleetDevice: async ({ fleet, name }: { fleet: FleetName; name: string }): Promise<FleetDeviceTimeline> => {
      const f = await fleetOf(fleet)
      const d = await f.store.device(name)
      if (!d) throw new AppError('not-found', `No device named ${name} in this fleet.`)
      const titles = new Map((await f.store.groups()).map((g) => [g.cause, g.title]))
      const basis = d.basis === 'update alerts' ? 'alerts' : (d.basis?.split(' ')[0] ?? null)
      return {
        name: d.name,
        cause: d.cause,
        title: titles.get(d.cause) ?? d.title,
        state: stateOf(d.state),
        since: d.since,
        judgedFrom: basis as FleetSource | 'alerts' | null,
        arch: d.arch,
        build: d.build,
        fixedAt: d.fixedAt,
        findings: d.findings,
        observations: d.observations.map((o) => ({
          at: o.at,
          source: o.source as FleetSource,
          kind: o.kind as 'line',
          line: o.line,
          codes: o.codes,
          status: o.status,
          detail: o.detail,
        })),
        fixes: (await fixesOfDevice(f.store.db, d.name)).map((x) => ({
          cause: x.cause,
          title: titles.get(x.cause) ?? x.cause,
          at: x.at,
          provenAt: x.fixedAt,
          why: x.why ? (whyOf(x.why)?.text ?? null) : null,
        })),
      }
    },

    fleetImportTraining: async (
      input: { devices: number; collectedFiles: boolean; seed?: number; operationId?: string },
      ctx: Ctx,
    ): Promise<FleetImportOutput> => {
      const t0 = performance.now()
      const operationId = input.operationId ?? `fleet-training-${Date.now()}`
      ctx.emit('progress', { operationId, label: 'Making the training devices', fraction: 0 })
      // A fresh training fleet each time: the old store and its files go.
      const old = open.get('training')
      open.delete('training')
      if (old) await (await old.catch(() => null))?.close()
      const dir = TRAINING_DIR(deps.dataDir)
      await rm(dir, { recursive: true, force: true })
      const files = join(dir, 'files')
      await mkdir(files, { recursive: true })
      const c = await collected()
      const devices = makeFleet(c, { devices: input.devices, seed: input.seed ?? 45 })
      ctx.emit('progress', {
        operationId,
        label: 'Writing what Intune and the update reports would give for them',
        fraction: 0.2,
      })
      // What Intune's Remediations export and the update alerts give for these devices; truth.json is the generator's answer (not read).
      await writeFile(join(files, 'intune-runstates.csv'), intuneExportCsv(devices, TRAINING_SCRIPT_ID), 'utf8')
      await writeFile(join(files, 'ucupdatealert.csv'), alertsCsv(updateAlerts(devices)), 'utf8')
      await writeFile(join(files, 'truth.json'), JSON.stringify(devices.map(({ line: _l, ...d }) => d)), 'utf8')
      // Collected files beside the exports: one folder, read in one import (the devices' states worked out once, at its end).
      if (input.collectedFiles)
        for (const d of devices)
          if (d.reportedAt)
            await writeFile(join(files, `${d.name}.zip`), deviceArchive(c.get(d.profile)!, d.name, d.reportedAt))
      return importFiles(await fleetOf('training'), [files], ctx, operationId, t0)
    },

    /**
     * Training only: the devices a group's newest fix was built for report again, each as a collected file of its
     * training machine after the group's repair ran on it (a scratch copy); `share` of them report (the rest stay
     * "not reported since the fix", as a real fleet's stragglers). Read in by the same intake.
     */
    fleetTrainingReport: async (
      input: { cause: string; share?: number; operationId?: string },
      ctx: Ctx,
    ): Promise<FleetImportOutput> => {
      const t0 = performance.now()
      const operationId = input.operationId ?? `fleet-report-${Date.now()}`
      const f = await fleetOf('training')
      const fix = (await newestFixes(f.store.db)).find((x) => x.cause === input.cause)
      if (!fix) throw new AppError('invalid-input', 'Build this group’s fix first: the devices report again after it.')
      const group = (await f.store.groups()).find((g) => g.cause === input.cause)
      let truth: FleetDevice[]
      try {
        truth = JSON.parse(
          await readFile(join(TRAINING_DIR(deps.dataDir), 'files', 'truth.json'), 'utf8'),
        ) as FleetDevice[]
      } catch {
        throw new AppError('not-found', 'The training fleet’s files are gone: import the training fleet again.')
      }
      const profileOf = new Map(truth.map((t) => [t.name.toUpperCase(), t.profile]))
      const names = (
        await f.store.db.all<{ name: string }>(
          'SELECT d.name FROM fix_devices x JOIN fixes f ON f.id = x.fix_id JOIN devices d ON d.id = x.device_id WHERE f.cause = ? AND f.at = ? ORDER BY d.name_key',
          [input.cause, fix.at],
        )
      ).map((r) => r.name)
      ctx.emit('progress', {
        operationId,
        label: group?.repair ? 'Running the fix on the training machines' : 'The devices collect again',
        fraction: 0.1,
      })
      const profilesOf = names.map((n) => profileOf.get(n.toUpperCase())).filter((p): p is string => Boolean(p))
      const after = group?.repair ? await deps.collectAfterRepair(group.repair, profilesOf) : await collected()
      const rand = seeded(names.length + 1)
      const share = input.share ?? 0.8
      const at = new Date(Math.max(Date.now(), Date.parse(fix.at) + 1000)).toISOString()
      const dir = join(TRAINING_DIR(deps.dataDir), 'files', `after-${at.replace(/[-:.]/g, '')}`)
      await mkdir(dir, { recursive: true })
      ctx.emit('progress', { operationId, label: 'Writing the files the devices send back', fraction: 0.3 })
      for (const n of names) {
        const p = profileOf.get(n.toUpperCase())
        if (!p || rand() >= share) continue
        await writeFile(join(dir, `${n}.zip`), deviceArchive(after.get(p)!, n, at))
      }
      return importFiles(f, [dir], ctx, operationId, t0)
    },

    fleetBuildFix: async ({
      fleet,
      cause,
      folder,
    }: {
      fleet: FleetName
      cause: string
      folder: string
    }): Promise<FleetBuildFixOutput> => {
      const out = deps.fixFolder(folder)
      const f = await fleetOf(fleet)
      const at = new Date().toISOString()
      let r: Awaited<ReturnType<Fleet['buildFix']>>
      try {
        r = await f.buildFix(cause, out)
      } catch (err) {
        throw new AppError('invalid-input', (err as Error).message.replace(/ See: fleet groups\.$/, ''))
      }
      const files = await Promise.all(
        r.files.map(async (n) => ({
          name: n,
          does: FIX_FILE_WORDS[n] ?? 'A file of the fix.',
          content: await readFile(join(out, n), 'utf8'),
        })),
      )
      return { folderLabel: out, devices: r.devices, files, notes: r.notes, at }
    },

    fleetReport: async ({ fleet, format }: { fleet: FleetName; format: 'html' | 'csv' | 'json' }) => {
      const f = await fleetOf(fleet)
      const d = await f.report()
      const content = format === 'json' ? fleetReportJson(d) : format === 'csv' ? fleetReportCsv(d) : fleetReportHtml(d)
      const fileName = `fleet-report.${format}`
      const savedTo = deps.saveFile ? await deps.saveFile(fileName, content) : null
      return {
        fileName,
        mimeType: format === 'json' ? 'application/json' : format === 'csv' ? 'text/csv' : 'text/html',
        content,
        savedTo,
        saveStatus: (!deps.saveFile ? 'unavailable' : savedTo ? 'saved' : 'cancelled') as
          | 'saved'
          | 'cancelled'
          | 'unavailable',
      }
    },

    close: async () => {
      for (const f of open.values()) await (await f.catch(() => null))?.close()
      open.clear()
    },
  }
}
