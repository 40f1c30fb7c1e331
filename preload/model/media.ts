/**
 * A media update: its journal (steps as intent, never commands), the progress it reports and the
 * report for the ticket. main/media/update.ts writes and reads the journal; every command is rebuilt from a
 * step's intent by main/media/plan.ts's one command builder when the step runs.
 */
import { z } from 'zod'

export const MEDIA_JOURNAL_FORMAT = 1

const ImageRefSchema = z.enum(['winre', 'boot', 'install'])
const MediumArchSchema = z.enum(['x64', 'arm64'])
const Kb = z.string().regex(/^KB\d{6,8}$/)
const Index = z.number().int().min(1).max(64)

export const MediaPackageRefSchema = z.object({
  kb: Kb,
  arch: MediumArchSchema,
  role: z.enum(['checkpoint', 'lcu', 'safe-os', 'setup-du']),
})

/** One step of a media update, as intent: the plan's kinds and the runner's own (copy in, stage, write back). */
export const MediaStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cleanup-mountpoints') }),
  z.object({ kind: z.literal('join-swm'), index: Index }),
  z.object({ kind: z.literal('mount'), image: ImageRefSchema, index: Index, readOnly: z.boolean().optional() }),
  z.object({ kind: z.literal('extract-winre'), index: Index }),
  z.object({ kind: z.literal('unmount-discard'), image: ImageRefSchema, index: Index }),
  z.object({ kind: z.literal('add-package'), image: ImageRefSchema, index: Index, package: MediaPackageRefSchema }),
  z.object({ kind: z.literal('cleanup-image'), image: ImageRefSchema, index: Index, resetBase: z.boolean() }),
  z.object({ kind: z.literal('copy-winre'), index: Index }),
  z.object({ kind: z.literal('unmount-commit'), image: ImageRefSchema, index: Index }),
  z.object({ kind: z.literal('export'), image: ImageRefSchema, index: Index }),
  z.object({ kind: z.literal('expand-setup-du'), package: MediaPackageRefSchema }),
  z.object({ kind: z.literal('split-image'), maxMb: z.number().int().min(1).max(4095) }),
  z.object({ kind: z.literal('copy-to-work') }),
  /** One verified package copied into the work folder's `packages` (only administrators write there) before DISM reads it. */
  z.object({ kind: z.literal('copy-package'), package: MediaPackageRefSchema }),
  z.object({ kind: z.literal('stage'), split: z.boolean() }),
  z.object({ kind: z.literal('write-back') }),
])
export type MediaRunStep = z.infer<typeof MediaStepSchema>

export const MediaStepResultSchema = z.object({
  outcome: z.enum(['done', 'rechecked', 'failed', 'refused']),
  exitCode: z.number().int().nullable(),
  /** The last lines of the command's output, or the re-check's answer. */
  output: z.string().max(4000),
})
export type MediaStepResult = z.infer<typeof MediaStepResultSchema>

export const MediaPackageFileSchema = z.object({
  kb: Kb,
  arch: MediumArchSchema,
  role: MediaPackageRefSchema.shape.role,
  fileName: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
})
export type MediaPackageFile = z.infer<typeof MediaPackageFileSchema>

export const MediaLayerVersionSchema = z.object({
  layer: z.enum(['install', 'boot', 'winre', 'setup']),
  index: z.number().int().nullable(),
  name: z.string().nullable(),
  version: z.string().nullable(),
})
export type MediaLayerVersion = z.infer<typeof MediaLayerVersionSchema>

/** A media run's plan as the one journal holds it (preload/model/run-journal.ts, kind `media`): intent only. */
export const MediaRunPlanSchema = z
  .object({
    format: z.literal(MEDIA_JOURNAL_FORMAT),
    medium: z.string().regex(/^[a-z0-9-]{1,64}$/),
    arch: MediumArchSchema,
    targetKb: Kb,
    setupDu: Kb.nullable(),
    /** The work folder (a folder of its own for each run). */
    work: z.string(),
    steps: z.array(z.object({ id: z.string().regex(/^s\d{2,3}-[a-z0-9-]{1,60}$/), step: MediaStepSchema })),
    packages: z.array(MediaPackageFileSchema),
    /** Every layer's version when the run was planned (the report's "before"). */
    before: z.array(MediaLayerVersionSchema),
  })
  .strict()
export type MediaRunPlan = z.infer<typeof MediaRunPlanSchema>

export const MEDIA_RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const
export const MediaVerificationSchema = z
  .object({ verified: z.boolean(), detail: z.string(), checkedAt: z.string() })
  .strict()

/** Progress of a media update, step by step (for the app's Media screen). */
export interface MediaProgress {
  runId: string
  stepId: string
  index: number
  total: number
  phase: 'started' | 'finished'
  title: string
  /** Which image the step works on (`install.wim #2`, `boot.wim #1`, `winre.wim`, `the medium`). */
  image: string
  result?: MediaStepResult
}
