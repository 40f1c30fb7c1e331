/**
 * An offline image is its own PC: `plan --image DIR [--wim FILE --index N]` reads the image's own build, UBR,
 * architecture and edition (DISM /Get-WimInfo of the WIM; /Image:DIR /Get-Packages of a mounted image) and plans
 * for them, not for the host. An ARM64 image is serviced from an x64 PC (DISM does this); before, the plan took the
 * host's architecture (x64 packages for an ARM64 image) and refused `--arch arm64` ("cannot be installed on this x64
 * PC"). On the x64 training machine `x64-healthy`, through the CLI as a person runs it.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { runCliInProcess } from '../cli-child.ts'
import { imageArchOf } from '../../../main/install/image-facts.ts'

/** A data folder whose x64 training machine holds an ARM64 Windows 11 24H2 WIM at 26100.1000 (before the checkpoint). */
function withArm64Wim(): string {
  const home = tempDirSync('sd-offline-image-')
  const store = new TrainingStore(home)
  const state = store.load('x64-healthy')
  state.files['C:\\Media\\arm64.wim'] = JSON.stringify({
    build: 26100,
    ubr: 1000,
    arch: 'arm64',
    packages: [],
    wim: 'C:\\Media\\arm64.wim',
  })
  store.save(state)
  return home
}

const planJson = async (home: string, ...more: string[]) => {
  const r = await runCliInProcess(home, [
    'plan',
    '--kb',
    'KB5086672',
    '--machine',
    'x64-healthy',
    '--image',
    'C:\\Mount',
    '--wim',
    'C:\\Media\\arm64.wim',
    '--index',
    '1',
    '--json',
    ...more,
  ])
  return { r, plan: r.stdout.trim() ? JSON.parse(r.stdout) : null }
}

describe('an offline image is its own PC', () => {
  it("plans an ARM64 image from an x64 PC with the image's architecture and level: arm64 packages, its checkpoint first", async () => {
    const { r, plan } = await planJson(withArm64Wim())
    expect(r.code, r.stderr).toBe(0)
    expect(plan.refused).toBeNull()
    expect(plan.machine).toMatchObject({ nativeArch: 'arm64', build: 26100, ubr: 1000, branch: 'win11-24h2' })
    expect(plan.packages.map((p: { kb: string; arch: string }) => `${p.kb}-${p.arch}`)).toEqual([
      'KB5043080-arm64',
      'KB5086672-arm64',
    ])
    expect(plan.preflight.find((c: { id: string }) => c.id === 'architecture')).toMatchObject({
      status: 'pass',
      detail:
        "Every package is for arm64, the image's architecture (serviced from this x64 PC: DISM services an image of another architecture).",
    })
    expect(plan.notes).toContain(
      "The offline image at C:\\Mount is checked as its own PC: Windows 26100.1000, arm64, edition Professional (read with dism.exe /English /Get-WimInfo /WimFile:C:\\Media\\arm64.wim /Index:1); not this PC's.",
    )
  })

  it('takes --arch arm64 for an ARM64 image on an x64 PC, and refuses --arch x64 naming the image', async () => {
    const home = withArm64Wim()
    const arm = await planJson(home, '--arch', 'arm64')
    expect(arm.r.code, arm.r.stderr).toBe(0)
    expect(arm.plan.refused).toBeNull()
    const x64 = await planJson(home, '--arch', 'x64')
    expect(x64.plan.refused).toBe('Packages prepared for x64 cannot be installed on this arm64 image.')
  })

  it("reads a mounted image's architecture from its package identities (most packages' architecture field)", () => {
    expect(imageArchOf(['arm64', 'neutral', 'arm64', 'wow64', 'x64', null])).toBe('arm64')
    expect(imageArchOf(['neutral', null])).toBeNull()
  })
})

/** A data folder whose x64 Windows 11 training machine has an image mounted at C:\\Mount, with its own facts. */
function withMountedImage(image: { build: number; ubr: number; arch: string; edition: string }): string {
  const home = tempDirSync('sd-mounted-image-')
  const store = new TrainingStore(home)
  const state = store.load('x64-healthy')
  const arch = image.arch === 'x64' ? 'amd64' : image.arch
  state.files['C:\\Mount\\Windows\\servicing\\training-image.json'] = JSON.stringify({
    ...image,
    packages: [
      {
        identity: `Package_for_RollupFix~31bf3856ad364e35~${arch}~~${image.build}.${image.ubr}.1.1`,
        state: 'Installed',
        releaseType: 'Security Update',
        installTime: '2026-01-01T00:00:00Z',
      },
      {
        identity: `Microsoft-Windows-Client-LanguagePack-Package~31bf3856ad364e35~${arch}~en-US~10.0.${image.build}.1`,
        state: 'Installed',
        releaseType: 'Language Pack',
        installTime: '2026-01-01T00:00:00Z',
      },
    ],
    wim: null,
  })
  store.save(state)
  return home
}

