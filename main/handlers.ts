/**
 * One handler per contract call, and the one wrapper every front end uses to call them:
 * parse the input with the contract's schema, run the handler, return `{ok, value} | {ok, error}`.
 * The Electron IPC registration and the preview bridge both go through `invokeCall`.
 */
import type { z } from 'zod'
import {
  calls,
  type CallName,
  type CallOutput,
  type CallResult,
  type EventName,
  type EventPayload,
} from '../preload/contract.ts'
import type { Services } from './services.ts'
import { AppError } from './errors.ts'
import { analyzeFileWithVerdictOffThread, analyzeWithVerdictOffThread } from './diagnose/verdict-off-thread.ts'
import { createFileTokens, type FileTokens } from './analyze/file-tokens.ts'
import { exportReport } from './report/export-report.ts'
import { chainOfBuild } from './report/chain-of-build.ts'
import { createPackagesHandlers } from './kit/packages-handlers.ts'
import { createInstallHandlers } from './install/install-handlers.ts'
import { createMediaHandlers } from './media/media-handlers.ts'
import { join } from 'node:path'
import { collectorScript } from './collector/collector-script.ts'
import { COLLECTOR_FILE, collectorRunCommand } from './fix-package/fix-flow.ts'
import { createFolderHandles, previewFolderPicker, type FolderPicker } from './folders/folder-handles.ts'
import { createFleetHandlers } from './fleet/fleet-handlers.ts'
import { openFleet, trainingAfterRepair } from './fleet-wiring.ts'

export interface HandlerContext {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void
  signal?: AbortSignal
}

type Input<K extends CallName> = z.infer<(typeof calls)[K]['input']>
export type Handlers = { [K in CallName]: (input: Input<K>, ctx: HandlerContext) => Promise<CallOutput<K>> }

/** What only some front ends can do: the Electron window saves files and picks folders through its own dialogs. */
export interface FrontEndAbilities {
  saveFile?: (fileName: string, content: string) => Promise<string | null>
  /** The folder chooser behind `pickFolder`; without one (preview, tests), folders inside `<dataDir>/preview-folders` only. */
  pickFolder?: FolderPicker
  /** Files the person dropped (the app's preload registers their paths); without it, none: analyzeFile refuses every token. */
  fileTokens?: FileTokens
}

