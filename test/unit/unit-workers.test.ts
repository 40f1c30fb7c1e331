import { describe, expect, it } from 'vitest'
import { unitWorkers } from '../unit-workers.ts'

describe('unitWorkers', () => {
  it('is at least two, else one per core but one (vitest leaves a core to its main process)', () => {
    expect(unitWorkers(undefined, 1)).toBe(2)
    expect(unitWorkers(undefined, 2)).toBe(2)
    expect(unitWorkers('', 2)).toBe(2)
    expect(unitWorkers(undefined, 8)).toBe(7)
  })
  it('SD_UNIT_WORKERS sets it, whatever the cores', () => {
    expect(unitWorkers('3', 2)).toBe(3)
    expect(unitWorkers('1', 8)).toBe(1)
  })
  it('refuses a value that is not a whole number from 1 to 64, naming it', () => {
    for (const bad of ['0', '-2', '2.5', 'three', '65', ' '])
      expect(() => unitWorkers(bad, 2)).toThrow(`SD_UNIT_WORKERS must be a whole number from 1 to 64, not '${bad}'`)
  })
})
