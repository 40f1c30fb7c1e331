/**
 * The media service: what the CLI, the app and the preview bridge call. `update(name, kb, { onProgress,
 * signal, confirm })` runs `media update` through the engine (update.ts); `scan` and `plan` read a medium as it is
 * now (a training medium's saved state once an update changed it); `reset` returns a training medium to its start.
 */
import { join } from 'node:path'
import { listMedia, resolveMedium } from './sources.ts'
import { readMedium, type MediumScan } from './read.ts'
import { planMediaUpdate, type MediaPlan } from './plan.ts'
import { TrainingMediaStore } from './training/state.ts'
import { MediaJournalStore } from './journal.ts'
import { updateMedium, type MediaQuestion, type MediaUpdateOutcome } from './update.ts'
import type { MediaProgress } from '../../preload/model/media.ts'

export interface MediaUpdateCallOptions {
  onProgress?: (p: MediaProgress) => void
  signal?: AbortSignal
  /** Asked before a stale mount is cleaned up and before the medium is changed; absent: nothing changes. */
  confirm?: (q: MediaQuestion) => Promise<boolean>
  setupDu?: string
  checkpointHook?: (point: string) => void
}

export function createMediaService(deps: { dataDir: string }) {
  const store = new TrainingMediaStore(deps.dataDir)
  const journals = new MediaJournalStore(deps.dataDir)
  return {
    store,
    list: () => listMedia().map((m) => ({ ...m, changed: store.changed(m.name) })),
    scan: async (nameOrPath: string, opts: { kb?: string } = {}): Promise<MediumScan> =>
      readMedium(resolveMedium(nameOrPath, store), opts),
    plan: async (
      nameOrPath: string,
      kb: string,
      opts: { arch?: string; setupDu?: string } = {},
    ): Promise<{ scan: MediumScan; plan: MediaPlan }> => {
      const src = resolveMedium(nameOrPath, store)
      const scan = await readMedium(src, { kb })
      return {
        scan,
        plan: planMediaUpdate(scan, src, {
          kb,
          arch: opts.arch,
          setupDu: opts.setupDu,
          kits: join(deps.dataDir, 'kits', 'media'),
        }),
      }
    },
    update: (nameOrPath: string, kb: string, opts: MediaUpdateCallOptions = {}): Promise<MediaUpdateOutcome> =>
      updateMedium(nameOrPath, kb, { dataDir: deps.dataDir, store, journals }, opts),
    reset: (name: string) => store.reset(name),
  }
}
