/**
 * The fleet's fix files parse in real PowerShell (7.6.9 here, Windows PowerShell 5.1 on Windows) with no error, and
 * use no token Windows PowerShell 5.1 lacks (`??`, `?.`, `&&`, `||`, the ternary `?`): PowerShell's own parser says so.
 */
import { describe, it, expect } from 'vitest'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { collectedProfiles, fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'

const ps = requirePowerShell()

const CHECK = `
$out = @()
foreach ($f in $args) {
  $tokens = $null; $errors = $null
  [void][System.Management.Automation.Language.Parser]::ParseFile($f, [ref]$tokens, [ref]$errors)
  $new = @($tokens | Where-Object { @('QuestionQuestion', 'QuestionQuestionEquals', 'AndAnd', 'OrOr', 'QuestionDot', 'QuestionLBracket', 'QuestionMark') -contains [string]$_.Kind } | ForEach-Object { [string]$_.Kind + ' at line ' + $_.Extent.StartLineNumber })
  $out += [pscustomobject]@{ file = [System.IO.Path]::GetFileName($f); errors = @($errors | ForEach-Object { $_.Message + ' (line ' + $_.Extent.StartLineNumber + ')' }); newer = $new }
}
ConvertTo-Json -InputObject @($out) -Depth 4 -Compress
`

describe.skipIf(!ps)('the fix files in PowerShell', () => {
  it('parse without an error and use only Windows PowerShell 5.1 syntax', async () => {
    const dir = await tempDir('sd-fleet-ps-')
    await writeTrainingFleet(dir, await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
    const { fleet } = await fleetWithServices()
    await fleet.importPath(dir)
    const names: string[] = []
    for (const cause of ['esp-full', 'component-store-corruption', 'wu-components', 'winre-disabled']) {
      const out = join(await tempDir('sd-fleet-fix-'), cause)
      const r = await fleet.buildFix(cause, out)
      for (const f of r.files.filter((x) => x.endsWith('.ps1'))) names.push(join(out, f))
    }
    fleet.close()
    expect(names.filter((n) => n.endsWith('Remediate.ps1'))).toHaveLength(3)
    const script = join(dir, 'check.ps1')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(script, CHECK, 'utf8')
    const json = execFileSync(ps!.file, [...ps!.prefix, '-NoProfile', '-NonInteractive', '-File', script, ...names], { encoding: 'utf8', timeout: 120_000 })
    const results = JSON.parse(json) as { file: string; errors: string[]; newer: string[] }[]
    expect(results).toHaveLength(names.length)
    for (const r of results) expect({ file: r.file, errors: r.errors, newer: r.newer }).toEqual({ file: r.file, errors: [], newer: [] })
  }, 180_000)
})
