/**
 * The media update journal: `<dataDir>/journals/media/<id>.json`, rewritten atomically (main/atomic-write.ts)
 * before and after every step and sealed with the app's journal key (main/runner/journal-seal.ts, kind `media`),
 * in the shape of the install journal (entries `started` / `finished` / `resumed` / `ended`).
 *
 * Issue 28 is making one journal store for every definition; until it is on main this is the media definition's
 * own small port implementation. A journal is data: its steps are intent, checked against the schema on every
 * load; a journal that has not ended and whose seal is not this app's is refused (nothing in it runs).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write.ts'
import { sealProblem, sealed, unseal } from '../runner/journal-seal.ts'
import { MediaJournalSchema, type MediaJournal, type MediaJournalEntry, type MediaStepResult } from '../../preload/model/media.ts'

export class MediaJournalError extends Error {}

export class MediaJournalStore {
  readonly dir: string
  private readonly dataDir: string
  constructor(dataDir: string) {
    this.dataDir = dataDir
    this.dir = join(dataDir, 'journals', 'media')
  }

  file(id: string): string {
    if (!/^media-[a-z0-9-]{1,100}$/.test(id)) throw new MediaJournalError(`Invalid media run id '${id}'.`)
    return join(this.dir, `${id}.json`)
  }

  save(j: MediaJournal): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileAtomicSync(this.file(j.id), JSON.stringify(sealed(this.dataDir, 'media', j.id, j), null, 1), { what: `the media journal ${j.id}` })
  }

  load(id: string): MediaJournal {
    const f = this.file(id)
    let json: unknown
    try { json = JSON.parse(readFileSync(f, 'utf8')) } catch (err) { throw new MediaJournalError(`The media journal ${f} cannot be read (${(err as Error).message}).`) }
    const { body, seal } = unseal(json)
    const parsed = MediaJournalSchema.safeParse(body)
    if (!parsed.success) throw new MediaJournalError(`The media journal ${f} is damaged: ${parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`)
    const j = parsed.data
    if (j.id !== id) throw new MediaJournalError(`The media journal ${f} names another run (${j.id}).`)
    if (j.status === 'running' || j.status === 'cancelled') {
      const why = sealProblem(this.dataDir, 'media', id, body, seal)
      if (why) throw new MediaJournalError(`The media journal ${f} has not ended, and ${why}, so nothing in it runs. Move the file out of ${this.dir} and start the update again.`)
    }
    return j
  }

  /** Every journal of a medium, newest first (unreadable ones are said, never skipped silently). */
  list(medium: string): { journals: MediaJournal[]; damaged: string[] } {
    if (!existsSync(this.dir)) return { journals: [], damaged: [] }
    const journals: MediaJournal[] = []
    const damaged: string[] = []
    for (const name of readdirSync(this.dir).filter((n) => n.startsWith(`media-${medium}-`) && n.endsWith('.json'))) {
      try { journals.push(this.load(name.slice(0, -5))) } catch (err) { damaged.push((err as Error).message) }
    }
    return { journals: journals.sort((a, b) => b.createdAt.localeCompare(a.createdAt)), damaged }
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

/** True when the step's last entry is `started`. */
export function interrupted(j: MediaJournal, stepId: string): boolean {
  for (let i = j.entries.length - 1; i >= 0; i--) {
    const e = j.entries[i]
    if ((e.phase === 'started' || e.phase === 'finished') && e.stepId === stepId) return e.phase === 'started'
  }
  return false
}
