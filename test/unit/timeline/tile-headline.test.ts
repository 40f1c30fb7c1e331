/** Tile headlines say what is wrong in a few words ("Restart pending", not "Problem: problem found"). */
import { describe, it, expect } from 'vitest'
import { assessHealth, englishHealthWords, headlineOf } from '../../../preload/model/health.ts'
import { snap, fact, packages, pkg } from '../diagnose/rule-fixtures.ts'

describe('tile headlines', () => {
  it('take a finding title up to its first clause', () => {
    expect(headlineOf('A restart is pending: restart before installing anything else')).toBe('A restart is pending')
    expect(headlineOf('The checkpoint update KB5043080 is missing, so later cumulative updates cannot install')).toBe(
      'The checkpoint update KB5043080 is missing',
    )
    expect(headlineOf('WinRE is out of date (10.0.26100.1150; KB5089593 brings 10.0.26100.8455)')).toBe(
      'WinRE is out of date',
    )
    expect(headlineOf('The recovery partition is too small for the WinRE update')).toBe(
      'The recovery partition is too small for the WinRE update',
    )
  })
  it('never cut a title to the name it opens with', () => {
    // Each was cut to its first word before ("KB5034441", "0x800F0922", "Note"): a wording change found it.
    expect(headlineOf('KB5034441: the WinRE update failed because the recovery partition is too small')).toBe(
      'KB5034441: the WinRE update failed because the recovery partition is too small',
    )
    expect(headlineOf('0x800F0922 (CBS_E_INSTALLERS_FAILED): an installer failed; see the technical line')).toBe(
      '0x800F0922 (CBS_E_INSTALLERS_FAILED): an installer failed',
    )
    expect(headlineOf('Windows Update: the service is disabled, so nothing installs')).toBe(
      'Windows Update: the service is disabled',
    )
    expect(headlineOf('  Short title  ')).toBe('Short title')
  })
  it('the verdict: a current finding gives the tile its level and headline; a past one is a sentence and the tile is OK', () => {
    const s = snap({ reboot: fact({ pending: false, sources: [] }), packages: packages([pkg()]) })
    const f = {
      id: 'pending-restart',
      title: 'A restart is pending: restart before installing anything else',
      severity: 'error' as const,
    }
    const now = assessHealth(s, englishHealthWords, [{ ...f, state: 'current' }], { verdict: true }).find(
      (c) => c.id === 'restart',
    )!
    expect(now).toMatchObject({ level: 'bad', headline: 'A restart is pending' })
    const past = assessHealth(
      s,
      englishHealthWords,
      [{ ...f, state: 'past', resolvedBy: 'a restart on 2026-11-23 10:53 UTC' }],
      { verdict: true },
    ).find((c) => c.id === 'restart')!
    expect(past.level).toBe('ok')
    expect(past.headline).toBeUndefined()
    expect(past.detail).toContain('since resolved by a restart on 2026-11-23 10:53 UTC')
  })
})
