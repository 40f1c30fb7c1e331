/**
 * Every file the CLI writes is written atomically (temp file + rename, main/cli/output-file.ts): a link planted
 * at the output name is replaced, never followed — a plain write through it rewrote the file the link points
 * to. And one repair whose script cannot be built (a package identity the step refuses) no longer
 * aborts `repairs --script`: the other offers are listed and saved, the refused one is named.
 */
import { describe, it, expect } from 'vitest'
import { lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { runCliInProcess } from '../cli-child.ts'

const VICTIM = 'precious bytes the CLI must not touch\n'

function plantLink(dir: string, name: string): { link: string; victim: string } {
  const victim = join(dir, 'victim.txt')
  writeFileSync(victim, VICTIM)
  const link = join(dir, name)
  symlinkSync(victim, link)
  return { link, victim }
}

describe('CLI output files are written atomically', () => {
  const cases: Array<[string, (out: string) => string[], string]> = [
    ['scan --out', (out) => ['scan', '--machine', 'x64-healthy', '--out', out], 'snap.json'],
    ['report --out', (out) => ['report', '--machine', 'x64-healthy', '--out', out], 'report.json'],
    [
      'plan --script',
      (out) => ['plan', '--machine', 'x64-pending-restart', '--kb', 'KB5086672', '--script', out],
      'plan.ps1',
    ],
  ]
  for (const [what, args, name] of cases) {
    it(`${what}: a link planted at the name is replaced, the file it points to is untouched, no temp file is left`, async () => {
      const home = tempDirSync('sd-cliout-home-')
      const dir = tempDirSync('sd-cliout-')
      const { link, victim } = plantLink(dir, name)
      const r = await runCliInProcess(home, args(link))
      expect(r.code ?? 0, r.stderr).not.toBe(2)
      expect(readFileSync(victim, 'utf8')).toBe(VICTIM)
      expect(lstatSync(link).isSymbolicLink()).toBe(false)
      expect(readFileSync(link, 'utf8').length).toBeGreaterThan(100)
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    })
  }

  it('a folder that does not exist: one plain sentence, exit 1, nothing written', async () => {
    const home = tempDirSync('sd-cliout-home-')
    const out = join(tempDirSync('sd-cliout-'), 'no-such-folder', 'snap.json')
    const r = await runCliInProcess(home, ['scan', '--machine', 'x64-healthy', '--out', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /Could not save the snapshot \(.*snap\.json\): the folder .* does not exist or is not a folder/,
    )
  })
})

describe('repairs --script with one refused package identity', () => {
  it('lists every offer, saves the scripts it can build, names the one it cannot (exit 1)', async () => {
    const home = tempDirSync('sd-cliout-home-')
    const snapFile = join(home, 'snap.json')
    expect(
      (await runCliInProcess(home, ['scan', '--machine', 'x64-lcu-uninstall-blocked', '--out', snapFile])).code ?? 0,
    ).toBe(0)
    // The LCU's identity as a hostile or odd package list could hold it: longer than the step kind accepts (200).
    const LCU = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10'
    const long = `Package_for_RollupFix~31bf3856ad364e35~amd64${'x'.repeat(150)}~~26100.8655.1.10`
    writeFileSync(snapFile, readFileSync(snapFile, 'utf8').split(LCU).join(long))
    const dir = tempDirSync('sd-cliout-scripts-')
    const r = await runCliInProcess(home, ['repairs', '--snapshot', snapFile, '--script', dir, '--json'])
    const out = JSON.parse(r.stdout)
    expect(out.offers.map((o: { repairId: string }) => o.repairId)).toContain('remove-package')
    expect(out.notSaved).toEqual([
      { repairId: 'remove-package', reason: expect.stringMatching(/invalid params: identity/) },
    ])
    expect(out.scripts).toHaveLength(out.offers.length - 1)
    expect(r.code).toBe(1)
  })
})
