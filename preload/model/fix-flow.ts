/**
 * The technician's flow for a PC they are not sitting at, in the app: save the collector, open the file
 * it wrote (importSnapshot), build the fix package for it, rehearse the package on a model of that PC, and compare the
 * before and after files (the proof). The same services as the CLI's `collector`, `fix-package`, `machines import`
 * and `proof`.
 */
import { z } from 'zod'
import { FolderHandleSchema } from './folders.ts'

const SnapshotIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a snapshot id from importSnapshot')
/** An opaque id of a fix package this session built (main keeps its folder; the page never names a path). */
export const FixPackageIdSchema = z.string().regex(/^fp-[A-Za-z0-9_-]{16,64}$/, 'a fix package id from buildFixPackage')

export const SaveCollectorInputSchema = z.object({}).strict()
export const SaveCollectorOutputSchema = z.object({
  fileName: z.string(),
  /** The script itself: the preview page offers it as a download; the app wrote it where the person chose. */
  content: z.string(),
  /** `saved`: written where the person chose in the app's save dialog (`savedTo` is that path, for display). */
  saveStatus: z.enum(['saved', 'cancelled', 'unavailable']),
  savedTo: z.string().nullable(),
  /** How to run it on the PC, elevated (one command). */
  runCommand: z.string(),
})

export const BuildFixPackageInputSchema = z
  .object({
    snapshot: SnapshotIdSchema,
    /** A folder picked for `fix-package` (pickFolder): empty or new; the zip is written next to it. */
    folder: FolderHandleSchema,
    operationId: z.string().max(64).optional(),
  })
  .strict()
export const BuildFixPackageOutputSchema = z.object({
  id: FixPackageIdSchema,
  computer: z.string(),
  /** Where the folder and the zip are, for display. */
  folderLabel: z.string(),
  zipLabel: z.string(),
  scriptName: z.string(),
  /** How the person at the PC runs it, a step a line (a step's commands after a newline), as README.txt says. */
  runOnPc: z.array(z.string()).optional(),
  /** What the script does on the PC, in this order, in plain words (the package's README.txt says the same). */
  doesInOrder: z.array(z.string()),
  kb: z.string().nullable(),
  files: z.number().int().nonnegative(),
  /** What the package does not do, and why. */
  notes: z.array(z.string()),
})
export type BuildFixPackageOutput = z.infer<typeof BuildFixPackageOutputSchema>

export const ProofSideSchema = z.object({
  takenAt: z.string(),
  build: z.string().nullable(),
  winre: z.string(),
  restartPending: z.boolean().nullable(),
})
const ProofFindingSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string(),
  resolvedBy: z.string().optional(),
})
/** main/fix-package/proof.ts's Proof, as `proof --json` prints it. */
export const ProofSchema = z.object({
  computer: z.string(),
  before: ProofSideSchema,
  after: ProofSideSchema,
  samePc: z.boolean(),
  lostFacts: z.array(z.string()),
  packagesAdded: z.array(z.string()),
  packagesRemoved: z.array(z.string()),
  resolved: z.array(ProofFindingSchema),
  remaining: z.array(ProofFindingSchema),
  added: z.array(ProofFindingSchema),
  /** Work no package can do (a newer build known without its KB): listed, never counted against "fixed". */
  workLeft: z.array(ProofFindingSchema).optional(),
  /**
   * A rehearsal's problems of the first file that the model of the PC does not show: their evidence is not
   * in the snapshot (e.g. no CBS.log), so the rehearsal neither fixed nor proved them. Never counted as resolved.
   */
  notRehearsed: z.array(ProofFindingSchema.extend({ lacks: z.string() })).optional(),
  verdict: z.enum(['fixed', 'partly-fixed', 'not-fixed', 'nothing-to-fix', 'not-proven', 'not-rehearsed']),
})
export type ProofResult = z.infer<typeof ProofSchema>

export const RehearseInputSchema = z
  .object({
    package: FixPackageIdSchema,
    operationId: z.string().max(64).optional(),
  })
  .strict()
export const RehearsalStepSchema = z.object({
  /** What ran, in plain words. */
  title: z.string(),
  /** `not-rehearsed`: the model does not show the problem the step is for (its evidence is not in the snapshot). */
  outcome: z.enum(['verified', 'not-verified', 'failed', 'not-rehearsed']),
  /** What the step showed, in plain words. */
  detail: z.string(),
  /** The same with its identifiers (package names, codes, tools' names), for the "Technical details" disclosure. */
  technical: z.string().optional(),
})
export const RehearseOutputSchema = z.object({
  /** The training machine the rehearsal ran on (a model of that PC, made from its collector file). */
  machine: z.string(),
  machineTitle: z.string(),
  steps: z.array(RehearsalStepSchema),
  /** The model's "after" file, opened as a snapshot (compare it with `compareSnapshots`). */
  after: SnapshotIdSchema,
  proof: ProofSchema,
})
export type RehearseOutput = z.infer<typeof RehearseOutputSchema>

export const CompareSnapshotsInputSchema = z.object({ before: SnapshotIdSchema, after: SnapshotIdSchema }).strict()
export const CompareSnapshotsOutputSchema = ProofSchema
