/**
 * The Fleet screen's calls: the overview (groups by cause and what became of each group's fix),
 * a window of the device list (search and filters, any offset of 50,000 devices), one device's timeline, a training
 * fleet imported on this machine, its devices reporting again after a fix, a group's fix files, and the report.
 * Which fleet: `yours` is the store the CLI's `fleet import` fills; `training` is a separate store, made fresh by
 * each training import, so practice never mixes with real devices. The page names no path: a fix goes to a folder
 * main's own dialog picked (a handle from `pickFolder`).
 */
import { z } from 'zod'
import { FleetGroupSchema, FleetSourceSchema, FleetTotalsSchema } from './fleet.ts'
import { FolderHandleSchema } from './folders.ts'
import { FindingSchema } from './diagnosis.ts'

export const FleetNameSchema = z.enum(['yours', 'training'])
export type FleetName = z.infer<typeof FleetNameSchema>

/** A device's state in the store: `awaiting-report` is a fix sent and nothing heard since; `unproven` a fix sent and a report since that cannot show its cause. */
export const FleetDeviceStateSchema = z.enum([
  'failing',
  'fixed',
  'healthy',
  'not-reported',
  'awaiting-report',
  'unproven',
])
export type FleetDeviceState = z.infer<typeof FleetDeviceStateSchema>

const Cause = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a group as the overview names it')

export const FleetOverviewInputSchema = z.object({ fleet: FleetNameSchema }).strict()

export const FleetFixSummarySchema = z.object({
  cause: z.string(),
  /** When the fix was built (ISO). */
  at: z.string(),
  /** Devices failing with the cause then: the ones its proof is awaited from. */
  devices: z.number().int(),
})

export const FleetOverviewSchema = z.object({
  fleet: FleetNameSchema,
  /** Devices, each once. */
  devices: z.number().int(),
  /** Devices by state, each once (the groups count a device under each of its causes). */
  totals: FleetTotalsSchema,
  groups: z.array(FleetGroupSchema),
  /** The newest fix of each group. */
  fixes: z.array(FleetFixSummarySchema),
  /** Exports and collected files read into this fleet. */
  imports: z.number().int(),
  architectures: z.array(z.string()),
  builds: z.array(z.string()),
})
export type FleetOverview = z.infer<typeof FleetOverviewSchema>

export const FleetDevicesInputSchema = z
  .object({
    fleet: FleetNameSchema,
    /** Part of the computer name (letters, digits, hyphens, dots, underscores). */
    search: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, hyphens, dots or underscores')
      .optional(),
    cause: Cause.optional(),
    state: FleetDeviceStateSchema.optional(),
    arch: z.string().max(16).optional(),
    build: z.string().max(32).optional(),
    offset: z.number().int().min(0).max(10_000_000),
    limit: z.number().int().min(1).max(1000),
  })
  .strict()

export const FleetDeviceRowSchema = z.object({
  name: z.string(),
  cause: z.string(),
  state: FleetDeviceStateSchema,
  since: z.string().nullable(),
  arch: z.string().nullable(),
  build: z.string().nullable(),
  fixedAt: z.string().nullable(),
})
export type FleetDeviceRow = z.infer<typeof FleetDeviceRowSchema>

export const FleetDevicesSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(FleetDeviceRowSchema),
})
export type FleetDevices = z.infer<typeof FleetDevicesSchema>

export const FleetDeviceInputSchema = z.object({ fleet: FleetNameSchema, name: z.string().min(1).max(256) }).strict()

export const FleetDeviceTimelineSchema = z.object({
  name: z.string(),
  cause: z.string(),
  title: z.string(),
  state: FleetDeviceStateSchema,
  since: z.string().nullable(),
  /** What the state was judged from: a source, or `alerts` (update alerts only), or null (nothing yet). */
  judgedFrom: z.union([FleetSourceSchema, z.literal('alerts')]).nullable(),
  arch: z.string().nullable(),
  build: z.string().nullable(),
  fixedAt: z.string().nullable(),
  findings: z.array(FindingSchema),
  observations: z.array(
    z.object({
      at: z.string(),
      source: FleetSourceSchema,
      kind: z.enum(['line', 'alert', 'status', 'snapshot', 'silent']),
      line: z.string().nullable(),
      codes: z.array(z.string()),
      status: z.string().nullable(),
      detail: z.string(),
    }),
  ),
  /** The fixes built for a group this device was in, and what became of each. */
  fixes: z.array(
    z.object({
      cause: z.string(),
      title: z.string(),
      at: z.string(),
      provenAt: z.string().nullable(),
      why: z.string().nullable().optional(),
    }),
  ),
})
export type FleetDeviceTimeline = z.infer<typeof FleetDeviceTimelineSchema>

export const FleetTrainingInputSchema = z
  .object({
    devices: z.number().int().min(10).max(50_000),
    /** Also each reporting device's collected file: tells causes apart that one line cannot (at most 2,000 devices). */
    collectedFiles: z.boolean(),
    seed: z.number().int().min(1).max(1_000_000).optional(),
    operationId: z.string().max(100).optional(),
  })
  .strict()
  .refine((x) => !x.collectedFiles || x.devices <= 2000, 'collected files for at most 2,000 devices')

export const FleetImportOutputSchema = z.object({
  devices: z.number().int(),
  newDevices: z.number().int(),
  /** What was read, one entry per export or folder, in plain words. */
  read: z.array(z.object({ source: z.string(), observations: z.number().int(), setAside: z.number().int() })),
  seconds: z.number(),
})
export type FleetImportOutput = z.infer<typeof FleetImportOutputSchema>

/** Training only: the devices of a group whose fix was built report again (a share of them, as a real fleet would). */
export const FleetTrainingReportInputSchema = z
  .object({ cause: Cause, share: z.number().min(0).max(1).optional(), operationId: z.string().max(100).optional() })
  .strict()

export const FleetBuildFixInputSchema = z
  .object({ fleet: FleetNameSchema, cause: Cause, folder: FolderHandleSchema })
  .strict()

export const FleetFixFileSchema = z.object({
  name: z.string(),
  /** What it is for and how the admin's tool takes it, in plain words. */
  does: z.string(),
  content: z.string(),
})
export const FleetBuildFixOutputSchema = z.object({
  folderLabel: z.string(),
  devices: z.number().int(),
  files: z.array(FleetFixFileSchema),
  notes: z.array(z.string()),
  at: z.string(),
})
export type FleetBuildFixOutput = z.infer<typeof FleetBuildFixOutputSchema>

export const FleetReportInputSchema = z
  .object({ fleet: FleetNameSchema, format: z.enum(['html', 'csv', 'json']) })
  .strict()
export const FleetReportOutputSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  content: z.string(),
  /** Where the app's save dialog put it; null in the preview (the page downloads it) or when cancelled. */
  savedTo: z.string().nullable(),
  saveStatus: z.enum(['saved', 'cancelled', 'unavailable']),
})
