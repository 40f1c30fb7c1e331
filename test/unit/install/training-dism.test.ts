/** The training machine answers DISM installation commands in DISM's console format, with the checkpoint rule. */
import { describe, it, expect } from 'vitest'
import { dirname, join } from 'node:path'
import { copyFileSync, mkdirSync } from 'node:fs'
import { dismProgressBar } from '../../../main/training/renderers/dism-install.ts'
import { freshServices, kit, arm64 } from './helpers.ts'
import type { CommandSpec } from '../../../main/host/host.ts'

const add = (path: string, target = '/Online'): CommandSpec => ({
  name: 'install.dism-add-package',
  file: 'dism.exe',
  args: ['/English', target, '/Add-Package', `/PackagePath:${path}`, '/NoRestart'],
  timeoutMs: 60_000,
})

describe('DISM progress bar', () => {
  it('draws the bar exactly as captured at 69.0% (WOA-Project/guides#8), 20.0% (MicrosoftDocs/WSL#368) and 100.0%', () => {
    expect(dismProgressBar(69)).toBe('[===========================69.0%========                  ]')
    expect(dismProgressBar(20)).toBe('[===========                20.0%                          ]')
    expect(dismProgressBar(100)).toBe('[==========================100.0%==========================]')
  })
})

describe('training DISM /Add-Package', () => {
  it("fails KB5086672 with 0x800F0922 while the checkpoint KB5043080 is missing, in DISM's format, and logs it in CBS.log", async () => {
    const { dir, services } = freshServices()
    const files = kit(dir, 'KB5086672', 'arm64')
    // The target alone in its own folder: nothing for DISM to discover.
    const alone = join(dir, 'alone', files[1].fileName)
    mkdirSync(dirname(alone), { recursive: true })
    copyFileSync(files[1].path, alone)
    const host = services.hostFor(arm64)
    const lines: string[] = []
    const r = await host.run(add(alone), { onLine: (l) => lines.push(l) })
    expect(r.exitCode).toBe(0x800f0922)
    expect(r.stdout).toMatch(/^Deployment Image Servicing and Management tool$/m)
    expect(r.stdout).toMatch(/^Image Version: 10\.0\.26100\.1150$/m)
    expect(r.stdout).toMatch(
      /^Processing 1 of 1 - Adding package Package_for_RollupFix~31bf3856ad364e35~arm64~~26100\.8117\.1\.10$/m,
    )
    expect(r.stdout).toMatch(/^An error occurred - Package_for_RollupFix Error: 0x800f0922$/m)
    expect(r.stdout).toMatch(/^The DISM log file can be found at C:\\WINDOWS\\Logs\\DISM\\dism\.log$/m)
    expect(lines.some((l) => /^\[=+ *\d+\.\d%/.test(l))).toBe(true)
    let cbs = ''
    for await (const c of await host.openRead('C:\\Windows\\Logs\\CBS\\CBS.log')) cbs += c
    expect(cbs).toMatch(
      /Error\s+CBS\s+Failed to execute package: Package_for_RollupFix~31bf3856ad364e35~arm64~~26100\.8117\.1\.10 \[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED\]/,
    )
    // Nothing was added: the machine is unchanged.
    const snap = await services.scan(arm64)
    expect(snap.os.status === 'known' && snap.os.value.ubr).toBe(1150)
  })

  it('given the target MSU in a folder with its checkpoint, installs the checkpoint first, then the target (exit 3010)', async () => {
    const { dir, services } = freshServices()
    const files = kit(dir, 'KB5086672', 'arm64')
    const r = await services.hostFor(arm64).run(add(files[1].path))
    expect(r.exitCode).toBe(3010)
    const order = [...r.stdout.matchAll(/Processing (\d) of 2 - Adding package \S+~~26100\.(\d+)\.1\.10/g)].map((m) =>
      Number(m[2]),
    )
    expect(order).toEqual([1742, 8117])
    expect(r.stdout).toMatch(/The operation completed successfully\.\r\nRestart Windows to complete this operation\./)
    const state = services.trainingStore.load(arm64.name)
    expect(state.packages.filter((p) => p.state === 'Install Pending').map((p) => p.kb)).toEqual([
      'KB5043080',
      'KB5086672',
    ])
  })

  it('refuses an x64 package on the ARM64 machine with 0x800F081E (not applicable)', async () => {
    const { dir, services } = freshServices()
    const files = kit(dir, 'KB5043080', 'x64')
    const r = await services.hostFor(arm64).run(add(files[0].path))
    expect(r.exitCode).toBe(0x800f081e)
    expect(r.stdout).toMatch(/^Error: 0x800f081e$/m)
  })

  it('reports a missing package file as 0x80070002', async () => {
    const { dir, services } = freshServices()
    const r = await services
      .hostFor(arm64)
      .run(add(join(dir, 'nope', 'windows11.0-kb5043080-arm64_0000000000000000000000000000000000000000.msu')))
    expect(r.exitCode).toBe(0x80070002)
    expect(r.stdout).toMatch(/The system cannot find the file specified/)
  })

  it('needs the image mounted for /Image: and keeps the image apart from the PC', async () => {
    const { dir, services } = freshServices()
    const files = kit(dir, 'KB5086672', 'arm64')
    const host = services.hostFor(arm64)
    expect((await host.run(add(files[1].path, '/Image:C:\\Mount'))).exitCode).toBe(0xc1420127)
    const mount = await host.run({
      name: 'install.dism-mount-image',
      file: 'dism.exe',
      args: ['/Mount-Image', '/ImageFile:C:\\Media\\install.wim', '/Index:1', '/MountDir:C:\\Mount'],
      timeoutMs: 60_000,
    })
    expect(mount.exitCode).toBe(0)
    const r = await host.run(add(files[1].path, '/Image:C:\\Mount'))
    expect(r.exitCode).toBe(0)
    const pk = await host.run({
      name: 'install.dism-image-get-packages',
      file: 'dism.exe',
      args: ['/Image:C:\\Mount', '/Get-Packages'],
      timeoutMs: 60_000,
    })
    expect(pk.stdout).toMatch(/Image Version: 10\.0\.26100\.8117/)
    expect(services.trainingStore.load(arm64.name).os.ubr).toBe(1150)
  })

  it('completes pending packages on a simulated restart', async () => {
    const { dir, services } = freshServices()
    const files = kit(dir, 'KB5086672', 'arm64')
    const host = services.hostFor(arm64)
    await host.run(add(files[1].path))
    expect(
      (await host.run({ name: 'install.restart', file: 'shutdown.exe', args: ['/r', '/t', '0'], timeoutMs: 60_000 }))
        .exitCode,
    ).toBe(0)
    const s = services.trainingStore.load(arm64.name)
    expect(s.os.ubr).toBe(8117)
    expect(s.restarts).toBe(1)
    expect(s.packages.some((p) => p.state === 'Install Pending')).toBe(false)
  })
})

describe('training DISM output parses like the real capture', () => {
  it('an Add-Package failure: same operation, result, versions and error fields as adavak/Win_ISO_Patching_Scripts#37', async () => {
    const { parseDismOutput } = await import('../../../main/parse/dism-output.ts')
    const { loadFixture } = await import('../../fixtures/load.ts')
    const real = parseDismOutput(loadFixture('dism-install/add-package-error-0x8007371b.txt').text)
    expect(real.errorCode).toBe('0x8007371B')
    const { dir, services } = freshServices()
    const files = kit(dir, 'KB5086672', 'arm64')
    const alone = join(dir, 'alone2', files[1].fileName)
    mkdirSync(dirname(alone), { recursive: true })
    copyFileSync(files[1].path, alone)
    const ours = parseDismOutput((await services.hostFor(arm64).run(add(alone))).stdout)
    expect(ours.errorCode).toBe('0x800F0922')
    expect(ours.operation).toBe(real.operation)
    expect(ours.result).toBe(real.result)
    expect(ours.imageVersion).toBe('10.0.26100.1150')
    expect(real.imageVersion).toBe('10.0.17763.316')
    expect(ours.errors.length).toBeGreaterThan(0)
    expect(ours.message).toBe('An error occurred applying the Unattend.xml file from the .msu package.')
    expect(real.message).toBe('One or more required members of the transaction are not present.')
  })
})
