/**
 * The collector script: generated from the probes' own commands (one source of truth), valid PowerShell by
 * tree-sitter-powershell, every probe command in its data table verbatim, no network, size cap stated.
 */
import { describe, expect, it } from 'vitest'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { collectorSteps, stepBudget, probeSteps } from '../../../main/collector/steps.ts'
import { probes } from '../../../main/machine/probes/index.ts'
import { COLLECTOR_MAX_BYTES } from '../../../preload/model/collector.ts'
import { parsePowerShell, errorsOf, commandsOf } from '../security/powershell-grammar.ts'

const script = collectorScript({ version: '0.1.0' })

describe('collector script', () => {
  it('parses clean with tree-sitter-powershell', () => {
    const tree = parsePowerShell(script)
    expect(errorsOf(tree)).toEqual([])
    tree.delete()
  })

  it('holds every command every probe runs, verbatim, as data', () => {
    for (const p of probes) {
      expect(p.collect?.length, `${p.id} declares what it reads`).toBeGreaterThan(0)
      for (const item of p.collect ?? []) {
        if (item.kind !== 'command') {
          expect(script).toContain(`path = '${item.path}'`)
          continue
        }
        expect(script).toContain(`name = '${item.spec.name}'; file = '${item.spec.file}'`)
        for (const a of item.spec.args) expect(script).toContain(`'${a.replace(/'/g, "''")}'`)
      }
    }
  })

  it('calls no network cmdlet and installs nothing', () => {
    const tree = parsePowerShell(script)
    const { names } = commandsOf(tree)
    tree.delete()
    for (const bad of [
      'invoke-webrequest',
      'invoke-restmethod',
      'start-bitstransfer',
      'install-module',
      'install-package',
      'import-module',
      'invoke-expression',
      'iex',
    ])
      expect(names).not.toContain(bad)
    expect(names).toContain('get-filehash')
  })

  it('stops gathering below the 25 MB cap, and refuses a zip above it', () => {
    const budget = Number(/\$SdcBudget = (\d+)/.exec(script)?.[1])
    expect(budget).toBeLessThanOrEqual(Math.min(stepBudget(collectorSteps()), COLLECTOR_MAX_BYTES - 2 * 1024 * 1024))
    expect(script).toContain(`$SdcMaxBytes = ${COLLECTOR_MAX_BYTES}`)
    expect(script).toMatch(/if \(\$size -gt \$SdcMaxBytes\) \{\s+Remove-Item/)
  })

  it('runs each probe command once even when two probes read it', () => {
    const names = probeSteps().flatMap((s) => (s.kind === 'command' ? [s.spec.name] : []))
    expect(names.filter((n) => n === 'storage.layout')).toHaveLength(1)
  })
})
