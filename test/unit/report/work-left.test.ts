/**
 * "A newer update or build is out" is work left, never a cause: one predicate, read the same way by the verification
 * report, the proof and the fleet's causes.
 */
import { describe, expect, it } from 'vitest'
import { BEHIND_BUILD_ID, BEHIND_NEWEST_ID, isWorkLeft } from '../../../preload/model/finding-state.ts'
import { buildProof } from '../../../main/fix-package/proof.ts'
import { problems } from '../../../main/fleet/cause.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'

const unknown = { status: 'unknown' } as const
const snapshot = {
  takenAt: '2026-11-20T10:00:00Z',
  origin: { kind: 'training', name: 'pc-1' },
  os: unknown,
  packages: unknown,
  history: unknown,
  hotfixes: unknown,
  reboot: unknown,
  storage: unknown,
  services: unknown,
  winre: unknown,
  bootChain: unknown,
} as unknown as MachineSnapshot
const finding = (id: string, kbs: string[] = []) =>
  ({ id, title: id, severity: 'warning', state: 'current', kbs, repair: null }) as unknown as Finding

describe('isWorkLeft', () => {
  it('is true of the newer update and the newer build, false of a cause', () => {
    expect(isWorkLeft(BEHIND_NEWEST_ID)).toBe(true)
    expect(isWorkLeft(BEHIND_BUILD_ID)).toBe(true)
    expect(isWorkLeft('component-store-corruption')).toBe(false)
  })

  it("the proof lists a newer build known without its KB as a person's work, and keeps a newer update with its KB a problem", () => {
    const before = { snapshot, findings: [finding('component-store-corruption')] }
    const build = buildProof(before, { snapshot, findings: [finding(BEHIND_BUILD_ID)] })
    expect(build.workLeft?.map((f) => f.id)).toEqual([BEHIND_BUILD_ID])
    expect(build.verdict).toBe('fixed')
    const update = buildProof(before, { snapshot, findings: [finding(BEHIND_NEWEST_ID, ['KB5068861'])] })
    expect(update.workLeft).toBeUndefined()
    expect(update.added.map((f) => f.id)).toEqual([BEHIND_NEWEST_ID])
  })

  it("the fleet's causes leave both out", () => {
    const f = [finding(BEHIND_NEWEST_ID, ['KB5068861']), finding(BEHIND_BUILD_ID), finding('pending-restart')]
    expect(problems(f).map((x) => x.id)).toEqual(['pending-restart'])
  })
})
