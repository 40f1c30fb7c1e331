/**
 * THE contract between the renderer and main: every call and every event, each with a zod schema.
 *
 * Main registers every handler through one wrapper (sender check, input parse, `{ok, value} | {ok, error}`);
 * the preload exposes one named function per call; the preview bridge serves the same handlers over
 * loopback HTTP. Add a call: one entry here, one handler in `main/handlers.ts`.
 */
import { z } from 'zod'
import { MachineRefSchema } from './model/common.ts'
import { MachineSnapshotSchema } from './model/snapshot.ts'
import { MachineListSchema } from './model/training.ts'
import {
  ExplainInputSchema,
  ExplainResultSchema,
  DiagnoseInputSchema,
  DiagnoseOutputSchema,
} from './model/diagnosis.ts'
import { ExportReportInputSchema, ExportReportOutputSchema } from './model/report.ts'
import { ServicingChainInputSchema, ServicingChainSchema } from './model/servicing-chain.ts'
import {
  WinreAbandonInputSchema,
  WinreAbandonOutputSchema,
  WinreInputSchema,
  WinreReportSchema,
  WinreRepairInputSchema,
  WinreRepairOutputSchema,
} from './model/winre.ts'
import {
  CatalogChainInputSchema,
  CatalogSearchInputSchema,
  CatalogSearchResultSchema,
  DownloadInputSchema,
  DownloadOutputSchema,
  DownloadProgressSchema,
  UpdateChainSchema,
} from './model/catalog.ts'
import {
  CancelInputSchema,
  CancelOutputSchema,
  InstallInputSchema,
  InstallOutputSchema,
  InstallStateInputSchema,
  InstallStateOutputSchema,
  PlanInputSchema,
  PlanSchema,
  ResumeInputSchema,
} from './model/plan.ts'
import { PickFolderInputSchema, PickFolderOutputSchema } from './model/folders.ts'
import {
  RepairOffersInputSchema,
  RepairOffersSchema,
  RepairRunInputSchema,
  RepairRunSchema,
  RepairScriptInputSchema,
  RepairScriptOutputSchema,
} from './model/repair.ts'
import { AnalyzeFileInputSchema } from './model/files.ts'
import {
  ExportKitInputSchema,
  ExportKitOutputSchema,
  ImportKitInputSchema,
  ImportKitResultSchema,
  KitVerifyResultSchema,
  VerifyKitInputSchema,
} from './model/kit.ts'
import {
  BuildFixPackageInputSchema,
  BuildFixPackageOutputSchema,
  CompareSnapshotsInputSchema,
  CompareSnapshotsOutputSchema,
  RehearseInputSchema,
  RehearseOutputSchema,
  SaveCollectorInputSchema,
  SaveCollectorOutputSchema,
} from './model/fix-flow.ts'
import {
  FleetBuildFixInputSchema,
  FleetBuildFixOutputSchema,
  FleetDeviceInputSchema,
  FleetDeviceTimelineSchema,
  FleetDevicesInputSchema,
  FleetDevicesSchema,
  FleetImportOutputSchema,
  FleetOverviewInputSchema,
  FleetOverviewSchema,
  FleetReportInputSchema,
  FleetReportOutputSchema,
  FleetTrainingInputSchema,
  FleetTrainingReportInputSchema,
} from './model/fleet-calls.ts'
import { PcPlanInputSchema, PcPlanRunInputSchema, PcPlanRunSchema, PcPlanSchema } from './model/pc-plan.ts'
import {
  MediaListSchema,
  MediaPlanInputSchema,
  MediaPlanOutputSchema,
  MediaProgressEventSchema,
  MediaResetInputSchema,
  MediaResetOutputSchema,
  MediaScanInputSchema,
  MediaScanOutputSchema,
  MediaUpdateInputSchema,
  MediaUpdateOutputSchema,
} from './model/media-calls.ts'

const Empty = z.object({}).strict()

const AnalyzeOutputSchema = z.object({
  kind: z.string(),
  facts: z.record(z.string(), z.unknown()),
  findings: z.array(
    z.object({
      id: z.string(),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
      title: z.string(),
      detail: z.string(),
    }),
  ),
  warnings: z.array(z.string()),
})

