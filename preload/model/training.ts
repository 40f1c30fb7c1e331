/** Training machines as the UI and CLI list them. */
import { z } from 'zod'
import { MachineArchSchema } from './common.ts'

export const TrainingMachineInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  /** The real-world failure this machine reproduces, in plain words. */
  scenario: z.string(),
  nativeArch: MachineArchSchema,
  build: z.string(),
  displayVersion: z.string(),
  /** Public sources documenting the failure. */
  sources: z.array(z.string()),
})
export type TrainingMachineInfo = z.infer<typeof TrainingMachineInfoSchema>

export const MachineListSchema = z.object({
  /** `win32` on Windows; the default machine there is this PC. */
  platform: z.string(),
  thisPcAvailable: z.boolean(),
  defaultMachine: z.string(),
  machines: z.array(TrainingMachineInfoSchema),
})
export type MachineList = z.infer<typeof MachineListSchema>
