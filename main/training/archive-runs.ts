/**
 * When a training machine starts over (`machines --reset`), what was done to it before is history, not
 * proof about the machine as it is now: its install journals and plans (`<data>/journals`, `<data>/plans`)
 * its WinRE repairs and run journals (`<data>/winre-repairs`), its repair journals (`<data>/repairs`) and its remembered
 * verdict (`<data>/verdicts`, main/timeline/verdict-memory.ts) move to
 * `<data>/archive/<stamp>-<name>/<folder>/`, where they stay readable. The report and the Proof screen read
 * only the live folders, so no "Verified" line from before the reset is shown.
 *
 * A file is the machine's when its JSON names it as `{ kind: 'training', name }` where each kind of file
 * keeps its machine (plan.machine.ref, machine.ref, machine); unreadable files are left where they are.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'

type Json = Record<string, unknown>
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null)

function machineOf(json: unknown): Json | null {
  const j = obj(json)
  if (!j) return null
  const plan = obj(j.plan)
  const m = obj(plan?.machine) ?? obj(j.machine)
  return obj(m?.ref) ?? m
}

const FOLDERS = ['journals', 'plans', 'winre-repairs', 'repairs', 'verdicts'] as const

/** Moves the machine's runs to the archive; returns the archive folder, or null when there was nothing to move. */
export function archiveTrainingRuns(dataDir: string, name: string, now: Date = new Date()): string | null {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
  // Two resets in the same second get two folders (a file never overwrites an archived one).
  let archive = join(dataDir, 'archive', `${stamp}-${name}`)
  for (let n = 2; existsSync(archive); n++) archive = join(dataDir, 'archive', `${stamp}-${name}-${n}`)
  let moved = 0
  for (const folder of FOLDERS) {
    const dir = join(dataDir, folder)
    let names: string[]
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json'))
    } catch {
      continue
    }
    for (const n of names) {
      let ref: Json | null
      try {
        ref = machineOf(JSON.parse(readFileSync(join(dir, n), 'utf8')))
      } catch {
        continue
      }
      if (ref?.kind !== 'training' || ref.name !== name) continue
      const to = join(archive, folder)
      mkdirSync(to, { recursive: true })
      renameSync(join(dir, n), join(to, n))
      // A remembered verdict moves with the runs, but alone it is no run: "archived" says whether anything was done.
      if (folder !== 'verdicts') moved++
    }
  }
  return moved > 0 && existsSync(archive) ? archive : null
}
