/**
 * Installation plans, their step results and the journal that makes an installation survive restarts
 * and crashes.
 *
 * A Plan is pure data that records INTENT, never a program to run: each step has a kind from an allowlist
 * and the package files it installs (by name, each with its SHA-1/SHA-256 and size); the scope (online or
 * an image/WIM) and method are the plan's. The one command builder (`main/install/step-commands.ts`)
 * derives every argv and the expected exit codes from that intent at the moment a step runs; the
 * `command` a step carries is the builder's output stored for people to read, and a plan or journal whose
 * stored command (or exit codes, or KBs) differs from what the builder derives is refused on load — it is
 * never what runs. Objects are `.strict()`: a file with any other field is refused. The planner
 * (`main/install/planner.ts`) makes plans; the executor runs them and writes a Journal before and after every
 * step; `verify` proves the result. Version 2: version 1 plans and journals carried the command as data and
 * are refused as unsupported. WinRE repairs (`main/winre/`) produce plans in this same format.
 * Crosses IPC, the CLI's `--json` and files on disk, so everything here is a zod schema.
 */
import { z } from 'zod'
import {
  EvidenceSchema,
  ErrorCodeSchema,
  KbSchema,
  MachineArchSchema,
  MachineRefSchema,
  PackageArchSchema,
} from './common.ts'
import { FindingSchema } from './diagnosis.ts'

export const PLAN_SCHEMA_VERSION = 2
export const JOURNAL_SCHEMA_VERSION = 2

/** Plan and journal ids: safe as a file name (`<dataDir>/journals/<planId>.json`). */
export const PlanIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/)

/**
 * `folder`: DISM /Add-Package with the TARGET MSU as the only PackagePath, in a folder holding only it and
 * its checkpoints — DISM discovers and installs the checkpoints itself (learn.microsoft.com
 * catalog-checkpoint-cumulative-updates). `sequence`: one MSU per step, checkpoint(s) first.
 */
export const PlanMethodSchema = z.enum(['folder', 'sequence'])
export type PlanMethod = z.infer<typeof PlanMethodSchema>

/** Where the packages go: this PC (online), a mounted offline image, or the WinRE image. */
export const PlanScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('online') }).strict(),
  z
    .object({
      kind: z.literal('image'),
      /** The mount directory DISM services (`DISM /Image:<dir>`). */
      dir: z.string().min(1),
      /** When set, the plan mounts this WIM first and unmounts with /Commit last; null: already mounted. */
      wim: z
        .object({ path: z.string().min(1), index: z.number().int().positive() })
        .strict()
        .nullable()
        .default(null),
    })
    .strict(),
  z.object({ kind: z.literal('winre') }).strict(),
])
export type PlanScope = z.infer<typeof PlanScopeSchema>

export const PreflightStatusSchema = z.enum(['pass', 'warn', 'fail'])
export type PreflightStatus = z.infer<typeof PreflightStatusSchema>

/** One check made before anything runs. Any `fail` refuses the plan. */
export const PreflightCheckSchema = z
  .object({
    /** Stable id: `elevated`, `architecture`, `branch`, `free-space`, `pending-restart`, `battery`, `bitlocker`, … */
    id: z.string(),
    title: z.string(),
    status: PreflightStatusSchema,
    /** Plain words: what was found and what to do. */
    detail: z.string(),
  })
  .strict()
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>

/** What a package is for in the plan. */
export const PackageRoleSchema = z.enum(['checkpoint', 'target', 'ssu', 'safe-os'])
export type PackageRole = z.infer<typeof PackageRoleSchema>

/** One package file the plan installs. */
export const PlanPackageSchema = z
  .object({
    kb: KbSchema,
    fileName: z.string(),
    arch: PackageArchSchema,
    sha1: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    /** Full path of the file as the machine that installs it sees it. */
    path: z.string(),
    role: PackageRoleSchema,
    /** The build and UBR the package brings (from the servicing-chain knowledge), when known. */
    build: z.number().int().nullable(),
    ubr: z.number().int().nullable(),
    /** The file's size in bytes when known (checked with the hash before the step that installs it). */
    sizeBytes: z.number().int().nonnegative().nullable().default(null),
  })
  .strict()
export type PlanPackage = z.infer<typeof PlanPackageSchema>

export const StepKindSchema = z.enum([
  'add-package',
  'wusa',
  'mount-image',
  'unmount-image',
  'restart',
  'cleanup-image',
  'schedule-resume',
])
export type StepKind = z.infer<typeof StepKindSchema>

/** The command a step runs: the Host's CommandSpec minus what the executor adds. */
export const StepCommandSchema = z
  .object({
    /** CommandSpec name, e.g. `install.dism-add-package`. */
    name: z.string().regex(/^[a-z0-9.-]+$/),
    file: z.string(),
    args: z.array(z.string()),
    timeoutMs: z.number().int().positive(),
    /** The command as a person reads it (display and script export only; never executed as a string). */
    commandLine: z.string(),
  })
  .strict()
