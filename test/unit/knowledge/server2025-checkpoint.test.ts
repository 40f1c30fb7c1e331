/**
 * Build 26100 is Windows 11 24H2 or Windows Server 2025: the checkpoint judgement (the
 * packages fact, the missing-checkpoint rule) and the planner's branch must pass the edition on, or a
 * Server 2025 PC is judged against the client's checkpoint KB5043080 and planned the client's LCUs.
 * The snapshot is the training machine arm64-missing-checkpoint as scanned (Windows 11 Pro 26100.1150,
 * KB5086672 failed with 0x800F0922); each case changes its OS facts and, where the UBR moves, the version
 * of its RollupFix package to match.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { summarizePackages, judgePackagesWithOs } from '../../../main/machine/probes/packages.ts'
import { missingCheckpointRule } from '../../../main/diagnose/rules/checkpoint.ts'
import { emptyLogs, type RuleInput } from '../../../main/diagnose/rule.ts'
import { planInstallation } from '../../../main/install/planner.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { machineContext } from '../../../main/knowledge/servicing-chains.ts'
import type { Probe } from '../../../main/machine/probe.ts'
import type { Host } from '../../../main/host/host.ts'
import type { MachineSnapshot, OsInfo } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { join } from 'node:path'

let base: MachineSnapshot
let dir: string
beforeAll(async () => {
  dir = tempDirSync('sd-srv2025-cp-')
  base = await createServices({ dataDir: dir, platform: 'linux' }).scan({
    kind: 'training',
    name: 'arm64-missing-checkpoint',
  })
})

const SERVER = { productName: 'Windows Server 2025 Datacenter', edition: 'ServerDatacenter', displayVersion: '24H2' }
const SERVER_STD = { productName: 'Windows Server 2025 Standard', edition: 'ServerStandard', displayVersion: '24H2' }
const CLIENT = { productName: 'Windows 11 Pro', edition: 'Professional', displayVersion: '24H2' }
const NO_EDITION = { productName: null, edition: null, displayVersion: '24H2' }

/**
 * The training machine with another PC's OS facts at 26100.<ubr>; its RollupFix package moved to that UBR.
 * `rejudge` false keeps the packages fact as the probe alone judged it (no edition), as a snapshot saved
 * before the fix or by another tool would carry it.
 */
function pc(os: Partial<OsInfo>, ubr: number, rejudge = true): MachineSnapshot {
  const s = structuredClone(base)
  if (s.os.status !== 'known' || s.packages.status !== 'known')
    throw new Error('training machine without OS or packages facts')
  s.os.value = { ...s.os.value, ...os, build: 26100, ubr, version: `10.0.26100.${ubr}` }
  const packages = s.packages.value.packages.map((p) =>
    /^Package_for_RollupFix~/.test(p.identity)
      ? { ...p, identity: p.identity.replace(/26100\.\d+\.1\.10$/, `26100.${ubr}.1.10`), version: `26100.${ubr}.1.10` }
      : p,
  )
  s.packages.value = summarizePackages(packages)
  if (rejudge) s.packages = judgePackagesWithOs(s.packages, s.os)
  return s
}
const checkpointOf = (s: MachineSnapshot) => {
  if (s.packages.status !== 'known') throw new Error('no packages fact')
  return s.packages.value.checkpoint
}
const rule = (s: MachineSnapshot) =>
  missingCheckpointRule.evaluate({ snapshot: s, logs: emptyLogs(), code: null, text: null } as RuleInput)

describe('the packages fact judges the checkpoint with the edition', () => {
  // [name, os, ubr, checkpoint expected]
  const cases: Array<[string, Partial<OsInfo>, number, { kb: string | null; present: boolean | null }]> = [
    [
      'Server 2025 Datacenter on a 2025-era UBR (26100.6584, shared with the client)',
      SERVER,
      6584,
      { kb: null, present: null },
    ],
    ['Server 2025 Standard below the client checkpoint (26100.1150)', SERVER_STD, 1150, { kb: null, present: null }],
    ['Server 2025 Datacenter at 26100.32995', SERVER, 32995, { kb: null, present: null }],
    ['Server 2025 at 26100.33158, edition unknown (the UBR decides)', NO_EDITION, 33158, { kb: null, present: null }],
    ['Windows 11 24H2 client below the checkpoint', CLIENT, 1150, { kb: 'KB5043080', present: false }],
    ['Windows 11 24H2 client past the checkpoint', CLIENT, 6584, { kb: 'KB5043080', present: true }],
  ]
  it(`judges ${cases.length} PCs against their own branch`, () => {
    let ran = 0
    for (const [name, os, ubr, want] of cases) {
      const cp = checkpointOf(pc(os, ubr))
      expect(cp, name).toMatchObject(want)
      if (want.kb === null) expect(cp.reason, name).toMatch(/Windows Server 2025/)
      ran++
    }
    expect(ran).toBe(6)
  })

  it('a scan joins the OS facts to the packages fact (the probes run apart)', async () => {
    const fact = <K extends 'os' | 'packages'>(id: K, value: unknown): Probe =>
      ({ id, timeoutMs: 5_000, run: async () => ({ value, evidence: [] }) }) as unknown as Probe
    const host = { info: () => ({ kind: 'training', name: 't', title: 't' }) } as unknown as Host
    const scan = async (os: Partial<OsInfo>, ubr: number) => {
      const s = pc(os, ubr, false)
      if (s.os.status !== 'known' || s.packages.status !== 'known') throw new Error('unreachable')
      return scanMachine(host, { probes: [fact('os', s.os.value), fact('packages', s.packages.value)] })
    }
    expect(checkpointOf(await scan(SERVER, 6584))).toMatchObject({ kb: null, present: null })
    expect(checkpointOf(await scan(CLIENT, 6584))).toMatchObject({ kb: 'KB5043080', present: true })
  })
})

