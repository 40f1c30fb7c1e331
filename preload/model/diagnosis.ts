/**
 * Diagnosis shapes: an explained error code, a finding (likely cause + evidence + ordered remedies), and
 * the inputs/outputs of the `explain` and `diagnose` calls.
 *
 * These cross IPC and the CLI's `--json`, so they are zod schemas (this file imports only zod and siblings).
 */
import { z } from 'zod'
import { FileTokenSchema } from './files.ts'
import { EvidenceSchema, MachineRefSchema } from './common.ts'
import { TimelineSchema } from './timeline.ts'
import { REPAIR_IDS } from './repair-ids.ts'

/** Repairs the app itself can run; null on a remedy/finding means "a person does it" (the ids: repair-ids.ts). */
export const RepairIdSchema = z.enum(REPAIR_IDS)
export type RepairId = z.infer<typeof RepairIdSchema>

/**
 * How much a step can change: reads only; changes the app or the person can put back (`reversible`: only where the undo
 * exists); changes that cannot be put back but remove nothing a person needs (`irreversible`: a restart, RestoreHealth,
 * sfc, installing an update); or removes/rewrites state (destructive).
 */
export const StepRiskSchema = z.enum(['read-only', 'reversible', 'irreversible', 'destructive'])
export type StepRisk = z.infer<typeof StepRiskSchema>

/** A remedy's highest risk over its steps (the CLI, the report and the screens show this one word): null when it has none. */
export { topRisk } from './step-risk.ts'

/** One step of a remedy as main/knowledge/remedy-steps.ts declares it: what it is for, when it is safe, what it can undo. */
export const RemedyStepSchema = z.object({
  /** The step kind's id in the registry (e.g. `revert-pending`, `read-logs`). */
  kind: z.string(),
  intent: z.string(),
  risk: StepRiskSchema,
  /** Its precondition in plain words ("always" for a step safe on any PC). */
  when: z.string(),
  /** The remedy's command lines this step is made of (as shown; not a box of its own, so not named `commands`). */
  lines: z.array(z.string()),
  /** What it undoes or removes, and how to put it back (destructive and reversible steps). */
  undoes: z.string().optional(),
  undo: z.string().optional(),
  /** Microsoft's page for the step, where Microsoft documents it. */
  source: z.string().optional(),
})
export type RemedyStep = z.infer<typeof RemedyStepSchema>

export const RemedySchema = z.object({
  /** R0..R10 for the standard remedies of servicing-facts §1.1, or a rule-specific id. */
  id: z.string(),
  title: z.string(),
  text: z.string(),
  /** Commands a person would type, complete as shown (display only; never executed from this text). */
  commands: z.array(z.string()),
  /**
   * Command patterns with a value only the person knows (`<index>`, `<name>`…): shown as a pattern to fill in,
   * never as a command to copy and run. Absent: none.
   */
  fillIn: z.array(z.string()).optional(),
  repair: RepairIdSchema.nullable(),
  sources: z.array(z.string()),
  verified: z.boolean(),
  /** Its steps with risk and precondition (absent on remedies not yet passed through the advice gate). */
  steps: z.array(RemedyStepSchema).optional(),
  /** Destructive steps left out because the evidence does not hold their precondition. */
  withheld: z.array(RemedyStepSchema).optional(),
})
export type Remedy = z.infer<typeof RemedySchema>

export const DecodedHresultSchema = z.object({
  /** `error` when bit 31 is set, `success` otherwise. */
  severity: z.enum(['success', 'error']),
  /** Bits 16..28. */
  facility: z.number().int(),
  facilityName: z.string().nullable(),
  /** The low word when the facility is WIN32 (7), else null. */
  win32: z.number().int().nullable(),
  /** Bit 29: a customer (non-Microsoft-defined) code. */
  customer: z.boolean(),
})