export type StepCommand = z.infer<typeof StepCommandSchema>

export const PlanStepSchema = z
  .object({
    /** Stable within the plan, e.g. `s1-add-KB5043080`. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    title: z.string(),
    /** Why this step is here and in this place, in plain words. */
    explanation: z.string(),
    /**
     * The builder's command for this step, for people to read. Never run: the executor builds the command
     * again from the intent (kind, packages, the plan's scope) and refuses a plan whose stored one differs.
     */
    command: StepCommandSchema,
    /** Exit codes that mean the step did its work (0; 3010 is also listed in restartExitCodes). From the builder, checked on load. */
    successExitCodes: z.array(z.number().int()),
    /** Exit codes that mean "done, but the machine must restart before the next step" (3010, 1641). */
    restartExitCodes: z.array(z.number().int()),
    /** Steps that must have succeeded before this one runs. */
    dependsOn: z.array(z.string()),
    /** True when the step changes the machine (every install step; a restart). */
    destructive: z.boolean(),
    kind: StepKindSchema,
    /**
     * Intent: the package files (`fileName` in the plan's `packages`) this step installs, in order; for
     * `add-package` the last is DISM's /PackagePath and the others are its checkpoints in the same folder.
     * Every one is hashed right before the step. Empty for steps that install nothing.
     */
    packages: z.array(z.string().min(1)),
    /** The KBs this step installs (derived from `packages`; checked on load). */
    kbs: z.array(KbSchema),
  })
  .strict()
export type PlanStep = z.infer<typeof PlanStepSchema>

/** The machine the plan is for, as it was when the plan was made. */
export const PlanMachineSchema = z
  .object({
    ref: MachineRefSchema.nullable(),
    name: z.string(),
    nativeArch: MachineArchSchema.nullable(),
    build: z.number().int().nullable(),
    ubr: z.number().int().nullable(),
    /** Branch id from the servicing-chain knowledge, e.g. `win11-24h2`. */
    branch: z.string().nullable(),
  })
  .strict()
export type PlanMachine = z.infer<typeof PlanMachineSchema>

export const PlanSchema = z
  .object({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    id: PlanIdSchema,
    createdAt: z.string(),
    machine: PlanMachineSchema,
    /** The KB(s) the user asked for. */
    targets: z.array(KbSchema).min(1),
    method: PlanMethodSchema,
    scope: PlanScopeSchema,
    preflight: z.array(PreflightCheckSchema),
    steps: z.array(PlanStepSchema),
    packages: z.array(PlanPackageSchema),
    /** KBs left out because the machine already has them, with the reason. */
    skipped: z.array(z.object({ kb: KbSchema, reason: z.string() }).strict()),
    /** The build and UBR the machine should reach, when known. */
    expected: z.object({ build: z.number().int(), ubr: z.number().int() }).strict().nullable(),
    /** Why the plan cannot run (null when it can). A refused plan has no steps. */
    refused: z.string().nullable(),
    notes: z.array(z.string()),
  })
  .strict()
export type Plan = z.infer<typeof PlanSchema>

/**
 * What happened to one step. Tagged, so every consumer handles every outcome (`assertNever`).
 * `failed.code` is `0x` + 8 upper-case hex digits; `diagnosis` holds the Diagnosis rules' findings.
 */
export const StepResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ok') }),
  z.object({ kind: z.literal('restart-required') }),
  z.object({ kind: z.literal('not-applicable') }),
  z.object({ kind: z.literal('already-installed') }),
  z.object({
    kind: z.literal('failed'),
    code: ErrorCodeSchema,
    message: z.string(),
    diagnosis: z.array(FindingSchema).optional(),
    /** The command's output tail and the CBS.log lines written while the step ran. */
    evidence: z.array(EvidenceSchema),
  }),
  z.object({ kind: z.literal('cancelled') }),
  z.object({ kind: z.literal('skipped'), reason: z.string() }),
])
export type StepResult = z.infer<typeof StepResultSchema>
export type StepResultKind = StepResult['kind']

/** Compile-time exhaustiveness: a new StepResult kind breaks the build wherever it is unhandled. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(x)}`)
}

/** True when a result lets dependent steps run. */
export function stepSucceeded(r: StepResult): boolean {
  switch (r.kind) {
    case 'ok':
    case 'restart-required':
    case 'not-applicable':
    case 'already-installed':
      return true
    case 'failed':
    case 'cancelled':
    case 'skipped':
      return false
    default:
      return assertNever(r)
  }
}

/**
 * One line of the journal. `started` is written before the command runs, `finished` after; a `started`
 * without a `finished` means the process died mid-step, so the step is re-checked, never rerun blindly.
 */
