/**
 * Many PCs: what the fleet intake reads (observations of devices, each with its time and source),
 * what it set aside, and what the fleet store answers (devices, groups by cause, proof). These cross the CLI's
 * `--json` and the files the fleet writes, so they are zod schemas (this file imports only zod and siblings).
 */
import { z } from 'zod'

export const FleetSourceSchema = z.enum([
  'collector-line',
  'intune-graph',
  'intune-csv',
  'intune-report',
  'uc-update-alert',
  'uc-client-update-status',
  'uc-service-update-status',
  'wu-history',
  'event-log',
  'configmgr',
  'snapshot',
  'fan-out',
])
export type FleetSource = z.infer<typeof FleetSourceSchema>

export const DeviceIdentitySchema = z.object({
  name: z.string().min(1).max(256),
  aadId: z.string().max(64).nullable(),
  intuneId: z.string().max(64).nullable(),
})
export type DeviceIdentity = z.infer<typeof DeviceIdentitySchema>

/** One thing a source said about one device at one time. */
export const ObservationSchema = z.object({
  device: DeviceIdentitySchema,
  source: FleetSourceSchema,
  /** When the device said it (ISO 8601, UTC): the collector's time, the run state's, the alert's. */
  at: z.string(),
  /** `line`: a collector -Line; `alert`: failure codes from an update alert; `status`: an update's progress; `snapshot`: a collected file; `silent`: assigned, never reported. */
  kind: z.enum(['line', 'alert', 'status', 'snapshot', 'silent']),
  /** The collector line, verbatim (≤ 2,048 characters as Intune keeps it). */
  line: z.string().max(4096).nullable(),
  codes: z.array(z.string().regex(/^0x[0-9A-F]{8}$/)),
  /** An alert's status (`active`, `resolved`), else null. */
  status: z.enum(['active', 'resolved']).nullable(),
  /** A collected file (snapshot) on this computer. */
  file: z.string().nullable(),
  /** What else the row said, in the source's words (a few fields). */
  detail: z.string().max(2000),
})
export type Observation = z.infer<typeof ObservationSchema>

export const RejectedRowSchema = z.object({ row: z.number().int(), error: z.string(), raw: z.string().max(2000) })
export type RejectedRow = z.infer<typeof RejectedRowSchema>

export const IntakeResultSchema = z.object({
  kind: z.string(),
  observations: z.array(ObservationSchema),
  rejected: z.array(RejectedRowSchema),
  notes: z.array(z.string()),
})
export type IntakeResult = z.infer<typeof IntakeResultSchema>

export const DeviceStateSchema = z.enum(['failing', 'fixed', 'healthy', 'not-reported', 'unknown'])

/** Each device once, by its state; `findings` counts the device-cause rows of the problem groups (a device with two problems counts twice). */
export const FleetTotalsSchema = z.object({
  devices: z.number().int(),
  failing: z.number().int(),
  fixed: z.number().int(),
  awaitingReport: z.number().int(),
  unproven: z.number().int(),
  healthy: z.number().int(),
  notReported: z.number().int(),
  /** Reported (an update status, a resolved alert, a detection script's own output) with nothing that names a cause. */
  reported: z.number().int(),
  findings: z.number().int(),
})
export type FleetTotals = z.infer<typeof FleetTotalsSchema>

export const FleetGroupSchema = z.object({
  /** The diagnosed cause (a finding's rule id), or `none` / `not-reported`. */
  cause: z.string(),
  title: z.string(),
  count: z.number().int(),
  share: z.number(),
  failing: z.number().int(),
  fixed: z.number().int(),
  /** The cause proven gone after its fix while the device still has another problem (so not counted as fixed). */
  cleared: z.number().int(),
  /** A report came after the fix, but one that cannot show the cause either way. */
  unproven: z.number().int(),
  notReported: z.number().int(),
  architectures: z.record(z.string(), z.number().int()),
  builds: z.record(z.string(), z.number().int()),
  codes: z.array(z.string()),
  /** The repair the app offers for the cause, or null. */
  repair: z.string().nullable(),
  evidence: z.array(z.object({ source: z.string(), excerpt: z.string() })),
  /** What the evidence cannot tell, in plain words. */
  unknown: z.array(z.string()),
  /** Why devices of this group are not proven fixed (one entry per reason, most devices first) and the next step. */
  why: z.array(z.object({ reason: z.string(), devices: z.number().int(), text: z.string(), next: z.string() })),
})
export type FleetGroup = z.infer<typeof FleetGroupSchema>
