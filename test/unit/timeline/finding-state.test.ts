/**
 * One state per finding, from the PC's timeline: current | past | unknown, and the offered repair of
 * a finding only when the app offers it now. Hand-made facts, in process.
 */
import { describe, it, expect } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { buildTimeline, isoOf } from '../../../main/timeline/timeline.ts'
import { assignStates, newestEvidenceTime } from '../../../main/timeline/finding-state.ts'
import { settleRepairs } from '../../../main/repair/verdict.ts'
import type { AppRun } from '../../../preload/model/timeline.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import { snap, fact, os, packages, pkg, failed } from '../diagnose/rule-fixtures.ts'

const noReboot = fact({
  pending: false,
  sources: [
    {
      id: 'cbs-reboot-pending',
      label: 'Component Based Servicing: RebootPending',
      pending: false,
      detail: 'does not exist',
    },
  ],
})
const reboot = fact({
  pending: true,
  sources: [
    { id: 'cbs-reboot-pending', label: 'Component Based Servicing: RebootPending', pending: true, detail: 'exists' },
  ],
})
const pendingFailure = failed('KB5095011', '0x800F0806', {
  date: '2026-06-10T08:20:44.000Z',
  title: '2026-06 .NET Framework update (KB5095011)',
})
const run = (over: Partial<AppRun>): AppRun => ({
  kind: 'repair',
  id: 'r1',
  repairId: 'restart',
  kbs: [],
  status: 'completed',
  verified: true,
  at: '2026-11-23T10:00:00.000Z',
  detail: 'Restart completed, verified',
  ...over,
})

function pendingRestart(lastBootAt: string | null, rebootFact = noReboot, runs: AppRun[] = []) {
  const snapshot = snap({
    os: fact(os({ lastBootAt })),
    reboot: rebootFact,
    history: fact([pendingFailure]),
    packages: packages([pkg()]),
  })
  return diagnose({ snapshot, runs }).findings.find((f) => f.id === 'pending-restart')!
}