export const ExplainResultSchema = z.object({
  /** `0x` + 8 upper-case hex digits. */
  code: z.string(),
  /** Setup result's extend code (`0x4000C` in `0xC1900208 - 0x4000C`), else null. */
  extend: z.string().nullable(),
  /** The extend code decoded into phase and operation (Microsoft's extend-code table), with Microsoft's row for the pair when it has one. */
  extendMeaning: z
    .object({
      extend: z.string(),
      phase: z.object({ digit: z.number().int(), name: z.string().nullable(), label: z.string().nullable() }),
      operation: z.object({ hex: z.string(), name: z.string().nullable(), label: z.string().nullable() }),
      text: z.string(),
      pair: z.object({ cause: z.string(), mitigation: z.string() }).nullable(),
      sources: z.array(z.string()),
    })
    .nullable()
    .optional(),
  /** The text the user gave. */
  input: z.string(),
  known: z.boolean(),
  name: z.string().nullable(),
  /** When the name is not confirmed: what is known about it. */
  nameNote: z.string().nullable(),
  component: z.string().nullable(),
  meaning: z.string(),
  causes: z.array(z.string()),
  /** Code-specific advice in the facts' words, then the standard remedies in escalation order. */
  remedyText: z.string().nullable(),
  remedies: z.array(RemedySchema),
  /** Source keys with their titles/URLs. */
  sources: z.array(z.object({ key: z.string(), text: z.string() })),
  /** False when part of the entry (name, meaning or causes) rests on third-party or unverified material. */
  verified: z.boolean(),
  decoded: DecodedHresultSchema,
  asOf: z.string(),
})
export type ExplainResult = z.infer<typeof ExplainResultSchema>

export const SeveritySchema = z.enum(['critical', 'error', 'warning', 'info'])
export type Severity = z.infer<typeof SeveritySchema>

export const FindingSchema = z.object({
  /** The rule's id, e.g. `missing-checkpoint`. */
  id: z.string(),
  /** Plain words. */
  title: z.string(),
  /** The technical term, e.g. `CBS_E_INSTALLERS_FAILED (0x800F0922)`. */
  technical: z.string(),
  severity: SeveritySchema,
  /** 0..1: how sure the rule is that this is the cause. */
  confidence: z.number().min(0).max(1),
  /** Most likely first. */
  causes: z.array(z.string()),
  /** In the order to try them. */
  remedies: z.array(RemedySchema),
  evidence: z.array(EvidenceSchema),
  /** The repair the app can run for this finding, or null. */
  repair: RepairIdSchema.nullable(),
  /** Error codes the finding explains. */
  codes: z.array(z.string()),
  /**
   * The updates the finding is about, as the rule or the machine's own history names them (for
   * `install-update`: the update to install again). Computed once in main/diagnose, never guessed from text
   * by a screen. Absent: none is named.
   */
  kbs: z.array(z.string().regex(/^KB\d{6,8}$/)).optional(),
  /**
   * When the finding holds, computed once in main/timeline/finding-state.ts from the PC's timeline:
   * `current` (live evidence, or dated evidence nothing has resolved since), `past` (its evidence is older than a
   * restart, a verified repair of that cause or a later successful install of the same update — history, never
   * a problem) or `unknown` (dated evidence, and what would tell, e.g. the last boot, could not be read).
   * Absent only in findings stored before it existed: read as `current`.
   */
  state: z.enum(['current', 'past', 'unknown']).optional(),
  /** The newest time in the finding's evidence (ISO 8601), when it has one. */
  since: z.string().nullable().optional(),
  /** For a past finding: what resolved it, in plain words ("a restart on 2026-11-23 10:53 UTC"). */
  resolvedBy: z.string().optional(),
})
export type Finding = z.infer<typeof FindingSchema>
export type FindingState = NonNullable<Finding['state']>

export { isActive } from './finding-state.ts'

export const ExplainInputSchema = z.object({ code: z.string().min(1).max(200) }).strict()

export const DiagnoseInputSchema = z
  .object({
    machine: MachineRefSchema.optional(),
    /** An error code in any form the user typed. */
    code: z.string().max(200).optional(),
    /** Pasted text: a log excerpt, a DISM transcript, event text. */
    text: z.string().max(50_000_000).optional(),
    /** A dropped log by its one-time token (preload `fileToken`): main reads it as `diagnose --log` does (CBS and DISM logs streamed, any size). */
    file: FileTokenSchema.optional(),
  })
  .strict()
export type DiagnoseInput = z.infer<typeof DiagnoseInputSchema>

export const DiagnoseOutputSchema = z.object({
  /** Most likely cause first. */
  findings: z.array(FindingSchema),
  /** What could not be read, in plain words (a missing log is not an error). */
  notes: z.array(z.string()),
  /** The PC's timeline the findings' states were computed from (absent without a machine). */
  timeline: TimelineSchema.optional(),
})
export type DiagnoseOutput = z.infer<typeof DiagnoseOutputSchema>
