/**
 * Repairs run by main/repair (restart, restore-health, …): the plan (steps as intent, never commands),
 * its run journal, and what `repairs` / `repair` and the app's Fix-it flow show.
 *
 * A step is intent: a kind from main/repair/step-kinds.ts's allowlist and typed params that kind parses.
 * `commandLine` fields are display only, derived again from the intent whenever a plan is shown; nothing
 * here is ever executed as given.
 */
import { z } from 'zod'
import { MachineRefSchema } from './common.ts'
import { RepairIdSchema, RemedyStepSchema } from './diagnosis.ts'

export const REPAIR_JOURNAL_SCHEMA_VERSION = 1

/** The repair ids main/repair runs (its definitions): their Fix it opens the repair screen. The list is repair-ids.ts's. */
export { REPAIR_RUNNER_IDS } from './repair-ids.ts'

export const RepairStepIntentSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/),
  kind: z.string().regex(/^[a-z0-9-]{1,40}$/),
  params: z.record(z.string(), z.unknown()),
  title: z.string(),
  explanation: z.string(),
  /** `always`, or only while the last assessment does not say healthy (a ladder's rung). */
  gate: z.enum(['always', 'while-broken']),
  /** A failure does not end the run (the next rung tries). */
  mayFail: z.boolean(),
  /** Changes the machine (false: reads or prepares only). */
  destructive: z.boolean(),
})
export type RepairStepIntent = z.infer<typeof RepairStepIntentSchema>

export const ManualStepSchema = z.object({
  title: z.string(),
  detail: z.string(),
  commands: z.array(z.string()),
  /** The update this step installs (a run's end screen offers it as an Install button, not a command line). */
  kb: z
    .string()
    .regex(/^KB\d{6,8}$/)
    .optional(),
})
export type ManualStep = z.infer<typeof ManualStepSchema>

export const RepairPlanSchema = z.object({
  repairId: RepairIdSchema,
  title: z.string(),
  summary: z.string(),
  machine: MachineRefSchema,
  /** Why it is offered on this PC (the finding it answers). */
  reason: z.string(),
  steps: z.array(RepairStepIntentSchema),
  warnings: z.array(z.string()),
  /** What a person does by hand when the run cannot (texts only, never run). */
  manual: z.array(ManualStepSchema),
  /** Set when the repair cannot run here, with the reason. */
  refused: z.string().nullable(),
  createdAt: z.string(),
})
export type RepairPlan = z.infer<typeof RepairPlanSchema>

/** A step as shown: its intent and the command built from it now. */
export const RepairStepViewSchema = RepairStepIntentSchema.extend({ commandLine: z.string() })
export type RepairStepView = z.infer<typeof RepairStepViewSchema>

export const RepairOfferSchema = z.object({
  repairId: RepairIdSchema,
  title: z.string(),
  summary: z.string(),
  reason: z.string(),
  refused: z.string().nullable(),
  warnings: z.array(z.string()),
  manual: z.array(ManualStepSchema),
  steps: z.array(RepairStepViewSchema),
  /** A destructive repair's step as the advice registry states it (risk, why it is offered here, what it undoes, how to undo it). */
  risk: RemedyStepSchema.optional(),
  /** An unfinished run of this repair on this machine: running it again finishes it. */
  unfinished: z
    .object({
      runId: z.string(),
      done: z.number().int(),
      total: z.number().int(),
      message: z.string(),
      /** What the stopped run already did: each finished step's outcome (an interrupted step is not among them). */
      results: z.lazy(() => z.array(RepairStepResultSchema)).optional(),
    })
    .nullable(),
})
export type RepairOffer = z.infer<typeof RepairOfferSchema>

export const RepairOffersSchema = z.object({
  machine: MachineRefSchema,
  machineName: z.string(),
  /** A snapshot runs nothing: its repairs are offered as a PowerShell script to save. */
  readOnly: z.boolean(),
  offers: z.array(RepairOfferSchema),
  /**
   * The other repairs the diagnosis offers now, run from their own screens and commands: the WinRE
   * repair (`winre repair`) and installs (`install --kb`). With `offers`, exactly the Fix-it buttons the app shows.
   */
  elsewhere: z
    .array(
      z.object({
        repairId: RepairIdSchema,
        findingId: z.string(),
        title: z.string(),
        /** The command that runs it, complete (display only). */
        command: z.string(),
        /** For an install: the update it installs (the Install screen opens with it). */
        kb: z
          .string()
          .regex(/^KB\d{6,8}$/)
          .nullable()
          .optional(),
      }),
    )
    .optional(),
})
export type RepairOffers = z.infer<typeof RepairOffersSchema>

