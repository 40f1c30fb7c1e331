/**
 * Installation media at the app's boundary: the media the app can read, a medium's layers
 * (main/media/read.ts) with the facts the picture needs (file system, install.wim's size against FAT32's
 * file limit), and the update plan (main/media/plan.ts): steps as intent, each with its command for people.
 * The renderer names a medium by its name only; main resolves it (never a path from the renderer).
 */
import { z } from 'zod'
import { KbSchema } from './common.ts'
import { MediaPackageFileSchema, MediaStepSchema } from './media.ts'
import { FolderHandleSchema } from './folders.ts'

/** A medium's name as `media list` gives it (a training medium's name). */
export const MediumNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a medium name from media list')

export const MediumArchSchema = z.enum(['x64', 'arm64'])
export type MediumArch = z.infer<typeof MediumArchSchema>

export const MediaListSchema = z.object({
  media: z.array(
    z.object({
      name: z.string(),
      title: z.string(),
      root: z.string(),
      fileSystem: z.string(),
      kind: z.literal('training'),
      changed: z.boolean().optional(),
    }),
  ),
})
export type MediaList = z.infer<typeof MediaListSchema>

export const MediumLayerSchema = z.object({
  layer: z.enum(['install', 'boot', 'winre', 'setup']),
  file: z.string(),
  /** The index in its .wim (for winre: the install.wim index that holds it). */
  index: z.number().int().nullable(),
  name: z.string().nullable(),
  edition: z.string().nullable(),
  arch: MediumArchSchema.nullable(),
  build: z.number().int().nullable(),
  ubr: z.number().int().nullable(),
  version: z.string().nullable(),
  languages: z.array(z.string()),
  target: z.string().nullable(),
  staleness: z.enum(['current', 'stale', 'unknown']),
  reason: z.string(),
})
export type MediumLayer = z.infer<typeof MediumLayerSchema>

export const MediumScanSchema = z.object({
  name: z.string(),
  title: z.string(),
  root: z.string(),
  fileSystem: z.string(),
  arch: MediumArchSchema.nullable(),
  branchId: z.string().nullable(),
  windows: z.string().nullable(),
  targetKb: z.string().nullable(),
  layers: z.array(MediumLayerSchema),
  staleMounts: z.array(z.string()),
  warnings: z.array(z.string()),
  /** A real folder read without Windows: the steps that need Windows (DISM), in plain words. */
  needsWindows: z.array(z.string()).optional(),
})
export type MediumScan = z.infer<typeof MediumScanSchema>

/** What the picture needs beside the layers: the .wim files' sizes and the largest file the medium's file system holds. */
export const MediumFilesSchema = z.object({
  installFileBytes: z.number().nonnegative().nullable(),
  bootFileBytes: z.number().nonnegative().nullable(),
  workFreeBytes: z.number().nonnegative().nullable(),
  /** FAT32's largest file (4 GiB - 1 byte), or null on a file system without such a limit. */
  maxFileBytes: z.number().positive().nullable(),
  /** A split install image: each install.swm part's bytes (null when install.wim is one file). */
  swmParts: z.array(z.number().nonnegative()).nullable(),
})
export type MediumFiles = z.infer<typeof MediumFilesSchema>

/**
 * A medium by its name (`media list`), or a real folder (a USB stick or an extracted ISO) the person chose in main's
 * own folder dialog (`pickFolder` with purpose `media-read`): the page names no path, only the handle.
 */
export const MediaScanInputSchema = z.union([
  z.object({ medium: MediumNameSchema, kb: KbSchema.optional() }).strict(),
  z.object({ folder: FolderHandleSchema, kb: KbSchema.optional() }).strict(),
])
export const MediaScanOutputSchema = z.object({ scan: MediumScanSchema, files: MediumFilesSchema })
export type MediaScanOutput = z.infer<typeof MediaScanOutputSchema>

/** One step as intent: the plan's kinds and the run's own (issue-31's schema, preload/model/media.ts). */
export const MediaRunStepSchema = MediaStepSchema
export type MediaRunStep = z.infer<typeof MediaStepSchema>
/** A plan step: what `media plan` lists (the run adds copy-to-work, stage and write-back around them). */
export type MediaStep = Exclude<MediaRunStep, { kind: 'copy-to-work' | 'copy-package' | 'stage' | 'write-back' }>