describe("an offline image's edition is its own", () => {
  it('a mounted ARM64 image on an x64 PC: its edition is read with /Get-CurrentEdition, its architecture from its packages; not refused', async () => {
    const home = withMountedImage({ build: 26100, ubr: 1000, arch: 'arm64', edition: 'Enterprise' })
    const r = await runCliInProcess(home, [
      'plan',
      '--kb',
      'KB5086672',
      '--machine',
      'x64-healthy',
      '--image',
      'C:\\Mount',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const plan = JSON.parse(r.stdout)
    expect(plan.refused).toBeNull()
    expect(plan.machine).toMatchObject({ nativeArch: 'arm64', build: 26100, ubr: 1000, branch: 'win11-24h2' })
    expect(plan.notes.join('\n')).toContain(
      'The offline image at C:\\Mount is checked as its own PC: Windows 26100.1000, arm64, edition Enterprise (read with dism.exe /English /Image:C:\\Mount /Get-Packages; dism.exe /English /Image:C:\\Mount /Get-CurrentEdition)',
    )
  })

  it("a mounted Server 2025 image on a Windows 11 24H2 PC is planned on Server 2025's chain (the edition decides build 26100)", async () => {
    const home = withMountedImage({ build: 26100, ubr: 4349, arch: 'x64', edition: 'ServerDatacenter' })
    const r = await runCliInProcess(home, [
      'plan',
      '--kb',
      'KB5086672',
      '--machine',
      'x64-healthy',
      '--image',
      'C:\\Mount',
      '--json',
    ])
    const plan = JSON.parse(r.stdout)
    expect(plan.machine.branch).toBe('server-2025')
    expect(plan.notes.join('\n')).toMatch(/edition ServerDatacenter/)
  })

  it("a WIM's edition is the image's (DISM /Get-WimInfo's Edition), not the PC's", async () => {
    const home = tempDirSync('sd-wim-edition-')
    const store = new TrainingStore(home)
    const state = store.load('x64-healthy')
    state.files['C:\\Media\\server.wim'] = JSON.stringify({
      build: 26100,
      ubr: 4349,
      arch: 'amd64',
      edition: 'ServerDatacenter',
      packages: [],
      wim: 'C:\\Media\\server.wim',
    })
    store.save(state)
    const r = await runCliInProcess(home, [
      'plan',
      '--kb',
      'KB5086672',
      '--machine',
      'x64-healthy',
      '--image',
      'C:\\Mount',
      '--wim',
      'C:\\Media\\server.wim',
      '--index',
      '1',
      '--json',
    ])
    const plan = JSON.parse(r.stdout)
    expect(plan.machine.branch).toBe('server-2025')
    expect(plan.notes.join('\n')).toMatch(/edition ServerDatacenter \(read with dism\.exe \/English \/Get-WimInfo/)
  })
})

describe('a plan for another PC (a snapshot) names the Windows paths its script uses', () => {
  it("packages, commands, notes and the script name C:\\ProgramData\\ServicingDesk\\…, never this computer's data folder", async () => {
    const home = tempDirSync('sd-snapshot-paths-')
    const snap = join(home, 'arm.json')
    expect(
      (await runCliInProcess(home, ['scan', '--machine', 'arm64-missing-checkpoint', '--out', snap, '--json'])).code,
    ).toBe(0)
    const script = join(home, 'plan.ps1')
    const text = await runCliInProcess(home, ['plan', '--kb', 'KB5086672', '--snapshot', snap, '--script', script])
    expect(text.code, text.stderr).toBe(0)
    const json = await runCliInProcess(home, ['plan', '--kb', 'KB5086672', '--snapshot', snap, '--json'])
    const plan = JSON.parse(json.stdout)
    const folder = 'C:\\ProgramData\\ServicingDesk\\kits\\install\\KB5086672-arm64'
    expect(plan.packages.map((p: { path: string }) => p.path)).toEqual([
      `${folder}\\${plan.packages[0].fileName}`,
      `${folder}\\${plan.packages[1].fileName}`,
    ])
    expect(text.stdout).toContain(`/PackagePath:${folder}\\windows11.0-kb5086672-arm64_`)
    expect(plan.notes.at(-1)).toBe(
      `The script uses the packages at ${folder} on the PC: copy that folder there from Servicing Desk's data folder on this computer (the same path under it), or build a kit with \`servicing-desk kit\` and give its folder with --kit.`,
    )
    const ps1 = readFileSync(script, 'utf8')
    expect(ps1).toContain(`Get-FileHash -Algorithm SHA256 -LiteralPath '${folder}\\windows11.0-kb5043080-arm64_`)
    for (const out of [text.stdout, json.stdout, ps1]) expect(out).not.toContain(home)
  })
})
