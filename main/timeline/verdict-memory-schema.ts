/**
 * The remembered verdict's file as zod reads it (main/timeline/verdict-memory.ts): loaded only when such a file exists,
 * so a PC the app never diagnosed before is diagnosed without the findings' schemas.
 */
import { z } from 'zod'
import { FindingSchema } from '../../preload/model/diagnosis.ts'
import { MachineRefSchema } from '../../preload/model/common.ts'

export const MemorySchema = z.object({
  schemaVersion: z.literal(1),
  machine: MachineRefSchema,
  entries: z.array(z.object({ finding: FindingSchema, seenAt: z.string() })).max(200),
})
export type Memory = z.infer<typeof MemorySchema>
