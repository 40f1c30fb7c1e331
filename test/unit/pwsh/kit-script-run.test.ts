/**
 * The kit's Install-Kit.ps1 run by PowerShell on the emulated PC: it installs on the PC the kit
 * was made for — also from an x64 PowerShell emulated on an ARM64 PC, which sees AMD64 in its own environment (a defect
 * tree-sitter could not see: the script parsed, and refused the PC it was for) — with DISM by its full path, given the
 * copy in the administrators' work folder; a swapped package or a planted work folder stops it before DISM.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { cpSync, readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc, type StandInCall } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { buildPackage, type BuiltPackage } from './fix-run-helpers.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const dir = tempDirSync('sd-kitrun-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const machine = 'arm64-missing-checkpoint'
const open: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of open) await pc.close()
})
let pkg: Promise<BuiltPackage> | null = null

/** The emulated PC with the kit folder copied to `C:\Users\Public\Kit`. */
async function pcWithKit() {
  pkg ??= buildPackage(services, dir, machine)
  const p = await pkg
  const pc = await startEmulatedPc({ machine })
  open.push(pc)
  const kit = pc.localPath('C:\\Users\\Public\\Kit')
  cpSync(join(p.dir, 'kit'), kit, { recursive: true })
  return { p, pc, kit, script: join(kit, 'Install-Kit.ps1') }
}
const programs = (calls: readonly StandInCall[]) =>
  calls.filter((c) => c.kind === 'program').map((c) => `${c.tool} ${c.args.join(' ')}`)

describe.runIf(ps)('Install-Kit.ps1, run by PowerShell', () => {
  it('installs the target with its checkpoints from an x64 PowerShell on the ARM64 PC it was made for: DISM by path, on the checked copy', {
    timeout: hangMs(300_000),
  }, async () => {
    const { p, pc, script } = await pcWithKit()
    expect(pc.state().os).toMatchObject({ nativeArch: 'arm64', processArch: 'x64' })
    const r = await pc.run(script)
    expect(r.stdout).not.toMatch(/this PC is AMD64/)
    expect([0, 3010], `${r.stdout}\n${r.stderr}`).toContain(r.exitCode)
    const dism = r.calls.filter((c) => c.kind === 'program')
    expect(dism.map((c) => c.spec?.name)).toEqual(['install.dism-add-package'])
    expect(dism[0]!.args.find((a) => a.startsWith('/PackagePath:'))).toMatch(
      new RegExp(`^/PackagePath:C:\\\\ProgramData\\\\ServicingDesk\\\\kit\\\\${p.kb}-arm64\\\\`),
    )
    expect(
      pc.state().packages.some((x) => x.identity.includes(p.kb!.slice(2)) || (x as { kb?: string }).kb === p.kb),
    ).toBe(true)
    expect(pc.acl(`C:\\ProgramData\\ServicingDesk\\kit\\${p.kb}-arm64`)).toMatchObject({
      owner: 'S-1-5-32-544',
      protected: true,
    })
  })

  it('a package swapped in the kit folder stops it before DISM', { timeout: hangMs(300_000) }, async () => {
    const { pc, kit, script } = await pcWithKit()
    const msu = readdirSync(kit).find((f) => f.endsWith('.msu'))!
    writeFileSync(join(kit, msu), Buffer.concat([readFileSync(join(kit, msu)), Buffer.from('x')]))
    const r = await pc.run(script)
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toMatch(/SHA-256 is [0-9A-F]{64}, expected/)
    expect(programs(r.calls)).toEqual([])
  })

  it('a work folder a standard user made beforehand is refused before DISM', { timeout: hangMs(300_000) }, async () => {
    const { p, pc, script } = await pcWithKit()
    pc.plantFolder(`C:\\ProgramData\\ServicingDesk\\kit\\${p.kb}-arm64`)
    const r = await pc.run(script)
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toMatch(/The work folder is not safe to use, so nothing is installed: .*belongs to S-1-5-21-/)
    expect(programs(r.calls)).toEqual([])
  })
})
