/**
 * Every probe against this real PC, read-only: the facts parse, and they agree with each other and with
 * independent sources (registry, .NET, reagentc, ReAgent.xml). Nothing here changes servicing state:
 * only queries run (reg query, DISM /Get-*, reagentc /info, Get-CimInstance), and the last test checks
 * that a second scan sees the same packages and the same pending-restart state as the first.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '../../main/services.ts'
import { createWindowsHost, type WindowsHost } from '../../main/host/windows-host.ts'
import { detectElevation } from '../../main/host/this-pc.ts'
import { parseRegQuery, regValue } from '../../main/parse/reg-query.ts'
import { powershellSpec } from '../../main/host/powershell.ts'
import { MachineSnapshotSchema, type MachineSnapshot } from '../../preload/model/snapshot.ts'
import { expectedArch, noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the probe tests against this PC')

describe.skipIf(!onWindows)('this PC, read-only', () => {
  let host: WindowsHost
  let snapshot: MachineSnapshot
  let currentVersion: ReturnType<typeof parseRegQuery>

  beforeAll(async () => {
    const elevated = await detectElevation(createWindowsHost())
    host = createWindowsHost({ elevated })
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sd-win-')),
      platform: 'win32',
      thisPcHost: () => host,
    })
    snapshot = await services.scan({ kind: 'this-pc' })
    const cv = await host.run({
      name: 'test.currentversion',
      file: 'reg.exe',
      args: ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'],
      timeoutMs: 30_000,
      outputEncoding: 'console',
    })
    expect(cv.ok, cv.stderr).toBe(true)
    currentVersion = parseRegQuery(cv.stdout)
  })

  it('runs elevated on the runner (DISM and reagentc need it)', () => {
    expect(host.info().elevated).toBe(true)
  })

  it('produces a snapshot that parses', () => {
    expect(() => MachineSnapshotSchema.parse(snapshot)).not.toThrow()
    for (const family of ['os', 'packages', 'history', 'reboot', 'storage', 'winre'] as const) {
      const fact = snapshot[family]
      expect(fact.status, `${family}: ${fact.status === 'unknown' ? fact.error : ''}`).toBe('known')
    }
  })

  it('OS facts agree with the registry and with .NET', async () => {
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    expect(os).not.toBeNull()
    expect(os!.build).toBe(Number(regValue(currentVersion, 'CurrentBuild')))
    expect(os!.ubr).toBe(regValue(currentVersion, 'UBR'))
    expect(os!.version).toBe(`10.0.${os!.build}.${os!.ubr}`)
    const dotnet = await host.run(powershellSpec('test.osversion', '[Environment]::OSVersion.Version.Build', 60_000))
    expect(Number(dotnet.stdout.trim())).toBe(os!.build)
  })

  it('detects the native architecture of the runner, right even if this process were emulated', () => {
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    expect(os!.nativeArch).not.toBeNull()
    if (expectedArch) expect(os!.nativeArch).toBe(expectedArch)
    expect(os!.nativeArchMethod).toBe('IsWow64Process2')
    expect(os!.emulated).toBe(os!.nativeArch !== os!.processArch)
  })

  it('the LCU package version matches build.UBR from the registry', () => {
    const pk = snapshot.packages.status === 'known' ? snapshot.packages.value : null
    expect(pk).not.toBeNull()
    expect(pk!.packages.length).toBeGreaterThan(0)
    expect(pk!.lcu).not.toBeNull()
    expect(pk!.lcu!.build).toBe(Number(regValue(currentVersion, 'CurrentBuild')))
    expect(pk!.lcu!.ubr).toBe(regValue(currentVersion, 'UBR'))
    for (const p of pk!.packages) if (p.kb) expect(p.kb).toMatch(/^KB\d{6,8}$/)
  })

  it('reads the update history with normalised codes', () => {
    const h = snapshot.history.status === 'known' ? snapshot.history.value : []
    for (const e of h) {
      if (e.hresult) expect(e.hresult).toMatch(/^0x[0-9A-F]{8}$/)
      if (e.date) expect(Number.isNaN(Date.parse(e.date))).toBe(false)
    }
  })

  it('pending restart agrees with the registry keys it cites', async () => {
    const r = snapshot.reboot.status === 'known' ? snapshot.reboot.value : null
    expect(r).not.toBeNull()
    expect(r!.pending).toBe(r!.sources.some((s) => s.pending === true))
    const wu = await host.run({
      name: 'test.wu-reboot',
      file: 'reg.exe',
      args: ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired'],
      timeoutMs: 30_000,
      outputEncoding: 'console',
    })
    if (wu.ok) expect(r!.pending).toBe(true)
  })

  it('finds the system drive and a partition layout that adds up', () => {
    const st = snapshot.storage.status === 'known' ? snapshot.storage.value : null
    expect(st).not.toBeNull()
    expect(st!.systemDrive.letter.toUpperCase()).toMatch(/^C:?$/)
    expect(st!.systemDrive.freeBytes).toBeLessThanOrEqual(st!.systemDrive.sizeBytes)
    for (const d of st!.disks) {
      const used = d.partitions.reduce((n, p) => n + p.sizeBytes, 0)
      expect(used).toBeLessThanOrEqual(d.sizeBytes)
      expect(d.partitions.filter((p) => p.role === 'os').length).toBeLessThanOrEqual(1)
    }
  })

  it('WinRE status agrees with reagentc /info and ReAgent.xml', async () => {
    const w = snapshot.winre.status === 'known' ? snapshot.winre.value : null
    expect(w).not.toBeNull()
    const info = await host.run({
      name: 'test.reagentc-info',
      file: 'reagentc.exe',
      args: ['/info'],
      timeoutMs: 120_000,
      outputEncoding: 'console',
    })
    if (info.ok && /Windows RE status:\s+Enabled/i.test(info.stdout)) expect(w!.status).toBe('enabled')
    if (info.ok && /Windows RE status:\s+Disabled/i.test(info.stdout)) expect(w!.status).toBe('disabled')
    const xml = 'C:\\Windows\\System32\\Recovery\\ReAgent.xml'
    if (await host.exists(xml)) expect(w!.status).not.toBe('unknown')
    expect(w!.disagreements, w!.disagreements.join('; ')).toEqual([])
  })

  it('changed nothing: a second scan sees the same packages and the same restart state', async () => {
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sd-win-')),
      platform: 'win32',
      thisPcHost: () => host,
    })
    const again = await services.scan({ kind: 'this-pc' })
    const ids = (s: MachineSnapshot) =>
      s.packages.status === 'known' ? s.packages.value.packages.map((p) => `${p.identity}|${p.state}`).sort() : []
    expect(ids(again)).toEqual(ids(snapshot))
    const pending = (s: MachineSnapshot) => (s.reboot.status === 'known' ? s.reboot.value.pending : null)
    expect(pending(again)).toBe(pending(snapshot))
  })
})
