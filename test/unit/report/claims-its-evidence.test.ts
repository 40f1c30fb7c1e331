/**
 * A verdict claims only what its evidence shows: "all checks pass", "no problem found" and a green
 * latest-update tile only when no current finding and no offered install remain. The case of the issue:
 * x64-component-store-corrupt after restore-health, whose store is repaired (history) while KB5046633 (failed
 * 0x80073712) is still offered as a Note; and a last failed install whose cause is in another tile.
 */
import { describe, it, expect } from 'vitest'
import {
  assessHealth,
  englishHealthWords,
  noProblemWords,
  offeredInstalls,
  type HealthFinding,
} from '../../../preload/model/health.ts'
import { verificationOf } from '../../../main/report/verification.ts'
import { snap, fact, packages, pkg, failed } from '../diagnose/rule-fixtures.ts'

const lastFailed = snap({
  packages: packages([pkg()]),
  history: fact([
    failed('KB5046633', '0x80073712', { date: '2024-11-13T10:00:00Z', title: '2024-11 Cumulative Update (KB5046633)' }),
  ]),
})
const lastOk = snap({
  packages: packages([pkg()]),
  history: fact([
    failed('KB5046633', null, {
      date: '2024-11-13T10:00:00Z',
      result: 'succeeded',
      title: '2024-11 Cumulative Update (KB5046633)',
    }),
  ]),
})

const repaired: HealthFinding[] = [
  {
    id: 'component-store-repaired',
    title: 'The component store was repaired; install KB5046633 again',
    severity: 'info',
    state: 'current',
    repair: 'install-update',
    kbs: ['KB5046633'],
  },
  {
    id: 'component-store-corruption',
    title: "Windows' component store is damaged; repair it before installing updates",
    severity: 'error',
    state: 'past',
    resolvedBy: 'the verified repair',
    repair: null,
    kbs: ['KB5046633'],
  },
]

const tile = (s: typeof lastFailed, fs: HealthFinding[]) =>
  assessHealth(s, englishHealthWords, fs, { verdict: true }).find((c) => c.id === 'failures')!

describe('a verdict claims only what its evidence shows', () => {
  it('an install still offered: the latest-update tile is not OK and says what is to install', () => {
    const t = tile(lastFailed, repaired)
    expect(t.level).not.toBe('ok')
    expect(t.headline).toBe('KB5046633 is not installed yet')
    expect(t.detail).toContain('install KB5046633 again')
  })
  it('a failed last install whose cause is in another tile is never a green tile', () => {
    const t = tile(lastFailed, [
      { id: 'wu-components', title: 'Windows Update data is damaged', severity: 'error', state: 'current' },
    ])
    expect(t.level).toBe('warn')
    expect(t.value).toBe('last install failed')
  })
  it('a succeeded last install with nothing offered stays OK', () => {
    expect(tile(lastOk, []).level).toBe('ok')
    expect(tile(lastOk, [repaired[1]!]).level).toBe('ok')
  })
  it('verification does not pass while an install is offered, and says which', () => {
    const v = verificationOf(lastOk, repaired)
    // Work left with no cause standing is "update available", never a pass.
    expect(v.status).toBe('update-available')
    const c = v.checks.find((x) => x.id === 'offered-installs')!
    expect(c.ok).toBe(false)
    expect(c.detail).toContain('KB5046633')
    expect(verificationOf(lastOk, [repaired[1]!]).status).toBe('healthy')
  })
  it('"no problem found" is said only when nothing holds now and nothing is offered', () => {
    expect(offeredInstalls(repaired).map((f) => f.id)).toEqual(['component-store-repaired'])
    expect(noProblemWords(repaired)).not.toMatch(/no (current )?problem found/i)
    expect(noProblemWords(repaired)).toContain('install KB5046633 again')
    expect(noProblemWords([repaired[1]!])).toBe('No current problem found.')
    expect(noProblemWords([])).toBe('No problem found.')
  })
})

describe('a claim on disputed knowledge says so in its title', () => {
  it('Windows 10 22H2: the end of consumer security updates is disputed, so the title does not say it ended on a date', async () => {
    const { branchSupportRule } = await import('../../../main/diagnose/rules/branch-support.ts')
    const { os } = await import('../diagnose/rule-fixtures.ts')
    const s = {
      ...snap({ os: fact(os({ build: 19045, ubr: 7663, productName: 'Windows 10 Pro', displayVersion: '22H2' })) }),
      takenAt: '2026-11-20T10:00:00Z',
    }
    const [f] = branchSupportRule.evaluate({ snapshot: s } as never)
    expect(f!.title).toMatch(/disputed/)
    expect(f!.title).not.toMatch(/ended on/)
  })
})