describe('the missing-checkpoint rule', () => {
  it('a Server 2025 PC below 26100.1742 with a failed client LCU is not told to install KB5043080', () => {
    expect(rule(pc(SERVER_STD, 1150))).toEqual([])
  })
  it('nor when its packages fact was judged without the edition (an older snapshot)', () => {
    const s = pc(SERVER_STD, 1150, false)
    expect(checkpointOf(s)).toMatchObject({ kb: 'KB5043080', present: false }) // what the probe alone says
    expect(rule(s)).toEqual([])
  })
  it('a Windows 11 24H2 client there still is (both ways the fact was judged)', () => {
    for (const rejudge of [true, false]) {
      const [f, ...rest] = rule(pc(CLIENT, 1150, rejudge))
      expect(rest).toEqual([])
      expect(f).toMatchObject({ id: 'missing-checkpoint', severity: 'critical', repair: 'install-checkpoint' })
      expect(f!.causes[0]).toContain('of Windows 11 24H2')
    }
  })
})

describe('the planner takes the branch from the edition', () => {
  const plan = (s: MachineSnapshot, targets = ['KB5086672']) =>
    planInstallation({
      id: 'srv2025',
      createdAt: '2026-11-21T08:00:00Z',
      targets,
      snapshot: s,
      machineRef: null,
      packages: targets.flatMap((kb) => writeTrainingKit(join(dir, 'kit', kb), kb, 'arm64')),
      method: 'folder',
      scope: { kind: 'online' },
      elevated: true,
    })

  it('a Server 2025 PC (2025-era UBR and below the checkpoint) is not planned the client LCU KB5086672 nor its checkpoint', () => {
    let ran = 0
    for (const [os, ubr] of [
      [SERVER, 6584],
      [SERVER_STD, 1150],
      [SERVER, 32995],
    ] as const) {
      const p = plan(pc(os, ubr))
      expect(p.machine.branch, `${os.edition} ${ubr}`).toBe('server-2025')
      expect(p.refused, `${os.edition} ${ubr}`).toMatch(
        /^KB5086672 is for Windows 11 24H2, Windows 11 25H2; this PC runs Windows Server 2025/,
      )
      expect(p.steps).toEqual([])
      expect(p.preflight.find((c) => c.id === 'branch')?.status).toBe('fail')
      ran++
    }
    expect(ran).toBe(3)
  })

  it('a Windows 11 24H2 client still gets the checkpoint, then the LCU', () => {
    const p = plan(pc(CLIENT, 1150))
    expect(p.machine.branch).toBe('win11-24h2')
    expect(p.refused).toBeNull()
    expect(p.packages.map((x) => [x.kb, x.role])).toEqual([
      ['KB5043080', 'checkpoint'],
      ['KB5086672', 'target'],
    ])
  })

  it('a Windows 11 client offered a Server 2025 update is refused in words: the branch by its product name, never its id', () => {
    const p = planInstallation({
      id: 'client-srv-kb',
      createdAt: '2026-11-21T08:00:00Z',
      targets: ['KB5099536'],
      snapshot: pc(CLIENT, 1150),
      machineRef: null,
      packages: [
        {
          kb: 'KB5099536',
          arch: 'arm64',
          fileName: 'windows11.0-kb5099536-arm64.msu',
          path: join(dir, 'kit', 'x', 'windows11.0-kb5099536-arm64.msu'),
          sha1: null,
          sha256: null,
          size: 1,
          title: null,
        },
      ] as never,
      method: 'folder',
      scope: { kind: 'online' },
      elevated: true,
    })
    expect(p.refused).toMatch(/^KB5099536 is for Windows Server 2025 /)
    expect(p.refused).not.toMatch(/server-2025/)
  })

  it('one helper builds the context from the OS facts', () => {
    expect(machineContext(null)).toBeUndefined()
    expect(
      machineContext({ ubr: 6584, productName: 'Windows Server 2025 Standard', edition: 'ServerStandard' }),
    ).toEqual({ ubr: 6584, productName: 'Windows Server 2025 Standard', edition: 'ServerStandard' })
    expect(machineContext({ ubr: null, installationType: 'Server Core' })).toEqual({
      ubr: null,
      productName: null,
      edition: null,
      installationType: 'Server Core',
    })
  })
})
