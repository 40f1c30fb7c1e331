/**
 * WinRE health and guided repairs: the verdict against the expected version, findings, and the repair
 * with every command visible before anything runs.
 *
 * Steps use the install plan's step format (`PlanStepSchema`, preload/model/plan.ts) with the step kinds
 * a WinRE repair needs added (`reagentc`, `diskpart`, `script`, `check`); the install Plan itself needs a
 * KB target and package-level verification, which an enable or a partition resize does not have.
 */
import { z } from 'zod'
import { MachineRefSchema, KbSchema } from './common.ts'
import { DiskSchema, WinreFactSchema } from './snapshot.ts'
import { PlanStepSchema, StepKindSchema } from './plan.ts'

import { WINRE_REQUIRED_FREE_BYTES } from './winre-limits.ts'

export { WINRE_REQUIRED_FREE_BYTES }

export const WinreExpectedSchema = z.object({
  verdict: z.enum(['current', 'stale', 'unknown']),
  reason: z.string(),
  /** The Safe OS Dynamic Update that brings this branch current, and the WinRE version it installs. */
  kb: KbSchema.nullable(),
  version: z.string().nullable(),
  released: z.string().nullable(),
  verified: z.boolean().nullable(),
  branch: z.string().nullable(),
  asOf: z.string(),
})
export type WinreExpected = z.infer<typeof WinreExpectedSchema>

export const WinreFindingIdSchema = z.enum([
  'unreadable',
  'disabled',
  'image-missing',
  'partition-too-small',
  'partition-before-os',
  'on-os-partition',
  'other-disk',
  'stale',
  'version-unknown',
  'sources-disagree',
  'boot-after-revocation',
])
export type WinreFindingId = z.infer<typeof WinreFindingIdSchema>

export const WinreFindingSchema = z.object({
  id: WinreFindingIdSchema,
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  title: z.string(),
  detail: z.string(),
})
export type WinreFinding = z.infer<typeof WinreFindingSchema>

export const WinreHealthSchema = z.object({
  machine: z.object({
    name: z.string(),
    title: z.string(),
    build: z.number().int().nullable(),
    displayVersion: z.string().nullable(),
  }),
  /** The WinRE fact from the scan, or null with `unreadableReason`. */
  winre: WinreFactSchema.nullable(),
  unreadableReason: z.string().nullable(),
  expected: WinreExpectedSchema,
  requiredFreeBytes: z.number(),
  findings: z.array(WinreFindingSchema),
  /** True when nothing needs doing. */
  healthy: z.boolean(),
})
export type WinreHealth = z.infer<typeof WinreHealthSchema>

export const WinreStepKindSchema = z.enum([...StepKindSchema.options, 'reagentc', 'diskpart', 'script', 'check'])
export type WinreStepKind = z.infer<typeof WinreStepKindSchema>

/**
 * What a WinRE step does, from an allowlist: the command builder (main/winre/step-builder.ts) derives the
 * program and argv from it (and from the repair's Safe OS package and the `resize` numbers) when the step
 * runs; the stored `command` is for people and must equal the builder's, or the repair or its run journal is refused.
 */
export const WinreOpSchema = z.enum([
  'reagentc-disable',
  'reagentc-enable',
  'reagentc-info',
  'write-diskpart-script',
  'diskpart',
  'create-work-dir',
  'dism-mount-image',
  'dism-add-package',
  'dism-cleanup-image',
  'dism-unmount-image',
  'dism-get-imageinfo',
])
export type WinreOp = z.infer<typeof WinreOpSchema>

/** The KB5028997 resize's numbers (the diskpart script is built from them, never stored as text to run). */
export const WinreResizeSchema = z
  .object({
    disk: z.number().int().nonnegative(),
    osPartition: z.number().int().positive(),
    recoveryPartition: z.number().int().positive(),
    gpt: z.boolean(),
  })
  .strict()
export type WinreResize = z.infer<typeof WinreResizeSchema>

export const WinreRepairStepSchema = PlanStepSchema.extend({
  kind: WinreStepKindSchema,
  /** Which finding this step serves. */
  forFinding: WinreFindingIdSchema,
  op: WinreOpSchema,
  /** For `write-diskpart-script`: the resize it writes; null otherwise. */
  resize: WinreResizeSchema.nullable(),
}).strict()
export type WinreRepairStep = z.infer<typeof WinreRepairStepSchema>

export const WinreRepairSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    createdAt: z.string(),
    machine: z.object({ ref: MachineRefSchema.nullable(), name: z.string() }),
    /** The findings the repair addresses, in order. */
    addresses: z.array(WinreFindingIdSchema),
    steps: z.array(WinreRepairStepSchema),
    /** BitLocker, backup and power warnings, shown before the confirm. */
    warnings: z.array(z.string()),
    /** What needs a person (e.g. restoring winre.wim from media); never an automatic step. */
    manual: z.array(z.object({ title: z.string(), detail: z.string() })),
    /** The disk as it is, and as the resize will leave it (null when the repair does not touch partitions). */
    layoutBefore: DiskSchema.nullable(),
    layoutAfter: DiskSchema.nullable(),
    /** The Safe OS package the repair adds, and where it comes from. */
    safeOsPackage: z
      .object({
        kb: KbSchema,
        fileName: z.string(),
        path: z.string(),
        source: z.enum(['local-catalog', 'download-cache', 'by-name']),
        /** Hashes and size from elsewhere (the Catalog); the file is re-hashed right before the step that adds it. */
        sha1: z
          .string()
          .regex(/^[0-9a-f]{40}$/)
          .nullable()
          .optional(),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .nullable()
          .optional(),
        sizeBytes: z.number().int().nonnegative().nullable().optional(),
      })
      .strict()
      .nullable(),
    expected: z.object({ status: z.literal('enabled'), version: z.string().nullable(), minFreeBytes: z.number() }),
    /** Why no repair can run (null when it can). */
    refused: z.string().nullable(),
    notes: z.array(z.string()),
  })
  .strict()
