/**
 * Where a training machine's state lives between runs: `<dataDir>/training/<name>.json`, written
 * atomically. A machine nobody changed yet is its profile. `reset` returns it to the profile.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write.ts'
import type { TrainingState } from './state.ts'
import { isTrainingProfile, trainingProfile, trainingProfileShared } from './profiles/index.ts'

/**
 * State files already parsed, by path, with the identity of the file they were parsed from (device, inode, size,
 * change and modification times in ns). Every command a scan runs on a training machine loads its state (one
 * What's wrong + Proof + Fix it round loads it hundreds of times), and an imported machine's state carries its
 * collected logs: reading and parsing the file each time was a quarter of the CPU of the tests that walk machines.
 * A save replaces the file (atomic write: a new inode) and any other write changes its size or times, so a file that
 * changed is read again. Callers get their own copy (they change the state they are given, then save it).
 */
const parsed = new Map<string, { stamp: string; json: unknown }>()
/** Enough for the machines of a few data folders at once; the oldest entry goes first. */
const PARSED_MAX = 64

/**
 * The file parsed as JSON (a copy; with `shared`, the cached value itself, which the caller must not change), or
 * undefined when there is no file; a parse error is thrown as JSON.parse's.
 */
function readJson(file: string, shared = false): unknown {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false })
  if (!st) return undefined
  const stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`
  const hit = parsed.get(file)
  if (hit?.stamp === stamp) return shared ? hit.json : structuredClone(hit.json)
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'))
  parsed.delete(file)
  parsed.set(file, { stamp, json: shared ? json : structuredClone(json) })
  if (parsed.size > PARSED_MAX) parsed.delete(parsed.keys().next().value as string)
  return json
}

export class TrainingStore {
  readonly dir: string
  /** The data folder whose `training/` this is (a training machine's C:\ProgramData\ServicingDesk: host/pc-path.ts). */
  readonly dataDir: string
  constructor(dataDir: string) {
    this.dataDir = dataDir
    this.dir = join(dataDir, 'training')
  }

  private file(name: string): string {
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`Invalid training machine name '${name}'.`)
    return join(this.dir, `${name}.json`)
  }

  /** A machine made from a collector file (`machines import`): its starting state, kept in `training/imported/`. */
  imported(name: string, shared = false): TrainingState | null {
    if (!/^import-[a-z0-9-]{1,57}$/.test(name)) return null
    const f = join(this.dir, 'imported', `${name}.json`)
    try {
      const state = readJson(f, shared) as TrainingState | undefined
      return state?.name === name ? state : null
    } catch {
      return null
    }
  }

  /** Every imported machine's starting state. */
  importedProfiles(): TrainingState[] {
    const dir = join(this.dir, 'imported')
    if (!existsSync(dir)) return []
    return readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => this.imported(n.slice(0, -5)))
      .filter((s): s is TrainingState => s !== null)
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Keeps an imported machine's starting state (replacing an earlier import of the same PC) and starts it afresh. */
  saveImported(state: TrainingState): void {
    if (!/^import-[a-z0-9-]{1,57}$/.test(state.name)) throw new Error(`Invalid imported machine name '${state.name}'.`)
    mkdirSync(join(this.dir, 'imported'), { recursive: true })
    writeFileAtomicSync(join(this.dir, 'imported', `${state.name}.json`), JSON.stringify(state, null, 1), {
      what: `the imported machine ${state.name}`,
    })
    rmSync(this.file(state.name), { force: true })
  }

  /** The machine's current state (the caller's own copy, to change and save); throws for an unknown name. */
  load(name: string): TrainingState {
    return this.state(name, false)
  }

  /**
   * The machine's current state to read only: no copy (the profile, or the parsed file this store keeps), so it must
   * not be changed. A host's file lookups and its name, title and architecture read the state many times a scan; a
   * deep copy for each cost more than the lookup.
   */
  peek(name: string): Readonly<TrainingState> {
    return this.state(name, true)
  }

  private state(name: string, shared: boolean): TrainingState {
    // The profile is copied only when it is what is returned: a changed machine's state is its saved file, and every
    // command run on a training machine reads the state (a scan runs dozens), so a copy of the profile each time only
    // to see that the name is known cost as much as reading the state itself.
    const profiled = isTrainingProfile(name)
    const imported = profiled ? null : this.imported(name, shared)
    if (!profiled && !imported) throw new Error(`No training machine named '${name}'.`)
    const f = this.file(name)
    try {
      const state = readJson(f, shared) as TrainingState | undefined
      if (state === undefined)
        return imported ?? (shared ? (trainingProfileShared(name) as TrainingState) : trainingProfile(name)!)
      if (state.name !== name) throw new Error('name mismatch')
      return state
    } catch (err) {
      throw new Error(
        `The saved state of training machine '${name}' is unreadable (${(err as Error).message}); reset it with \`servicing-desk machines --reset ${name}\`.`,
      )
    }
  }

  save(state: TrainingState): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileAtomicSync(this.file(state.name), JSON.stringify(state, null, 1), {
      what: `the state of training machine ${state.name}`,
    })
  }

  reset(name: string): void {
    if (!isTrainingProfile(name) && !this.imported(name)) throw new Error(`No training machine named '${name}'.`)
    rmSync(this.file(name), { force: true })
  }

  /** True when the machine differs from its profile (something was installed, restarted, …). */
  changed(name: string): boolean {
    return existsSync(this.file(name))
  }
}
