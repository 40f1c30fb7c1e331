/**
 * A damaged install journal holds up the PC it was for, not every PC: it may record an installation interrupted
 * there, and nothing else. A journal that names its machine (every journal this version writes does) refuses new
 * installs and the whole-PC plan on that machine only, in one sentence; one that names none (not JSON, or too
 * damaged to say) is judged as before: nothing new is installed on any PC until a person has looked at it.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const A = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
const B = { kind: 'training', name: 'x64-healthy' } as const

async function damagedOnA(dataDir: string) {
  const services = createServices({ dataDir })
  const plan = await services.install.makePlan({ ref: A, kbs: ['KB5086672'] })
  services.install.journals.create(plan)
  const file = services.install.journals.file(plan.id)
  const j = JSON.parse(readFileSync(file, 'utf8'))
  j.plan.notes.push('edited after the journal was made')
  writeFileSync(file, JSON.stringify(j))
  expect(services.install.journals.damaged()).toHaveLength(1)
  return { services, plan }
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: Error & { code?: string }) => e,
  )

describe('a damaged install journal holds up its own machine only', () => {
  it("machine A's damaged journal: installs and the plan run on B go ahead; on A both are refused in one sentence", {
    timeout: hangMs(180_000),
  }, async () => {
    const dataDir = tempDirSync('sd-damaged-a-')
    const { services, plan } = await damagedOnA(dataDir)

    const onB = await services.install.makePlan({ ref: B, kbs: ['KB5129195'] })
    const j = await services.install.install(onB, {})
    expect(j.status).toBe('completed')

    const sentence = new RegExp(
      `^The journal of plan ${plan.id} \\(.*\\) holds a plan that is not the one it was made for \\(its digest differs\\), so nothing in it runs\\. It may record an interrupted installation on machine arm64-missing-checkpoint, so nothing new is installed until it is looked at there \\(other PCs are not held up by it\\): check that PC's update history, then move the file out of .*journals\\.$`,
    )
    const again = await services.install.makePlan({ ref: A, kbs: ['KB5086672'] })
    const refused = await failure(services.install.install(again, {}))
    expect(refused?.code).toBe('refused')
    expect(refused?.message).toMatch(sentence)

    // The whole-PC plan: on A refused before any step (no plan journal left open), on B it runs.
    const onA = await failure(services.pcPlans.run(A))
    expect(onA?.code).toBe('forbidden')
    expect(onA?.message).toMatch(/^This PC's plan was not started: the journal of plan .* there \(other PCs/)
    expect(services.pcPlans.journals.unfinished(A)).toBeNull()
    const r = await services.pcPlans.run(B)
    expect(r.status).not.toBe('failed')
  })

  it('a journal that names no machine (not JSON) is judged as before: nothing new is installed on any PC, and it says so', {
    timeout: hangMs(120_000),
  }, async () => {
    const dataDir = tempDirSync('sd-damaged-none-')
    mkdirSync(join(dataDir, 'journals'), { recursive: true })
    writeFileSync(join(dataDir, 'journals', '20261122T000000-old.json'), '{"schemaVersion":1,"planId":"2026')
    const services = createServices({ dataDir })
    const onB = await services.install.makePlan({ ref: B, kbs: ['KB5129195'] })
    const refused = await failure(services.install.install(onB, {}))
    expect(refused?.code).toBe('refused')
    expect(refused?.message).toMatch(
      /^The journal of plan 20261122T000000-old \(.*\) is damaged: it is not JSON \(.*\)\. It names no PC \(it cannot be read far enough to say which\), so it may record an interrupted installation on any of them, and nothing new is installed until it is looked at, on any PC: check their update history, then move the file out of .*journals\.$/,
    )
  })
})
