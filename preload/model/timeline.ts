/**
 * The timeline of a PC: what happened to it and when, oldest first — boots, update attempts from the
 * Windows Update history, CBS/DISM servicing sessions from the logs, and every run of this app (installs, WinRE
 * repairs, Fix-it repairs) from their journals. Findings take their state (current | past | unknown) from it.
 *
 * Crosses IPC and the CLI's `--json`: zod schemas only.
 */
import { z } from 'zod'

export const TimelineEventKindSchema = z.enum(['boot', 'update-attempt', 'servicing-session', 'app-run'])
export type TimelineEventKind = z.infer<typeof TimelineEventKindSchema>

export const AppRunKindSchema = z.enum(['install', 'winre-repair', 'repair'])
export type AppRunKind = z.infer<typeof AppRunKindSchema>

/** One run of this app on the PC, as its journal records it. */
export const AppRunSchema = z.object({
  kind: AppRunKindSchema,
  /** The journal's id (plan id, run id). */
  id: z.string(),
  /** The Fix-it repair (`restart`, `reset-wu-components`…), the WinRE repair (`winre-repair`) or `install`. */
  repairId: z.string().nullable(),
  /** The updates an install targeted. */
  kbs: z.array(z.string()),
  status: z.string(),
  /** True when the run ended verified by a re-scan. */
  verified: z.boolean(),
  /** When it ended (ISO 8601), else when it was last written. */
  at: z.string().nullable(),
  /** One plain line of what it did. */
  detail: z.string(),
  /**
   * An install that changed nothing: Windows answered "not applicable" (or "already installed") for every package, at
   * the PC's UBR then. Such an install is not offered again while the PC is at that level.
   */
  unchanged: z
    .object({
      kbs: z.array(z.string()),
      kind: z.enum(['not-applicable', 'already-installed']),
      ubr: z.number().int().nullable(),
    })
    .optional(),
})
export type AppRun = z.infer<typeof AppRunSchema>

export const TimelineEventSchema = z.object({
  /** ISO 8601 (UTC when the source said so; log times without a zone are read as the PC's clock). */
  at: z.string(),
  kind: TimelineEventKindSchema,
  title: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'pending', 'other']),
  kb: z.string().nullable(),
  /** The failure code, `0x` + 8 upper-case hex digits. */
  code: z.string().nullable(),
  /** Where it was read: `Windows Update history`, a log path, a journal. */
  source: z.string(),
  run: AppRunSchema.optional(),
  /**
   * The restart the PC waits for, listed once: Windows Update's "installed, waiting for the restart" entry and CBS's
   * "a restart is required" line after it are the same restart (this event; `source` names both).
   */
  restartPending: z.boolean().optional(),
})
export type TimelineEvent = z.infer<typeof TimelineEventSchema>

export const TimelineSchema = z.object({
  /** The last boot of the PC (ISO 8601), or null when it could not be read. */
  lastBootAt: z.string().nullable(),
  /** Oldest first; events without a time are left out (they cannot be ordered). */
  events: z.array(TimelineEventSchema),
  /**
   * The restart the PC waits for now (null: none pending, or not readable): when it was first asked for since the
   * last boot, the updates it finishes, and where that was read. The same restart as the event marked `restartPending`.
   */
  pendingRestart: z
    .object({ at: z.string().nullable(), kbs: z.array(z.string()), sources: z.array(z.string()) })
    .nullable()
    .optional(),
  /**
   * Updates installed and waiting for the restart to finish (DISM "Install Pending"): the package, its KB (from the
   * package or the servicing-chain knowledge by its build) and the build it brings the PC to, for the chain to show.
   */
  staged: z
    .array(
      z.object({
        identity: z.string(),
        kb: z.string().nullable(),
        build: z.string().nullable(),
        state: z.literal('install-pending'),
      }),
    )
    .optional(),
})
export type Timeline = z.infer<typeof TimelineSchema>
