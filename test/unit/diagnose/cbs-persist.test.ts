import { describe, it, expect, beforeEach } from 'vitest'
import { Readable } from 'node:stream'
import type { Host, CommandSpec, CommandResult, HostInfo } from '../../../main/host/host.ts'
import { readMachineLogs, CBS_DIR } from '../../../main/machine/read-machine-logs.ts'
import {
  cbsPersistCabs,
  expandedLogName,
  CBS_PERSIST_MAX_CABS,
  CBS_PERSIST_WORK_ROOT,
} from '../../../main/machine/cbs-persist.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { trainingLogs } from '../../../main/training/logs/index.ts'
import { x64HealthyCbs } from '../../../main/training/logs/scenarios.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'

const BANNER =
  'Microsoft (R) File Expansion Utility\r\nCopyright (c) Microsoft Corporation. All rights reserved.\r\n\r\n'

/**
 * A machine with files and the three commands reading an archive takes: the work folder's New-Item and
 * Remove-Item, and expand.exe, which puts the archive's log (from `cabs`) into the folder or fails.
 */
class CabHost implements Host {
  readonly files: Map<string, string>
  readonly cabs: Map<string, string>
  readonly runs: CommandSpec[] = []
  readonly opened: string[] = []
  constructor(files: Record<string, string>, cabs: Record<string, string | { inner: string; text: string }>) {
    this.files = new Map(Object.entries(files))
    this.cabs = new Map()
    for (const [name, v] of Object.entries(cabs)) {
      this.files.set(`${CBS_DIR}\\${name}`, 'MSCF')
      this.cabs.set(
        `${CBS_DIR}\\${name}`.toLowerCase(),
        typeof v === 'string' ? JSON.stringify({ inner: name.replace(/\.cab$/i, '.log'), text: v }) : JSON.stringify(v),
      )
    }
  }
  info(): HostInfo {
    return { kind: 'this-pc', name: 'pc', title: 'pc', processArch: 'x64', elevated: true }
  }
  async run(spec: CommandSpec): Promise<CommandResult> {
    this.runs.push(spec)
    const res = (ok: boolean, stdout: string): CommandResult => ({
      name: spec.name,
      exitCode: ok ? 0 : 1,
      stdout,
      stderr: '',
      ok,
      timedOut: false,
      cancelled: false,
      truncated: false,
      durationMs: 1,
      commandLine: spec.file,
    })
    if (spec.name === 'logs.cbspersist-prepare') return res(true, '')
    if (spec.name === 'logs.cbspersist-cleanup') {
      const dir = /Remove-SdWorkFolder '([^']+)'/.exec(decodePowerShellScript(spec.args) ?? '')![1]!
      for (const k of [...this.files.keys()]) if (k.startsWith(`${dir}\\`)) this.files.delete(k)
      return res(true, '')
    }
    if (spec.name === 'logs.expand-cbspersist') {
      const [, src, dest] = spec.args
      const rec = this.cabs.get(src!.toLowerCase())
      if (!rec) return res(false, `${BANNER}Can't open input file: ${src}.\r\n`)
      const { inner, text } = JSON.parse(rec) as { inner: string; text: string }
      this.files.set(`${dest}\\${inner}`, text)
      return res(
        true,
        `${BANNER}Adding ${dest}\\${inner} to Extraction Queue\r\n\r\nExpanding Files ....\r\nExpanding Files Complete ...\r\n1 files total.\r\n`,
      )
    }
    throw new Error(`not modelled: ${spec.name}`)
  }
  async openRead(path: string): Promise<Readable> {
    this.opened.push(path)
    const c = this.files.get(path)
    if (c === undefined) throw Object.assign(new Error(`File not found: ${path}`), { code: 'ENOENT' })
    return Readable.from([Buffer.from(c)])
  }
  async listDir(path: string): Promise<string[]> {
    const prefix = `${path.replace(/\\$/, '')}\\`
    return [
      ...new Set(
        [...this.files.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('\\')[0]!),
      ),
    ]
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path)
  }
  expanded(): string[] {
    return this.runs.filter((r) => r.name === 'logs.expand-cbspersist').map((r) => r.args[1]!.split('\\').pop()!)
  }
}

const healthy = () => x64HealthyCbs()
const failing0922 = () => loadFixture('cbs-log/0x800f0922-scheduled-task.log').text