export const calls = {
  listTrainingMachines: { input: Empty, output: MachineListSchema },
  /** A training machine back to its starting state; its earlier runs move to the archive (Proof then shows only what is done after). */
  resetTrainingMachine: {
    input: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a training machine name') }).strict(),
    output: z.object({ name: z.string(), archived: z.boolean() }),
  },
  scan: { input: z.object({ machine: MachineRefSchema }).strict(), output: MachineSnapshotSchema },
  importSnapshot: {
    /** `content`: the snapshot JSON, or with `encoding: 'base64'` the bytes of a collector file (a zip, main/collector). */
    input: z.object({ content: z.string().max(50_000_000), encoding: z.enum(['text', 'base64']).optional() }).strict(),
    output: z.object({ id: z.string(), snapshot: MachineSnapshotSchema }),
  },
  /** A training machine made from a collector file (base64 of its zip), to rehearse a fix package on a model of that PC. */
  importTrainingMachine: {
    input: z.object({ content: z.string().max(50_000_000) }).strict(),
    output: z.object({ name: z.string(), title: z.string(), scenario: z.string() }),
  },
  analyze: {
    /** `text` as bytes (UTF-8): the app's preload sends a paste so; main moves them to the analysis worker, no copy kept. */
    input: z
      .object({
        text: z.union([
          z.string().max(50_000_000),
          z.instanceof(Uint8Array).refine((b) => b.byteLength <= 50_000_000, 'at most 50,000,000 bytes'),
        ]),
        kind: z.string().max(64).optional(),
      })
      .strict(),
    output: AnalyzeOutputSchema,
  },
  /** A dropped or chosen file, by the one-time token the preload got for it (`fileToken`): main reads it, bounded. */
  analyzeFile: { input: AnalyzeFileInputSchema, output: AnalyzeOutputSchema },
  exportReport: { input: ExportReportInputSchema, output: ExportReportOutputSchema },
  servicingChain: { input: ServicingChainInputSchema, output: ServicingChainSchema },
  winre: { input: WinreInputSchema, output: WinreReportSchema },
  winreRepair: { input: WinreRepairInputSchema, output: WinreRepairOutputSchema },
  winreAbandon: { input: WinreAbandonInputSchema, output: WinreAbandonOutputSchema },
  /** Repairs main/repair runs (restart, restore-health): what is offered, running one after the user confirmed, and a snapshot's as a script. */
  repairOffers: { input: RepairOffersInputSchema, output: RepairOffersSchema },
  repairRun: { input: RepairRunInputSchema, output: RepairRunSchema },
  repairScript: { input: RepairScriptInputSchema, output: RepairScriptOutputSchema },
  /** "Make this PC current": the plan for the whole PC, and its run after the person reviewed it (issue: one plan per PC). */
  pcPlan: { input: PcPlanInputSchema, output: PcPlanSchema },
  pcPlanRun: { input: PcPlanRunInputSchema, output: PcPlanRunSchema },
  explain: { input: ExplainInputSchema, output: ExplainResultSchema },
  diagnose: { input: DiagnoseInputSchema, output: DiagnoseOutputSchema },
  catalogSearch: { input: CatalogSearchInputSchema, output: CatalogSearchResultSchema },
  catalogChain: { input: CatalogChainInputSchema, output: UpdateChainSchema },
  download: { input: DownloadInputSchema, output: DownloadOutputSchema },
  /** Shows main's own folder dialog; kit calls take the handle it returns (see main/folders/folder-handles.ts). */
  pickFolder: { input: PickFolderInputSchema, output: PickFolderOutputSchema },
  exportKit: { input: ExportKitInputSchema, output: ExportKitOutputSchema },
  importKit: { input: ImportKitInputSchema, output: ImportKitResultSchema },
  verifyKit: { input: VerifyKitInputSchema, output: KitVerifyResultSchema },
  plan: { input: PlanInputSchema, output: PlanSchema },
  install: { input: InstallInputSchema, output: InstallOutputSchema },
  resume: { input: ResumeInputSchema, output: InstallOutputSchema },
  cancel: { input: CancelInputSchema, output: CancelOutputSchema },
  installState: { input: InstallStateInputSchema, output: InstallStateOutputSchema },
  /** A PC you are not sitting at: the collector saved through main's own save dialog (the page names no path). */
  saveCollector: { input: SaveCollectorInputSchema, output: SaveCollectorOutputSchema },
  /** The fix package for an opened collector file, into a folder picked for `fix-package` (and its zip beside it); `progress` events. */
  buildFixPackage: { input: BuildFixPackageInputSchema, output: BuildFixPackageOutputSchema },
  /** That package rehearsed on a model of the PC (its repairs, WinRE repair and kit), then the model's after file and the proof. */
  rehearseFixPackage: { input: RehearseInputSchema, output: RehearseOutputSchema },
  /** The proof: two opened collector files of one PC compared (as `proof --before --after`). */
  compareSnapshots: { input: CompareSnapshotsInputSchema, output: CompareSnapshotsOutputSchema },
  /** Installation media: the media the app can read, one medium's layers, and its update plan. */
  mediaList: { input: Empty, output: MediaListSchema },
  mediaScan: { input: MediaScanInputSchema, output: MediaScanOutputSchema },
  mediaPlan: { input: MediaPlanInputSchema, output: MediaPlanOutputSchema },
  /** Runs the update after the person's yes; `mediaProgress` events per step; ends with the medium read again (verified or not). */
  mediaUpdate: { input: MediaUpdateInputSchema, output: MediaUpdateOutputSchema },
  /** A training medium back to its starting state. */
  mediaReset: { input: MediaResetInputSchema, output: MediaResetOutputSchema },
  /** Stops a running media update between steps (never inside a DISM command); the same update again finishes it. */
  mediaCancel: { input: CancelInputSchema, output: CancelOutputSchema },
  /** Many PCs: groups by cause, a window of the device list, one device's timeline (model/fleet-calls.ts). */
  fleetOverview: { input: FleetOverviewInputSchema, output: FleetOverviewSchema },
  fleetDevices: { input: FleetDevicesInputSchema, output: FleetDevicesSchema },
  fleetDevice: { input: FleetDeviceInputSchema, output: FleetDeviceTimelineSchema },
  /** A fresh training fleet made and imported on this machine; `progress` events. */
  fleetImportTraining: { input: FleetTrainingInputSchema, output: FleetImportOutputSchema },
  /** Training only: a group's devices report again after its fix. */
  fleetTrainingReport: { input: FleetTrainingReportInputSchema, output: FleetImportOutputSchema },
  /** A group's fix files into a folder picked for `fleet-fix`; the fix is recorded, so later reports prove devices fixed. */
  fleetBuildFix: { input: FleetBuildFixInputSchema, output: FleetBuildFixOutputSchema },
  /** The fleet report (HTML, CSV or JSON) through main's save dialog, or back to the page to download. */
  fleetReport: { input: FleetReportInputSchema, output: FleetReportOutputSchema },
} as const

