/**
 * Probes degrade, never crash: a failing command gives an unknown fact with the command's evidence, and
 * the packages probe falls back from Get-WindowsPackage to DISM. The host here is a TrainingHost with
 * one command made to fail (the probe is what is under test).
 */
import { describe, it, expect } from 'vitest'
import { scanMachine } from '../../../main/machine/scan.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import type { CommandResult, CommandSpec, Host, RunOptions } from '../../../main/host/host.ts'
import { packagesProbe } from '../../../main/machine/probes/packages.ts'
import { historyProbe } from '../../../main/machine/probes/history.ts'
import { storageProbe } from '../../../main/machine/probes/storage.ts'
import { servicesProbe } from '../../../main/machine/probes/services.ts'
import type { Probe } from '../../../main/machine/probe.ts'
import { tempDirSync } from '../temp-dirs.ts'

/** A training machine on which some commands fail (exit code, garbage output) as they can on a real PC. */
function breaking(name: string, faults: Record<string, Partial<CommandResult>>): Host {
  const inner = new TrainingHost(name, new TrainingStore(tempDirSync('sd-pf-')))
  return {
    info: () => inner.info(),
    openRead: (p) => inner.openRead(p),
    listDir: (p) => inner.listDir(p),
    exists: (p) => inner.exists(p),
    async run(spec: CommandSpec, options?: RunOptions) {
      const r = await inner.run(spec, options)
      return faults[spec.name] ? { ...r, ...faults[spec.name] } : r
    },
  }
}

describe('probe fallbacks and failures', () => {
  it('falls back to DISM /Get-Packages when Get-WindowsPackage fails, with both in the evidence', async () => {
    const host = breaking('arm64-missing-checkpoint', {
      'packages.get-windowspackage': {
        ok: false,
        exitCode: 1,
        stdout: '',
        stderr: 'Get-WindowsPackage : Class not registered',
      },
    })
    const s = await scanMachine(host, { probes: [packagesProbe as Probe] })
    expect(s.packages.status).toBe('known')
    if (s.packages.status !== 'known') return
    expect(s.packages.value.checkpoint.present).toBe(false)
    expect(s.packages.evidence.map((e) => e.source)).toEqual([
      'Get-WindowsPackage -Online (JSON)',
      'dism.exe /Online /English /Get-Packages',
    ])
    expect(s.packages.evidence[0].excerpt).toMatch(/Class not registered/)
  })

  it('gives an unknown packages fact when both commands fail, naming DISM error 740', async () => {
    const host = breaking('x64-healthy', {
      'packages.get-windowspackage': { ok: false, exitCode: 1, stdout: '' },
      'packages.dism-get-packages': {
        ok: false,
        exitCode: 740,
        stdout:
          '\nDeployment Image Servicing and Management tool\nVersion: 10.0.26100.1\n\nError: 740\n\nElevated permissions are required to run DISM.\n',
      },
    })
    const s = await scanMachine(host, { probes: [packagesProbe as Probe] })
    expect(s.packages).toMatchObject({ status: 'unknown', error: expect.stringMatching(/DISM error 740/) })
    expect(s.packages.evidence.at(-1)?.excerpt).toMatch(/exit code 740/)
  })

  it('turns non-JSON history, storage and services output into unknown facts with the output as evidence', async () => {
    const host = breaking('x64-healthy', {
      'history.update-session': { stdout: 'Exception from HRESULT: 0x8024001E' },
      'storage.layout': { stdout: '' },
      'services.state': { ok: false, exitCode: 1, stdout: '', timedOut: true },
    })
    const s = await scanMachine(host, { probes: [historyProbe, storageProbe, servicesProbe] as Probe[] })
    expect(s.history).toMatchObject({ status: 'unknown', error: expect.stringMatching(/not JSON/) })
    expect(s.history.evidence[0].excerpt).toMatch(/0x8024001E/)
    expect(s.storage).toMatchObject({ status: 'unknown', error: expect.stringMatching(/not the JSON object/) })
    expect(s.services).toMatchObject({ status: 'unknown', error: expect.stringMatching(/timed out/) })
  })

  it('asks manage-bde when Get-BitLockerVolume gave nothing', async () => {
    const inner = new TrainingHost('x64-winre-partition-full', new TrainingStore(tempDirSync('sd-pf-')))
    const seen: string[] = []
    const host: Host = {
      info: () => inner.info(),
      openRead: (p) => inner.openRead(p),
      listDir: (p) => inner.listDir(p),
      exists: (p) => inner.exists(p),
      async run(spec, options) {
        seen.push(spec.name)
        const r = await inner.run(spec, options)
        if (spec.name !== 'storage.layout') return r
        const o = JSON.parse(r.stdout) as Record<string, unknown>
        o.BitLocker = null
        return { ...r, stdout: JSON.stringify(o) }
      },
    }
    const s = await scanMachine(host, { probes: [storageProbe as Probe] })
    expect(seen).toEqual(['storage.layout', 'storage.manage-bde'])
    expect(s.storage.status === 'known' && s.storage.value.bitlocker).toEqual({
      protectionStatus: 'on',
      encryptionPercentage: 100,
      tpmProtector: true,
      recoveryPassword: true,
    })
  })
})