describe('CbsPersist archives: which are read', () => {
  const cases: Array<[string, string[], string[]]> = [
    [
      'newest first',
      ['CbsPersist_20260101101010.cab', 'CbsPersist_20260310101500.cab', 'CbsPersist_20260201080000.cab'],
      ['CbsPersist_20260310101500.cab', 'CbsPersist_20260201080000.cab', 'CbsPersist_20260101101010.cab'],
    ],
    [
      'any case, logs and CBS.log are not archives',
      ['cbspersist_20260101101010.CAB', 'CbsPersist_20260201080000.log', 'CBS.log'],
      ['cbspersist_20260101101010.CAB'],
    ],
    [
      'path traversal',
      [
        '..\\CbsPersist_20260101101010.cab',
        'CbsPersist_20260101101010.cab\\..\\..\\x',
        '../CbsPersist_20260101101010.cab',
        'C:\\CbsPersist_20260101101010.cab',
      ],
      [],
    ],
    [
      'weird names',
      [
        'CbsPersist_ 20260101.cab',
        'CbsPersist_2026-01-01.cab',
        'CbsPersist_.cab',
        'CbsPersist_20260101.cab.exe',
        'CbsPersist_20260101.cab ',
        'CbsPersist_20260101.cab:stream',
        'CbsPersist_2026\u0000.cab',
        `CbsPersist_${'9'.repeat(40)}.cab`,
      ],
      [],
    ],
    [
      'a shorter stamp is older',
      ['CbsPersist_999.cab', 'CbsPersist_1000.cab'],
      ['CbsPersist_1000.cab', 'CbsPersist_999.cab'],
    ],
    [
      'at most the newest five',
      Array.from({ length: 8 }, (_, i) => `CbsPersist_2026010${i + 1}000000.cab`),
      [
        'CbsPersist_20260108000000.cab',
        'CbsPersist_20260107000000.cab',
        'CbsPersist_20260106000000.cab',
        'CbsPersist_20260105000000.cab',
        'CbsPersist_20260104000000.cab',
      ],
    ],
  ]
  it.each(cases)('%s', (_, names, want) => {
    expect(cbsPersistCabs(names).cabs).toEqual(want)
  })
  it('has six cases and a bound of five', () => {
    expect(cases).toHaveLength(6)
    expect(CBS_PERSIST_MAX_CABS).toBe(5)
    expect(cbsPersistCabs(cases[5]![1]).skipped).toBe(3)
  })

  const logCases: Array<[string, string[], string | null]> = [
    ['the log named like the archive', ['CbsPersist_1.log', 'other.log'], 'CbsPersist_1.log'],
    ['the only log', ['inner.log'], 'inner.log'],
    ['no log', ['readme.txt'], null],
    ['a traversal name is never read', ['..\\..\\Windows\\System32\\config\\SAM.log'], null],
    ['two other logs: none chosen', ['a.log', 'b.log'], null],
  ]
  it.each(logCases)('expanded log: %s', (_, listing, want) => {
    expect(expandedLogName('CbsPersist_1.cab', listing)).toBe(want)
  })
  it('has five expanded-log cases', () => expect(logCases).toHaveLength(5))
})