export type CallName = keyof typeof calls
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>
export type CallOutput<K extends CallName> = z.infer<(typeof calls)[K]['output']>

export const ProgressEventSchema = z.object({
  operationId: z.string(),
  /** What is happening, in plain words. */
  label: z.string(),
  /** 0..1, or null when indeterminate. */
  fraction: z.number().min(0).max(1).nullable(),
  bytesDone: z.number().optional(),
  bytesTotal: z.number().optional(),
  bytesPerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
})
export type ProgressEvent = z.infer<typeof ProgressEventSchema>

export const events = {
  progress: ProgressEventSchema,
  journal: z.object({ operationId: z.string(), entry: z.record(z.string(), z.unknown()) }),
  downloadProgress: DownloadProgressSchema,
  mediaProgress: MediaProgressEventSchema,
} as const
export type EventName = keyof typeof events
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>

export const ErrorSchema = z.object({
  /** Stable machine-readable code: `invalid-input`, `forbidden`, `not-found`, `failed`, `cancelled`. */
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
})
export type CallError = z.infer<typeof ErrorSchema>
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError }

/** The IPC channel of a call. */
export function channelOf(name: CallName): string {
  return `sd:${name}`
}
export function eventChannelOf(name: EventName): string {
  return `sd-event:${name}`
}

/** The API the renderer sees (preload in Electron; the HTTP bridge in the preview). */
export type DeskApi = {
  [K in CallName]: (input: CallInput<K>) => Promise<CallResult<CallOutput<K>>>
} & {
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void
  /**
   * The app only (the preload; the preview has no file paths): a one-time token for a File the person dropped
   * or chose, for `analyzeFile`; null when the File has no path on disk (built in the page) or main refused it.
   */
  fileToken?: (file: File) => Promise<string | null>
}

/** The preload's own channel for `fileToken` (not a contract call: the page never sends a path). */
export const FILE_TOKEN_CHANNEL = 'sd-file:token'

export const callNames = Object.keys(calls) as CallName[]
export const eventNames = Object.keys(events) as EventName[]