export const MediaPlanSchema = z
  .object({
    medium: z.string(),
    arch: MediumArchSchema,
    targetKb: z.string(),
    steps: z.array(MediaStepSchema),
    /** Each step's exact command line (for people; the runner rebuilds argv from the step). */
    commands: z.array(z.string()),
    space: z.object({ neededBytes: z.number(), freeBytes: z.number().nullable(), enough: z.boolean().nullable() }),
    notes: z.array(z.string()),
  })
  .refine((p) => p.commands.length === p.steps.length, { message: 'one command per step' })
export type MediaPlan = z.infer<typeof MediaPlanSchema>

export const MediaPlanInputSchema = z.union([
  z.object({ medium: MediumNameSchema, kb: KbSchema, setupDu: KbSchema.optional() }).strict(),
  z.object({ folder: FolderHandleSchema, kb: KbSchema, setupDu: KbSchema.optional() }).strict(),
])
export const MediaPlanOutputSchema = z.object({
  scan: MediumScanSchema,
  files: MediumFilesSchema,
  plan: MediaPlanSchema,
})
export type MediaPlanOutput = z.infer<typeof MediaPlanOutputSchema>

/**
 * `mediaUpdate`: runs the update of a training medium through the engine. `confirmed` is the
 * person's yes to changing the medium; `cleanStaleMount` their yes to DISM /Cleanup-Mountpoints first (a
 * medium with a mount left behind is not touched without it).
 */
export const MediaUpdateInputSchema = z
  .object({
    medium: MediumNameSchema,
    kb: KbSchema,
    operationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    confirmed: z.literal(true),
    cleanStaleMount: z.boolean(),
  })
  .strict()

/** Each layer after the run next to what it was and its target. */
export const MediaLayerProofSchema = z.object({
  layer: z.enum(['install', 'boot', 'winre', 'setup']),
  index: z.number().int().nullable(),
  name: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  target: z.string().nullable(),
  atTarget: z.boolean().nullable(),
})
export type MediaLayerProof = z.infer<typeof MediaLayerProofSchema>

export const MediaUpdateOutputSchema = z.object({
  status: z.enum(['completed', 'failed', 'cancelled', 'declined']),
  runId: z.string().nullable(),
  resumed: z.boolean(),
  medium: z.string(),
  targetKb: z.string(),
  layers: z.array(MediaLayerProofSchema),
  packages: z.array(MediaPackageFileSchema),
  swmParts: z.array(z.number()).nullable(),
  mountsLeft: z.array(z.string()),
  verified: z.boolean(),
  problems: z.array(z.string()),
  note: z.string(),
  /** The report for the ticket (plain text). */
  report: z.string(),
})
export type MediaUpdateOutput = z.infer<typeof MediaUpdateOutputSchema>

/** The `mediaProgress` event: one step of a media update started or finished; the first event of a run carries every step. */
export const MediaProgressEventSchema = z.object({
  operationId: z.string(),
  runId: z.string(),
  /** 1-based position of the step in the run, of `total`. */
  number: z.number().int().positive(),
  total: z.number().int().positive(),
  phase: z.enum(['started', 'finished']),
  title: z.string(),
  step: MediaRunStepSchema,
  outcome: z.enum(['done', 'rechecked', 'failed', 'refused']).nullable(),
  steps: z.array(MediaRunStepSchema).optional(),
  /** With `steps`: the steps an earlier, stopped run of this update finished already (a continued run does not run them again). */
  finishedBefore: z
    .array(
      z.object({ number: z.number().int().positive(), outcome: z.enum(['done', 'rechecked', 'failed', 'refused']) }),
    )
    .optional(),
})
export type MediaProgressEvent = z.infer<typeof MediaProgressEventSchema>

export const MediaResetInputSchema = z.object({ medium: MediumNameSchema }).strict()
export const MediaResetOutputSchema = z.object({ medium: z.string() })
