/**
 * The pending-restart, low-disk-space, disabled-services and emulated-process rules, one condition per test,
 * on hand-made facts: no training machine is scanned, so a mutation run repeats these per mutant.
 * Assertions are on the finding's id, severity, confidence, repair, codes and evidence.
 */
import { describe, expect, it } from 'vitest'
import { pendingRestartRule } from '../../../main/diagnose/rules/reboot.ts'
import { lowDiskSpaceRule } from '../../../main/diagnose/rules/disk-space.ts'
import { disabledServicesRule } from '../../../main/diagnose/rules/services.ts'
import { emulatedProcessRule } from '../../../main/diagnose/rules/architecture.ts'
import type { RebootFact } from '../../../preload/model/snapshot.ts'
import {
  GB,
  cbsAnalysis,
  cbsLogs,
  fact,
  failed,
  input,
  os,
  packages,
  pkg,
  service,
  snap,
  storage,
  typed,
} from './rule-fixtures.ts'

const reboot = (pending: boolean, sources: RebootFact['sources'] = []) =>
  fact<RebootFact>({ pending, sources }, [
    { source: 'Reboot-pending checks', excerpt: 'none pending' },
    { source: 'second', excerpt: 'y' },
  ])
const src = (id: string, pending: boolean | null) => ({ id, label: `Label ${id}`, pending, detail: `detail ${id}` })

