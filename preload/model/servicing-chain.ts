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
  branch: z.object({ id: z.string(), product: z.string(), displayVersion: z.string(), checkpoints: z.array(z.string()) }).nullable(),
  /** Cumulative updates of the branch (checkpoints included), oldest first. */
  updates: z.array(ChainUpdateSchema),
  /** A calm note when the knowledge is more than 35 days older than the latest Patch Tuesday (knowledge/freshness.ts). */
  knowledgeWarning: z.string().nullable().optional(),
})
export type ServicingChain = z.infer<typeof ServicingChainSchema>

export const ServicingChainInputSchema = z.object({ build: z.number().int().nullable() }).strict()
