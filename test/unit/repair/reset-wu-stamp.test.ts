/**
 * reset-wu-components names the kept folders once (issue 27 point 6): the stamp a person reads in the offered
 * plan ("Before you start", `repairs`) is the one the run creates, although the run plans again later.
 */
import { describe, it, expect, afterEach, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { stampFor } from '../../../main/repair/definitions/reset-wu-components.ts'

const ref = { kind: 'training', name: 'x64-wu-components-broken' } as const
const stampsIn = (text: string) => [...new Set([...text.matchAll(/\.sd-(\d{8}-\d{6})/g)].map((m) => m[1]))]

afterEach(() => { vi.useRealTimers() })

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
    const folders = Object.keys(JSON.parse(readFileSync(join(dataDir, 'training', `${ref.name}.json`), 'utf8')).wuFolders).filter((k) => k.includes('.sd-'))
    expect(folders.sort()).toEqual(['SoftwareDistribution.sd-20261123-095236', 'System32\\catroot2.sd-20261123-095236'])

    // Used by a run: the next plan on this machine names new folders.
    vi.setSystemTime(new Date('2026-11-23T10:00:00Z'))
    expect(stampFor(JSON.stringify(ref))).toBe('20261123-100000')
  })

  it('a plan nobody ran keeps its stamp for an hour, then a fresh one is chosen', () => {
    const key = '{"kind":"training","name":"stamp-ttl"}'
    expect(stampFor(key, new Date('2026-11-23T08:00:00Z'))).toBe('20261123-080000')
    expect(stampFor(key, new Date('2026-11-23T08:59:00Z'))).toBe('20261123-080000')
    expect(stampFor(key, new Date('2026-11-23T09:00:01Z'))).toBe('20261123-090001')
    expect(stampFor('{"kind":"training","name":"other"}', new Date('2026-11-23T09:00:05Z'))).toBe('20261123-090005')
  })
})