export const StoreAssessmentSchema = z.enum(['healthy', 'broken']).nullable()

export const RepairStepResultSchema = z.object({
  stepId: z.string(),
  commandLine: z.string(),
  exitCode: z.number().nullable(),
  /** done: ran and succeeded; not-fixed: a rung that failed (the next one tries); failed: ended the run;
   *  skipped: a rung not needed (already healthy); rechecked: interrupted, found done on the machine. */
  outcome: z.enum(['done', 'not-fixed', 'failed', 'skipped', 'rechecked']),
  ok: z.boolean(),
  assessment: StoreAssessmentSchema,
  durationMs: z.number(),
  /** The last lines of the command's output (or the reason it was skipped / re-checked). */
  output: z.string(),
})
export type RepairStepResult = z.infer<typeof RepairStepResultSchema>

export const RepairJournalEntrySchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('started'), at: z.string(), stepId: z.string(), attempt: z.number().int() }),
  z.object({ phase: z.literal('finished'), at: z.string(), stepId: z.string(), result: RepairStepResultSchema }),
  z.object({ phase: z.literal('resumed'), at: z.string(), note: z.string() }),
  z.object({
    phase: z.literal('ended'),
    at: z.string(),
    status: z.enum(['completed', 'failed', 'cancelled']),
    note: z.string(),
  }),
])
export type RepairJournalEntry = z.infer<typeof RepairJournalEntrySchema>

export const RepairVerificationSchema = z.object({ verified: z.boolean(), detail: z.string(), checkedAt: z.string() })
export type RepairVerification = z.infer<typeof RepairVerificationSchema>

export const RepairJournalStatusSchema = z.enum(['running', 'completed', 'failed', 'cancelled'])
export type RepairJournalStatus = z.infer<typeof RepairJournalStatusSchema>

export const RepairJournalSchema = z.object({
  schemaVersion: z.literal(REPAIR_JOURNAL_SCHEMA_VERSION),
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  repairId: RepairIdSchema,
  machine: MachineRefSchema,
  plan: RepairPlanSchema,
  status: RepairJournalStatusSchema,
  entries: z.array(RepairJournalEntrySchema),
  verification: RepairVerificationSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The app's seal over the rest (main/runner/journal-seal.ts): HMAC-SHA256 under a key only the app can use. */
  seal: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
})
export type RepairJournal = z.infer<typeof RepairJournalSchema>

/** What `repair <id> --json` prints and the app's proof shows. */
export const RepairRunSchema = z.object({
  runId: z.string(),
  repairId: RepairIdSchema,
  status: RepairJournalStatusSchema,
  resumed: z.boolean(),
  verified: z.boolean(),
  verification: RepairVerificationSchema.nullable(),
  steps: z.array(RepairStepViewSchema),
  results: z.array(RepairStepResultSchema),
  manual: z.array(ManualStepSchema),
  /** What to do next (e.g. retry the update that failed), as text and exact commands. */
  next: z.array(ManualStepSchema),
  journal: RepairJournalSchema,
})
export type RepairRun = z.infer<typeof RepairRunSchema>

/** Progress the app shows per step. */
export const RepairProgressSchema = z.object({
  runId: z.string(),
  stepId: z.string(),
  phase: z.enum(['started', 'finished']),
  index: z.number().int(),
  total: z.number().int(),
  line: z.string().nullable(),
  fraction: z.number().nullable(),
})
export type RepairProgress = z.infer<typeof RepairProgressSchema>

/** IPC inputs (zod-validated in main's handler wrapper). */
export const RepairOffersInputSchema = z.object({ machine: MachineRefSchema }).strict()
export const RepairRunInputSchema = z
  .object({
    machine: MachineRefSchema,
    repairId: RepairIdSchema,
    /** The user ticked and pressed the confirm button after reading the steps and commands. */
    confirmed: z.literal(true),
  })
  .strict()
export const RepairScriptInputSchema = z.object({ machine: MachineRefSchema, repairId: RepairIdSchema }).strict()
export const RepairScriptOutputSchema = z.object({
  fileName: z.string(),
  content: z.string(),
  /** Where the app's save dialog put it; null when not saved (no dialog in this front end, or cancelled). */
  savedTo: z.string().nullable(),
})
export type RepairScriptOutput = z.infer<typeof RepairScriptOutputSchema>
