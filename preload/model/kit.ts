/**
 * Repair kits: a folder with the packages a PC needs, `manifest.json`, the plan and `Install-Kit.ps1`,
 * for a PC with no network. Also the result of importing a kit (or any folder of MSU/CAB files).
 */
import { z } from 'zod'
import { KbSchema, MachineArchSchema, MachineRefSchema } from './common.ts'
import { FileRoleSchema, Sha1HexSchema, Sha256HexSchema } from './catalog.ts'
import { FolderHandleSchema } from './folders.ts'

export const KIT_SCHEMA_VERSION = 1

export const KitFileSchema = z.object({
  order: z.number().int().positive(),
  /** A plain file name in the kit folder (never a path). */
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/)
    .refine((n) => !n.includes('..'), 'no ".." in file names')
    // Windows device names (CON, NUL.msu …) and a trailing dot (Windows strips it) are not plain names either.
    .refine(
      (n) => !/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i.test(n) && !n.endsWith('.'),
      'not a device name or a trailing dot',
    ),
  role: FileRoleSchema,
  kb: KbSchema.nullable(),
  arch: MachineArchSchema,
  sha1: Sha1HexSchema,
  sha256: Sha256HexSchema,
  sizeBytes: z.number().int().nonnegative(),
  reason: z.string(),
})
export type KitFile = z.infer<typeof KitFileSchema>

/** One line of display text: no control characters or line breaks (they are never needed, and a script comment must not get them). */
const OneLineSchema = z
  .string()
  .max(1000)
  .refine((s) => !/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(s), 'one line of text, no control characters')

/** SHA-256 of the kit's own Install-Kit.ps1 and PLAN.md as written: `kit verify` fails when either changed or is missing. */
/** `collectorSha256`: the kit's Collect-ServicingFacts.ps1 (main/collector), in kits made since it ships there. */
export const KitSealSchema = z
  .object({
    installScriptSha256: Sha256HexSchema,
    planSha256: Sha256HexSchema,
    collectorSha256: Sha256HexSchema.optional(),
    /** The kit's digest as shown at export (main/kit/kit-seal.ts): a record only — the technician's copy is what counts. */
    kitDigest: z
      .string()
      .regex(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/)
      .optional(),
  })
  .strict()

export const KitManifestSchema = z.object({
  schemaVersion: z.literal(KIT_SCHEMA_VERSION),
  tool: z.object({
    name: z.literal('servicing-desk'),
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/, 'a version like 1.2.3'),
  }),
  created: z.iso.datetime({ offset: true }),
  target: z.object({
    kb: KbSchema,
    arch: MachineArchSchema,
    /** The build the kit is for (26100), or null when built without a machine. */
    build: z.number().int().nullable(),
    /** The UBR the machine had when the kit was built, when known. */
    ubr: z.number().int().nullable(),
    machine: OneLineSchema.nullable(),
    title: OneLineSchema,
  }),
  files: z.array(KitFileSchema).min(1),
  notes: z.array(z.string()),
  /** Absent only in kits from before the seal: `kit verify` refuses those (export the kit again). */
  seal: KitSealSchema.optional(),
})
export type KitManifest = z.infer<typeof KitManifestSchema>

export const KitProblemSchema = z.object({ fileName: z.string().nullable(), problem: z.string() })

export const KitVerifyResultSchema = z.object({
  ok: z.boolean(),
  dir: z.string(),
  manifest: KitManifestSchema.nullable(),
  problems: z.array(KitProblemSchema),
  checkedFiles: z.number().int(),
  /** The kit's digest computed now from its files (main/kit/kit-seal.ts), to compare with the one shown at export. */
  digest: z.string().nullable().optional(),
})
export type KitVerifyResult = z.infer<typeof KitVerifyResultSchema>

/** One file of an imported kit or folder, said plainly. */
export const ImportedFileSchema = z.object({
  fileName: z.string(),
  kb: KbSchema.nullable(),
  arch: MachineArchSchema.nullable(),
  sizeBytes: z.number().int().nonnegative(),
  sha1: Sha1HexSchema,
  sha256: Sha256HexSchema,
  /** `good`: matches the manifest or the SHA-1 in its name; `bad`: does not; `unknown`: nothing to check against. */
  hash: z.enum(['good', 'bad', 'unknown']),
  /** 1-based position in the install order, or null when rejected or not part of the chain. */
  order: z.number().int().positive().nullable(),
  role: FileRoleSchema.nullable(),
  accepted: z.boolean(),
  reason: z.string(),
})
export type ImportedFile = z.infer<typeof ImportedFileSchema>

export const ImportKitInputSchema = z
  .object({
    /** A kit folder or any folder of MSU/CAB files: a handle from `pickFolder` (the renderer never names a path). */
    folder: FolderHandleSchema,
    /** The architecture of the PC the files are for (the PC's native architecture). */
    arch: MachineArchSchema,
    /** The update to install; when absent, the manifest's target or the highest KB in the folder. */
    targetKb: KbSchema.optional(),
  })
  .strict()

export const ImportKitResultSchema = z.object({
  dir: z.string(),
  fromManifest: z.boolean(),
  targetKb: KbSchema.nullable(),
  arch: MachineArchSchema,
  files: z.array(ImportedFileSchema),
  problems: z.array(z.string()),
})
export type ImportKitResult = z.infer<typeof ImportKitResultSchema>

export const ExportKitInputSchema = z
  .object({
    kb: KbSchema,
    arch: MachineArchSchema,
    /** The folder to write the kit into: a handle from `pickFolder({purpose: 'kit-export'})`. */
    folder: FolderHandleSchema,
    operationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    /** The PC the kit is for: its architecture is checked and its checkpoint state decides the files. */
    machine: MachineRefSchema.optional(),
  })
  .strict()

export const ExportKitOutputSchema = z.object({ dir: z.string(), manifest: KitManifestSchema })

export const VerifyKitInputSchema = z.object({ folder: FolderHandleSchema }).strict()