describe('readMachineLogs with CbsPersist archives', () => {
  it('expands the archives newest first through the Host, reads them in time order before CBS.log, and cleans up', async () => {
    const host = new CabHost(
      { [`${CBS_DIR}\\CBS.log`]: healthy() },
      {
        'CbsPersist_20260101101010.cab': loadFixture('cbs-log/0x80070002-symptoms.log').text,
        'CbsPersist_20260310101500.cab': healthy(),
        'CbsPersist_20260201080000.cab': healthy(),
      },
    )
    const { logs, notes } = await readMachineLogs(host)
    expect(host.expanded()).toEqual([
      'CbsPersist_20260310101500.cab',
      'CbsPersist_20260201080000.cab',
      'CbsPersist_20260101101010.cab',
    ])
    for (const r of host.runs.filter((x) => x.name === 'logs.expand-cbspersist')) {
      expect(r.file).toBe('expand.exe')
      expect(r.args[0]).toBe('-F:*')
      expect(r.args[2]!.startsWith(`${CBS_PERSIST_WORK_ROOT}\\`)).toBe(true)
    }
    expect(host.runs[0]!.name).toBe('logs.cbspersist-prepare')
    expect(host.runs.at(-1)!.name).toBe('logs.cbspersist-cleanup')
    expect(logs.cbs.map((l) => l.source.replace(`${CBS_DIR}\\`, ''))).toEqual([
      'CbsPersist_20260101101010.cab › CbsPersist_20260101101010.log',
      'CbsPersist_20260201080000.cab › CbsPersist_20260201080000.log',
      'CbsPersist_20260310101500.cab › CbsPersist_20260310101500.log',
      'CBS.log',
    ])
    expect([...host.files.keys()].some((k) => k.startsWith(CBS_PERSIST_WORK_ROOT))).toBe(false)
    expect(host.opened.some((p) => p.endsWith('.cab'))).toBe(false)
    expect(notes.filter((n) => /CbsPersist/.test(n))).toEqual([])
  })

  it('a failure only an older archive holds is diagnosed, and its evidence names the archive', async () => {
    const host = new CabHost(
      { [`${CBS_DIR}\\CBS.log`]: healthy() },
      {
        'CbsPersist_20260310101500.cab': healthy(),
        'CbsPersist_20260201080000.cab': failing0922(),
      },
    )
    const { logs } = await readMachineLogs(host)
    const out = diagnose({ snapshot: null, logs })
    const f = out.findings.find((x) => x.codes?.includes('0x800F0922') || JSON.stringify(x).includes('0x800F0922'))
    expect(f).toBeTruthy()
    const ev = f!.evidence.filter((e) => e.source.includes('CbsPersist_20260201080000.cab'))
    expect(ev.length).toBeGreaterThan(0)
    expect(ev[0]!.source).toBe(`${CBS_DIR}\\CbsPersist_20260201080000.cab › CbsPersist_20260201080000.log`)
    expect(ev[0]!.excerpt).toMatch(/^line \d+: /)
    // Without the archive there is no such failure.
    const without = await readMachineLogs(
      new CabHost({ [`${CBS_DIR}\\CBS.log`]: healthy() }, { 'CbsPersist_20260310101500.cab': healthy() }),
    )
    expect(JSON.stringify(diagnose({ snapshot: null, logs: without.logs }).findings)).not.toContain('0x800F0922')
  })

  it('a damaged archive is a note; the other archives and CBS.log are still read', async () => {
    const host = new CabHost(
      { [`${CBS_DIR}\\CBS.log`]: healthy(), [`${CBS_DIR}\\CbsPersist_20260310101500.cab`]: 'MSCF\u0000broken' },
      {
        'CbsPersist_20260201080000.cab': failing0922(),
      },
    )
    const { logs, notes } = await readMachineLogs(host)
    expect(host.expanded()).toEqual(['CbsPersist_20260310101500.cab', 'CbsPersist_20260201080000.cab'])
    expect(notes.join('\n')).toMatch(
      /Could not expand C:\\Windows\\Logs\\CBS\\CbsPersist_20260310101500\.cab \(expand\.exe exit 1: Can't open input file/,
    )
    expect(logs.cbs.map((l) => l.source.split('\\').pop())).toEqual([
      'CbsPersist_20260201080000.cab › CbsPersist_20260201080000.log',
      'CBS.log',
    ])
    expect(host.runs.at(-1)!.name).toBe('logs.cbspersist-cleanup')
  })

  it('an archive whose log has a hostile name is not read; hostile archive names are never expanded', async () => {
    const host = new CabHost(
      {
        [`${CBS_DIR}\\CBS.log`]: healthy(),
        [`${CBS_DIR}\\CbsPersist_ 1.cab`]: 'x',
        [`${CBS_DIR}\\CbsPersist_1.cab.exe`]: 'x',
      },
      {
        'CbsPersist_20260310101500.cab': { inner: '..\\..\\evil.log', text: failing0922() },
        'CbsPersist_20260201080000.cab': healthy(),
      },
    )
    const { logs, notes } = await readMachineLogs(host)
    expect(host.expanded()).toEqual(['CbsPersist_20260310101500.cab', 'CbsPersist_20260201080000.cab'])
    expect(host.opened.some((p) => p.includes('evil'))).toBe(false)
    expect(notes.join('\n')).toMatch(/Could not expand .*CbsPersist_20260310101500\.cab \(no log in it/)
    expect(logs.cbs).toHaveLength(2)
  })

  it('reads at most the newest N archives and at most the byte limit, and says so', async () => {
    const cabs = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`CbsPersist_2026010${i + 1}000000.cab`, healthy()]),
    )
    const host = new CabHost({}, cabs)
    const r = await readMachineLogs(host)
    expect(host.expanded()).toHaveLength(5)
    expect(host.expanded()[0]).toBe('CbsPersist_20260107000000.cab')
    expect(r.notes.join('\n')).toMatch(/2 older CbsPersist archive\(s\) .* only the 5 newest/)
    const small = new CabHost({}, cabs)
    const size = Buffer.byteLength(healthy())
    const r2 = await readMachineLogs(small, { maxCabs: 3, maxCabBytes: size + 10 })
    expect(small.expanded()).toEqual(['CbsPersist_20260107000000.cab', 'CbsPersist_20260106000000.cab'])
    expect(r2.logs.cbs).toHaveLength(2)
    expect(r2.notes.join('\n')).toMatch(
      /read only the first .* \(the limit for archives\)[\s\S]*1 older CbsPersist archive\(s\) not read: the \d+ KB limit/,
    )
  })

  it('a Host that cannot make the work folder: a note, and CBS.log is still read', async () => {
    const host = new CabHost({ [`${CBS_DIR}\\CBS.log`]: healthy() }, { 'CbsPersist_20260310101500.cab': failing0922() })
    const run = host.run.bind(host)
    host.run = async (spec) =>
      spec.name === 'logs.cbspersist-prepare'
        ? { ...(await run(spec)), ok: false, exitCode: 1, stderr: 'Access is denied.' }
        : run(spec)
    const { logs, notes } = await readMachineLogs(host)
    expect(notes.join('\n')).toMatch(/CbsPersist archives not read: could not create .*Access is denied/)
    expect(logs.cbs.map((l) => l.source)).toEqual([`${CBS_DIR}\\CBS.log`])
  })
})

