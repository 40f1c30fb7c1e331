/**
 * The whole-PC plan with a build known without its KB: after the newest update it can install (KB5129195,
 * 26100.9457), x64-healthy is still behind the November 2026 build Microsoft's CVE record states (26100.9974); the
 * plan cannot install an update whose KB it does not know, so a person finds it in the Catalog by its title, and the
 * plan says where the fact came from.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { composePcPlan } from '../../../main/pc-plan/compose.ts'
import { PcPlanSchema } from '../../../preload/model/pc-plan.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { planInput } from './plan-input.ts'
import { hangMs } from '../../load.ts'

describe('a build known without its KB in the whole-PC plan', () => {
  it('x64-healthy on 2026-11-27: install KB5129195, then find the KB of 26100.9974 in the Catalog by its title', {
    timeout: hangMs(60_000),
  }, async () => {
    const services = createServices({ dataDir: tempDirSync('sd-find-kb-') })
    const ref: MachineRef = { kind: 'training', name: 'x64-healthy' }
    const input = await planInput(services, ref, '2026-11-27T10:00:00.000Z')
    const plan = PcPlanSchema.parse(composePcPlan(input))
    expect(plan.steps.map((s) => [s.kind, s.kb ?? s.id])).toEqual([
      ['install', 'KB5129195'],
      ['wait', 'find-kb-26100-9974'],
    ])
    const wait = plan.steps[1]!
    expect(wait.title).toBe('Find the KB of 26100.9974 (released 2026-11-10) in the Microsoft Update Catalog')
    expect(wait.why).toMatch(
      /^The newest build for Windows 11 24H2 is 26100\.9974, released 2026-11-10; its KB number is not in the knowledge \(source CVE-2026-122162\)\./,
    )
    expect(wait.instructions!.join('\n')).toContain(
      'Search the Microsoft Update Catalog (https://www.catalog.update.microsoft.com) for "2026-11 Cumulative Update for Windows 11, version 24H2 for x64-based Systems"',
    )
    expect(wait.instructions!.join('\n')).toContain(
      'servicing-desk knowledge catalog --branch win11-24h2 --arch x64 --month 2026-11',
    )
    // Where the fact came from: the record, its address and the captured opening.
    expect(plan.notes.join('\n')).toMatch(
      /26100\.9974.*Microsoft's CVE record CVE-2026-122162 .*cves\/2026\/122xxx\/CVE-2026-122162\.json/,
    )
    expect(plan.upToDate).toBe(false)
    // Judged before the October Patch Tuesday, no build beyond KB5129195 was known: no such step.
    const sept = composePcPlan({
      ...input,
      snapshot: { ...input.snapshot, takenAt: '2026-10-01T10:00:00.000Z' },
      now: new Date('2026-10-01T10:00:00Z'),
    })
    expect(sept.steps.map((s) => s.id)).toEqual(['install-kb5129195'])
  })
})
