import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { RepairIdSchema, type RepairId } from '../../../preload/model/diagnosis.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { KINDS_BY_REPAIR, REPAIR_DEFINITIONS } from '../../../main/repair/definitions/index.ts'
import { REPAIR_IDS } from '../../../preload/model/repair-ids.ts'
import { REPAIR_RUNNER_IDS } from '../../../preload/model/repair.ts'

// "Offer only what works": a repair id is a 'Fix it' button and a CLI hint, so each one must have a runner.
// Where each runs today; an id without a runner (e.g. enable-services until a definition lands in main/repair) must not be in RepairIdSchema, so no rule or knowledge entry can name it.
const RUNNER: Record<RepairId, string> = {
  restart: 'repair (main/repair/definitions/restart.ts)',
  'restore-health': 'repair (main/repair/definitions/restore-health.ts)',
  'free-esp-space': 'repair (main/repair/definitions/free-esp-space.ts)',
  'reset-wu-components': 'repair (main/repair/definitions/reset-wu-components.ts)',
  'remove-package': 'repair (main/repair/definitions/remove-package.ts)',
  'secure-boot-update': 'repair (main/repair/definitions/secure-boot-update.ts)',
  'install-checkpoint': 'install (main/install: the planner puts the checkpoint first)',
  'install-update': 'install (main/install)',
  'winre-enable': 'winre repair (main/winre)',
  'winre-resize': 'winre repair (main/winre)',
  'winre-update': 'winre repair (main/winre)',
}

const root = join(import.meta.dirname, '../../..')

function namedInSources(): string[] {
  const dir = join(root, 'main/diagnose/rules')
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/repair: '([^']+)'/g)].map((m) => m[1]!))
  const json = readFileSync(join(root, 'main/knowledge/data/error-codes.json'), 'utf8')
  return [...ids, ...[...json.matchAll(/"repair": "([^"]+)"/g)].map((m) => m[1]!)]
}

describe('every repair id the app names is one it can run', () => {
  it('the schema holds exactly the ids that have a runner', () => {
    expect([...RepairIdSchema.options].sort()).toEqual(Object.keys(RUNNER).sort())
  })

  it('every id the runner map gives to main/repair has a definition there, and every definition is in the schema', () => {
    const viaRepair = Object.entries(RUNNER)
      .filter(([, where]) => where.includes('main/repair'))
      .map(([id]) => id)
      .sort()
    expect(REPAIR_DEFINITIONS.map((d) => d.id).sort()).toEqual(viaRepair)
    expect(viaRepair.length).toBeGreaterThanOrEqual(2)
    for (const d of REPAIR_DEFINITIONS) expect(RepairIdSchema.options).toContain(d.id)
    // The renderer routes exactly these to the repair screen (a Fix it never opens an unrelated page).
    expect([...REPAIR_RUNNER_IDS].sort()).toEqual(viaRepair)
  })

  it('the ids are one list: each definition under its own id, in its order, and the step kinds each journal may hold are its own', () => {
    // definitions/index.ts keys the definitions by REPAIR_RUNNER_IDS: a definition filed under another id would run
    // under the wrong name.
    expect(REPAIR_DEFINITIONS.map((d) => d.id)).toEqual([...REPAIR_RUNNER_IDS])
    expect(Object.keys(KINDS_BY_REPAIR)).toEqual([...REPAIR_RUNNER_IDS])
    for (const d of REPAIR_DEFINITIONS) {
      expect(d.kinds.length, d.id).toBeGreaterThan(0)
      expect(KINDS_BY_REPAIR[d.id]).toBe(d.kinds)
    }
    // The schema's ids are the runner's and the other runners' (install, WinRE), from the same list.
    expect([...RepairIdSchema.options].sort()).toEqual([...REPAIR_IDS].sort())
  })

  it('every repair id written in a rule or the knowledge data has a runner', () => {
    const named = namedInSources()
    expect(named.length).toBeGreaterThan(3)
    for (const id of named) expect(RUNNER, `repair id '${id}' has no runner`).toHaveProperty([id])
  })

  it('every finding and remedy on every training machine names only runnable repairs', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-repair-ids-'), platform: 'linux' })
    const seen: string[] = []
    for (const m of services.listTrainingMachines().machines) {
      const d = await services.diagnose({ machine: { kind: 'training', name: m.name } })
      for (const f of d.findings) for (const id of [f.repair, ...f.remedies.map((r) => r.repair)]) if (id) seen.push(id)
    }
    expect(seen.length).toBeGreaterThan(0)
    for (const id of seen) expect(RUNNER, `repair id '${id}' has no runner`).toHaveProperty([id])
  })
})
