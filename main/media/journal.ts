/**
 * The media update's journals in the one journal store (main/runner/journal.ts), kind `media`:
 * `<dataDir>/journals/media/<id>.json`, written atomically before and after every step and sealed with the app's
 * journal key. The plan in it is intent (preload/model/media.ts MediaRunPlanSchema); the store refuses a journal
 * that is not JSON, not a media journal, whose plan's digest differs, or that has not ended without this copy's seal.
 * Media journals were never written in an older format, so there is nothing to convert.
 */
import { z } from 'zod'
import { RunJournalStore, type JournalKindSpec } from '../runner/journal.ts'
import type { RunJournalOf } from '../../preload/model/run-journal.ts'
import type { MediaStepResult } from '../../preload/model/media.ts'
import { isMediaWorkFolder } from './work-guard.ts'
import { renderArgv, stepCommand, type MediaStep } from './plan.ts'

export type MediaJournal = RunJournalOf<'media'>
export type MediaJournalEntry = MediaJournal['entries'][number]

export class MediaJournalError extends Error {}

export const MEDIA_JOURNAL_SPEC: JournalKindSpec<'media'> = {
  kind: 'media',
  folder: 'journals/media',
  suffix: '.json',
  idPattern: /^media-[a-z0-9-]{1,100}$/,
  idNoun: 'media run',
  label: (id) => `media journal ${id}`,
  what: (id) => `the media journal ${id}`,
  error: (_failure, message) => new MediaJournalError(message),
  // The plan must be one the builder can turn into commands (every step's command is rebuilt when it runs).
  check: (j) => {
    for (const { step } of j.plan.steps) {
      if (
        step.kind === 'copy-to-work' ||
        step.kind === 'copy-package' ||
        step.kind === 'stage' ||
        step.kind === 'write-back'
      )
        continue
      try {
        renderArgv(stepCommand(step as MediaStep, { work: j.plan.work, media: `${j.plan.work}\\media` }))
      } catch {
        return `holds a step (${step.kind}) the command builder cannot build`
      }
    }
    if (isMediaWorkFolder(j.plan.work)) return null
    // An earlier version worked at the drive's root, a folder Authenticated Users may modify: what it holds is not trusted.
    return /^C:\\ServicingDesk\\work\\/i.test(j.plan.work)
      ? `works in ${j.plan.work}, a folder at the drive's root that standard users may change (an earlier version's); its copy of the medium is not trusted`
      : `names a work folder (${j.plan.work}) that is not one the app makes`
  },
  legacy: { version: -1, schema: z.never(), toRun: (old: never) => old },
  sealAdvice: 'Move the file out of the journals/media folder and start the update again.',
}

export class MediaJournalStore extends RunJournalStore<'media'> {
  constructor(dataDir: string) {
    super(dataDir, MEDIA_JOURNAL_SPEC)
  }

  /** Every journal of a medium, newest first, and the refused ones (said, never skipped silently). */
  listFor(medium: string): { journals: MediaJournal[]; damaged: string[] } {
    const { journals, damaged } = this.list()
    return {
      journals: journals.filter((j) => j.plan.medium === medium).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      damaged: damaged.filter((e) => e.message.includes(`media-${medium}-`)).map((e) => e.message),
    }
  }
}

export function withEntry(j: MediaJournal, e: MediaJournalEntry, status?: MediaJournal['status']): MediaJournal {
  return { ...j, entries: [...j.entries, e], status: status ?? j.status, updatedAt: e.at }
}

/** Each step's last recorded result. */
export function results(j: MediaJournal): Map<string, MediaStepResult> {
  const out = new Map<string, MediaStepResult>()
  for (const e of j.entries) if (e.phase === 'finished') out.set(e.stepId, e.result)
  return out
}

/** The engine's questions of a journal, shared with the install and WinRE journals (one entry format). */
export { attempts, interrupted } from '../install/journal.ts'
