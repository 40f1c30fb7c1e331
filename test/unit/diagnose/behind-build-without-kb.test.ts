/**
 * The verdict with a build known without its KB: a 24H2 PC at the newest update the knowledge has a KB for
 * (KB5129195, 26100.9457) is still behind the November 2026 build Microsoft's CVE record states (26100.9974, KB not
 * known); the finding says so, where the fact came from, and how to find the KB (the Catalog title), with nothing to
 * install blindly. Judged at the snapshot's date.
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { behindNewest, BEHIND_BUILD_ID } from '../../../main/diagnose/behind-newest.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

async function snapshotAt(ubr: number, takenAt: string): Promise<MachineSnapshot> {
  const services = createServices({ dataDir: tempDirSync('sd-behind-build-') })
  const s = await services.scan({ kind: 'training', name: 'x64-healthy' })
  if (s.os.status !== 'known') throw new Error('training snapshot without OS facts')
  return { ...s, takenAt, os: { ...s.os, value: { ...s.os.value, ubr } } }
}

describe('behind a build known without its KB', () => {
  it('at KB5129195 (26100.9457) on 2026-11-27: behind 26100.9974 of 2026-11-10, no install offered, the Catalog title to find the KB', async () => {
    const [f] = behindNewest([], await snapshotAt(9457, '2026-11-27T10:00:00Z'), null)
    expect(f).toBeDefined()
    expect(f!.id).toBe(BEHIND_BUILD_ID)
    expect(f!.title).toBe('A newer build is out: 26100.9974 (released 2026-11-10); this PC is at 26100.9457')
    expect(f!.repair).toBeNull()
    expect(f!.kbs ?? []).toEqual([])
    expect(f!.causes.join(' ')).toMatch(
      /The newest build for Windows 11 24H2 is 26100\.9974, released 2026-11-10; its KB number is not in the knowledge \(source CVE-2026-122162\)/,
    )
    expect(f!.remedies[0]).toMatchObject({ id: 'find-kb-in-catalog', repair: null, sources: ['CVE-2026-122162'] })
    expect(f!.remedies[0]!.text).toMatch(
      /"2026-11 Cumulative Update for Windows 11, version 24H2 for x64-based Systems"/,
    )
    expect(f!.remedies[0]!.text).toMatch(/knowledge catalog --branch win11-24h2 --arch x64 --month 2026-11/)
    expect(f!.evidence.map((e) => e.excerpt)).toContain('26100.9974  released 2026-11-10  (source CVE-2026-122162)')
  })

  it('at 26100.9974 it is current; on 2026-10-01 nothing newer than 9457 was known, so it is current too', async () => {
    expect(behindNewest([], await snapshotAt(9974, '2026-11-27T10:00:00Z'), null)).toEqual([])
    expect(behindNewest([], await snapshotAt(9457, '2026-10-01T10:00:00Z'), null)).toEqual([])
    // On 2026-10-20 October's build (26100.9711) is the newest known.
    expect(behindNewest([], await snapshotAt(9457, '2026-10-20T10:00:00Z'), null)[0]!.title).toMatch(/26100\.9711/)
  })

  it('below the newest update with a KB: that KB is offered, and the newer build without its KB is said beside it', async () => {
    const [f] = behindNewest([], await snapshotAt(8655, '2026-11-27T10:00:00Z'), null)
    expect(f).toMatchObject({ repair: 'install-update', kbs: ['KB5129195'] })
    expect(f!.causes.join(' ')).toMatch(/Beyond it, the newest build for Windows 11 24H2 is 26100\.9974/)
  })
})
