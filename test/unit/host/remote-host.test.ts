/**
 * The remote Host's own rules, against a scripted transport: a package whose copy on the PC hashes
 * differently is never run; a command refused a third computer says "second hop"; a read-only batch and a
 * change never share a round trip.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { RemoteHost } from '../../../main/host/remote-host.ts'
import { parseCalls } from '../../../main/training/transport-training.ts'
import { emptyStats, type Transport } from '../../../main/host/transport.ts'
import { tempDir } from '../temp-dirs.ts'

const PRE = {
  kind: 'preflight',
  computerName: 'PC1',
  admin: true,
  processorArchitecture: 9,
  build: '26100',
  ubr: 1,
  freeBytes: 1e11,
  pendingRestart: false,
  bootTime: '2026-01-01T00:00:00Z',
}

function scripted(answer: (calls: ReturnType<typeof parseCalls>) => unknown[], copyHash: string | null = null) {
  const sent: string[][] = []
  const t: Transport = {
    computer: 'PC1',
    async invoke(script) {
      const calls = parseCalls(script)
      sent.push(calls.map((c) => String(c.params.get('Name') ?? c.fn)))
      return JSON.stringify(answer(calls))
    },
    async copy() {
      return copyHash
    },
    async close() {},
    stats: () => emptyStats(),
  }
  return { t, sent }
}

const b64 = (s: string) => Buffer.from(s).toString('base64')
const answerAll =
  (stderr = '', exitCode = 0) =>
  (calls: ReturnType<typeof parseCalls>) =>
    calls.map((c) =>
      c.fn === 'Get-SdPreflight'
        ? { ...PRE, id: c.params.get('Id') }
        : {
            kind: 'command',
            id: c.params.get('Id'),
            exitCode,
            stdout: '',
            stderr: b64(stderr),
            timedOut: false,
            pending: false,
          },
    )

describe('RemoteHost', () => {
  it('does not run a package whose copy on the PC has another hash', async () => {
    const dataDir = await tempDir('sd-remote-host-')
    mkdirSync(join(dataDir, 'kits'), { recursive: true })
    writeFileSync(join(dataDir, 'kits', 'a.msu'), 'package bytes')
    const { t, sent } = scripted(answerAll(), 'f'.repeat(64))
    const host = new RemoteHost({ transport: t, dataDir, label: 'PC1', reconnect: { attempts: 1, delayMs: 0 } })
    const r = await host.run({
      name: 'install.dism-add-package',
      file: 'dism.exe',
      args: ['/Online', '/Add-Package', '/PackagePath:C:\\ProgramData\\ServicingDesk\\kits\\a.msu'],
      timeoutMs: 60_000,
    })
    expect(r.ok).toBe(false)
    expect(r.stderr).toContain(`has SHA-256 ${'f'.repeat(64)}`)
    expect(sent.flat()).not.toContain('install.dism-add-package')
  })

  it('names the second hop when a command is refused a third computer', async () => {
    const { t } = scripted(answerAll("Cannot open Service Control Manager on computer 'FS01'.", 1))
    const host = new RemoteHost({
      transport: t,
      dataDir: await tempDir('sd-remote-host-'),
      label: 'PC1',
      reconnect: { attempts: 1, delayMs: 0 },
    })
    const r = await host.run({
      name: 'repair.wu-services',
      file: 'sc.exe',
      args: ['\\\\FS01', 'query'],
      timeoutMs: 60_000,
    })
    expect(r.ok).toBe(false)
    expect(r.stderr).toContain('the "second hop"')
  })

  it('sends the reads of one turn together, and a change alone (after its own pre-flight)', async () => {
    const { t, sent } = scripted(answerAll())
    const host = new RemoteHost({
      transport: t,
      dataDir: await tempDir('sd-remote-host-'),
      label: 'PC1',
      reconnect: { attempts: 1, delayMs: 0 },
    })
    const spec = (name: string) => ({ name, file: 'reg.exe', args: ['query', 'HKLM'], timeoutMs: 10_000 })
    await Promise.all([
      host.run(spec('os.currentversion')),
      host.run(spec('os.native-arch')),
      host.run(spec('reboot.sources')),
    ])
    await host.run({ name: 'repair.dism-restorehealth', file: 'dism.exe', args: ['/Online'], timeoutMs: 60_000 })
    expect(sent).toEqual([
      ['Get-SdPreflight', 'os.currentversion', 'os.native-arch', 'reboot.sources'],
      ['repair.dism-restorehealth'],
    ])
  })
})

describe('a remote PC is one machine', () => {
  it('has its own machine lock (one run at a time on it from this computer)', async () => {
    const { machineLockName } = await import('../../../main/install/run-lock.ts')
    expect(machineLockName({ kind: 'remote', computer: 'FrontDesk-03' })).toBe('remote-frontdesk-03')
    expect(machineLockName({ kind: 'training', name: 'x64-healthy', via: 'winrm' })).toBe('training-x64-healthy')
  })
})
