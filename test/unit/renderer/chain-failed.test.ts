/**
 * The Overview's update chain marks an update "failed" only when its newest install attempt failed: on
 * x64-lcu-uninstall-blocked the history holds two failed uninstalls of KB5094126 after its successful install, and the
 * chain said "failed" beside a tile saying "last install succeeded".
 */
import { describe, it, expect } from 'vitest'
import { failedInstallKbs } from '../../../renderer/src/components/chain-items.ts'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('failed installs on the update chain', () => {
  it('x64-lcu-uninstall-blocked: failed uninstalls of KB5094126 are no failed install', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-chain-failed-'), platform: 'linux' })
    const s = await services.scan({ kind: 'training', name: 'x64-lcu-uninstall-blocked' })
    if (s.history.status !== 'known') throw new Error('history not read')
    expect(s.history.value.filter((h) => h.kb === 'KB5094126' && h.result === 'failed').length).toBeGreaterThan(0)
    expect([...failedInstallKbs(s.history.value)]).toEqual([])
  })
  it('the newest install attempt decides: failed then succeeded is not failed; succeeded then failed is', () => {
    const h = (kb: string, date: string, result: string, operation = 'install') => ({ kb, date, result, operation })
    expect([...failedInstallKbs([h('KB1', '2026-01-01', 'failed'), h('KB1', '2026-02-01', 'succeeded')])]).toEqual([])
    expect([...failedInstallKbs([h('KB1', '2026-01-01', 'succeeded'), h('KB1', '2026-02-01', 'failed')])]).toEqual([
      'KB1',
    ])
    expect([
      ...failedInstallKbs([h('KB2', '2026-01-01', 'aborted'), h('KB3', '2026-01-01', 'failed', 'uninstall')]),
    ]).toEqual(['KB2'])
  })
})
