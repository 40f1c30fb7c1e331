/**
 * Microsoft Update Catalog shapes: search rows, details, download-dialog files, update chains, downloads.
 *
 * They cross the IPC boundary (`catalogSearch`, `catalogChain`, `download`) and the CLI's `--json`.
 * See shared/reference/catalog-protocol.md for where every field comes from on the real site.
 */
import { z } from 'zod'
import { KbSchema, MachineArchSchema, MachineRefSchema } from './common.ts'

/** A Catalog update id (a GUID, lower case). */
export const UpdateIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)

/** A hex digest in lower case. */
export const Sha1HexSchema = z.string().regex(/^[0-9a-f]{40}$/)
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/)

/** One row of Search.aspx (§3 of catalog-protocol.md). */
export const CatalogUpdateSchema = z.object({
  updateId: UpdateIdSchema,
  title: z.string(),
  products: z.array(z.string()),
  classification: z.string(),
  /** ISO date (YYYY-MM-DD) parsed from the en-US `M/D/YYYY`, or null. */
  lastUpdated: z.string().nullable(),
  version: z.string().nullable(),
  sizeText: z.string(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  kb: KbSchema.nullable(),
  /** Architecture read from the title; null when the title names none (or several). */
  arch: MachineArchSchema.nullable(),
})
export type CatalogUpdate = z.infer<typeof CatalogUpdateSchema>

export const CatalogSourceSchema = z.enum(['microsoft', 'training'])
export type CatalogSource = z.infer<typeof CatalogSourceSchema>

export const CatalogSearchResultSchema = z.object({
  query: z.string(),
  updates: z.array(CatalogUpdateSchema),
  /** "1 - 25 of N": N as the Catalog reports it (capped at 1000 by the site). */
  totalCount: z.number().int().nullable(),
  pagesRead: z.number().int(),
  /** True when more pages existed than were read (or the site capped the result at 1000). */
  incomplete: z.boolean(),
  notes: z.array(z.string()),
  /** Which Catalog answered: Microsoft's, or the local training Catalog (synthetic packages) a training machine uses. */
  catalog: CatalogSourceSchema.optional(),
})
export type CatalogSearchResult = z.infer<typeof CatalogSearchResultSchema>

export const SupersedenceEntrySchema = z.object({
  updateId: UpdateIdSchema.nullable(),
  title: z.string(),
  kb: KbSchema.nullable(),
})

/** ScopedViewInline.aspx (§5). */
export const CatalogDetailsSchema = z.object({
  updateId: UpdateIdSchema,
  title: z.string().nullable(),
  description: z.string().nullable(),
  /** The raw architecture text ("AMD64", "ARM64", "n/a", "AMD64, X86"). */
  architectureText: z.string().nullable(),
  architectures: z.array(MachineArchSchema),
  classification: z.string().nullable(),
  products: z.array(z.string()),
  kbs: z.array(KbSchema),
  rebootBehavior: z.string().nullable(),
  supersededBy: z.array(SupersedenceEntrySchema),
  supersedes: z.array(SupersedenceEntrySchema),
})
export type CatalogDetails = z.infer<typeof CatalogDetailsSchema>

/** What a file is for in an update chain (§8). */
export const FileRoleSchema = z.enum(['checkpoint', 'target', 'other'])

/** One file of DownloadDialog.aspx (§6), after validation. */
export const CatalogFileSchema = z.object({
  updateId: UpdateIdSchema,
  url: z.string().url(),
  fileName: z.string(),
  /** From the dialog's base64 `digest`, as lower-case hex. */
  sha1: Sha1HexSchema,
  /** From the dialog's base64 `sha256` when given. */
  sha256: Sha256HexSchema.nullable(),
  /** The 40-hex suffix of the file name, when it has one. */
  nameSha1: Sha1HexSchema.nullable(),
  kb: KbSchema.nullable(),
  /** Architecture read from the file name (null when the name names none). */
  arch: MachineArchSchema.nullable(),
})
export type CatalogFile = z.infer<typeof CatalogFileSchema>

export const ChainFileSchema = CatalogFileSchema.extend({
  role: FileRoleSchema,
  /** 1-based install order. */
  order: z.number().int().positive(),
  /** Why it is in the chain, e.g. "checkpoint 26100.1742 required by KB5086672 (S19)". */
  reason: z.string(),
})
export type ChainFile = z.infer<typeof ChainFileSchema>

/** The files a target update needs for one architecture, checkpoint(s) first. */
export const UpdateChainSchema = z.object({
  targetKb: KbSchema,
  arch: MachineArchSchema,
  update: CatalogUpdateSchema,
  files: z.array(ChainFileSchema),
  notes: z.array(z.string()),
  catalog: CatalogSourceSchema.optional(),
})
export type UpdateChain = z.infer<typeof UpdateChainSchema>

export const SignatureCheckSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('valid'), signer: z.string() }),
  z.object({ status: z.literal('invalid'), reason: z.string() }),
  z.object({ status: z.literal('not-checked'), reason: z.string() }),
])
export type SignatureCheck = z.infer<typeof SignatureCheckSchema>

/** A file that was downloaded (or found in the cache) and verified. */
export const VerifiedFileSchema = z.object({
  fileName: z.string(),
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha1: Sha1HexSchema,
  sha256: Sha256HexSchema,
  fromCache: z.boolean(),
  signature: SignatureCheckSchema,
})
export type VerifiedFile = z.infer<typeof VerifiedFileSchema>

/** Per-file download progress, sent as the `downloadProgress` event. */
export const DownloadProgressSchema = z.object({
  operationId: z.string(),
  fileName: z.string(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative().nullable(),
  bytesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** `waiting`: another process (a second window, the CLI) is downloading this file into the same cache; `detail` says so. */
  state: z.enum(['queued', 'hashing-partial', 'downloading', 'waiting', 'verifying', 'verified', 'cached', 'failed']),
  error: z.string().optional(),
  /** One plain sentence about the state (who is being waited for). */
  detail: z.string().optional(),
})
export type DownloadProgress = z.infer<typeof DownloadProgressSchema>

export const CatalogSearchInputSchema = z
  .object({
    query: z.string().trim().min(1).max(200),
    arch: MachineArchSchema.optional(),
    maxPages: z.number().int().min(1).max(40).optional(),
    /** The machine the search is for: a training machine uses the local Catalog. */
    machine: MachineRefSchema.optional(),
  })
  .strict()

export const CatalogChainInputSchema = z
  .object({ kb: KbSchema, arch: MachineArchSchema, machine: MachineRefSchema.optional() })
  .strict()

export const DownloadInputSchema = z
  .object({
    kb: KbSchema,
    arch: MachineArchSchema,
    /** Chosen by the renderer so it can match `downloadProgress` events to this call. */
    operationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    machine: MachineRefSchema.optional(),
  })
  .strict()

export const DownloadOutputSchema = z.object({
  chain: UpdateChainSchema,
  files: z.array(VerifiedFileSchema),
})
export type DownloadOutput = z.infer<typeof DownloadOutputSchema>
