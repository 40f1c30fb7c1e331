/**
 * The journal key (main/runner/journal-seal.ts) and the WinRE resize's check against the live disk.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync, statSync, chmodSync } from 'node:fs'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import {
  keyFile,
  journalKey,
  dpapiProtector,
  dpapiArgv,
  sealOf,
  sealProblem,
  WINDOWS_POWERSHELL,
  type KeyProtector,
} from '../../../main/runner/journal-seal.ts'
import { resizeLayoutProblem } from '../../../main/winre/repair-runner.ts'
import { readRunRecords } from '../../../main/report/journals.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

describe('the journal key', () => {
  it('is created whole with mode 0600 and read back the same; a key others can read is refused', () => {
    const home = tempDirSync('sd-key-')
    const k = journalKey(home)
    expect(k.length).toBe(32)
    expect(statSync(keyFile(home)).mode & 0o777).toBe(0o600)
    expect(journalKey(home).equals(k)).toBe(true)
    const other = tempDirSync('sd-key-other-')
    expect(journalKey(other).equals(k)).toBe(false)
    // A seal is this data folder's: the same journal sealed elsewhere, edited, or unsealed is refused.
    const j = { a: 1, b: [2, 3] }
    const seal = sealOf(k, 'repair', 'r1', j)
    expect(sealProblem(home, 'repair', 'r1', j, seal)).toBeNull()
    expect(sealProblem(home, 'repair', 'r1', { a: 1, b: [2, 3], c: null }, seal)).toMatch(
      /changed, or written elsewhere/,
    )
    expect(sealProblem(home, 'repair', 'r2', j, seal)).toMatch(/changed, or written elsewhere/)
    expect(sealProblem(home, 'install', 'r1', j, seal)).toMatch(/changed, or written elsewhere/)
    expect(sealProblem(other, 'repair', 'r1', j, seal)).toMatch(/changed, or written elsewhere/)
    expect(sealProblem(home, 'repair', 'r1', j, undefined)).toMatch(/no seal/)
    // A key file others can read proves nothing.
    const third = tempDirSync('sd-key-open-')
    journalKey(third)
    chmodSync(keyFile(third), 0o644)
    expect(sealProblem(third, 'repair', 'r1', j, seal)).toMatch(/can be read by other users/)
  })

  it('on Windows the key file holds DPAPI-protected bytes, through Windows PowerShell by full path and standard input', () => {
    const calls: Array<{ file: string; argv: string[]; input: string }> = []
    // A stand-in for DPAPI: reverses the bytes (what matters is that the file never holds the key as it is).
    const exec = (file: string, argv: string[], input: string) => {
      calls.push({ file, argv, input })
      return Buffer.from(input, 'base64').reverse().toString('base64')
    }
    const p: KeyProtector = dpapiProtector(exec)
    const home = tempDirSync('sd-key-dpapi-')
    const k = journalKey(home, p)
    const stored = JSON.parse(readFileSync(keyFile(home), 'utf8'))
    expect(stored.protector).toBe('dpapi')
    expect(Buffer.from(stored.key, 'base64').equals(k)).toBe(false)
    expect(Buffer.from(stored.key, 'base64').reverse().equals(k)).toBe(true)
    expect(calls[0].file).toBe(WINDOWS_POWERSHELL)
    expect(calls[0].argv).toEqual(dpapiArgv('Protect'))
    expect(calls[0].argv.join(' ')).toMatch(/\[Security\.Cryptography\.ProtectedData\]::Protect\(.*LocalMachine\)/)
    expect(calls.some((c) => c.argv.join(' ').includes(k.toString('base64')))).toBe(false)
  })
})

describe('the WinRE resize against the live disk', () => {
  it('the planned numbers pass; the OS and recovery partitions swapped fail on the planned layout; a layout edited to agree fails on the live disk', async () => {
    const home = tempDirSync('sd-resize-')
    const svc = createServices({ dataDir: home, platform: 'linux' })
    const ref: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
    const { repair } = await svc.winre.report(ref)
    const snapshot = await svc.scan(ref)
    const script = repair.steps.find((s) => s.op === 'write-diskpart-script')!
    const { osPartition: os, recoveryPartition: rec, disk } = script.resize!
    expect(resizeLayoutProblem(repair, snapshot)).toBeNull()
    const swapped = {
      ...repair,
      steps: repair.steps.map((s) =>
        s === script ? { ...s, resize: { ...s.resize!, osPartition: rec, recoveryPartition: os } } : s,
      ),
    }
    expect(resizeLayoutProblem(swapped, snapshot)).toBe(
      `the resize names partition ${rec} as Windows and ${os} as recovery, which is not the layout the repair was planned on`,
    )
    const swap = (role: string) =>
      role === 'os' ? ('recovery' as const) : role === 'recovery' ? ('os' as const) : role
    const edited = {
      ...swapped,
      layoutBefore: {
        ...repair.layoutBefore!,
        partitions: repair.layoutBefore!.partitions.map((p) => ({ ...p, role: swap(p.role) })),
      },
    } as typeof repair
    expect(resizeLayoutProblem(edited, snapshot)).toBe(
      `partition ${rec} of disk ${disk} is a recovery partition now, not Windows`,
    )
    expect(
      resizeLayoutProblem({ ...repair, layoutBefore: { ...repair.layoutBefore!, number: disk + 1 } }, snapshot),
    ).toMatch(/not the disk the repair was planned on/)
    expect(resizeLayoutProblem(repair, null)).toMatch(/cannot be read now/)
  })
})

describe("the report and journals that are not the app's", () => {
  it('a planted repair journal is listed as a run (never dropped), whatever it is', () => {
    const home = tempDirSync('sd-planted-report-')
    const ref: MachineRef = { kind: 'training', name: 'x64-pending-restart' }
    mkdirSync(join(home, 'repairs'), { recursive: true })
    const at = '2026-11-23T10:00:00.000Z'
    writeFileSync(
      join(home, 'repairs', 'planted.json'),
      JSON.stringify({
        schemaVersion: 1,
        runId: 'planted',
        repairId: 'restart',
        machine: ref,
        plan: { repairId: 'restart', title: 'Restart', steps: [] },
        status: 'running',
        entries: [],
        verification: null,
        createdAt: at,
        updatedAt: at,
      }),
    )
    expect(readRunRecords(home, ref, 'PC').runs.map((r) => `${r.id}:${r.outcome}:${r.sealed}`)).toEqual([
      'planted:interrupted:false',
    ])
  })
})
