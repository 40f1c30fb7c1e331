/** The resume rule book (main/runner/resume-rules.ts): one rule for every kind of step any definition makes. */
import { describe, it, expect } from 'vitest'
import { RESUME_RULES, ruleFor } from '../../../main/runner/resume-rules.ts'
import { StepKindSchema } from '../../../preload/model/plan.ts'
import { WinreOpSchema } from '../../../preload/model/winre.ts'
import { STEP_KINDS, kindOf } from '../../../main/repair/step-kinds.ts'
import { KINDS_BY_REPAIR } from '../../../main/repair/definitions/index.ts'

describe('the resume rule book', () => {
  it('has a rule for exactly the kinds each definition makes', () => {
    expect(Object.keys(RESUME_RULES.install).sort()).toEqual([...StepKindSchema.options].sort())
    expect(Object.keys(RESUME_RULES['winre-repair']).sort()).toEqual([...WinreOpSchema.options].sort())
    expect(Object.keys(RESUME_RULES.repair).sort()).toEqual(Object.keys(STEP_KINDS).sort())
    // Every kind a Fix-it repair may hold in its journal has a rule.
    for (const kinds of Object.values(KINDS_BY_REPAIR))
      for (const k of kinds) expect(() => ruleFor('repair', k)).not.toThrow()
  })

  it('asks the machine the question each kind needs', () => {
    expect(ruleFor('install', 'add-package')).toBe('package-state')
    expect(ruleFor('install', 'restart')).toBe('restart-done')
    expect(ruleFor('winre-repair', 'diskpart')).toBe('disk-layout')
    expect(ruleFor('winre-repair', 'reagentc-disable')).toBe('winre-state')
    expect(ruleFor('winre-repair', 'dism-unmount-image')).toBe('mount-folder')
    expect(ruleFor('repair', 'dism-remove-package')).toBe('package-state')
    expect(ruleFor('repair', 'esp-unmount')).toBe('esp-mounted')
    expect(ruleFor('repair', 'restart')).toBe('restart-done')
  })

  it('a kind with no rule, or a name from Object.prototype, cannot run', () => {
    expect(() => ruleFor('repair', 'format-disk')).toThrow(/No resume rule for a 'format-disk' step of repair/)
    expect(() => ruleFor('install', '__proto__')).toThrow(/No resume rule/)
    expect(() => ruleFor('winre-repair', 'constructor')).toThrow(/No resume rule/)
  })

  it('a Fix-it kind the book says runs again answers rerun by itself; the others have their own re-check', async () => {
    for (const [k, q] of Object.entries(RESUME_RULES.repair)) {
      const def = kindOf(k)
      expect(def.recheck, k).toBeTypeOf('function')
      if (q !== 'runs-again') continue
      const r = await def.recheck!({} as never, {} as never)
      expect(r.kind, k).toBe('rerun')
    }
  })
})
