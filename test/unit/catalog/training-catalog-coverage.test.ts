/**
 * Every KB a training scenario needs is in the local training Catalog, for the machine's architecture, so
 * each repair can be rehearsed: the updates its story fails on (scripted faults, failed history entries),
 * the update staged on it, and the Safe OS update its WinRE repair applies.
 */
import { describe, it, expect } from 'vitest'
import { buildDataSet, fillerRows, localUpdate } from '../../../main/catalog/local-catalog/data-set.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { branchForBuild } from '../../../main/knowledge/servicing-chains.ts'
import { winreTargetForBranch } from '../../../main/knowledge/winre-targets.ts'

const kbIn = (text: string) => /\((KB\d{6,8})\)/.exec(text)?.[1] ?? null

describe('the training Catalog covers every scenario', () => {
  const have = new Set(buildDataSet().map((u) => `${u.kb}-${u.arch}`))
  for (const p of trainingProfiles) {
    it(p.name, () => {
      const needed = new Set<string>()
      for (const f of p.faults) if (f.kb) needed.add(f.kb)
      for (const h of p.history)
        if (h.resultCode === 4 || h.resultCode === 1) {
          const kb = kbIn(h.title)
          if (kb) needed.add(kb)
        }
      for (const pkg of p.packages) if (pkg.state === 'Install Pending' && pkg.kb) needed.add(pkg.kb)
      const branch = branchForBuild(p.os.currentBuild)
      const winre = branch ? winreTargetForBranch(branch.id) : null
      if (winre) needed.add(winre.kb)
      const missing = [...needed].filter((kb) => !have.has(`${kb}-${p.os.nativeArch}`))
      expect(missing, `${p.name} (${p.os.nativeArch}) needs these from the training Catalog`).toEqual([])
    })
  }

  it('its paging filler rows say they are not real updates', () => {
    for (const r of fillerRows())
      expect(r.title).toMatch(/^Training Catalog paging filler \d\d — not a real update \(KB59\d{5}\)$/)
  })

  it('one update made alone (a training kit) is the same row, files and hashes as in the whole data set', () => {
    const all = buildDataSet()
    for (const u of all)
      expect(localUpdate(u.kb, u.arch), `${u.kb}-${u.arch}`).toEqual(
        all.find((x) => x.kb === u.kb && x.arch === u.arch),
      )
    expect(localUpdate('KB0000000', 'x64')).toBeNull()
  })
})