describe('pending-restart', () => {
  const run = (over: Parameters<typeof input>[0]) => pendingRestartRule.evaluate(input(over))

  it('a pending restart and CBS_E_PENDING in history: error, 0.95, restart offered, the active sources as evidence', () => {
    const [f, ...rest] = run({
      snapshot: snap({
        reboot: reboot(true, [src('cbs', true), src('wu', false), src('pfro', true)]),
        history: fact([failed('KB5044284', '0x800F0806')]),
      }),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'pending-restart',
      severity: 'error',
      confidence: 0.95,
      repair: 'restart',
      codes: ['0x800F0806'],
      title: 'A restart is pending: restart before installing anything else',
    })
    expect(f!.technical).toContain('0x800F0806')
    expect(f!.evidence.slice(0, 2)).toEqual([
      { source: 'Reboot-pending checks', excerpt: 'Label cbs: detail cbs' },
      { source: 'Reboot-pending checks', excerpt: 'Label pfro: detail pfro' },
    ])
    expect(f!.evidence).not.toContainEqual({ source: 'Reboot-pending checks', excerpt: 'none pending' })
    expect(f!.remedies.map((r) => [r.id, r.repair])).toEqual([
      ['R1', 'restart'],
      ['R8', null],
    ])
    expect(f!.causes).toEqual([
      'Earlier servicing work waits for a restart.',
      'Until the PC restarts, Windows refuses further servicing. Meanwhile servicing answers CBS_E_PENDING.',
    ])
  })

  it('each pending code counts alone (typed): error, 0.75, no restart offered for a code alone', () => {
    const codes = ['0x800F0806', '0x800F0826', '0x800F082F', '0x80242014', '0x80240016', '0x80070BC9']
    let ran = 0
    for (const c of codes) {
      const [f] = run({ code: typed(c) })
      expect(f, c).toMatchObject({
        severity: 'error',
        confidence: 0.75,
        repair: null,
        codes: [c],
        technical: expect.stringContaining(c),
      })
      expect(f!.remedies.map((r) => [r.id, r.repair])).toEqual([
        ['R1', null],
        ['R8', null],
      ])
      ran++
    }
    expect(ran).toBe(6)
    expect(run({ code: typed('0x800F0922') })).toEqual([])
  })

  it('a pending restart alone: warning, 0.7, restart offered, technical "reboot pending"; with no active source the fact\'s first evidence', () => {
    const [f] = run({ snapshot: snap({ reboot: reboot(true, [src('x', false)]) }) })
    expect(f).toMatchObject({
      severity: 'warning',
      confidence: 0.7,
      repair: 'restart',
      codes: [],
      technical: 'reboot pending',
    })
    expect(f!.evidence).toEqual([{ source: 'Reboot-pending checks', excerpt: 'none pending' }])
  })

  it('packages waiting for a restart: warning, restart offered, counted and named (at most three)', () => {
    const list = [
      pkg({ kb: 'KB1', state: 'install-pending', identity: 'P1' }),
      pkg({ kb: null, state: 'uninstall-pending', identity: 'P2' }),
      pkg({ kb: 'KB3', state: 'install-pending', identity: 'P3' }),
      pkg({ kb: 'KB4', state: 'install-pending', identity: 'P4' }),
      pkg({ kb: 'KB5', state: 'installed', identity: 'P5' }),
    ]
    const [f] = run({ snapshot: snap({ packages: packages(list) }) })
    expect(f).toMatchObject({ severity: 'warning', confidence: 0.7, repair: 'restart' })
    expect(f!.causes[0]).toBe('4 package(s) are installed but wait for a restart to finish (KB1, P2, KB3).')
    expect(f!.evidence.filter((e) => e.source === 'Installed packages (DISM)')).toEqual([
      { source: 'Installed packages (DISM)', excerpt: 'P1  Install Pending' },
      { source: 'Installed packages (DISM)', excerpt: 'P2  Uninstall Pending' },
      { source: 'Installed packages (DISM)', excerpt: 'P3  Install Pending' },
    ])
    expect(
      run({ snapshot: snap({ packages: packages(list), history: fact([failed('KB9', '0x800F0806')]) }) })[0],
    ).toMatchObject({ confidence: 0.95, severity: 'error', repair: 'restart' })
  })

  it('at most four active sources as evidence; the CBS.log reboot line is evidence', () => {
    const sources = ['a', 'b', 'c', 'd', 'e'].map((id) => src(id, true))
    const logs = cbsLogs(cbsAnalysis({ rebootPending: { line: 42, text: 'Reboot mark set' } }))
    const [f] = run({ snapshot: snap({ reboot: reboot(true, sources) }), logs })
    expect(f!.evidence.filter((e) => e.source === 'Reboot-pending checks')).toHaveLength(4)
    expect(f!.evidence).toContainEqual({
      source: 'C:\\Windows\\Logs\\CBS\\CBS.log',
      excerpt: 'line 42: Reboot mark set',
    })
  })

  it('nothing pending, no code, no pending package: nothing (a CBS.log reboot line alone is not enough)', () => {
    expect(run({ snapshot: snap({ reboot: reboot(false, [src('a', false)]), packages: packages([pkg()]) }) })).toEqual(
      [],
    )
    expect(run({ logs: cbsLogs(cbsAnalysis({ rebootPending: { line: 1, text: 'x' } })) })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('low-disk-space', () => {
  const run = (over: Parameters<typeof input>[0]) => lowDiskSpaceRule.evaluate(input(over))

  it('under 10 GB free and ERROR_DISK_FULL: error, 0.95, the volume as evidence, R2 and R3, no repair', () => {
    const [f, ...rest] = run({
      snapshot: snap({ storage: storage({ free: 3.5 * GB, size: 120 * GB }) }),
      code: typed('0x80070070'),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'low-disk-space',
      severity: 'error',
      confidence: 0.95,
      repair: null,
      codes: ['0x80070070'],
      title: 'Drive C: has only 3.5 GB free',
    })
    expect(f!.technical).toContain('0x80070070')
    expect(f!.evidence[0]).toEqual({ source: 'Volumes (Get-Volume)', excerpt: 'C: 3.5 GB free of 120.0 GB' })
    expect(f!.evidence).toContainEqual({ source: 'the code you entered', excerpt: '0x80070070' })
    expect(f!.remedies.map((r) => r.id)).toEqual(['R2', 'R3'])
  })

  it('low space alone: warning, 0.6, "below 10 GB"; exactly 10 GB free is not low', () => {
    expect(run({ snapshot: snap({ storage: storage({ free: 10 * GB - 1 }) }) })[0]).toMatchObject({
      severity: 'warning',
      confidence: 0.6,
      codes: [],
      technical: 'system drive free space below 10 GB',
    })
    expect(run({ snapshot: snap({ storage: storage({ free: 10 * GB }) }) })).toEqual([])
  })

  it('a space code with space unknown: error, 0.8, generic title, no volume evidence; with plenty of space still 0.8', () => {
    for (const c of ['0x80070070', '0xC190020E']) {
      const [f] = run({ code: typed(c) })
      expect(f, c).toMatchObject({
        severity: 'error',
        confidence: 0.8,
        codes: [c],
        title: 'The system drive ran out of space',
      })
      expect(f!.evidence).toEqual([{ source: 'the code you entered', excerpt: c }])
    }
    expect(
      run({ code: typed('0xC190020E'), snapshot: snap({ storage: storage({ free: 50 * GB, letter: 'D' }) }) })[0],
    ).toMatchObject({ confidence: 0.6, title: 'A disk other than drive D: ran out of space (D: has 50.0 GB free)' })
  })

  it('0x8024001E is a disk-space finding only where the system drive is measured low (its causes are many)', () => {
    expect(run({ code: typed('0x8024001E') })).toEqual([])
    expect(run({ code: typed('0x8024001E'), snapshot: snap({ storage: storage({ free: 2 * GB }) }) })[0]).toMatchObject(
      { codes: ['0x8024001E'], confidence: 0.95 },
    )
    const both = run({
      code: typed('0x8024001E'),
      snapshot: snap({ history: fact([failed('KB1', '0x80070070')]) }),
    })[0]!
    expect(both.codes).toEqual(['0x80070070'])
  })

  it('other codes, plenty of space: nothing', () => {
    expect(run({ code: typed('0x800F0922'), snapshot: snap({ storage: storage({ free: 50 * GB }) }) })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('services-disabled', () => {
  const run = (over: Parameters<typeof input>[0]) => disabledServicesRule.evaluate(input(over))
  const services = (...list: ReturnType<typeof service>[]) =>
    fact(list, [{ source: 'Get-Service', excerpt: 'all services' }])

  it('wuauserv disabled and 0x80070422: error, 0.95, the service named and re-enabled, no repair', () => {
    const [f, ...rest] = run({
      snapshot: snap({ services: services(service('wuauserv', 'disabled'), service('BITS', 'manual')) }),
      code: typed('0x80070422'),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'services-disabled',
      severity: 'error',
      confidence: 0.95,
      repair: null,
      codes: ['0x80070422'],
      title: 'Update services are disabled: Windows Update',
    })
    expect(f!.technical).toContain('0x80070422')
    expect(f!.technical).toContain('service names: wuauserv')
    // The start type is read first (sc qc), so the change can be put back.
    expect(f!.remedies[0]!.commands).toEqual([
      '%SystemRoot%\\System32\\sc.exe qc wuauserv',
      '%SystemRoot%\\System32\\sc.exe config wuauserv start= demand',
      '%SystemRoot%\\System32\\net.exe start wuauserv',
    ])
    expect(f!.evidence).toEqual([
      { source: 'Services (Get-Service)', excerpt: 'wuauserv  stopped  disabled' },
      { source: 'the code you entered', excerpt: '0x80070422' },
    ])
  })

  it('each servicing service counts, by any letter case; CryptSvc goes back to auto, the others to demand', () => {
    const names = ['wuauserv', 'BITS', 'CryptSvc', 'TrustedInstaller', 'UsoSvc', 'DoSvc']
    const shown = [
      'Windows Update',
      'Background Intelligent Transfer Service',
      'Cryptographic Services',
      'Windows Modules Installer',
      'Update Orchestrator Service',
      'Delivery Optimization',
    ]
    let ran = 0
    for (const [i, n] of names.entries()) {
      const [f] = run({ snapshot: snap({ services: services(service(n, 'disabled')) }) })
      expect(f, n).toMatchObject({
        confidence: 0.8,
        codes: [],
        technical: `service start type Disabled; service names: ${n}`,
        title: `Update services are disabled: ${shown[i]}`,
      })
      expect(f!.remedies[0]!.commands).toEqual([
        `%SystemRoot%\\System32\\sc.exe qc ${n}`,
        `%SystemRoot%\\System32\\sc.exe config ${n} start= ${n === 'CryptSvc' ? 'auto' : 'demand'}`,
        `%SystemRoot%\\System32\\net.exe start ${n}`,
      ])
      ran++
    }
    expect(ran).toBe(6)
  })

  it('another service disabled, or a servicing service on manual: nothing', () => {
    expect(
      run({
        snapshot: snap({
          services: services(
            service('Spooler', 'disabled'),
            service('wuauserv', 'manual'),
            service('bits', 'automatic'),
          ),
        }),
      }),
    ).toEqual([])
    expect(run({})).toEqual([])
  })

  it('0x80070422 alone: 0.7, wuauserv and bits re-enabled, the services fact as evidence', () => {
    const [f] = run({ code: typed('0x80070422'), snapshot: snap({ services: services(service('wuauserv')) }) })
    expect(f).toMatchObject({
      confidence: 0.7,
      title: 'A service Windows Update needs is disabled',
      codes: ['0x80070422'],
    })
    expect(f!.remedies[0]!.commands).toEqual([
      '%SystemRoot%\\System32\\sc.exe qc wuauserv',
      '%SystemRoot%\\System32\\sc.exe config wuauserv start= demand',
      '%SystemRoot%\\System32\\net.exe start wuauserv',
      '%SystemRoot%\\System32\\sc.exe qc bits',
      '%SystemRoot%\\System32\\sc.exe config bits start= demand',
      '%SystemRoot%\\System32\\net.exe start bits',
    ])
    expect(f!.evidence).toEqual([
      { source: 'the code you entered', excerpt: '0x80070422' },
      { source: 'Get-Service', excerpt: 'all services' },
    ])
  })

  it('two disabled: both named and both re-enabled', () => {
    const [f] = run({
      snapshot: snap({
        services: services(service('wuauserv', 'disabled'), service('cryptsvc', 'disabled', 'stopped')),
      }),
    })
    expect(f!.title).toBe('Update services are disabled: Windows Update, Cryptographic Services')
    expect(f!.remedies[0]!.commands).toEqual([
      '%SystemRoot%\\System32\\sc.exe qc wuauserv',
      '%SystemRoot%\\System32\\sc.exe config wuauserv start= demand',
      '%SystemRoot%\\System32\\net.exe start wuauserv',
      '%SystemRoot%\\System32\\sc.exe qc cryptsvc',
      '%SystemRoot%\\System32\\sc.exe config cryptsvc start= auto',
      '%SystemRoot%\\System32\\net.exe start cryptsvc',
    ])
    expect(f!.evidence).toHaveLength(2)
  })
})

describe('emulated-process', () => {
  const run = (o: Parameters<typeof os>[0] | null) =>
    emulatedProcessRule.evaluate(
      input({
        snapshot:
          o === null
            ? snap()
            : snap({
                os: fact(os(o), [
                  { source: 'IsWow64Process2', excerpt: 'native ARM64' },
                  { source: 'b', excerpt: 'b' },
                  { source: 'c', excerpt: 'c' },
                ]),
              }),
      }),
    )

  it('an x64 app on an arm64 PC: info, 0.95, arm64 packages advised, how it was detected', () => {
    const [f, ...rest] = run({ emulated: true, nativeArch: 'arm64', processArch: 'x64' })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'emulated-process',
      severity: 'info',
      confidence: 0.95,
      repair: null,
      codes: [],
      title: 'This app runs as x64 on an arm64 PC; packages are chosen for arm64',
      technical: 'process x64 under emulation, native arm64 (IsWow64Process2)',
    })
    expect(f!.remedies[0]).toMatchObject({ id: 'native-arch', title: 'Use arm64 packages', repair: null })
    expect(f!.evidence).toEqual([
      { source: 'IsWow64Process2', excerpt: 'native ARM64' },
      { source: 'b', excerpt: 'b' },
    ])
    expect(run({ emulated: true, nativeArch: 'arm64', processArch: 'x64', nativeArchMethod: null })[0]!.technical).toBe(
      'process x64 under emulation, native arm64 (detected)',
    )
  })

  it('not emulated, native unknown, the same architecture, or no OS fact: nothing', () => {
    expect(run({ emulated: false, nativeArch: 'arm64', processArch: 'x64' })).toEqual([])
    expect(run({ emulated: null, nativeArch: 'arm64', processArch: 'x64' })).toEqual([])
    expect(run({ emulated: true, nativeArch: null, processArch: 'x64' })).toEqual([])
    expect(run({ emulated: true, nativeArch: 'x64', processArch: 'x64' })).toEqual([])
    expect(run(null)).toEqual([])
  })
})

describe('low-disk-space: its cause', () => {
  it('says where updates are expanded and how much Microsoft suggests keeping free', () => {
    expect(lowDiskSpaceRule.evaluate(input({ code: typed('0x80070070') }))[0]!.causes).toEqual([
      'Updates are downloaded, staged and expanded on the system drive; Microsoft suggests keeping at least 10–20 GB free.',
    ])
  })
})

describe('emulated-process: its cause and remedy in full, and no snapshot', () => {
  it('names the emulated and the native architecture and the 0x800F081E an x64 MSU would give; the remedy names the native packages', () => {
    const [f] = emulatedProcessRule.evaluate(
      input({ snapshot: snap({ os: fact(os({ emulated: true, nativeArch: 'arm64', processArch: 'x64' })) }) }),
    )
    expect(f!.causes).toEqual([
      'This app runs emulated as x64 on an arm64 PC, where Windows tells an emulated program it is on an x64 PC; an update for x64 would not apply here.',
      'An emulated x64 process sees x64 in PROCESSOR_ARCHITECTURE and GetNativeSystemInfo; only IsWow64Process2 and machine-wide sources reveal arm64. An x64 MSU on this PC would be "not applicable" (0x800F081E).',
    ])
    expect(f!.remedies).toEqual([
      expect.objectContaining({
        id: 'native-arch',
        title: 'Use arm64 packages',
        text: 'Download -arm64_ MSUs for this PC; Servicing Desk does this automatically.',
        commands: [],
        repair: null,
      }),
    ])
    expect(f!.remedies[0]!.sources).toHaveLength(2)
    expect(f!.evidence).toEqual([])
  })
  it('no snapshot: nothing', () => {
    expect(emulatedProcessRule.evaluate(input({ snapshot: null }))).toEqual([])
  })
})

describe('services-disabled: its cause and remedy in full', () => {
  it("the cause, and the remedy's title, explanation and source", () => {
    const [f] = disabledServicesRule.evaluate(input({ code: typed('0x80070422') }))
    expect(f!.causes).toEqual([
      'Windows Update, BITS or a related service was disabled by a tool, policy or a person; the update cannot start.',
    ])
    expect(f!.remedies[0]).toMatchObject({
      id: 'enable-services',
      title: 'Set the services back to their default start type and start them',
      text: 'Windows Update and BITS default to Manual (trigger start), Cryptographic Services to Automatic. sc qc shows each start type before the change: sc config <name> start= <that type> puts it back.',
    })
    expect(f!.remedies[0]!.sources).toHaveLength(1)
    expect(f!.remedies[0]!.sources[0]).toMatch(/\S/)
  })
})
