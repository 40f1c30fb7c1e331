/**
 * The one journal store: every run that changes a PC is journaled here, in the one format
 * (preload/model/run-journal.ts), whatever its kind. Installs (main/install/journal.ts), WinRE repairs
 * (main/winre/run-journal.ts) and Fix-it repairs (main/repair/journal.ts) — and the media update — each
 * give it a JournalKindSpec (where their journals live, what they are called, and the definition's own check of a
 * plan) and use it through the engine's RunJournal port.
 *
 * - Written atomically (main/atomic-write.ts: temp file, every byte checked, fsync, rename) before and after every
 *   step, and sealed (main/runner/journal-seal.ts): a crash, a restart or a full disk leaves the old or the new
 *   journal, never half of one.
 * - One refusal path for every kind (`refusal()`): a journal that is not JSON, not a journal, names another run,
 *   holds a plan whose digest differs, holds a plan the definition did not make, or has not ended and does not carry
 *   this copy's seal is refused with the reason, and nothing in it runs.
 * - The formats written before this one are read and converted (main/runner/journal-views.ts), their seal checked
 *   as before. A journal of an older format that cannot be converted (an install journal of format 1, which stored
 *   commands) and says its run ended is moved to `<data>/journals/archived/` with a note (`archivedJournals`), which
 *   the report shows: never dropped silently. One that may not have ended stays, refused, and keeps stopping new runs
 *   of its kind until a person has looked at the PC (it may record a change made halfway).
 *
 * Mutation score (Stryker, `npm run mutate -- main/runner/journal.ts`, tests: test/unit/runner/journal-store.test.ts):
 * 94.3% (230 killed, 14 survived, 2026-11-23; survivors: equivalent mutants, a
 * message's wording, and list order where readdir already returned names sorted).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { copyFailure, writeFileAtomicSync } from '../atomic-write.ts'
import { sealProblem, sealed, unseal } from './journal-seal.ts'
import { digestOf } from './journal-views.ts'
import { MachineRefSchema, type MachineRef } from '../../preload/model/common.ts'
import {
  ArchivedJournalSchema,
  RUN_JOURNAL_SCHEMA,
  RUN_JOURNAL_SCHEMA_VERSION,
  RunJournalSchema,
  type ArchivedJournal,
  type RunJournalKind,
  type RunJournalOf,
} from '../../preload/model/run-journal.ts'

/**
 * Why a store call failed: `missing` (no such journal), `invalid` (a bad id), `exists` (create over history), `refused`,
 * `unvouched` (a run that ended, readable, but without this copy's seal: a record this copy cannot vouch for).
 */
export type JournalFailure = 'missing' | 'invalid' | 'exists' | 'refused' | 'unvouched'

/** A journal that reads as one and says its run ended, but carries no seal of this copy over what it holds. */
export interface UnvouchedJournal<K extends RunJournalKind> {
  journal: RunJournalOf<K>
  /** Why not (a plain clause: no seal, or a seal that is not this copy's for what it holds). */
  reason: string
  file: string
}

/** How every screen, note and report names a journal whose claims do not count. */
export const UNVOUCHED = 'a record this copy cannot vouch for'

/** What a definition tells the store about its kind of journal. */
export interface JournalKindSpec<K extends RunJournalKind> {
  kind: K
  /** The folder under the data folder, and the file name's ending after the id. */
  folder: string
  suffix: string
  /** The ids this kind's journals may have (a file name: letters, digits, _ and -). */
  idPattern: RegExp
  /** What an id names, in messages: `plan`, `repair`, `repair run`. */
  idNoun: string
  /** The journal as messages name it: `journal of plan p1`. */
  label: (id: string) => string
  /** The journal as a failed write names it: `the installation journal of plan p1`. */
  what: (id: string) => string
  /** The definition's error for a failure (the message is the store's). */
  error: (failure: JournalFailure, message: string, file: string) => Error
  /** The definition's own check of a journal read: null when it is the app's, else a clause (`holds a plan …`). */
  check: (journal: RunJournalOf<K>) => string | null
  /** The format written before the one journal: its version, its schema, and its conversion. */
  legacy: {
    version: number
    schema: z.ZodTypeAny
    toRun: (old: never) => RunJournalOf<K>
    check?: (old: never) => string | null
  }
  /** A line of advice appended when an unfinished journal is refused for its seal. */
  sealAdvice?: string
}

