/**
 * Remedies as people read them (knowledge/remedy-text.ts): a command shown to copy is complete; a pattern with
 * a value only the person knows (`<index>`, `<name>`) is moved to `fillIn`, on every surface that shows remedies
 * (diagnosis findings, `explain`, the report), for every standard remedy and every code's remedies.
 */
import { describe, it, expect } from 'vitest'
import { humanRemedy, PLACEHOLDER } from '../../../main/knowledge/remedy-text.ts'
import { allErrorCodes, allStandardRemedies } from '../../../main/knowledge/error-codes.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'

describe('humanRemedy', () => {
  it('moves every command with a <placeholder> to fillIn, keeps complete ones, in order', () => {
    const r = humanRemedy({
      id: 'R8',
      title: 't',
      text: 'x',
      repair: null,
      sources: [],
      verified: true,
      commands: [
        'DISM /Online /Get-Packages /Format:Table',
        'DISM /Online /Remove-Package /PackageName:<name>',
        'sfc /scannow',
        'X /Source:\\\\<server>\\c$',
      ],
    })
    expect(r.commands).toEqual([
      '%SystemRoot%\\System32\\Dism.exe /Online /Get-Packages /Format:Table',
      '%SystemRoot%\\System32\\sfc.exe /scannow',
    ])
    expect(r.fillIn).toEqual([
      '%SystemRoot%\\System32\\Dism.exe /Online /Remove-Package /PackageName:<name>',
      'X /Source:\\\\<server>\\c$',
    ])
  })
  it('a remedy without placeholders has no fillIn; a comparison like "a < b" is not a placeholder', () => {
    const r = humanRemedy({
      id: 'R6',
      title: 't',
      text: 'x',
      repair: null,
      sources: [],
      verified: true,
      commands: ['sfc /scannow', 'if 1 < 2 echo'],
    })
    expect(r.commands).toHaveLength(2)
    expect('fillIn' in r).toBe(false)
  })
})

describe('no surface offers a command with a placeholder to copy', () => {
  it('every standard remedy, after humanRemedy', () => {
    const all = allStandardRemedies()
    expect(all.length).toBeGreaterThanOrEqual(10)
    let patterns = 0
    for (const r of all.map(humanRemedy)) {
      for (const c of r.commands) expect(c, r.id).not.toMatch(PLACEHOLDER)
      patterns += r.fillIn?.length ?? 0
    }
    expect(patterns).toBeGreaterThanOrEqual(3) // R5, R7 and R8 carry patterns in the data today
  })
  it('every known code explained', () => {
    const codes = allErrorCodes()
    expect(codes.length).toBeGreaterThanOrEqual(40)
    for (const e of codes) {
      const x = explain(e.code)
      expect(x.ok, e.code).toBe(true)
      if (!x.ok) continue
      for (const r of x.value.remedies)
        for (const c of r.commands) expect(c, `${e.code} ${r.id}`).not.toMatch(PLACEHOLDER)
    }
  })
})
