/**
 * The contract handlers for installation media (issue 31 §5): `mediaList`, `mediaScan`, `mediaPlan`.
 * `main/handlers.ts` spreads them in. The renderer names a medium by name; main resolves it. What goes back
 * is parsed with the contract's schema here too, so the screen never gets a shape the contract does not name.
 */
import { AppError } from '../errors.ts'
import { listMedia, resolveMedium } from './sources.ts'
import { readMedium } from './read.ts'
import { FAT32_MAX_FILE, MediaPlanError, planMediaUpdate } from './plan.ts'
import type { MediumSource } from './read.ts'
import { MediaListSchema, MediaPlanOutputSchema, MediaScanOutputSchema, type MediaList, type MediaPlanOutput, type MediaScanOutput, type MediumFiles } from '../../preload/model/media-calls.ts'

function source(name: string): MediumSource {
  try { return resolveMedium(name) } catch (err) { throw new AppError('not-found', (err as Error).message) }
}

/** The sizes the layer picture shows, and FAT32's file limit where it applies. */
export function mediumFiles(src: MediumSource): MediumFiles {
  return {
    installFileBytes: src.installFileBytes, bootFileBytes: src.bootFileBytes, workFreeBytes: src.workFreeBytes,
    maxFileBytes: src.fileSystem === 'FAT32' ? FAT32_MAX_FILE : null,
  }
}

export function createMediaHandlers() {
  return {
    mediaList: async (): Promise<MediaList> => MediaListSchema.parse({ media: listMedia() }),
    mediaScan: async ({ medium, kb }: { medium: string; kb?: string }): Promise<MediaScanOutput> => {
      const src = source(medium)
      return MediaScanOutputSchema.parse({ scan: await readMedium(src, { kb }), files: mediumFiles(src) })
    },
    mediaPlan: async ({ medium, kb, setupDu }: { medium: string; kb: string; setupDu?: string }): Promise<MediaPlanOutput> => {
      const src = source(medium)
      const scan = await readMedium(src, { kb })
      try {
        const plan = planMediaUpdate(scan, src, { kb, setupDu })
        return MediaPlanOutputSchema.parse({ scan, files: mediumFiles(src), plan })
      } catch (err) {
        if (err instanceof MediaPlanError) throw new AppError('invalid-input', err.message)
        throw err
      }
    },
  }
}
