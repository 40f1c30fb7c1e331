/**
 * The one journal format: every run that changes a PC — an install, a WinRE repair, a Fix-it repair
 * (and, next, an installation-media update) — is written by main/runner/journal.ts in this one envelope, before
 * and after every step, atomically, sealed (main/runner/journal-seal.ts).
 *
 * The envelope is the same for every kind: schema and version, kind, id, machine, times, the plan as INTENT (the
 * kind's own plan schema: an install Plan, a WinreRepair, a RepairPlan — never commands: the definition rebuilds
 * every command from it when it runs), the SHA-256 of that plan (`planDigest`, checked on every read), status, one
 * entry shape (started / finished / resumed / restart-requested / restarted / cancelled / verified / ended), each
 * `finished` entry carrying the kind's step result, the verification, and the seal. A new kind is one more member
 * of RUN_JOURNAL_KINDS and one more `envelope(...)` in RunJournalSchema.
 *
 * The three formats written before this one (`<data>/journals/<planId>.json` as JournalSchema,
 * `<data>/winre-repairs/<id>.run.json` as WinreJournalSchema, `<data>/repairs/<runId>.json` as RepairJournalSchema)
 * are read by the store and converted to this envelope (main/runner/journal-views.ts); they are never written again.
 */
import { z } from 'zod'
import { MachineRefSchema } from './common.ts'
import { PlanSchema, StepResultSchema, VerificationSchema } from './plan.ts'
import { WinreRepairSchema, WinreStepRunSchema, WinreVerificationSchema } from './winre.ts'
import { RepairPlanSchema, RepairStepResultSchema, RepairVerificationSchema } from './repair.ts'
import { MEDIA_RUN_STATUSES, MediaRunPlanSchema, MediaStepResultSchema, MediaVerificationSchema } from './media.ts'

export const RUN_JOURNAL_SCHEMA = 'servicing-desk/run-journal'
export const RUN_JOURNAL_SCHEMA_VERSION = 1

/** The kinds of run the engine journals (`media`: the update of an installation medium). */
export const RUN_JOURNAL_KINDS = ['install', 'winre-repair', 'repair', 'media'] as const
export const RunJournalKindSchema = z.enum(RUN_JOURNAL_KINDS)
export type RunJournalKind = z.infer<typeof RunJournalKindSchema>

/** Every status any kind uses; each kind's envelope narrows it to its own. */
export const RunJournalStatusSchema = z.enum([
  'pending',
  'running',
  'awaiting-restart',
  'completed',
  'failed',
  'cancelled',
  'abandoned',
])
export type RunJournalStatus = z.infer<typeof RunJournalStatusSchema>

export const RunJournalIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/)
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/)

/** One journal line, the same for every kind; `finished` carries the kind's step result. */
export function runJournalEntrySchema<R extends z.ZodTypeAny, S extends z.ZodTypeAny>(result: R, status: S) {
  return z.discriminatedUnion('phase', [
    /** Written before the command runs: a `started` with no `finished` after it is an interrupted step (re-checked, never rerun blindly). */
    z
      .object({ phase: z.literal('started'), at: z.string(), stepId: z.string(), attempt: z.number().int().min(1) })
      .strict(),
    z
      .object({
        phase: z.literal('finished'),
        at: z.string(),
        stepId: z.string(),
        result,
        exitCode: z.number().int().nullable(),
        durationMs: z.number().nonnegative(),
        /** True when the result came from re-checking the machine after a crash, not from the command. */
        rechecked: z.boolean(),
      })
      .strict(),
    z.object({ phase: z.literal('resumed'), at: z.string(), note: z.string() }).strict(),
    z.object({ phase: z.literal('restart-requested'), at: z.string(), afterStepId: z.string().nullable() }).strict(),
    z
      .object({
        phase: z.literal('restarted'),
        at: z.string(),
        build: z.number().int().nullable(),
        ubr: z.number().int().nullable(),
      })
      .strict(),
    z.object({ phase: z.literal('cancelled'), at: z.string() }).strict(),
    z.object({ phase: z.literal('verified'), at: z.string(), verified: z.boolean(), detail: z.string() }).strict(),
    z.object({ phase: z.literal('ended'), at: z.string(), status, note: z.string() }).strict(),
  ])
}

/** The envelope of one kind: the same fields for every kind, the kind's plan, status, step result and verification. */
export function runJournalEnvelope<
  K extends RunJournalKind,
  P extends z.ZodTypeAny,
  S extends z.ZodTypeAny,
  R extends z.ZodTypeAny,
  V extends z.ZodTypeAny,
>(kind: K, plan: P, status: S, result: R, verification: V) {
  return z
    .object({
      schema: z.literal(RUN_JOURNAL_SCHEMA),
      schemaVersion: z.literal(RUN_JOURNAL_SCHEMA_VERSION),
      kind: z.literal(kind),
      id: RunJournalIdSchema,
      /** The machine the run changes (null: an install plan made for a snapshot, which runs nowhere). */
      machine: MachineRefSchema.nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
      /** SHA-256 of the plan's canonical JSON: recomputed on every read, so a plan edited in the file is refused. */
      planDigest: Hex64,
      plan,
      status,
      entries: z.array(runJournalEntrySchema(result, status)),
      verification: verification.nullable(),
      /** The app's seal over the rest (main/runner/journal-seal.ts): HMAC-SHA256 under a key only the app can use. */
      seal: Hex64.optional(),
    })
    .strict()
}

export const InstallRunJournalSchema = runJournalEnvelope(
  'install',
  PlanSchema,
  z.enum(['pending', 'running', 'awaiting-restart', 'completed', 'failed', 'cancelled']),
  StepResultSchema,
  VerificationSchema,
)
export const WinreRunJournalSchema = runJournalEnvelope(
  'winre-repair',
  WinreRepairSchema,
  z.enum(['running', 'completed', 'failed', 'cancelled', 'abandoned']),
  WinreStepRunSchema,
  WinreVerificationSchema.unwrap(),
)
export const RepairRunJournalSchema = runJournalEnvelope(
  'repair',
  RepairPlanSchema,
  z.enum(['running', 'completed', 'failed', 'cancelled']),
  RepairStepResultSchema,
  RepairVerificationSchema,
)

export const MediaRunJournalSchema = runJournalEnvelope(
  'media',
  MediaRunPlanSchema,
  z.enum(MEDIA_RUN_STATUSES),
  MediaStepResultSchema,
  MediaVerificationSchema,
)

/** The one journal schema: the envelope, by kind. */
export const RunJournalSchema = z.discriminatedUnion('kind', [
  InstallRunJournalSchema,
  WinreRunJournalSchema,
  RepairRunJournalSchema,
  MediaRunJournalSchema,
])
export type RunJournal = z.infer<typeof RunJournalSchema>
export type RunJournalOf<K extends RunJournalKind> = Extract<RunJournal, { kind: K }>
export type RunJournalEntryOf<K extends RunJournalKind> = RunJournalOf<K>['entries'][number]

/** What the store did with a journal in an old format it could not convert: moved it aside, with a plain note. */
export const ArchivedJournalSchema = z
  .object({
    kind: RunJournalKindSchema,
    id: z.string(),
    /** Where it was (relative to the data folder) and where it is now. */
    from: z.string(),
    to: z.string(),
    at: z.string(),
    note: z.string(),
  })
  .strict()
export type ArchivedJournal = z.infer<typeof ArchivedJournalSchema>