export const JournalEntrySchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('started'), stepId: z.string(), at: z.string(), attempt: z.number().int().positive() }),
  z.object({
    phase: z.literal('finished'),
    stepId: z.string(),
    at: z.string(),
    result: StepResultSchema,
    exitCode: z.number().int().nullable(),
    durationMs: z.number().nonnegative(),
    /** True when the result came from re-checking the machine after a crash, not from the command. */
    rechecked: z.boolean(),
  }),
  z.object({ phase: z.literal('restart-requested'), at: z.string(), afterStepId: z.string().nullable() }),
  z.object({
    phase: z.literal('restarted'),
    at: z.string(),
    build: z.number().int().nullable(),
    ubr: z.number().int().nullable(),
  }),
  z.object({ phase: z.literal('resumed'), at: z.string(), note: z.string() }),
  z.object({ phase: z.literal('cancelled'), at: z.string() }),
  z.object({ phase: z.literal('verified'), at: z.string(), verified: z.boolean(), detail: z.string() }),
])
export type JournalEntry = z.infer<typeof JournalEntrySchema>

export const JournalStatusSchema = z.enum([
  'pending',
  'running',
  'awaiting-restart',
  'completed',
  'failed',
  'cancelled',
])
export type JournalStatus = z.infer<typeof JournalStatusSchema>

/** Verify's answer: installed targets and a moved build/UBR, both required for `verified`. */
export const VerificationSchema = z.object({
  verified: z.boolean(),
  before: z.object({ build: z.number().int().nullable(), ubr: z.number().int().nullable() }),
  after: z.object({ build: z.number().int().nullable(), ubr: z.number().int().nullable() }),
  targets: z.array(z.object({ kb: KbSchema, state: z.string(), installed: z.boolean() })),
  detail: z.string(),
})
export type Verification = z.infer<typeof VerificationSchema>

/** `<dataDir>/journals/<planId>.json`: the plan, every entry, and where it stands. Written atomically. */
export const JournalSchema = z
  .object({
    schemaVersion: z.literal(JOURNAL_SCHEMA_VERSION),
    planId: PlanIdSchema,
    /** SHA-256 of the canonical JSON of `plan` (main/install/plan-digest.ts): checked on every load and against the plan being run. */
    planDigest: z.string().regex(/^[0-9a-f]{64}$/),
    plan: PlanSchema,
    status: JournalStatusSchema,
    entries: z.array(JournalEntrySchema),
    /** The latest result of each step, by step id (derived from entries; kept for readers). */
    results: z.record(z.string(), StepResultSchema),
    verification: VerificationSchema.nullable(),
    updatedAt: z.string(),
    /** The app's seal over the rest (main/runner/journal-seal.ts): HMAC-SHA256 under a key only the app can use. */
    seal: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict()
export type Journal = z.infer<typeof JournalSchema>

// ---- IPC / CLI inputs and outputs -------------------------------------------------------------------

export const PlanInputSchema = z
  .object({
    machine: MachineRefSchema,
    kbs: z.array(KbSchema).min(1).max(8),
    method: PlanMethodSchema.optional(),
    /** Prepare for another PC's architecture; a mismatch with the target machine is refused. */
    arch: MachineArchSchema.optional(),
  })
  .strict()
export type PlanInput = z.infer<typeof PlanInputSchema>

export const InstallInputSchema = z
  .object({
    machine: MachineRefSchema,
    planId: PlanIdSchema,
    /** Chosen by the renderer so it can match `progress`/`journal` events to this call. */
    operationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  })
  .strict()
export type InstallInput = z.infer<typeof InstallInputSchema>

export const InstallOutputSchema = z.object({
  journal: JournalSchema,
  verified: z.boolean(),
})
export type InstallOutput = z.infer<typeof InstallOutputSchema>

/** Journal events: one per entry, so the UI can show a step's progress and a resumed session's history. */
export const JournalEventSchema = z.object({
  operationId: z.string(),
  planId: PlanIdSchema,
  entry: JournalEntrySchema,
  status: JournalStatusSchema,
})
export type JournalEvent = z.infer<typeof JournalEventSchema>

/** Continue a journal: after a crash, or to restart now (`restart: true` confirms the one pending restart). */
export const ResumeInputSchema = z
  .object({
    machine: MachineRefSchema,
    planId: PlanIdSchema,
    operationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    restart: z.boolean(),
  })
  .strict()
export type ResumeInput = z.infer<typeof ResumeInputSchema>

/** Stop a running installation between steps. */
export const CancelInputSchema = z.object({ operationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict()
export const CancelOutputSchema = z.object({ cancelled: z.boolean() })

/** The installation a machine is in the middle of (for a resumed session), or the latest one, or none. */
export const InstallStateInputSchema = z.object({ machine: MachineRefSchema }).strict()
export const InstallStateOutputSchema = z.object({ journal: JournalSchema.nullable(), unfinished: z.boolean() })
export type InstallStateOutput = z.infer<typeof InstallStateOutputSchema>
