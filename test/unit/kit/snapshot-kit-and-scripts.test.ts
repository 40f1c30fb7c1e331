/**
 * The snapshot path's defects once found, through the real CLI on a collector file of the corrupt-store PC:
 * `kit build --snapshot` says the store must be repaired first (PLAN.md, no npm in it) and ships the sealed
 * collector; `repairs --snapshot F --script DIR` creates DIR, writes Windows paths only, creates the folders
 * expand writes to, and names the same-build source with where it comes from.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import { runCli } from '../cli-child.ts'
import { tempDirSync } from '../temp-dirs.ts'

const home = tempDirSync('sd-snapkit-')
const zip = join(home, 'before.zip')
writeFileSync(
  zip,
  await createServices({ dataDir: join(home, 'data'), platform: 'linux' }).collect({
    kind: 'training',
    name: 'x64-component-store-corrupt',
  }),
)
const cli = (args: string[]) => runCli(home, args, { timeoutMs: 120_000 })

describe('a collector file of the corrupt-store PC', () => {
  it('kit build --snapshot: repair first, no npm, the collector sealed in the kit', async () => {
    const out = join(home, 'kit')
    const r = await cli(['kit', 'build', '--kb', 'KB5046633', '--snapshot', zip, '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const plan = readFileSync(join(out, 'PLAN.md'), 'utf8')
    expect(plan).toMatch(/Repair first: Windows' component store is damaged.*0x80073712/)
    expect(plan).not.toMatch(/\bnpm\b/)
    expect((await verifyKit(out)).ok).toBe(true)
    writeFileSync(
      join(out, 'Collect-ServicingFacts.ps1'),
      `${readFileSync(join(out, 'Collect-ServicingFacts.ps1'), 'utf8')}\nWrite-Host 1\n`,
    )
    const v = await verifyKit(out)
    expect(v.problems.map((p) => p.fileName)).toEqual(['Collect-ServicingFacts.ps1'])
  })

  it('repairs --snapshot --script DIR: DIR made, Windows paths, the source named with where it comes from', async () => {
    const out = join(home, 'not', 'yet', 'there')
    const r = await cli(['repairs', '--snapshot', zip, '--script', out])
    expect(r.code, r.stderr).toBe(0)
    const [name] = readdirSync(out)
    const script = readFileSync(join(out, name!), 'utf8')
    expect(script).not.toContain(home)
    expect(script).not.toMatch(/[A-Za-z]:\\[^'"\s]*\//)
    // Through the one script writer (main/host/secure-folder-script.ts): Administrators and SYSTEM only, no link on the path.
    expect(script).toContain(
      "New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\repair-sources\\KB5044285-x64\\msu'",
    )
    expect(script).toContain(
      "New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\repair-sources\\KB5044285-x64\\source'",
    )
    expect(script).not.toContain('New-Item -ItemType Directory -Force')
    expect(script).toContain('https://www.catalog.update.microsoft.com/Search.aspx?q=KB5044285')
  })
})