/** True when the run has not ended (it may be resumed; like every journal whose claims count, it must carry this copy's seal). */
export function isUnfinished(j: { status: string }): boolean {
  return j.status !== 'completed' && j.status !== 'failed' && j.status !== 'abandoned'
}

/** Where journals this version cannot read are moved, with their notes. */
export function archiveDir(dataDir: string): string {
  return join(dataDir, 'journals', 'archived')
}

/** The first two things wrong with a journal, each with its path. */
function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 2)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ')
}

export class RunJournalStore<K extends RunJournalKind> {
  readonly dir: string
  readonly dataDir: string
  readonly spec: JournalKindSpec<K>
  constructor(dataDir: string, spec: JournalKindSpec<K>) {
    this.dataDir = dataDir
    this.spec = spec
    this.dir = join(dataDir, spec.folder)
  }

  file(id: string): string {
    if (!this.spec.idPattern.test(id)) throw this.spec.error('invalid', `Invalid ${this.spec.idNoun} id '${id}'.`, id)
    return join(this.dir, `${id}${this.spec.suffix}`)
  }

  exists(id: string): boolean {
    return existsSync(this.file(id))
  }

  /** A new journal (refuses to overwrite one that exists: that one holds what already ran). */
  create(journal: RunJournalOf<K>): RunJournalOf<K> {
    const file = this.file(journal.id)
    if (existsSync(file))
      throw this.spec.error(
        'exists',
        `A journal for ${this.spec.idNoun} ${journal.id} exists already; resume it instead.`,
        file,
      )
    this.save(journal)
    return journal
  }

  /** The one refusal: the journal named, the reason, and that nothing in it runs. */
  private refusal(id: string, file: string, reason: string): Error {
    return this.spec.error('refused', `The ${this.spec.label(id)} (${file}) ${reason}.`, file)
  }

  /**
   * The journal, in the one format; refused (never run) when it cannot be trusted. A run that ended without this
   * copy's seal is refused too (`unvouched`): what it says happened counts for nothing.
   */
  load(id: string): RunJournalOf<K> {
    const { journal, unvouched } = this.read(id)
    if (unvouched)
      throw this.spec.error(
        'unvouched',
        `The ${this.spec.label(id)} (${this.file(id)}) is ${UNVOUCHED}: its run ended, but ${unvouched}; it is shown, and nothing it says counts.`,
        this.file(id),
      )
    return journal
  }

