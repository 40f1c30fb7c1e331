/**
 * A training machine with the real planner's plan for KB5086672, fast: the planner's scan and kit
 * are made once per test file and method, and each test gets its own copy of that data folder (a few
 * files), with the plan's package paths moved to the copy. The executor's guard tests run against every
 * mutant of executor.ts; a fresh scan per test made a mutation run take hours on the shared machine.
 */
import { cpSync, existsSync } from 'node:fs'
import { createServices } from '../../../main/services.ts'
import { JournalStore } from '../../../main/install/journal.ts'
import { pcPathFor } from '../../../main/host/pc-path.ts'
import type { Plan } from '../../../preload/model/plan.ts'
import { freshServices, arm64 } from './helpers.ts'
import { tempDirSync } from '../temp-dirs.ts'

type Method = 'sequence' | 'folder'
const bases = new Map<Method, Promise<{ dir: string; plan: Plan }>>()

export async function plannedMachine(method: Method = 'sequence') {
  let base = bases.get(method)
  // Files that share a worker's modules share this cache too; the folder is removed with the file that made it.
  if (base && !existsSync((await base).dir)) base = undefined
  if (!base) {
    base = (async () => {
      const { services, dir } = freshServices()
      return { dir, plan: await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method }) }
    })()
    bases.set(method, base)
  }
  const b = await base
  const dir = tempDirSync('sd-planned-')
  cpSync(b.dir, dir, { recursive: true })
  const plan = structuredClone(b.plan)
  for (const p of plan.packages) {
    if (!p.path.startsWith(b.dir)) throw new Error(`the plan's package ${p.path} is not in the data folder ${b.dir}`)
    p.path = dir + p.path.slice(b.dir.length)
  }
  return { dir, plan, services: createServices({ dataDir: dir }) }
}

/**
 * What the executor's guard tests call executePlan with: the planned machine, a journal store in its data
 * folder, its host, a reader of its state, and the builder context the install service gives (a training
 * machine's commands name packages by the modelled PC's path, host/pc-path.ts).
 */
export async function executorSetup(method: Method = 'sequence') {
  const { services, dir, plan } = await plannedMachine(method)
  const journals = new JournalStore(dir)
  const host = services.hostFor(arm64)
  const machine = () => services.trainingStore.load(arm64.name)
  const commands = { pcPath: pcPathFor(arm64, dir) }
  return { services, plan, journals, host, machine, commands }
}
