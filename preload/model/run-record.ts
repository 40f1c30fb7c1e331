/**
 * One run of a change to a PC, whatever made it: an installation (install journal), a WinRE repair (WinRE run
 * journal) or a Fix-it repair (repair journal). main/report/journals.ts reads every journal of a machine into
 * this one shape; the report (JSON, HTML, summary), Proof and the timeline show runs from it.
 *
 * Read tolerantly: a journal that cannot be read is a note, never a missing run without a word.
 */
import { z } from 'zod'

export const RUN_RECORD_SCHEMA_VERSION = 1

/** What made the run: an install plan, a WinRE repair, or a Fix-it repair (restart, reset-wu-components, …). */
export const RunKindSchema = z.enum(['install', 'winre-repair', 'repair'])
export type RunKind = z.infer<typeof RunKindSchema>

/**
 * Where the run stands: `completed` (every step ran; see `verified`), `failed` (a step ended it),
 * `cancelled` (stopped between steps), `interrupted` (the process died mid-run: running it again finishes it),
 * `awaiting-restart` (waits for the PC to restart), `pending` (nothing ran yet), `abandoned` (given up).
 */
export const RunOutcomeSchema = z.enum([
  'completed',
  'failed',
  'cancelled',
  'interrupted',
  'awaiting-restart',
  'pending',
  'abandoned',
])
export type RunOutcome = z.infer<typeof RunOutcomeSchema>

/** One step as its journal recorded it. */
export const RunRecordStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** The command line a person reads (display only; never run from here). */
  commandLine: z.string().nullable(),
  /** `ok`, `restart-required`, `failed`, `skipped`, `checked` (read-only), `not-fixed`, `rechecked`, … or `not-run`. */
  result: z.string(),
  /** The failure code (`0x` + 8 hex digits) when the step failed and a code is known. */
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** True when the result came from re-checking the machine after an interruption, not from the command. */
  rechecked: z.boolean(),
  /** True when the step changes the machine. */
  destructive: z.boolean(),
})
export type RunRecordStep = z.infer<typeof RunRecordStepSchema>

/** The build (and UBR) a run saw before and after, when the journal knows it. */
export const RunLevelSchema = z.object({ build: z.number().int().nullable(), ubr: z.number().int().nullable() })
export type RunLevel = z.infer<typeof RunLevelSchema>

/**
 * Something the run renamed, moved or removed, and how to undo it: reset-wu-components' `*.sd-<stamp>`
 * folders, free-esp-space's EFI folders moved to the data folder, remove-package's removed identity.
 * `commands` are for a person to read and type (never run by the app from here).
 */
export const RunUndoSchema = z.object({
  what: z.enum(['renamed-folder', 'moved-folder', 'removed-package']),
  /** Where it was (a folder or a package identity). */
  from: z.string(),
  /** Where it is now (the renamed/moved folder), or null for a removed package. */
  to: z.string().nullable(),
  /** In plain words, how to put it back. */
  how: z.string(),
  commands: z.array(z.string()),
  /** True when the step that did it succeeded (false: it was planned but did not take place). */
  done: z.boolean(),
})
export type RunUndo = z.infer<typeof RunUndoSchema>

export const RunRecordSchema = z.object({
  kind: RunKindSchema,
  /** The journal's id: plan id, WinRE repair id, or Fix-it run id. */
  id: z.string(),
  /** Which definition: `install`, `winre`, or the Fix-it repair id (`restart`, `reset-wu-components`, …). */
  definition: z.string(),
  title: z.string(),
  /** The KBs an install targets (empty for repairs). */
  targets: z.array(z.string()),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** The last time the journal was written. */
  updatedAt: z.string().nullable(),
  /** The journal's own status word (`running`, `awaiting-restart`, …). */
  status: z.string(),
  outcome: RunOutcomeSchema,
  /** True when a later process finished what an earlier one had started. */
  resumed: z.boolean(),
  /** The caller's verification at the end: true/false, or null when none ran. */
  verified: z.boolean().nullable(),
  verificationDetail: z.string().nullable(),
  before: RunLevelSchema.nullable(),
  after: RunLevelSchema.nullable(),
  /** What changed on the machine, one plain line each (from the steps that took effect). */
  changed: z.array(z.string()),
  steps: z.array(RunRecordStepSchema),
  undo: z.array(RunUndoSchema),
  /** The journal file, for a person who wants to look (its name inside the data folder). */
  journal: z.string(),
  /**
   * True when the journal carries this copy's seal (main/runner/journal-seal.ts); false when it does not (written by an
   * earlier version, edited, or planted: shown, never resumed); null when it was not checked.
   */
  sealed: z.boolean().nullable().default(null),
})
export type RunRecord = z.infer<typeof RunRecordSchema>

/** Every run of a machine (oldest first) and notes about journals that could not be read. */
export const RunRecordsSchema = z.object({
  schemaVersion: z.literal(RUN_RECORD_SCHEMA_VERSION),
  runs: z.array(RunRecordSchema),
  notes: z.array(z.string()),
})
export type RunRecords = z.infer<typeof RunRecordsSchema>

/**
 * A step's result and a run's outcome or status in plain words, for every screen, the report and the CLI (
 * never the journal's own word such as `restart-required`, `not-run` or `awaiting-restart`).
 */
const STEP_RESULT_WORDS: Record<string, string> = {
  ok: 'done',
  done: 'done',
  'restart-required': 'done, waits for a restart',
  failed: 'failed',
  skipped: 'not needed',
  checked: 'checked',
  'not-fixed': 'did not fix it',
  rechecked: 'done (checked after an interruption)',
  'not-run': 'did not run',
  pending: 'waiting',
  running: 'running',
  cancelled: 'cancelled',
  refused: 'refused',
}
const RUN_STATE_WORDS: Record<string, string> = {
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted (running it again finishes it)',
  'awaiting-restart': 'waiting for a restart',
  pending: 'not started',
  abandoned: 'given up',
  running: 'still running',
  planned: 'planned',
  'not-started': 'not started',
  refused: 'refused',
}
export function stepResultWords(result: string): string {
  return STEP_RESULT_WORDS[result] ?? result.replace(/-/g, ' ')
}
export function runStateWords(state: string): string {
  return RUN_STATE_WORDS[state] ?? state.replace(/-/g, ' ')
}
/** What a WinRE repair addresses (`enable`, `resize`, `stale`…), in words. */
const WINRE_ADDRESS_WORDS: Record<string, string> = {
  disabled: 'turn it on',
  enable: 'turn it on',
  stale: 'update it',
  update: 'update it',
  resize: 'make room for it',
  'partition-too-small': 'make room for it',
  missing: 'put it back',
}
export function winreAddressWords(a: string): string {
  return WINRE_ADDRESS_WORDS[a] ?? a.replace(/-/g, ' ')
}