export type WinreRepair = z.infer<typeof WinreRepairSchema>

export const WinreStepRunSchema = z.object({
  stepId: z.string(),
  commandLine: z.string(),
  exitCode: z.number().int().nullable(),
  ok: z.boolean(),
  durationMs: z.number(),
  /** The last lines of the command's output (for a re-checked step: what the re-check found). */
  output: z.string(),
  /** True when the step was not run again after a crash because the machine showed it had taken effect. */
  rechecked: z.boolean().default(false),
})
export type WinreStepRun = z.infer<typeof WinreStepRunSchema>

export const WinreRunSchema = z.object({
  repairId: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  results: z.array(WinreStepRunSchema),
  /** How it was run: the install executor, or step by step through the Host (stopping at the first failure). */
  runner: z.enum(['install-executor', 'host-sequence']),
  /** True when this call finished a run that an earlier process had started (resumed from its journal). */
  resumed: z.boolean().default(false),
  verification: z
    .object({
      verified: z.boolean(),
      detail: z.string(),
      after: z.object({
        status: z.string(),
        version: z.string().nullable(),
        freeBytes: z.number().nullable(),
        partition: z.number().int().nullable(),
      }),
    })
    .nullable(),
})
export type WinreRun = z.infer<typeof WinreRunSchema>

export const WinreVerificationSchema = WinreRunSchema.shape.verification

/**
 * The run journal: `<dataDir>/winre-repairs/<id>.run.json`, rewritten atomically before and after every
 * step (main/winre/run-journal.ts). It holds the repair it runs, so a resume follows it, not a new plan.
 */
export const WINRE_JOURNAL_SCHEMA_VERSION = 2
export const WinreJournalStatusSchema = z.enum(['running', 'completed', 'failed', 'cancelled', 'abandoned'])
export type WinreJournalStatus = z.infer<typeof WinreJournalStatusSchema>
export const WinreJournalEntrySchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('started'), at: z.string(), stepId: z.string(), attempt: z.number().int().min(1) }),
  z.object({ phase: z.literal('finished'), at: z.string(), stepId: z.string(), run: WinreStepRunSchema }),
  z.object({ phase: z.literal('resumed'), at: z.string(), note: z.string() }),
  z.object({ phase: z.literal('ended'), at: z.string(), status: WinreJournalStatusSchema, note: z.string() }),
])
export type WinreJournalEntry = z.infer<typeof WinreJournalEntrySchema>
export const WinreJournalSchema = z
  .object({
    schemaVersion: z.literal(WINRE_JOURNAL_SCHEMA_VERSION),
    repairId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    machine: MachineRefSchema,
    repair: WinreRepairSchema,
    status: WinreJournalStatusSchema,
    entries: z.array(WinreJournalEntrySchema),
    verification: WinreVerificationSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    /** The app's seal over the rest (main/runner/journal-seal.ts): HMAC-SHA256 under a key only the app can use. */
    seal: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict()
export type WinreJournal = z.infer<typeof WinreJournalSchema>

/** A run that did not reach its end (the process died, or it was cancelled between steps). */
export const WinreInterruptedSchema = z.object({
  repairId: z.string(),
  status: z.enum(['running', 'cancelled']),
  /** 1-based number of the step that was running (or would have run next) when it stopped. */
  stepNumber: z.number().int().min(1),
  stepId: z.string(),
  stepTitle: z.string(),
  /** True when that step had started and has no recorded end (it is re-checked on the machine before anything runs). */
  duringStep: z.boolean(),
  done: z.number().int(),
  total: z.number().int(),
  updatedAt: z.string(),
  /** What to tell the person, e.g. "A repair was interrupted at step 3 of 11 (…); run it again to finish." */
  message: z.string(),
})
export type WinreInterrupted = z.infer<typeof WinreInterruptedSchema>

/** Health and the repair; when a run was interrupted, `repair` is that run's repair and running it again finishes it. */
export const WinreReportSchema = z.object({
  health: WinreHealthSchema,
  repair: WinreRepairSchema,
  interrupted: WinreInterruptedSchema.nullable().default(null),
})
export type WinreReport = z.infer<typeof WinreReportSchema>

export const WinreInputSchema = z.object({ machine: MachineRefSchema }).strict()
export const WinreRepairOutputSchema = WinreRunSchema.extend({ report: WinreReportSchema })
export type WinreRepairOutput = z.infer<typeof WinreRepairOutputSchema>

export const WinreRepairInputSchema = z
  .object({
    machine: MachineRefSchema,
    /** The repair the user saw; it must still match the machine (it is re-planned and compared), unless its run was interrupted: then it is resumed from its journal. */
    repairId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    /** The user pressed the confirm button after reading the commands. */
    confirmed: z.literal(true),
  })
  .strict()

/** Gives up an interrupted run (the Recovery screen's "Give up this repair", the CLI's `winre repair --abandon`). */
export const WinreAbandonInputSchema = z
  .object({
    machine: MachineRefSchema,
    /** The interrupted repair the user saw; one that is not interrupted (finished, never run, given up already) is refused. */
    repairId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    /** The user confirmed after reading what giving up means. */
    confirmed: z.literal(true),
  })
  .strict()
/** Where the given-up run had stopped; the next report plans a new repair from a fresh scan. */
export const WinreAbandonOutputSchema = z.object({ abandoned: WinreInterruptedSchema })
export type WinreAbandonOutput = z.infer<typeof WinreAbandonOutputSchema>
