/**
 * An import that takes long says how far it is on stderr: the collected files of a folder diagnosed one by one (each
 * takes a second or more: 200 of them took minutes without a word), the computers of a list reached, and the device
 * states worked out a range of devices at a time.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { importProgressNotes, type ImportProgress } from '../../../main/fleet/import-progress.ts'
import { FleetStore } from '../../../main/fleet/store.ts'
import { deviceArchive } from '../../../main/fleet/training/fleet-generator.ts'
import { collectedProfiles, fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

describe('progress of a long import', () => {
  it('says how many collected files are diagnosed and how far the states are, each new phase at once', () => {
    let t = 0
    const lines: string[] = []
    const on = importProgressNotes(
      (l) => lines.push(l),
      () => t,
    )
    on({ phase: 'files', file: '/f/snapshots', rows: 1, total: 200 })
    t = 2500
    on({ phase: 'files', file: '/f/snapshots', rows: 3, total: 200 })
    t = 3000
    on({ phase: 'files', file: '/f/snapshots', rows: 4, total: 200 })
    t = 4600
    on({ phase: 'files', file: '/f/snapshots', rows: 7, total: 200 })
    t = 4700
    on({ phase: 'computers', file: '/f/computers.txt', rows: 2, total: 9 })
    t = 4800
    on({ phase: 'states', file: '/f', rows: 0 })
    t = 7000
    on({ phase: 'states', file: '/f', rows: 20000, total: 1000000 })
    expect(lines).toEqual([
      'Diagnosing the collected files in snapshots: 3 of 200 done (3 s)',
      'Diagnosing the collected files in snapshots: 7 of 200 done (5 s)',
      'Collecting from the computers in computers.txt: 2 of 9 reached (5 s)',
      "Working out each device's state from what was imported (5 s)…",
      "Working out each device's state: 20,000 of 1,000,000 devices (7 s)",
    ])
  })

  it('fleet import of a folder hands over each collected file diagnosed, in its subfolder too', {
    timeout: hangMs(120_000),
  }, async () => {
    const profiles = await collectedProfiles()
    const dir = await tempDir('sd-fleet-progress-')
    const snaps = join(dir, 'snapshots')
    mkdirSync(snaps)
    const profile = [...profiles.values()][0]!
    for (const name of ['PC-1', 'PC-2', 'PC-3'])
      writeFileSync(join(snaps, `${name}.zip`), deviceArchive(profile, name, '2026-11-20T08:00:00.000Z'))
    const seen: string[] = []
    const { fleet } = await fleetWithServices()
    const onProgress = (p: ImportProgress) => seen.push(`${p.phase} ${p.rows}${p.total ? ` of ${p.total}` : ''}`)
    const sum = await fleet.importPath(dir, { onProgress })
    expect(sum.devices).toBe(3)
    expect(seen.filter((s) => s.startsWith('files'))).toEqual(['files 1 of 3', 'files 2 of 3', 'files 3 of 3'])
    await fleet.close()
  })

  it('works out the device states a range at a time, saying how many are done', async () => {
    const store = new FleetStore(':memory:', { refreshDevices: 2 })
    const line = (n: number) =>
      `SDC1 host=PC-${n} taken=2026-11-20T08:00:00.000Z build=26100.1150 arch=AMD64 winre=enabled codes=`
    await store.addObservations(
      [1, 2, 3, 4, 5].map((n) => ({
        device: { name: `PC-${n}`, aadId: null, intuneId: null },
        source: 'collector-line',
        kind: 'line',
        at: '2026-11-20T08:00:00.000Z',
        line: line(n),
        codes: [],
        status: null,
        file: null,
        detail: '',
      })),
      { file: 'lines.txt', kind: 'collector-line', rejected: [] },
    )
    const done: string[] = []
    await store.refresh((n, total) => done.push(`${n} of ${total}`))
    expect(done).toEqual(['2 of 5', '4 of 5'])
    await store.close()
  })
})
