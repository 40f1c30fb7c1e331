/**
 * Where a training machine's state lives between runs: `<dataDir>/training/<name>.json`, written
 * atomically. A machine nobody changed yet is its profile. `reset` returns it to the profile.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write.ts'
import type { TrainingState } from './state.ts'
import { isTrainingProfile, trainingProfile } from './profiles/index.ts'

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
  imported(name: string): TrainingState | null {
    if (!/^import-[a-z0-9-]{1,57}$/.test(name)) return null
    const f = join(this.dir, 'imported', `${name}.json`)
    if (!existsSync(f)) return null
    try {
      const state = JSON.parse(readFileSync(f, 'utf8')) as TrainingState
      return state.name === name ? state : null
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

  /** The machine's current state; throws for an unknown name. */
  load(name: string): TrainingState {
    // The profile is copied only when it is what is returned: a changed machine's state is its saved file, and every
    // command run on a training machine reads the state (a scan runs dozens), so a copy of the profile each time only
    // to see that the name is known cost as much as reading the state itself.
    const profiled = isTrainingProfile(name)
    const imported = profiled ? null : this.imported(name)
    if (!profiled && !imported) throw new Error(`No training machine named '${name}'.`)
    const f = this.file(name)
    if (!existsSync(f)) return imported ?? trainingProfile(name)!
    try {
      const state = JSON.parse(readFileSync(f, 'utf8')) as TrainingState
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
