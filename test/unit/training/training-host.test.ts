import { describe, it, expect, beforeEach } from 'vitest'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { restartMachine } from '../../../main/training/state.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { currentVersionCommand } from '../../../main/machine/probes/os.ts'
import { tempDirSync } from '../temp-dirs.ts'

let store: TrainingStore
beforeEach(() => {
  store = new TrainingStore(tempDirSync('sd-th-'))
})

describe('TrainingHost', () => {
  it('answers a modelled command in the real output format, with the exit code Node would report', async () => {
    const host = new TrainingHost('arm64-missing-checkpoint', store)
    const r = await host.run(currentVersionCommand)
    expect(r.ok).toBe(true)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('    UBR    REG_DWORD    0x47e')
    expect(r.commandLine).toBe('reg.exe query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"')
  })

  it('says plainly when a command is not modelled, instead of guessing', async () => {
    const host = new TrainingHost('x64-healthy', store)
    const r = await host.run({ name: 'nothing.here', file: 'reg.exe', args: ['/x'], timeoutMs: 1000 })
    expect(r.ok).toBe(false)
    expect(r.stderr).toMatch(/does not model the command 'nothing.here'/)
  })

  it('refuses a program outside the System32 table, as the real host does', async () => {
    const host = new TrainingHost('x64-healthy', store)
    await expect(host.run({ name: 'nothing.here', file: 'foo.exe', args: ['/x'], timeoutMs: 1000 })).rejects.toThrow(
      /System32 table/,
    )
  })

  it('refuses a command without a timeout or with a NUL in an argument', async () => {
    const host = new TrainingHost('x64-healthy', store)
    await expect(host.run({ name: 'os.currentversion', file: 'reg.exe', args: [], timeoutMs: 0 })).rejects.toThrow(
      /timeout/,
    )
    await expect(
      host.run({ name: 'os.currentversion', file: 'reg.exe', args: ['a\0b'], timeoutMs: 10 }),
    ).rejects.toThrow(/arguments/)
  })

  it('does not run a command whose signal is already aborted', async () => {
    const host = new TrainingHost('x64-healthy', store)
    const c = new AbortController()
    c.abort()
    const r = await host.run(currentVersionCommand, { signal: c.signal })
    expect(r.cancelled).toBe(true)
  })

  it('rejects an unknown machine name', () => {
    expect(() => new TrainingHost('no-such-machine', store)).toThrow(/No training machine/)
  })

  it('keeps a changed state across host instances (another process sees it) and resets to the profile', () => {
    const s = store.load('x64-pending-restart')
    store.save(restartMachine(s))
    expect(new TrainingStore(store.dir.replace(/training$/, '')).load('x64-pending-restart').os.ubr).toBe(8655)
    store.reset('x64-pending-restart')
    expect(store.load('x64-pending-restart').os.ubr).toBe(8117)
  })

  it('serves the machine files and lists folders', async () => {
    const host = new TrainingHost('x64-healthy', store)
    const s = store.load('x64-healthy')
    s.files['C:\\Windows\\Logs\\CBS\\extra.log'] = 'hello'
    store.save(s)
    expect(await host.exists('%windir%\\Logs\\CBS\\extra.log')).toBe(true)
    expect(await host.listDir('C:\\Windows\\Logs\\CBS')).toContain('extra.log')
    await expect(host.openRead('C:\\nope.txt')).rejects.toThrow(/not found/)
  })
})

describe('restartMachine', () => {
  it('completes pending packages, raises the UBR and clears every reboot flag', () => {
    const s = trainingProfiles.find((p) => p.name === 'x64-pending-restart')!
    const after = restartMachine(s)
    expect(after.packages.find((p) => p.kb === 'KB5094126')?.state).toBe('Installed')
    expect(after.os.ubr).toBe(8655)
    expect(after.reboot.cbsRebootPending).toBe(false)
    expect(after.reboot.pendingFileRenameOperations).toEqual([])
    expect(after.restarts).toBe(1)
    expect(s.os.ubr).toBe(8117) // pure
  })
})

describe('training profiles', () => {
  it('has the eleven documented scenarios, each with a public source', () => {
    expect(trainingProfiles.map((p) => p.name).sort()).toEqual(
      [
        'arm64-missing-checkpoint',
        'arm64-winre-disabled',
        'x64-component-store-corrupt',
        'x64-efi-partition-full',
        'x64-healthy',
        'x64-pending-restart',
        'x64-secureboot-2011',
        'x64-winre-partition-full',
        'x64-wu-components-broken',
      ]
        .concat('x64-lcu-uninstall-blocked', 'x64-store-corrupt-iso')
        .sort(),
    )
    for (const p of trainingProfiles) expect(p.sources.length).toBeGreaterThan(0)
  })
})
