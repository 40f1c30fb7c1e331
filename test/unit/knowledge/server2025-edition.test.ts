/**
 * Build 26100 is Windows 11 24H2 or Windows Server 2025: the WinRE view and the diagnosis'
 * "is this KB installed now" must pass the edition (and UBR) on, or a Server 2025 PC is judged against
 * the Windows 11 client's WinRE target and the client's cumulative updates.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { assessWinre } from '../../../main/diagnose/winre-health.ts'
import { installedNow, recentFailures } from '../../../main/diagnose/facts.ts'
import type { MachineSnapshot, OsInfo } from '../../../preload/model/snapshot.ts'

let dir: string
let base: MachineSnapshot
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sd-srv2025-'))
  base = await scanMachine(new TrainingHost('x64-winre-partition-full', new TrainingStore(dir)), { probes: undefined })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The training machine's facts with the OS (and WinRE version) of another PC. */
function withOs(
  os: Partial<OsInfo>,
  winreVersion: string | null,
  extra: Partial<MachineSnapshot> = {},
): MachineSnapshot {
  const s = structuredClone(base)
  if (s.os.status !== 'known' || s.winre.status !== 'known')
    throw new Error('training machine without OS or WinRE facts')
  s.os.value = {
    ...s.os.value,
    ...os,
    version: os.build != null && os.ubr != null ? `10.0.${os.build}.${os.ubr}` : s.os.value.version,
  }
  s.winre.value = { ...s.winre.value, version: winreVersion }
  return { ...s, ...extra }
}

const SERVER_2025 = {
  productName: 'Windows Server 2025 Datacenter',
  edition: 'ServerDatacenter',
  displayVersion: '24H2',
  build: 26100,
  ubr: 32995,
}
const CLIENT_24H2 = {
  productName: 'Windows 10 Pro',
  edition: 'Professional',
  displayVersion: '24H2',
  build: 26100,
  ubr: 8655,
}

describe('the WinRE view passes the edition on', () => {
  const cases: Array<[string, Partial<OsInfo>, string, { branch: string; verdict: string }]> = [
    ['Server 2025 (edition and UBR)', SERVER_2025, '10.0.26100.1', { branch: 'server-2025', verdict: 'stale' }],
    // Server 2025 shared the client's UBRs in 2025 (26100.6584 = KB5065426): the edition alone decides.
    [
      'Server 2025 on a 2025 UBR (edition only)',
      { ...SERVER_2025, ubr: 6584 },
      '10.0.26100.1',
      { branch: 'server-2025', verdict: 'stale' },
    ],
    [
      'Server 2025, edition unknown, UBR 32995',
      { ...SERVER_2025, productName: null, edition: null },
      '10.0.26100.1',
      { branch: 'server-2025', verdict: 'stale' },
    ],
    ['Windows 11 24H2 client, old WinRE', CLIENT_24H2, '10.0.26100.1', { branch: 'win11-24h2', verdict: 'stale' }],
    [
      'Windows 11 24H2 client, current WinRE',
      CLIENT_24H2,
      '10.0.26100.8455',
      { branch: 'win11-24h2', verdict: 'current' },
    ],
  ]
  it(`judges ${cases.length} PCs against their own branch`, () => {
    let ran = 0
    for (const [name, os, winre, want] of cases) {
      const h = assessWinre(withOs(os, winre))
      expect(h.expected, name).toMatchObject(want)
      if (want.branch === 'server-2025') {
        // Server 2025's own Safe OS update (KB5071844, WinRE 10.0.26100.7297), never the client 24H2 target.
        expect(h.expected.kb, name).toBe('KB5071844')
        expect(h.expected.reason, name).toMatch(/10\.0\.26100\.7297/)
      }
      ran++
    }
    expect(ran).toBe(5)
  })
})

describe('"installed now" passes the edition on', () => {
  const failedClientLcu = {
    title: '2026-06 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5094126)',
    kb: 'KB5094126',
    date: '2026-06-10T09:00:00Z',
    operation: 'install' as const,
    result: 'failed' as const,
    hresult: '0x800F0922',
  }
  const history = (s: MachineSnapshot) => ({
    status: 'known' as const,
    value: [failedClientLcu],
    evidence: s.history.evidence,
  })
  const noPackages = { status: 'unknown' as const, error: 'not read in this test', evidence: [] }

  it('a Server 2025 PC at 26100.32995 has not installed the client LCU KB5094126 (26100.8655), so its failure stands', () => {
    const s = withOs(SERVER_2025, null)
    const srv = { ...s, packages: noPackages, history: history(s) } as unknown as MachineSnapshot
    expect(installedNow(srv, 'KB5094126')).toBe(false)
    expect(recentFailures(srv).map((h) => h.kb)).toEqual(['KB5094126'])
  })
  it('a Windows 11 24H2 client at 26100.8655 has it (its UBR is at the update’s), so the old failure is history', () => {
    const s = withOs(CLIENT_24H2, null)
    const client = { ...s, packages: noPackages, history: history(s) } as unknown as MachineSnapshot
    expect(installedNow(client, 'KB5094126')).toBe(true)
    expect(recentFailures(client)).toEqual([])
  })
  it('a Server 2025 PC at or past a Server 2025 update has it (KB5099536, 26100.33158)', () => {
    const s = withOs({ ...SERVER_2025, ubr: 33451 }, null)
    expect(installedNow({ ...s, packages: noPackages } as unknown as MachineSnapshot, 'KB5099536')).toBe(true)
    expect(
      installedNow(
        { ...withOs({ ...SERVER_2025, ubr: 32860 }, null), packages: noPackages } as unknown as MachineSnapshot,
        'KB5099536',
      ),
    ).toBe(false)
  })
})