describe('finding states', () => {
  it('a CBS_E_PENDING failure older than the last boot is past, resolved by that restart, and offers nothing', () => {
    const f = pendingRestart('2026-11-23T09:00:00.000Z')
    expect(f).toMatchObject({
      state: 'past',
      since: '2026-06-10T08:20:44.000Z',
      repair: null,
      resolvedBy: 'a restart on 2026-11-23 09:00 UTC',
    })
    expect(f.remedies.every((r) => r.repair === null)).toBe(true)
  })
  it('the same failure after the last boot is current; with the last boot unknown it is unknown', () => {
    expect(pendingRestart('2026-06-01T00:00:00.000Z').state).toBe('current')
    expect(pendingRestart(null).state).toBe('unknown')
  })
  it('a restart still pending now is current, whatever the dates', () => {
    expect(pendingRestart('2026-11-23T09:00:00.000Z', reboot)).toMatchObject({ state: 'current', repair: 'restart' })
  })
  it("a verified run of the finding's repair after its evidence makes it past; an unverified or older one does not", () => {
    const f: Finding = {
      id: 'wu-components',
      title: 'WU data damaged',
      technical: '',
      severity: 'error',
      confidence: 0.8,
      causes: [],
      remedies: [],
      codes: ['0x80092003'],
      repair: 'reset-wu-components',
      evidence: [
        { source: 'Windows Update history', excerpt: '2026-06-11T02:47:13.000Z  failed  0x80092003  x (KB5094126)' },
      ],
    }
    const s = snap({ os: fact(os({ lastBootAt: '2026-06-01T00:00:00.000Z' })) })
    const state = (runs: AppRun[]) => assignStates([f], buildTimeline({ snapshot: s, runs }), s)[0]!
    expect(state([run({ repairId: 'reset-wu-components', detail: 'Reset completed, verified' })])).toMatchObject({
      state: 'past',
      resolvedBy: 'the verified repair "Reset completed, verified" on 2026-11-23 10:00 UTC',
    })
    expect(state([run({ repairId: 'reset-wu-components', verified: false })]).state).toBe('current')
    expect(state([run({ repairId: 'reset-wu-components', at: '2026-06-01T00:00:00.000Z' })]).state).toBe('current')
    expect(state([run({ repairId: 'restart' })]).state).toBe('current')
  })
  it('a later successful install of the same update makes a failure past', () => {
    const f: Finding = {
      id: 'known-code',
      title: 'Install failed',
      technical: '',
      severity: 'error',
      confidence: 0.6,
      causes: [],
      remedies: [],
      codes: ['0x80070005'],
      repair: null,
      evidence: [
        { source: 'Windows Update history', excerpt: '2026-06-11T02:47:13.000Z  failed  0x80070005  x (KB5094126)' },
      ],
    }
    const history = [
      failed('KB5094126', '0x80070005', { date: '2026-06-11T02:47:13.000Z' }),
      { ...failed('KB5094126', null, { date: '2026-06-12T02:47:13.000Z' }), result: 'succeeded' as const },
    ]
    const s = snap({ os: fact(os({ lastBootAt: '2026-06-01T00:00:00.000Z' })), history: fact(history) })
    expect(assignStates([f], buildTimeline({ snapshot: s }), s)[0]).toMatchObject({
      state: 'past',
      resolvedBy: 'a later successful install of KB5094126 on 2026-06-12 02:47 UTC',
    })
    const before = snap({
      os: fact(os({ lastBootAt: '2026-06-01T00:00:00.000Z' })),
      history: fact(history.slice(0, 1)),
    })
    expect(assignStates([f], buildTimeline({ snapshot: before }), before)[0]!.state).toBe('current')
  })
  it('a verified WinRE repair resolves the failures of a WinRE update (KB5034441) on the partition it resized, nothing else', () => {
    const f: Finding = {
      id: 'known-issue',
      title: 'KB5034441 is not needed',
      technical: '',
      severity: 'warning',
      confidence: 0.97,
      causes: [],
      remedies: [],
      codes: ['0x80070643'],
      repair: null,
      evidence: [
        { source: 'Windows Update history', excerpt: '2024-01-10T00:00:00.000Z  failed  0x80070643  (KB5034441)' },
      ],
    }
    const other: Finding = {
      ...f,
      id: 'known-code',
      evidence: [
        { source: 'Windows Update history', excerpt: '2024-01-10T00:00:00.000Z  failed  0x80070643  (KB5094126)' },
      ],
    }
    const history = [failed('KB5034441', '0x80070643', { date: '2024-01-10T00:00:00.000Z' })]
    const s = snap({ os: fact(os({ lastBootAt: '2024-01-01T00:00:00.000Z' })), history: fact(history) })
    const t = buildTimeline({
      snapshot: s,
      runs: [run({ kind: 'winre-repair', repairId: 'winre-repair', detail: 'Repair WinRE completed, verified' })],
    })
    expect(assignStates([f], t, s)[0]).toMatchObject({
      state: 'past',
      resolvedBy: 'the verified repair "Repair WinRE completed, verified" on 2026-11-23 10:00 UTC',
    })
    const s2 = snap({
      os: fact(os({ lastBootAt: '2024-01-01T00:00:00.000Z' })),
      history: fact([failed('KB5094126', '0x80070643', { date: '2024-01-10T00:00:00.000Z' })]),
    })
    expect(
      assignStates(
        [other],
        buildTimeline({ snapshot: s2, runs: [run({ kind: 'winre-repair', repairId: 'winre-repair' })] }),
        s2,
      )[0]!.state,
    ).toBe('current')
  })
  it('a finding that rests on live facts only (no time in its evidence) is current', () => {
    const f: Finding = {
      id: 'winre-disabled',
      title: 'WinRE off',
      technical: '',
      severity: 'error',
      confidence: 0.9,
      causes: [],
      remedies: [],
      codes: [],
      repair: 'winre-enable',
      evidence: [{ source: 'reagentc /info', excerpt: 'Windows RE status: Disabled' }],
    }
    const s = snap({ os: fact(os({ lastBootAt: '2026-11-23T09:00:00.000Z' })) })
    expect(newestEvidenceTime(f)).toBe(null)
    expect(
      assignStates(
        [f],
        buildTimeline({ snapshot: s, runs: [run({ kind: 'winre-repair', repairId: 'winre-repair' })] }),
        s,
      )[0]!.state,
    ).toBe('current')
  })
  it('reads log and history times as ISO 8601, and nothing else', () => {
    expect(isoOf('line 312: 2026-06-10 08:24:54, Error CBS Failed')).toBe('2026-06-10T08:24:54.000Z')
    expect(isoOf('2026-06-10T08:20:44.000Z  failed')).toBe('2026-06-10T08:20:44.000Z')
    expect(isoOf('Windows RE status: Disabled')).toBe(null)
  })
})

describe('the verdict keeps only the repairs the app offers', () => {
  it('a Fix-it repair its definition does not offer now leaves the finding (no button that opens "does not apply")', () => {
    const s = snap({ reboot: noReboot, packages: packages([pkg()]) })
    const f: Finding = {
      id: 'pending-restart',
      title: 'x',
      technical: '',
      severity: 'error',
      confidence: 0.7,
      causes: [],
      remedies: [
        { id: 'R1', title: 'Restart', text: '', commands: [], repair: 'restart', sources: [], verified: true },
      ],
      codes: [],
      repair: 'restart',
      evidence: [],
      state: 'current',
    }
    expect(settleRepairs([f], s)[0]).toMatchObject({ repair: null, remedies: [{ repair: null }] })
    const pending = snap({ reboot, packages: packages([pkg()]) })
    expect(settleRepairs([f], pending)[0]!.repair).toBe('restart')
    // WinRE and install repairs run elsewhere: kept.
    expect(settleRepairs([{ ...f, repair: 'winre-enable' }], s)[0]!.repair).toBe('winre-enable')
  })
})
