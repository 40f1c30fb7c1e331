/**
 * The fuzz registry covers every parser and every contract call on purpose: a new `parse*` or
 * `analyze*Text` export in main/parse/, or a new call in preload/contract.ts, fails here until it has a
 * fuzz target (or valid inputs for the contract fuzz).
 */
import { describe, it, expect } from 'vitest'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { callNames } from '../../../preload/contract.ts'
import { coveredParseExports } from '../../fuzz/targets/parsers.ts'
import { validInputs } from '../../fuzz/targets/contract.ts'
import { fuzzTargets } from '../../fuzz/targets.ts'

const parseDir = join(import.meta.dirname, '../../../main/parse')

describe('fuzz registry', () => {
  it('lists every parse*/analyze*Text export of main/parse', async () => {
    const missing: string[] = []
    let checked = 0
    for (const file of readdirSync(parseDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()) {
      const mod = (await import(join(parseDir, file))) as Record<string, unknown>
      for (const [name, v] of Object.entries(mod)) {
        if (typeof v !== 'function' || !(/^parse[A-Z]/.test(name) || /^analyze\w*(Text|Log)$/.test(name))) continue
        checked++
        if (!(coveredParseExports[file] ?? []).includes(name)) missing.push(`${file}: ${name}`)
      }
    }
    // The walk found the parsers (a moved folder would otherwise pass with nothing checked).
    expect(checked).toBeGreaterThanOrEqual(15)
    expect(missing, 'add a target in test/fuzz/targets/parsers.ts and list it in coveredParseExports').toEqual([])
  })

  it('has valid inputs for every contract call', async () => {
    const valid = await validInputs('{}')
    expect(callNames.filter((n) => !valid[n]?.length)).toEqual([])
  })

  it('has unique target names', () => {
    const names = fuzzTargets.map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
  })
})
