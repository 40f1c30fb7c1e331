/**
 * The history the screens read lists the restart a PC waits for once: Windows Update's "installed, waiting for the
 * restart" entry and CBS's "a restart is required" line after it are the same restart (one event, marked, and the
 * timeline's `pendingRestart` says which updates it finishes). An update installed and waiting for that restart (DISM
 * "Install Pending") is in the timeline's `staged` list with its KB and build, so the servicing chain can show it.
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('x64-pending-restart: the pending restart once, the staged update named', () => {
  const services = createServices({ dataDir: tempDirSync('sd-tl-once-'), platform: 'linux' })
  const ref = { kind: 'training', name: 'x64-pending-restart' } as const

  it('one event for the pending restart (the update it finishes), none twice', async () => {
    const { timeline } = await services.diagnose({ machine: ref })
    const restart = timeline!.events.filter(
      (e) => e.restartPending === true || /a restart is required/.test(e.title) || e.outcome === 'pending',
    )
    expect(restart.map((e) => [e.kind, e.kb])).toEqual([['update-attempt', 'KB5094126']])
    expect(restart[0]!.restartPending).toBe(true)
    // Where it was read: both sources, on the one event.
    expect(restart[0]!.source).toMatch(/Windows Update history/)
    expect(restart[0]!.source).toMatch(/CBS\.log line \d+/)
    expect(timeline!.pendingRestart).toEqual({
      at: restart[0]!.at,
      kbs: ['KB5094126'],
      sources: expect.arrayContaining(['Windows Update history']),
    })
  })

  it('the update installed and waiting for the restart is listed as staged, with its KB and build', async () => {
    const { timeline } = await services.diagnose({ machine: ref })
    expect(timeline!.staged).toEqual([
      {
        identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.14',
        kb: 'KB5094126',
        build: '26100.8655',
        state: 'install-pending',
      },
    ])
  })

  it('after the restart, nothing is pending and nothing staged', async () => {
    expect((await services.repairs.run(ref, 'restart')).verified).toBe(true)
    const { timeline } = await services.diagnose({ machine: ref })
    expect(timeline!.pendingRestart).toBeNull()
    expect(timeline!.staged).toEqual([])
    expect(timeline!.events.filter((e) => e.restartPending)).toEqual([])
  })
})
