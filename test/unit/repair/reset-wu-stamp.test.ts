/**
 * reset-wu-components names the kept folders once: the stamp a person reads in the offered
 * plan ("Before you start", `repairs`) is the one the run creates, although the run plans again later.
 */
import { describe, it, expect, afterEach, vi } from 'vitest'
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { stampFor, stampFile } from '../../../main/repair/definitions/reset-wu-components.ts'

const ref = { kind: 'training', name: 'x64-wu-components-broken' } as const
const stampsIn = (text: string) => [...new Set([...text.matchAll(/\.sd-(\d{8}-\d{6})/g)].map((m) => m[1]))]

afterEach(() => {
  vi.useRealTimers()
})

describe('reset-wu-components: the promised folder names are the created ones', () => {
  it('the offer shows one stamp; the run two seconds later renames to exactly that stamp; the next plan picks a new one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-23T09:52:36Z'))
    const dataDir = tempDirSync('sd-wustamp-')
    const services = createServices({ dataDir })
    const offer = (await services.repairs.offers(ref)).offers.find((o) => o.repairId === 'reset-wu-components')!
    const shown = stampsIn(JSON.stringify(offer))
    expect(shown).toEqual(['20261123-095236'])

    vi.setSystemTime(new Date('2026-11-23T09:52:38Z'))
    const run = await services.repairs.run(ref, 'reset-wu-components')
    expect(run.verified).toBe(true)
    expect(stampsIn(JSON.stringify(run.steps))).toEqual(shown)
    const folders = Object.keys(
      JSON.parse(readFileSync(join(dataDir, 'training', `${ref.name}.json`), 'utf8')).wuFolders,
    ).filter((k) => k.includes('.sd-'))
    expect(folders.sort()).toEqual([
      'SoftwareDistribution\\DataStore.sd-20261123-095236',
      'SoftwareDistribution\\Download.sd-20261123-095236',
      'System32\\catroot2.sd-20261123-095236',
    ])

    // Used by a run: the next plan on this machine names new folders.
    vi.setSystemTime(new Date('2026-11-23T10:00:00Z'))
    expect(stampFor(JSON.stringify(ref), new Date(), dataDir)).toBe('20261123-100000')
  })

  it('two processes on one data folder (the listing in one, the run in another) name the same folders', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-23T09:52:36Z'))
    const dataDir = tempDirSync('sd-wustamp2-')
    const listing = createServices({ dataDir })
    const offer = (await listing.repairs.offers(ref)).offers.find((o) => o.repairId === 'reset-wu-components')!
    const shown = stampsIn(JSON.stringify(offer))
    expect(shown).toEqual(['20261123-095236'])
    // One small JSON for the machine, in the data folder.
    expect(readdirSync(join(dataDir, 'repair-stamps'))).toHaveLength(1)
    expect(JSON.parse(readFileSync(stampFile(dataDir, JSON.stringify(ref)), 'utf8'))).toMatchObject({
      key: JSON.stringify(ref),
      stamp: '20261123-095236',
    })

    // Another process: a new service instance from freshly loaded modules (no memory shared), two seconds later.
    vi.setSystemTime(new Date('2026-11-23T09:52:38Z'))
    vi.resetModules()
    const fresh = await import('../../../main/services.ts')
    expect(fresh.createServices).not.toBe(createServices)
    const runner = fresh.createServices({ dataDir })
    const again = (await runner.repairs.offers(ref)).offers.find((o) => o.repairId === 'reset-wu-components')!
    expect(stampsIn(JSON.stringify(again))).toEqual(shown)
    const run = await runner.repairs.run(ref, 'reset-wu-components')
    expect(run.verified).toBe(true)
    expect(stampsIn(JSON.stringify(run.steps))).toEqual(shown)
    expect(stampsIn(JSON.stringify(run.journal.verification))).toEqual(shown)
    const folders = Object.keys(
      JSON.parse(readFileSync(join(dataDir, 'training', `${ref.name}.json`), 'utf8')).wuFolders,
    ).filter((k) => k.includes('.sd-'))
    expect(folders.sort()).toEqual([
      'SoftwareDistribution\\DataStore.sd-20261123-095236',
      'SoftwareDistribution\\Download.sd-20261123-095236',
      'System32\\catroot2.sd-20261123-095236',
    ])

    // The run retired the stamp for every process: the first instance's next plan names new folders.
    expect(readdirSync(join(dataDir, 'repair-stamps'))).toHaveLength(0)
    vi.setSystemTime(new Date('2026-11-23T09:53:00Z'))
    const next = (await listing.repairs.offers(ref)).offers.find((o) => o.repairId === 'reset-wu-components')
    if (next) expect(stampsIn(JSON.stringify(next))).not.toEqual(shown)
    expect(stampFor(JSON.stringify(ref), new Date(), dataDir)).not.toBe('20261123-095236')
  })

  it('a damaged or foreign stamp file is not trusted: a fresh stamp is chosen and written whole', () => {
    const dataDir = tempDirSync('sd-wustamp3-')
    const key = '{"kind":"training","name":"damaged"}'
    const file = stampFile(dataDir, key)
    mkdirSync(join(dataDir, 'repair-stamps'), { recursive: true })
    const at = new Date('2026-11-23T08:00:00Z')
    for (const bad of [
      '{"key":',
      JSON.stringify({ key, stamp: '1; Remove-Item C:\\', at: at.getTime() }),
      JSON.stringify({ key: 'other', stamp: '20260101-000000', at: at.getTime() }),
    ]) {
      writeFileSync(file, bad)
      expect(stampFor(key, at, dataDir)).toBe('20261123-080000')
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ key, stamp: '20261123-080000', at: at.getTime() })
    }
  })

  it('a plan nobody ran keeps its stamp for an hour, then a fresh one is chosen (in the data folder and in memory)', () => {
    const dataDir = tempDirSync('sd-wustamp-ttl-')
    const k = '{"kind":"training","name":"stamp-ttl-file"}'
    expect(stampFor(k, new Date('2026-11-23T08:00:00Z'), dataDir)).toBe('20261123-080000')
    expect(stampFor(k, new Date('2026-11-23T08:59:00Z'), dataDir)).toBe('20261123-080000')
    expect(stampFor(k, new Date('2026-11-23T09:00:01Z'), dataDir)).toBe('20261123-090001')
    const key = '{"kind":"training","name":"stamp-ttl"}'
    expect(stampFor(key, new Date('2026-11-23T08:00:00Z'))).toBe('20261123-080000')
    expect(stampFor(key, new Date('2026-11-23T08:59:00Z'))).toBe('20261123-080000')
    expect(stampFor(key, new Date('2026-11-23T09:00:01Z'))).toBe('20261123-090001')
    expect(stampFor('{"kind":"training","name":"other"}', new Date('2026-11-23T09:00:05Z'))).toBe('20261123-090005')
  })
})
