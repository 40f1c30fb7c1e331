/**
 * One verdict, computed once: the update an `install-update` finding means is computed by the
 * diagnosis (`kbs`), from the rule or from the machine's own failed installs with the finding's code — the
 * Diagnosis screen's Fix it takes it from there instead of guessing a KB from the finding's text.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { FindingSchema } from '../../../preload/model/diagnosis.ts'
import { fact, failed, service, snap } from './rule-fixtures.ts'

// A PC whose servicing state was read (nothing pending, TrustedInstaller stopped): an install may be offered on it.
const calm = { reboot: fact({ pending: false, sources: [] }), services: fact([service('TrustedInstaller')]) }

const psfxOf = (history: ReturnType<typeof failed>[]) =>
  diagnose({ snapshot: snap({ history: fact(history), ...calm }) }).findings.find((f) => f.id === 'psfx-delta')

describe('finding.kbs: the update an install-update finding is about', () => {
  it("names the KB whose install failed with the finding's code", () => {
    const f = psfxOf([failed('KB5046633', '0x800F0982', { date: '2026-10-01' })])
    expect(f?.repair).toBe('install-update')
    expect(f?.kbs).toEqual(['KB5046633'])
    expect(FindingSchema.safeParse(f).success).toBe(true)
  })

  it('names every such KB once; an update that failed with another code is not named', () => {
    const f = psfxOf([
      failed('KB5046633', '0x800F0982', { date: '2026-10-01' }),
      failed('KB5046633', '0x800F0982', { date: '2026-10-02' }),
      failed('KB5094126', '0x800F0988', { date: '2026-10-03' }),
      failed('KB5086672', '0x800F0922', { date: '2026-10-04' }),
    ])
    expect(f?.kbs).toEqual(['KB5046633', 'KB5094126'])
  })

  it('a code with no failed install on record names no KB (the screen then asks which update)', () => {
    const f = diagnose({ code: '0x800F0982' }).findings.find((x) => x.id === 'psfx-delta')
    expect(f?.repair).toBe('install-update')
    expect(f?.kbs).toBeUndefined()
  })

  it('every problem about a failed update names that update, whatever its repair (its install moves the finding to history)', () => {
    const out = diagnose({
      snapshot: snap({ history: fact([failed('KB5086672', '0x800F0922', { date: '2026-10-04' })]), ...calm }),
    })
    const about = out.findings.filter((f) => f.severity !== 'info' && f.codes.includes('0x800F0922'))
    expect(about.length).toBeGreaterThan(0)
    for (const f of about) expect(f.kbs, f.id).toEqual(['KB5086672'])
    // A finding that is not about the failed update's code names no KB.
    for (const f of out.findings)
      if (!f.codes.includes('0x800F0922') && f.repair !== 'install-update') expect(f.kbs, f.id).toBeUndefined()
  })

  it('the schema refuses a kbs entry that is not a KB number', () => {
    const f = psfxOf([failed('KB5046633', '0x800F0982', { date: '2026-10-01' })])!
    expect(FindingSchema.safeParse({ ...f, kbs: ['KB5046633; rm -rf /'] }).success).toBe(false)
    expect(FindingSchema.safeParse({ ...f, kbs: ['5046633'] }).success).toBe(false)
  })
})
