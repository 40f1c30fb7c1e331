/**
 * The Windows Update reset's rename step (main/repair/step-kinds.ts `wu-folder-rename`), its own script run in real
 * PowerShell on real folders: Microsoft's "Reset Windows Update components manually" step 4.1 renames
 * %SystemRoot%\SoftwareDistribution\DataStore, \SoftwareDistribution\Download and \System32\catroot2 — never the whole
 * SoftwareDistribution (its ReportingEvents.log stays). A folder already under the kept name is never overwritten, and
 * a rename that fails starts the stopped services again (the script's try/finally). Linux has no services and no
 * sharing violations: Start-Service is a recorder here, and the in-use failure is Rename-Item throwing Windows' own
 * message (the only stand-in; Test-Path, Join-Path and the renames themselves are PowerShell's, on the disk).
 */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { commandOf, WU_FOLDER } from '../../../main/repair/step-kinds.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { tempDirSync } from '../temp-dirs.ts'

const ps = requirePowerShell()
const env = {
  hostKind: 'windows',
  dataDir: 'C:\\ProgramData\\ServicingDesk',
  resumeCommand: null,
  pcArg: null,
  stateDir: 'C:\\ProgramData\\ServicingDesk',
} as never
const STAMP = '20261125-101500'
const RESTART = ['cryptsvc', 'bits', 'wuauserv']

function stepScript(folder: string): string {
  const spec = commandOf(
    {
      id: 'r',
      title: '',
      explanation: '',
      kind: 'wu-folder-rename',
      params: { folder, stamp: STAMP, restart: RESTART },
      gate: 'always',
      mayFail: false,
      destructive: true,
    } as never,
    env,
  )!
  return decodePowerShellScript(spec.args)!
}

/** A SystemRoot with SoftwareDistribution (DataStore, Download, ReportingEvents.log) and System32\catroot2. */
function systemRoot(): string {
  const root = tempDirSync('sd-wureset-ps-')
  for (const d of ['SoftwareDistribution/DataStore', 'SoftwareDistribution/Download', 'System32/catroot2']) {
    mkdirSync(join(root, d), { recursive: true })
    writeFileSync(join(root, d, 'marker.txt'), d)
  }
  writeFileSync(join(root, 'SoftwareDistribution', 'ReportingEvents.log'), 'log')
  return root
}

/** Runs one rename step's script; `inUse`: Rename-Item fails as Windows does for a folder a service holds open. */
function run(
  root: string,
  folder: string,
  inUse = false,
): { code: number; out: Record<string, unknown>; started: string[] } {
  const dir = tempDirSync('sd-wureset-run-')
  const log = join(dir, 'started.txt')
  const stubs = [
    `function Start-Service { param([string]$Name, $ErrorAction) Add-Content -LiteralPath '${log}' -Value $Name }`,
    ...(inUse
      ? [
          "function Rename-Item { throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.') }",
        ]
      : []),
  ]
  // Linux separators: the script joins with Join-Path, which takes either.
  const file = join(dir, 'step.ps1')
  writeFileSync(file, [...stubs, stepScript(folder).replace(/\\/g, '/')].join('\n'))
  let code = 0
  let stdout = ''
  try {
    stdout = execFileSync(ps!.file, [...ps!.prefix, '-NoProfile', '-NonInteractive', '-File', file], {
      env: { ...process.env, ...ps!.env, SystemRoot: root },
      encoding: 'utf8',
    })
  } catch (err) {
    const e = err as { status: number; stdout: string }
    code = e.status
    stdout = e.stdout
  }
  const json = stdout.split(/\r?\n/).find((l) => l.startsWith('{'))
  return {
    code,
    out: JSON.parse(json ?? '{}'),
    started: existsSync(log) ? readFileSync(log, 'utf8').split(/\r?\n/).filter(Boolean) : [],
  }
}

describe.skipIf(!ps)('the Windows Update reset renames what Microsoft renames, in real PowerShell', () => {
  it('renames DataStore, Download and catroot2 to <name>.sd-<stamp>; SoftwareDistribution itself and its ReportingEvents.log stay', () => {
    expect(WU_FOLDER.options).toEqual(['DataStore', 'Download', 'catroot2'])
    const root = systemRoot()
    for (const f of WU_FOLDER.options) {
      const r = run(root, f)
      expect(r.code, JSON.stringify(r.out)).toBe(0)
      expect(r.out.Renamed).toBe(true)
      expect(r.started, 'a rename that worked leaves the start to the next step').toEqual([])
    }
    expect(readdirSync(join(root, 'SoftwareDistribution')).sort()).toEqual([
      `DataStore.sd-${STAMP}`,
      `Download.sd-${STAMP}`,
      'ReportingEvents.log',
    ])
    expect(readdirSync(join(root, 'System32'))).toEqual([`catroot2.sd-${STAMP}`])
    expect(readFileSync(join(root, 'SoftwareDistribution', `DataStore.sd-${STAMP}`, 'marker.txt'), 'utf8')).toBe(
      'SoftwareDistribution/DataStore',
    )
    // Run again (a resume): renamed already, nothing changes.
    const again = run(root, 'DataStore')
    expect([again.code, again.out.Note]).toEqual([0, 'Renamed already.'])
  })

  it('a folder already under the kept name is never overwritten: the step fails, both stay as they were, and the services start again', () => {
    const root = systemRoot()
    mkdirSync(join(root, 'SoftwareDistribution', `Download.sd-${STAMP}`))
    writeFileSync(join(root, 'SoftwareDistribution', `Download.sd-${STAMP}`, 'kept-before.txt'), 'earlier')
    const r = run(root, 'Download')
    expect(r.code).toBe(1)
    expect(r.out.Renamed).toBe(false)
    expect(String(r.out.Note)).toMatch(/^Both folders exist.*nothing was overwritten/)
    expect(readdirSync(join(root, 'SoftwareDistribution', `Download.sd-${STAMP}`))).toEqual(['kept-before.txt'])
    expect(readdirSync(join(root, 'SoftwareDistribution', 'Download'))).toEqual(['marker.txt'])
    expect(r.started).toEqual(RESTART)
    expect(r.out.Restarted).toEqual(RESTART)
  })

  it('a rename that fails (the folder in use) starts the services again before the step ends (try/finally)', () => {
    const root = systemRoot()
    const r = run(root, 'catroot2', true)
    expect(r.code).toBe(1)
    expect(r.out.Note).toBe('The process cannot access the file because it is being used by another process.')
    expect(r.started).toEqual(RESTART)
    expect(existsSync(join(root, 'System32', 'catroot2', 'marker.txt'))).toBe(true)
  })
})
