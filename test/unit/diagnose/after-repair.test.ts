/** A repaired PC raises no old alarm: history, CBS.log and DISM.log keep the failure, the PC has moved on. */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('diagnosis after a repair', () => {
  it('drops the 0x800F0922 checkpoint failure once KB5043080 and KB5086672 are installed', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-after-'), platform: 'linux' })
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
    const before = await services.diagnose({ machine: ref })
    expect(before.findings[0].id).toMatch(/checkpoint/)
    const plan = await services.install.makePlan({ ref, kbs: ['KB5086672'] })
    const journal = await services.install.install(plan, {})
    expect(journal.status).toBe('completed')
    const after = await services.diagnose({ machine: ref })
    // Nothing current is left of it: the fixed findings are history, with the install that fixed them.
    const current = after.findings.filter((f) => f.state === 'current')
    expect(current.some((f) => /checkpoint|installer/.test(f.id))).toBe(false)
    expect(current.every((f) => f.severity !== 'critical' && f.severity !== 'error')).toBe(true)
  })
})
