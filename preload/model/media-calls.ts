/**
 * Installation media (issue 31) at the app's boundary: the media the app can read, a medium's layers
 * (main/media/read.ts) with the facts the picture needs (file system, install.wim's size against FAT32's
 * file limit), and the update plan (main/media/plan.ts): steps as intent, each with its command for people.
 * The renderer names a medium by its name only; main resolves it (never a path from the renderer).
 */
import { z } from 'zod'
import { KbSchema } from './common.ts'

/** A medium's name as `media list` gives it (a training medium's name). */
export const MediumNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a medium name from media list')

export const MediumArchSchema = z.enum(['x64', 'arm64'])
export type MediumArch = z.infer<typeof MediumArchSchema>

export const MediaListSchema = z.object({
  media: z.array(z.object({ name: z.string(), title: z.string(), root: z.string(), fileSystem: z.string(), kind: z.literal('training') })),
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
  targetKb: z.string().nullable(),
  layers: z.array(MediumLayerSchema),
  staleMounts: z.array(z.string()),
  warnings: z.array(z.string()),
})
export type MediumScan = z.infer<typeof MediumScanSchema>

/** What the picture needs beside the layers: the .wim files' sizes and the largest file the medium's file system holds. */
export const MediumFilesSchema = z.object({
  installFileBytes: z.number().nonnegative().nullable(),
  bootFileBytes: z.number().nonnegative().nullable(),
  workFreeBytes: z.number().nonnegative().nullable(),
  /** FAT32's largest file (4 GiB - 1 byte), or null on a file system without such a limit. */
  maxFileBytes: z.number().positive().nullable(),
})
export type MediumFiles = z.infer<typeof MediumFilesSchema>

export const MediaScanInputSchema = z.object({ medium: MediumNameSchema, kb: KbSchema.optional() }).strict()
export const MediaScanOutputSchema = z.object({ scan: MediumScanSchema, files: MediumFilesSchema })
export type MediaScanOutput = z.infer<typeof MediaScanOutputSchema>

export const MediaImageRefSchema = z.enum(['winre', 'boot', 'install'])
export type MediaImageRef = z.infer<typeof MediaImageRefSchema>

export const MediaPackageRefSchema = z.object({ kb: z.string(), arch: MediumArchSchema, role: z.enum(['checkpoint', 'lcu', 'safe-os', 'setup-du']) })

const at = { image: MediaImageRefSchema, index: z.number().int().positive() }
/** One step of the media update, as intent (main/media/plan.ts `MediaStep`). */
export const MediaStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cleanup-mountpoints') }),
  z.object({ kind: z.literal('mount'), ...at, readOnly: z.boolean().optional() }),
  z.object({ kind: z.literal('extract-winre'), index: z.number().int().positive() }),
  z.object({ kind: z.literal('unmount-discard'), ...at }),
  z.object({ kind: z.literal('add-package'), ...at, package: MediaPackageRefSchema }),
  z.object({ kind: z.literal('cleanup-image'), ...at, resetBase: z.boolean() }),
  z.object({ kind: z.literal('copy-winre'), index: z.number().int().positive() }),
  z.object({ kind: z.literal('unmount-commit'), ...at }),
  z.object({ kind: z.literal('export'), ...at }),
  z.object({ kind: z.literal('expand-setup-du'), package: MediaPackageRefSchema }),
  z.object({ kind: z.literal('split-image'), maxMb: z.number().int().positive() }),
])
export type MediaStep = z.infer<typeof MediaStepSchema>

export const MediaPlanSchema = z.object({
  medium: z.string(),
  arch: MediumArchSchema,
  targetKb: z.string(),
  steps: z.array(MediaStepSchema),
  /** Each step's exact command line (for people; the runner rebuilds argv from the step). */
  commands: z.array(z.string()),
  space: z.object({ neededBytes: z.number(), freeBytes: z.number().nullable(), enough: z.boolean().nullable() }),
  notes: z.array(z.string()),
}).refine((p) => p.commands.length === p.steps.length, { message: 'one command per step' })
export type MediaPlan = z.infer<typeof MediaPlanSchema>

export const MediaPlanInputSchema = z.object({ medium: MediumNameSchema, kb: KbSchema, setupDu: KbSchema.optional() }).strict()
export const MediaPlanOutputSchema = z.object({ scan: MediumScanSchema, files: MediumFilesSchema, plan: MediaPlanSchema })
export type MediaPlanOutput = z.infer<typeof MediaPlanOutputSchema>
