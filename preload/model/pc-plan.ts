/**
 * One plan for the whole PC ("Make this PC current"): the pending restart, the repairs that block servicing, the
 * checkpoint, the newest cumulative update of the branch, WinRE's Safe OS update, and the waits that need a person,
 * in the order they run; then the run of that plan and its verification as a whole. Crosses IPC and `fix --json`.
 */
import { z } from 'zod'
import { MachineRefSchema } from './common.ts'
import { RepairIdSchema, StepRiskSchema } from './diagnosis.ts'

/** restart / repair: a Fix-it repair; install: one update (a checkpoint or the newest); winre: the WinRE repair; wait: a person. */
export const PcPlanStepKindSchema = z.enum(['restart', 'repair', 'install', 'winre', 'wait'])
export type PcPlanStepKind = z.infer<typeof PcPlanStepKindSchema>

export const PcPlanStepSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/),
  kind: PcPlanStepKindSchema,
  title: z.string(),
  /** Why this PC needs the step now: one plain sentence. */
  why: z.string(),
  /** What must hold right before it runs (checked again then), in plain words. */
  precondition: z.string(),
  risk: StepRiskSchema,
  /** How many restarts the step takes (0 or more). */
  restarts: z.number().int().min(0),
  /** For restart/repair: the repair it runs. */
  repairId: RepairIdSchema.optional(),
  /** For install: the update it installs; for a wait about an update: the update held back. */
  kb: z
    .string()
    .regex(/^KB\d{6,8}$/)
    .optional(),
  /** For install: the build.UBR it brings the PC to. */
  bringsTo: z.string().optional(),
  /** For a wait: what the person does, in order. */
  instructions: z.array(z.string()).optional(),
  /** The findings (ids) this step is meant to resolve: the verification checks none of them is left. */
  fixes: z.array(z.string()),
})
export type PcPlanStep = z.infer<typeof PcPlanStepSchema>

export const PcPlanSchema = z.object({
  machine: MachineRefSchema,
  machineName: z.string(),
  createdAt: z.string(),
  /** The branch, in words ("Windows 11 24H2"), when known. */
  branch: z.string().nullable(),
  /** The PC's build.UBR now. */
  current: z.string().nullable(),
  /** The newest cumulative update the knowledge lists for the branch (previews only when asked). */
  newest: z.object({ kb: z.string(), build: z.string(), released: z.string(), preview: z.boolean() }).nullable(),
  /** WinRE's version now and the version its Safe OS update brings, when known. */
  winre: z.object({ current: z.string().nullable(), target: z.string().nullable() }),
  steps: z.array(PcPlanStepSchema),
  /** The restarts the whole plan takes. */
  restarts: z.number().int().min(0),
  /** One line for the person: what the plan does, or that the PC is current. */
  summary: z.string(),
  /** True when no step is left: the PC is at the newest known update, WinRE current, nothing to repair. */
  upToDate: z.boolean(),
  /** What the plan does not do and why, in plain sentences (an install that cannot take, a preview left out). */
  notes: z.array(z.string()),
  /**
   * Repairs Fix it offers that the plan leaves out on purpose (a person's own choice, such as removing an update that
   * making the PC current would install straight back), each with its reason: the plan and its package name them.
   */
  leftOut: z.array(z.object({ repairId: z.string(), title: z.string(), why: z.string() })),
  /** A snapshot's plan cannot run here (it is the fix package's script there). */
  readOnly: z.boolean(),
})
export type PcPlan = z.infer<typeof PcPlanSchema>

/** refused: not started because another run (the app, a CLI) holds the PC; the plan stops there and continues there. */
export const PcPlanStepOutcomeSchema = z.enum([
  'done',
  'nothing-to-do',
  'failed',
  'waiting',
  'cancelled',
  'not-needed',
  'refused',
])

export const PcPlanStepRunSchema = z.object({
  stepId: z.string(),
  outcome: PcPlanStepOutcomeSchema,
  /** One plain sentence: what happened. */
  detail: z.string(),
  /** The sub-run it made (an install plan id, a repair run id, a WinRE repair id). */
  runId: z.string().nullable(),
})
export type PcPlanStepRun = z.infer<typeof PcPlanStepRunSchema>

export const PcPlanCheckSchema = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })

export const PcPlanRunSchema = z.object({
  plan: PcPlanSchema,
  /**
   * completed: every step ran; waiting: it ended at a step a person must do; failed / cancelled: it stopped; refused:
   * it stopped at a step another run's hold on the PC kept from starting (run again, it continues there).
   */
  status: z.enum(['completed', 'waiting', 'failed', 'cancelled', 'restarting', 'refused']),
  results: z.array(PcPlanStepRunSchema),
  verification: z.object({ verified: z.boolean(), checks: z.array(PcPlanCheckSchema), detail: z.string() }).nullable(),
  /** The plan for the PC after the run (empty when it is current, or only its waits). */
  after: PcPlanSchema.nullable(),
})
export type PcPlanRun = z.infer<typeof PcPlanRunSchema>

export const PcPlanInputSchema = z.object({ machine: MachineRefSchema, previews: z.boolean().optional() }).strict()
export type PcPlanInput = z.infer<typeof PcPlanInputSchema>

/** Runs the plan the person reviewed: it is made again on the main side and must match the one shown (same steps). */
export const PcPlanRunInputSchema = z
  .object({
    machine: MachineRefSchema,
    previews: z.boolean().optional(),
    /** The step ids the person saw, in order: a plan that changed since is not run unseen. */
    stepIds: z.array(z.string().regex(/^[a-z0-9-]{1,60}$/)).max(40),
    confirmed: z.literal(true),
  })
  .strict()
