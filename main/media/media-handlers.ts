/**
 * The contract handlers for installation media: `mediaList`, `mediaScan`, `mediaPlan`,
 * `mediaUpdate`, `mediaReset`. `main/handlers.ts` spreads them in. The renderer names a medium by name; main
 * resolves it (a training medium as it is now, after any update). What goes back is parsed with the contract's
 * schema here too, so the screen never gets a shape the contract does not name. An update's progress goes out
 * as `mediaProgress` events, one per step started and finished, the first carrying every step of the run.
 */
import { AppError } from '../errors.ts'
import { resolveMedium } from './sources.ts'
import { FolderMediumError } from './folder-source.ts'
import { FAT32_MAX_FILE, MediaPlanError } from './plan.ts'
import { MediaUpdateError } from './update.ts'
import { MediaJournalStore } from './journal.ts'
import type { MediumSource } from './read.ts'
import type { createMediaService } from './media-service.ts'
import type { EventName, EventPayload } from '../../preload/contract.ts'
import type { MediaRunStep, MediaStepResult } from '../../preload/model/media.ts'
import {
  MediaListSchema,
  MediaPlanOutputSchema,
  MediaScanOutputSchema,
  MediaUpdateOutputSchema,
  type MediaList,
  type MediaPlanOutput,
  type MediaScanOutput,
  type MediaUpdateOutput,
  type MediumFiles,
} from '../../preload/model/media-calls.ts'

type MediaService = ReturnType<typeof createMediaService>

interface Ctx {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void
  signal?: AbortSignal
}

/** The sizes the layer picture shows, and FAT32's file limit where it applies. */
export function mediumFiles(src: MediumSource): MediumFiles {
  return {
    installFileBytes: src.installFileBytes,
    bootFileBytes: src.bootFileBytes,
    workFreeBytes: src.workFreeBytes,
    maxFileBytes: src.fileSystem === 'FAT32' ? FAT32_MAX_FILE : null,
    swmParts: src.swmParts ? [...src.swmParts] : null,
  }
}

/** The service's errors in the contract's words: bad input and unknown media as such, nothing else hidden. */
function guard(err: unknown): never {
  if (err instanceof MediaPlanError || err instanceof MediaUpdateError) throw new AppError('invalid-input', err.message)
  if (err instanceof Error && /^No medium '/.test(err.message)) throw new AppError('not-found', err.message)
  if (err instanceof FolderMediumError) throw new AppError('invalid-input', err.message)
  throw err
}

/** A medium named by the page: a training medium's name, or a folder handle from `pickFolder` (resolved by main). */
type MediumRef = { medium: string } | { folder: string }

export function createMediaHandlers(
  media: MediaService,
  dataDir: string,
  resolveFolder: (handle: string) => string = () => {
    throw new AppError('forbidden', 'Choosing a folder is not available here.')
  },
) {
  const files = (name: string) => {
    try {
      return mediumFiles(resolveMedium(name, media.store))
    } catch (err) {
      return guard(err)
    }
  }
  // A folder the person chose: its real path, used only inside main (media-read handles are only read).
  const nameOf = (ref: MediumRef) => ('folder' in ref ? resolveFolder(ref.folder) : ref.medium)
  const running = new Set<string>()
  /** Each running update's stop switch, by its operation id. */
  const stops = new Map<string, AbortController>()
  return {
    mediaList: async (): Promise<MediaList> => MediaListSchema.parse({ media: media.list() }),
    mediaScan: async (input: MediumRef & { kb?: string }): Promise<MediaScanOutput> => {
      const medium = nameOf(input)
      const { kb } = input
      const f = files(medium)
      return MediaScanOutputSchema.parse({ scan: await media.scan(medium, { kb }).catch(guard), files: f })
    },
    mediaPlan: async (input: MediumRef & { kb: string; setupDu?: string }): Promise<MediaPlanOutput> => {
      const medium = nameOf(input)
      const { kb, setupDu } = input
      const f = files(medium)
      const { scan, plan } = await media.plan(medium, kb, { setupDu }).catch(guard)
      return MediaPlanOutputSchema.parse({ scan, files: f, plan })
    },
    mediaUpdate: async (
      {
        medium,
        kb,
        operationId,
        cleanStaleMount,
      }: { medium: string; kb: string; operationId: string; confirmed: true; cleanStaleMount: boolean },
      ctx: Ctx,
    ): Promise<MediaUpdateOutput> => {
      files(medium)
      if (running.has(medium)) throw new AppError('invalid-input', `An update of ${medium} is already running.`)
      running.add(medium)
      const stop = new AbortController()
      ctx.signal?.addEventListener('abort', () => stop.abort(), { once: true })
      stops.set(operationId, stop)
      // The run's steps, read once from its journal (written before its first step), so each event names its step.
      let steps: MediaRunStep[] | null = null
      const journals = new MediaJournalStore(dataDir)
      try {
        const out = await media
          .update(medium, kb, {
            signal: stop.signal,
            // `confirmed` is the schema's literal true: the person said yes to the update; the stale mount has its own yes.
            confirm: async (q) => (q.kind === 'stale-mount' ? cleanStaleMount : true),
            onProgress: (p) => {
              let first: {
                steps: MediaRunStep[]
                finishedBefore: Array<{ number: number; outcome: MediaStepResult['outcome'] }>
              } | null = null
              if (steps === null) {
                const j = journals.load(p.runId)
                const numberOf = new Map(j.plan.steps.map((s, i) => [s.id, i + 1]))
                steps = j.plan.steps.map((s) => s.step)
                const finishedBefore = j.entries.flatMap((e) =>
                  e.phase === 'finished' && numberOf.has(e.stepId)
                    ? [{ number: numberOf.get(e.stepId)!, outcome: e.result.outcome }]
                    : [],
                )
                first = { steps, finishedBefore }
              }
              ctx.emit('mediaProgress', {
                operationId,
                runId: p.runId,
                number: p.index + 1,
                total: p.total,
                phase: p.phase,
                title: p.title,
                step: steps[p.index],
                outcome: p.result?.outcome ?? null,
                ...(first ?? {}),
              })
            },
          })
          .catch(guard)
        return MediaUpdateOutputSchema.parse(out)
      } finally {
        running.delete(medium)
        stops.delete(operationId)
      }
    },
    mediaCancel: async ({ operationId }: { operationId: string }): Promise<{ cancelled: boolean }> => {
      const stop = stops.get(operationId)
      stop?.abort()
      return { cancelled: Boolean(stop) }
    },
    mediaReset: async ({ medium }: { medium: string }): Promise<{ medium: string }> => {
      files(medium)
      if (running.has(medium))
        throw new AppError('invalid-input', `${medium} is being updated; reset it after the update ends.`)
      media.reset(medium)
      return { medium }
    },
  }
}
