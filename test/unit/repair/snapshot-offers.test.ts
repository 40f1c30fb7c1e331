/**
 * A snapshot's repairs (its Fix it page listed no steps and a red refusal): for every training machine's
 * collector file, each offered repair comes with its steps and exact commands as that PC runs them itself — the
 * same steps the saved script (`repairs --snapshot F --script DIR`) holds — and no refusal. Running stays refused.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { tempDirSync } from '../temp-dirs.ts'

const dir = tempDirSync('sd-snap-offers-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })

describe.each(trainingProfiles.map((p) => p.name))("the repairs offered for %s's collector file", (machine) => {
  it('each has its steps and commands as the script for that PC, no refusal; running is refused', async () => {
    const file = join(dir, `${machine}.zip`)
    writeFileSync(file, await services.collect({ kind: 'training', name: machine }))
    const { id } = await services.loadSnapshotFile(file)
    const ref = { kind: 'snapshot' as const, id }
    const offers = await services.repairs.offers(ref)
    expect(offers.readOnly).toBe(true)
    for (const o of offers.offers) {
      expect(o.refused, o.repairId).toBeNull()
      expect(o.steps.length, o.repairId).toBeGreaterThan(0)
      const script = (await services.repairs.script(ref, o.repairId)).content
      for (const s of o.steps) {
        expect(s.commandLine, s.id).not.toMatch(/not built here/)
        expect(script, `${o.repairId} ${s.id}`).toContain(`of ${o.steps.length}: ${s.title}`)
      }
      // Nothing of this app runs on that PC after a restart: no word says it continues there.
      for (const w of o.warnings) expect(w, o.repairId).not.toMatch(/Servicing Desk continues/)
      await expect(services.repairs.run(ref, o.repairId)).rejects.toThrow(/read-only/)
    }
  })
})