export function createHandlers(services: Services, frontEnd: FrontEndAbilities = {}): Handlers {
  const packages = createPackagesHandlers(services)
  const files = frontEnd.fileTokens ?? createFileTokens()
  const folders = createFolderHandles(
    frontEnd.pickFolder ?? previewFolderPicker(join(services.dataDir, 'preview-folders')),
  )
  const fleet = createFleetHandlers({
    dataDir: services.dataDir,
    saveFile: frontEnd.saveFile,
    // The training fleet's fixes look their packages up in the local training Catalog (its devices are training machines).
    open: (file) =>
      openFleet(services, file, {
        catalog: file?.startsWith(join(services.dataDir, 'fleet', 'training')) ? 'local' : 'microsoft',
      }),
    collectAfterRepair: (repairId, profiles) => trainingAfterRepair(repairId, profiles, services.appVersion),
    fixFolder: (handle) => folders.resolve(handle, 'write', 'fleet-fix'),
  })
  return {
    ...packages,
    fleetOverview: fleet.fleetOverview,
    fleetDevices: fleet.fleetDevices,
    fleetDevice: fleet.fleetDevice,
    fleetImportTraining: fleet.fleetImportTraining,
    fleetTrainingReport: fleet.fleetTrainingReport,
    fleetBuildFix: fleet.fleetBuildFix,
    fleetReport: fleet.fleetReport,
    // Kit folders are handles from pickFolder: the renderer never names a path (main/folders/folder-handles.ts).
    pickFolder: async (input) => folders.pick(input),
    exportKit: async ({ folder, ...rest }, ctx) =>
      packages.exportKit({ ...rest, outDir: folders.resolve(folder, 'write') }, ctx),
    importKit: async ({ folder, ...rest }) => packages.importKit({ ...rest, dir: folders.resolve(folder, 'read') }),
    verifyKit: async ({ folder }) => packages.verifyKit({ dir: folders.resolve(folder, 'read') }),
    ...createInstallHandlers(services.install),
    ...createMediaHandlers(services.media, services.dataDir, (handle) => folders.resolve(handle, 'read')),
    listTrainingMachines: async () => services.listTrainingMachines(),
    resetTrainingMachine: async ({ name }) => ({
      name,
      archived: services.resetTrainingMachine(name).archivedTo !== null,
    }),
    scan: async ({ machine }, ctx) => {
      const operationId = `scan-${Date.now()}`
      ctx.emit('progress', { operationId, label: 'Reading this machine', fraction: 0 })
      const snapshot = await services.scan(machine, {
        signal: ctx.signal,
        onProbeDone: (id, done, total) =>
          ctx.emit('progress', { operationId, label: `Read ${id}`, fraction: done / total }),
      })
      return snapshot
    },
    importSnapshot: async ({ content, encoding }) =>
      encoding === 'base64'
        ? services.importSnapshotBytes(Buffer.from(content, 'base64'))
        : services.importSnapshot(content),
    importTrainingMachine: async ({ content }) => services.importTrainingMachineBytes(Buffer.from(content, 'base64')),
    // Off the event loop (a worker thread): a 50 MB paste never stalls the other calls. The reading comes with the
    // diagnosis's verdict over the same text, so the Paste screen shows what the CLI's `analyze` prints.
    analyze: async ({ text, kind }, ctx) =>
      (await analyzeWithVerdictOffThread(text, kind, {
        signal: ctx.signal,
        transfer: typeof text !== 'string',
      })) as CallOutput<'analyze'>,
    // A dropped file by its one-time token (main/analyze/file-tokens.ts): the worker reads it, bounded.
    analyzeFile: async ({ file, kind }, ctx) =>
      (await analyzeFileWithVerdictOffThread(files.take(file), kind, {
        signal: ctx.signal,
      })) as CallOutput<'analyzeFile'>,
    explain: async ({ code }) => services.explainCode(code),
    diagnose: async ({ machine, code, text, file }, ctx) =>
      services.diagnose({ machine, code, text, ...(file ? { logFiles: [files.take(file)] } : {}), signal: ctx.signal }),
    // The report ranks causes with the same diagnosis as the `diagnose` call, so both name the same first cause.
    exportReport: async (input, ctx) =>
      exportReport(
        {
          scan: (m) => services.scan(m, { signal: ctx.signal }),
          dataDir: services.dataDir,
          appVersion: services.appVersion,
          diagnose: (_snapshot, machine) => services.diagnose({ machine, signal: ctx.signal }),
          saveFile: frontEnd.saveFile,
        },
        input,
      ),
    servicingChain: async ({ build, ubr, edition, productName }) => chainOfBuild(build, { ubr, edition, productName }),
    winre: async ({ machine }) => services.winre.report(machine),
    winreRepair: async ({ machine, repairId }, ctx) =>
      services.winre.repair(machine, repairId, {
        signal: ctx.signal,
        onStep: (stepId, phase) =>
          ctx.emit('progress', {
            operationId: `winre-${repairId}`,
            label: `${phase === 'started' ? 'Running' : 'Finished'} ${stepId}`,
            fraction: null,
          }),
      }),
    winreAbandon: async ({ machine, repairId }) => ({ abandoned: services.winre.abandon(machine, repairId) }),
    repairOffers: async ({ machine }) => services.repairs.offers(machine),
    // Progress per step (fraction = steps done / total); cancelling acts between steps, never inside a command.
    repairRun: async ({ machine, repairId }, ctx) =>
      services.repairs.run(machine, repairId, {
        signal: ctx.signal,
        onStep: (s) =>
          ctx.emit('progress', {
            operationId: `repair-${repairId}`,
            label: `${s.phase}:${s.stepId}`,
            fraction: (s.index + (s.phase === 'finished' ? 1 : 0)) / s.total,
          }),
      }),
    pcPlan: async ({ machine, previews }) => services.pcPlans.plan(machine, { previews }),
    // The plan is made again here and run only when its steps are the ones the person reviewed (or an unfinished run of it resumes).
    pcPlanRun: async ({ machine, previews, stepIds }, ctx) => {
      const open = machine.kind === 'snapshot' ? null : services.pcPlans.journals.unfinished(machine)
      const plan = open?.plan ?? (await services.pcPlans.plan(machine, { previews }))
      if (plan.steps.map((s) => s.id).join(',') !== stepIds.join(','))
        throw new AppError(
          'invalid-input',
          'The PC changed since its plan was shown: look at the new plan, then run it.',
        )
      return services.pcPlans.run(machine, {
        plan,
        previews,
        signal: ctx.signal,
        onStep: (e) =>
          ctx.emit('progress', {
            operationId: 'pc-plan',
            label: `${e.phase === 'started' ? 'Running' : 'Finished'}: ${e.step.title}`,
            fraction: (e.index + (e.phase === 'finished' ? 1 : 0)) / Math.max(1, e.total),
          }),
      })
    },
    saveCollector: async () => {
      const content = collectorScript({ version: services.appVersion })
      const savedTo = frontEnd.saveFile ? await frontEnd.saveFile(COLLECTOR_FILE, content) : null
      return {
        fileName: COLLECTOR_FILE,
        content,
        savedTo,
        saveStatus: !frontEnd.saveFile ? 'unavailable' : savedTo ? 'saved' : 'cancelled',
        runCommand: collectorRunCommand(),
      }
    },
    buildFixPackage: async ({ snapshot, folder, operationId }, ctx) => {
      const id = operationId ?? `fix-package-${Date.now()}`
      return services.fixFlow.build(snapshot, folders.resolve(folder, 'write', 'fix-package'), (label, fraction) =>
        ctx.emit('progress', { operationId: id, label, fraction }),
      )
    },
    rehearseFixPackage: async ({ package: packageId, operationId }, ctx) => {
      const id = operationId ?? `rehearse-${Date.now()}`
      return services.fixFlow.rehearse(packageId, (label, fraction) =>
        ctx.emit('progress', { operationId: id, label, fraction }),
      )
    },
    compareSnapshots: async ({ before, after }) => services.fixFlow.compare(before, after),
    repairScript: async ({ machine, repairId }) => {
      const s = await services.repairs.script(machine, repairId)
      return { ...s, savedTo: frontEnd.saveFile ? await frontEnd.saveFile(s.fileName, s.content) : null }
    },
  }
}

const noEmit: HandlerContext = { emit: () => {} }

/** Validates the input, runs the handler, and never throws: errors come back as `{ok: false}`. */
export async function invokeCall<K extends CallName>(
  handlers: Handlers,
  name: K,
  rawInput: unknown,
  ctx: HandlerContext = noEmit,
): Promise<CallResult<CallOutput<K>>> {
  const spec = Object.hasOwn(calls, name) ? calls[name] : undefined
  if (!spec) return { ok: false, error: { code: 'not-found', message: `Unknown call '${String(name)}'.` } }
  const parsed = spec.input.safeParse(rawInput ?? {})
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Invalid input for ${name}: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
          .join('; ')}`,
      },
    }
  }
  try {
    const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => Promise<CallOutput<K>>
    const value = await handler(parsed.data, ctx)
    return { ok: true, value }
  } catch (err) {
    if (err instanceof AppError)
      return { ok: false, error: { code: err.code, message: err.message, details: err.details } }
    return { ok: false, error: { code: 'failed', message: (err as Error)?.message ?? String(err) } }
  }
}
