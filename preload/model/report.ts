/**
 * The report for a ticket: machine facts, findings with evidence, what was done (install journals),
 * each step's result, and verification — as JSON, as one self-contained HTML file, and as a short
 * "copy summary" text. Also the `exportReport` call's input and output.
 */
import { z } from 'zod'
import { EvidenceSchema, MachineRefSchema } from './common.ts'
import { FindingSchema } from './diagnosis.ts'
import { MachineSnapshotSchema } from './snapshot.ts'
import { RunRecordSchema, RunRecordStepSchema } from './run-record.ts'

export const REPORT_SCHEMA_VERSION = 1

/** One step of a run as the report shows it: the run reader's step (run-record.ts) without its resume details. */
export const ReportStepSchema = RunRecordStepSchema.omit({ rechecked: true, destructive: true })
export type ReportStep = z.infer<typeof ReportStepSchema>

/** One installation (one journal): its plan's targets, where it stands, and each step's result. */
export const ReportActionSchema = z.object({
  /** An install plan's run (install journal) or a WinRE repair's run (WinRE run journal). */
  kind: z.enum(['install', 'winre-repair']).default('install'),
  planId: z.string(),
  targets: z.array(z.string()),
  status: z.string(),
  updatedAt: z.string().nullable(),
  steps: z.array(ReportStepSchema),
  verification: z.object({ verified: z.boolean(), detail: z.string() }).nullable(),
})
export type ReportAction = z.infer<typeof ReportActionSchema>

/** A check that the machine is now healthy, read from the snapshot; `ok: null` when the fact is unknown. */
export const ReportCheckSchema = z.object({
  id: z.string(),
  label: z.string(),
  ok: z.boolean().nullable(),
  /**
   * How bad a check that does not pass is, in the Overview's levels (ok, warn = Attention, bad = Problem, unknown): an
   * area's check is its tile's level, so one thing has one word on every screen. Absent in reports written before.
   */
  level: z.enum(['ok', 'warn', 'bad', 'unknown']).optional(),
  detail: z.string(),
  /** The identifiers behind the detail (error codes, service names): the report shows them on a technical line. */
  technical: z.string().optional(),
})
export type ReportCheck = z.infer<typeof ReportCheckSchema>

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.string(),
  appVersion: z.string(),
  /** Plain words: "Training machine — …", "This PC — …", "Snapshot from another PC — …". */
  machineLabel: z.string(),
  snapshot: MachineSnapshotSchema,
  diagnosis: z.object({
    /** False when no diagnosis engine ran (then `findings` is empty and `notes` says why). */
    available: z.boolean(),
    findings: z.array(FindingSchema),
    notes: z.array(z.string()),
  }),
  /** The cause the diagnosis ranked first, or null. */
  topCause: z
    .object({ id: z.string(), title: z.string(), technical: z.string(), codes: z.array(z.string()) })
    .nullable(),
  actions: z.array(ReportActionSchema),
  /** Every run on the machine (installs, WinRE repairs, Fix-it repairs) from one reader (main/report/journals.ts readRunRecords). */
  runs: z.array(RunRecordSchema).default([]),
  /**
   * The error the ticket is about: the first failure recorded (a failed install step, else the newest failed
   * update in the history, else the top cause's code), kept after the fix so the ticket still names it.
   */
  originalError: z.object({ code: z.string(), source: z.string(), cause: z.string().nullable() }).nullable(),
  verification: z.object({
    /** `healthy`: every known check passes; `problems`: at least one fails; `unknown`: nothing could be checked. */
    status: z.enum(['healthy', 'update-available', 'problems', 'unknown']),
    checks: z.array(ReportCheckSchema),
  }),
  /** Facts that could not be read, with the reason. */
  unknownFacts: z.array(z.object({ fact: z.string(), reason: z.string(), evidence: z.array(EvidenceSchema) })),
})
export type Report = z.infer<typeof ReportSchema>

export const ReportFormatSchema = z.enum(['html', 'json', 'summary'])
export type ReportFormat = z.infer<typeof ReportFormatSchema>

export const ExportReportInputSchema = z
  .object({
    machine: MachineRefSchema,
    format: ReportFormatSchema,
    /** In the app: ask the main process to save the file (a save dialog). In the preview the page downloads it. */
    save: z.boolean().optional(),
  })
  .strict()
export type ExportReportInput = z.infer<typeof ExportReportInputSchema>

export const ExportReportOutputSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  content: z.string(),
  /** The short text for a ticket (always included, whatever the format). */
  summary: z.string(),
  topCause: ReportSchema.shape.topCause,
  /** False when no diagnosis engine ran: then a null topCause means "not diagnosed", not "no problem". */
  diagnosisAvailable: z.boolean(),
  verificationStatus: z.enum(['healthy', 'update-available', 'problems', 'unknown']),
  /** Where the main process saved the file, or null (not asked, cancelled, or no saver in this front end). */
  savedPath: z.string().nullable(),
  /** `unavailable`: this front end cannot save (the page then offers the file as a download). */
  saveStatus: z.enum(['not-asked', 'saved', 'cancelled', 'unavailable']),
})
export type ExportReportOutput = z.infer<typeof ExportReportOutputSchema>