  /** The journal and, for a run that ended, why it is not this copy's (null when it is): refused when it cannot be read. */
  private read(id: string): { journal: RunJournalOf<K>; unvouched: string | null } {
    const file = this.file(id)
    let raw: string
    try {
      raw = readFileSync(file, 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw this.spec.error(
        'missing',
        code === 'ENOENT'
          ? `No journal for ${this.spec.idNoun} ${id}.`
          : `The ${this.spec.label(id)} cannot be read (${code ?? (err as Error).message}): ${file}.`,
        file,
      )
    }
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch (err) {
      throw this.refusal(id, file, `is damaged: it is not JSON (${(err as Error).message})`)
    }
    const { body, seal } = unseal(json)
    const o = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
    const version = typeof o.schemaVersion === 'number' ? o.schemaVersion : undefined
    let journal: RunJournalOf<K>
    if (o.schema === RUN_JOURNAL_SCHEMA) {
      if (version !== undefined && version > RUN_JOURNAL_SCHEMA_VERSION)
        throw this.refusal(
          id,
          file,
          `is from a later version of Servicing Desk (format ${version}) and is not supported, so nothing in it runs`,
        )
      const parsed = RunJournalSchema.safeParse(body)
      if (!parsed.success) throw this.refusal(id, file, `is damaged: ${issuesOf(parsed.error)}`)
      if (parsed.data.kind !== this.spec.kind)
        throw this.refusal(
          id,
          file,
          `is a ${parsed.data.kind} journal, not a ${this.spec.kind} one, so nothing in it runs`,
        )
      journal = parsed.data as RunJournalOf<K>
      if (journal.id !== id)
        throw this.refusal(id, file, `names another ${this.spec.idNoun} (${journal.id}), so nothing in it runs`)
      if (digestOf(o.plan) !== journal.planDigest)
        throw this.refusal(
          id,
          file,
          'holds a plan that is not the one it was made for (its digest differs), so nothing in it runs',
        )
      return { journal, unvouched: this.trust(id, file, journal, body, seal) }
    }
    // A format written before the one journal: converted, checked as it was then.
    const { legacy } = this.spec
    if (version !== undefined && version !== legacy.version) {
      const era = version > legacy.version ? 'a later' : 'an earlier'
      const unsupported = `is from ${era} version of Servicing Desk (format ${version}) and is not supported, so nothing in it runs`
      // An older run that says it ended is history: moved aside with a note, so it no longer stands in the way. One
      // that may not have ended stays where it is and keeps stopping new runs until a person looks at the PC.
      if (version > legacy.version || typeof o.status !== 'string' || isUnfinished({ status: o.status }))
        throw this.refusal(id, file, unsupported)
      const note = this.archive(
        id,
        file,
        `It is from an earlier version of Servicing Desk (format ${version}), which this version cannot read; it says the run ${o.status === 'abandoned' ? 'was given up' : o.status}. Nothing in it runs.`,
      )
      throw this.refusal(id, file, `${unsupported}. It says the run ended (${o.status}), so it was moved to ${note.to}`)
    }
    const parsed = legacy.schema.safeParse(body)
    if (!parsed.success) throw this.refusal(id, file, `is damaged: ${issuesOf(parsed.error)}`)
    const why = legacy.check?.(parsed.data as never)
    if (why) throw this.refusal(id, file, `${why}, so nothing in it runs`)
    journal = legacy.toRun(parsed.data as never)
    if (journal.id !== id)
      throw this.refusal(id, file, `names another ${this.spec.idNoun} (${journal.id}), so nothing in it runs`)
    if (digestOf(journal.plan) !== journal.planDigest)
      throw this.refusal(
        id,
        file,
        'holds a plan that is not the one it was made for (its digest differs), so nothing in it runs',
      )
    return { journal, unvouched: this.trust(id, file, journal, body, seal) }
  }

  /**
   * The definition's check, then the app's seal over what the file holds: refused for a run that has not ended; for
   * one that ended, the reason it is not this copy's (null when it is).
   */
  private trust(
    id: string,
    file: string,
    journal: RunJournalOf<K>,
    body: unknown,
    seal: string | undefined,
  ): string | null {
    const problem = this.spec.check(journal)
    if (problem) throw this.refusal(id, file, `${problem}, so nothing in it runs`)
    const why = sealProblem(this.dataDir, this.spec.kind, id, body, seal)
    if (why && isUnfinished(journal))
      throw this.refusal(
        id,
        file,
        `has not ended, and ${why}, so nothing in it runs.${this.spec.sealAdvice ? ` ${this.spec.sealAdvice}` : ''}`.replace(
          /\.$/,
          '',
        ),
      )
    return why
  }

  /** Writes the journal whole (atomically), sealed; its plan's digest is recomputed. */
  save(journal: RunJournalOf<K>): void {
    const file = this.file(journal.id)
    const what = this.spec.what(journal.id)
    try {
      mkdirSync(this.dir, { recursive: true })
    } catch (err) {
      throw copyFailure(file, err, what)
    }
    const whole = {
      ...journal,
      schema: RUN_JOURNAL_SCHEMA,
      schemaVersion: RUN_JOURNAL_SCHEMA_VERSION,
      kind: this.spec.kind,
      planDigest: digestOf(journal.plan),
    }
    writeFileAtomicSync(file, JSON.stringify(sealed(this.dataDir, this.spec.kind, journal.id, whole), null, 1), {
      what,
    })
  }

  /**
   * Every journal of this kind on disk: the app's own (sealed), the refused ones with the reason, and the runs that
   * ended without this copy's seal (shown as records this copy cannot vouch for; they count for nothing and stop nothing).
   */
  list(): {
    journals: Array<RunJournalOf<K>>
    damaged: Error[]
    /** The same refusals, each with the machine its file names (null: it names none it can be trusted to). */
    damagedOf: Array<{ error: Error; id: string; machine: MachineRef | null }>
    unvouched: Array<UnvouchedJournal<K>>
  } {
    let names: string[]
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith(this.spec.suffix))
    } catch {
      return { journals: [], damaged: [], damagedOf: [], unvouched: [] }
    }
    const journals: Array<RunJournalOf<K>> = []
    const damaged: Error[] = []
    const damagedOf: Array<{ error: Error; id: string; machine: MachineRef | null }> = []
    const unvouched: Array<UnvouchedJournal<K>> = []
    for (const n of names.sort()) {
      const id = n.slice(0, -this.spec.suffix.length)
      if (!this.spec.idPattern.test(id)) continue
      // A journal moved to the archive while it was read is no longer in the way (its note says why).
      try {
        const r = this.read(id)
        if (r.unvouched) unvouched.push({ journal: r.journal, reason: r.unvouched, file: this.file(id) })
        else journals.push(r.journal)
      } catch (err) {
        if (existsSync(join(this.dir, n))) {
          damaged.push(err as Error)
          damagedOf.push({ error: err as Error, id, machine: this.namedMachine(id) })
        }
      }
    }
    return { journals, damaged, damagedOf, unvouched }
  }

  /**
   * The machine a journal that cannot be trusted names, read from its file as far as it goes: the one journal's
   * `machine`, or the format before's `plan.machine.ref`, when it is a well-formed machine. Null when it names none
   * (not JSON, no such field, or a field that is not a machine): such a journal could be any PC's.
   */
  namedMachine(id: string): MachineRef | null {
    let body: unknown
    try {
      body = unseal(JSON.parse(readFileSync(this.file(id), 'utf8'))).body
    } catch {
      return null
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return null
    const o = body as { schema?: unknown; machine?: unknown; plan?: { machine?: { ref?: unknown } } }
    const named = o.schema === RUN_JOURNAL_SCHEMA ? o.machine : o.plan?.machine?.ref
    const parsed = MachineRefSchema.safeParse(named)
    return parsed.success ? parsed.data : null
  }

  /** The runs that did not end, newest first; with a machine, only that machine's. */
  unfinished(machine?: MachineRef): Array<RunJournalOf<K>> {
    const key = machine ? JSON.stringify(machine) : null
    return this.list()
      .journals.filter((j) => isUnfinished(j) && (key === null || JSON.stringify(j.machine) === key))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  /** Moves a journal this version cannot read to `<data>/journals/archived/`, with a note beside it. */
  private archive(id: string, file: string, note: string): ArchivedJournal {
    const dir = archiveDir(this.dataDir)
    mkdirSync(dir, { recursive: true })
    const name = `${this.spec.kind}-${id}${this.spec.suffix}`
    const record: ArchivedJournal = {
      kind: this.spec.kind,
      id,
      from: `${this.spec.folder}/${id}${this.spec.suffix}`,
      to: `journals/archived/${name}`,
      at: new Date().toISOString(),
      note,
    }
    writeFileAtomicSync(join(dir, `${name}.note.json`), JSON.stringify(record, null, 1), {
      what: `the note on the archived ${this.spec.label(id)}`,
    })
    renameSync(file, join(dir, name))
    return record
  }
}

/** The journals moved aside because this version could not read them, each with its note (oldest first). */
export function archivedJournals(dataDir: string): ArchivedJournal[] {
  let names: string[]
  try {
    names = readdirSync(archiveDir(dataDir))
      .filter((n) => n.endsWith('.note.json'))
      .sort()
  } catch {
    return []
  }
  const out: ArchivedJournal[] = []
  for (const n of names) {
    try {
      const parsed = ArchivedJournalSchema.safeParse(JSON.parse(readFileSync(join(archiveDir(dataDir), n), 'utf8')))
      if (parsed.success) out.push(parsed.data)
    } catch {
      /* a note that cannot be read is skipped; the journal beside it is still there */
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at))
}