describe('training machines model CbsPersist archives', () => {
  let store: TrainingStore
  beforeEach(() => {
    store = new TrainingStore(tempDirSync('sd-cbsp-'))
  })

  it('x64-component-store-corrupt has two archives that expand.exe expands in its output format; the work folder is gone after', async () => {
    const host = new TrainingHost('x64-component-store-corrupt', store)
    const names = await host.listDir(CBS_DIR)
    expect(cbsPersistCabs(names).cabs).toEqual(['CbsPersist_20241023193544.cab', 'CbsPersist_20241009083105.cab'])
    const { logs, notes } = await readMachineLogs(host)
    expect(notes).toEqual([])
    expect(logs.cbs.map((l) => l.source.replace(`${CBS_DIR}\\`, ''))).toEqual([
      'CbsPersist_20241009083105.cab › CbsPersist_20241009083105.log',
      'CbsPersist_20241023193544.cab › CbsPersist_20241023193544.log',
      'CBS.log',
    ])
    // Routine history: no errors in the archives; the machine's CBS.log story is unchanged.
    expect(logs.cbs[0]!.analysis.errors).toEqual([])
    expect(logs.cbs[1]!.analysis.errors).toEqual([])
    expect(logs.cbs[2]!.analysis.errors.some((e) => e.code === '0x80073712')).toBe(true)
    expect(
      Object.keys(store.load('x64-component-store-corrupt').files).filter((p) => p.startsWith(CBS_PERSIST_WORK_ROOT)),
    ).toEqual([])
    // Reading logs is read-only: the expanded archives never reach the machine's saved state (no state file at all).
    expect(store.changed('x64-component-store-corrupt')).toBe(false)
    expect((await host.listDir(CBS_PERSIST_WORK_ROOT)).length).toBe(0)
    const r = await host.run({
      name: 'logs.expand-cbspersist',
      file: 'expand.exe',
      args: ['-F:*', `${CBS_DIR}\\CbsPersist_20241009083105.cab`, 'C:\\t'],
      timeoutMs: 1000,
    })
    expect(r.stdout.split('\r\n')).toEqual([
      'Microsoft (R) File Expansion Utility',
      'Copyright (c) Microsoft Corporation. All rights reserved.',
      '',
      'Adding C:\\t\\CbsPersist_20241009083105.log to Extraction Queue',
      '',
      'Expanding Files ....',
      'Progress: 1 out of 1 files',
      'Expanding Files Complete ...',
      '1 files total.',
      '',
    ])
    expect(Object.keys(trainingLogs['x64-component-store-corrupt']!).filter((p) => p.endsWith('.cab'))).toHaveLength(2)
  })

  it('a damaged archive on the training machine: expand fails, a note, the rest is read', async () => {
    const s = store.load('x64-component-store-corrupt')
    s.files[`${CBS_DIR}\\CbsPersist_20241023193544.cab`] = 'MSCF damaged'
    store.save(s)
    const host = new TrainingHost('x64-component-store-corrupt', store)
    const { logs, notes } = await readMachineLogs(host)
    expect(notes.join('\n')).toMatch(
      /Could not expand C:\\Windows\\Logs\\CBS\\CbsPersist_20241023193544\.cab \(expand\.exe exit 1: Can't open input file/,
    )
    expect(logs.cbs).toHaveLength(2)
  })

  it('a machine without archives runs no expand', async () => {
    const host = new TrainingHost('arm64-missing-checkpoint', store)
    const runs: string[] = []
    const run = host.run.bind(host)
    host.run = (spec, o) => {
      runs.push(spec.name)
      return run(spec, o)
    }
    await readMachineLogs(host)
    expect(runs).toEqual([])
  })
})
