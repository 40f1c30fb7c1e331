/**
 * A build's servicing chain as the UI draws it: its branch, its checkpoint cumulative updates and the
 * later cumulative updates the knowledge lists (the `servicingChain` call).
 */
import { z } from 'zod'

export const ChainUpdateSchema = z.object({
  kb: z.string(),
  kind: z.enum(['lcu', 'ssu', 'safe-os', 'other']),
  checkpoint: z.boolean(),
  baseBuild: z.number().int(),
  ubr: z.number().int(),
  released: z.string(),
  title: z.string(),
  prerequisites: z.array(z.string()),
  /** False when the build rests on one secondary source: the picture says "unverified". */
  verified: z.boolean().optional(),
})
export type ChainUpdate = z.infer<typeof ChainUpdateSchema>

export const ServicingChainSchema = z.object({
  asOf: z.string(),
  branch: z
    .object({ id: z.string(), product: z.string(), displayVersion: z.string(), checkpoints: z.array(z.string()) })
    .nullable(),
  /** Cumulative updates of the branch (checkpoints included), oldest first. */
  updates: z.array(ChainUpdateSchema),
  /** A calm note when the knowledge is more than 35 days older than the latest Patch Tuesday (knowledge/freshness.ts). */
  knowledgeWarning: z.string().nullable().optional(),
})
export type ServicingChain = z.infer<typeof ServicingChainSchema>

/**
 * The build, and what else the PC says about itself: build 26100 is Windows 11 24H2 or Windows Server 2025, which
 * the edition / product name (else the UBR range) decide — the chain of a Server 2025 PC is Server 2025's.
 */
export const ServicingChainInputSchema = z
  .object({
    build: z.number().int().nullable(),
    ubr: z.number().int().nullable().optional(),
    edition: z.string().max(200).nullable().optional(),
    productName: z.string().max(200).nullable().optional(),
  })
  .strict()
export type ServicingChainInput = z.infer<typeof ServicingChainInputSchema>

/** The cache key of a chain request: one per build and edition/product/UBR line (renderer store). */
export function servicingChainKey(input: ServicingChainInput): string {
  return JSON.stringify([
    input.build,
    input.edition ?? null,
    input.productName ?? null,
    input.ubr != null && input.ubr >= 30000,
  ])
}
