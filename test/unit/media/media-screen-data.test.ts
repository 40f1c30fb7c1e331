/**
 * The Media screen's data: the contract calls `mediaList`, `mediaScan`, `mediaPlan` through the
 * real handlers (inputs and outputs parsed with the contract's schemas), the store that chooses a medium and
 * plans it, and the plan's steps grouped per image in the documented order.
 */
import { describe, it, expect } from 'vitest'
import { calls } from '../../../preload/contract.ts'
import { realApi } from '../renderer/real-api.ts'
import { createMediaStore } from '../../../renderer/src/stores/media-store.ts'
import { groupOf, planGroups } from '../../../renderer/src/components/media-plan-groups.ts'
import type { MediaPlan } from '../../../preload/model/media-calls.ts'

const { api } = realApi()

describe('the media calls', () => {
  it('list the four training media; a scan gives every layer and, on the FAT32 stick, the 4 GiB - 1 file limit', async () => {
    const list = await api.mediaList({})
    expect(list.ok && list.value.media.map((m) => m.name)).toEqual([
      'iso-x64-24h2',
      'usb-arm64-24h2',
      'usb-fat32-x64',
      'usb-stale-mount',
    ])
    const fat = await api.mediaScan({ medium: 'usb-fat32-x64' })
    if (!fat.ok) throw new Error(fat.error.message)
    expect(calls.mediaScan.output.safeParse(fat.value).success).toBe(true)
    expect(fat.value.scan.layers.map((l) => `${l.layer}${l.index ?? ''}:${l.staleness}`)).toEqual([
      'install1:stale',
      'winre1:stale',
      'install2:stale',
      'winre2:stale',
      'boot1:stale',
      'boot2:stale',
      'setup:unknown',
    ])
    expect(fat.value.files).toEqual({
      installFileBytes: 4_200_000_000,
      bootFileBytes: 760_348_672,
      workFreeBytes: 80 * 1024 ** 3,
      maxFileBytes: 4 * 1024 ** 3 - 1,
      swmParts: null,
    })
    const ntfs = await api.mediaScan({ medium: 'iso-x64-24h2' })
    expect(ntfs.ok && ntfs.value.files.maxFileBytes).toBeNull()
  })

  it('refuse a path, an unknown medium, a KB that is not one, and a KB the knowledge has no cumulative update for — each in words', async () => {
    const path = await api.mediaScan({ medium: 'E:\\' })
    expect(!path.ok && path.error.code).toBe('invalid-input')
    const unknown = await api.mediaScan({ medium: 'no-such-stick' })
    expect(!unknown.ok && unknown.error).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('Training media: iso-x64-24h2'),
    })
    const badKb = await api.mediaPlan({ medium: 'usb-fat32-x64', kb: 'KB12' })
    expect(!badKb.ok && badKb.error.code).toBe('invalid-input')
    const notLcu = await api.mediaPlan({ medium: 'usb-fat32-x64', kb: 'KB9999999' })
    expect(!notLcu.ok && notLcu.error).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('is not a cumulative update in the knowledge'),
    })
  })

  it("plan with one command per step, judged against the planned KB, in the contract's shape", async () => {
    const r = await api.mediaPlan({ medium: 'usb-stale-mount', kb: 'KB5086672' })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.scan.targetKb).toBe('KB5086672')
    expect(r.value.plan.commands).toHaveLength(r.value.plan.steps.length)
    expect(r.value.plan.steps[0]).toEqual({ kind: 'cleanup-mountpoints' })
    expect(r.value.plan.commands[0]).toBe('%SystemRoot%\\System32\\Dism.exe /English /Cleanup-Mountpoints')
    expect(calls.mediaPlan.output.safeParse(r.value).success).toBe(true)
  })
})

describe('the media store', () => {
  it('choosing a medium reads it, takes the newest cumulative update as the target and plans to it; another KB plans again', async () => {
    const store = createMediaStore(() => api)
    await store.getState().loadList()
    expect(store.getState().list).toHaveLength(4)
    await store.getState().choose('usb-arm64-24h2')
    const s = store.getState()
    expect(s.error).toBeNull()
    expect(s.busy).toBeNull()
    expect(s.kb).toBe(s.scan?.targetKb)
    expect(s.plan?.targetKb).toBe(s.kb)
    expect(s.plan?.arch).toBe('arm64')
    store.getState().setKb(' kb5086672 ')
    await store.getState().makePlan()
    expect(store.getState().plan?.targetKb).toBe('KB5086672')
    expect(store.getState().scan?.targetKb).toBe('KB5086672')
  })

  it('says what is wrong with a typed KB without calling, and an unknown medium in words', async () => {
    const store = createMediaStore(() => api)
    await store.getState().choose('usb-fat32-x64')
    const before = store.getState().plan
    store.getState().setKb('5086672')
    await store.getState().makePlan()
    expect(store.getState().error).toContain('is not a KB number')
    expect(store.getState().plan).toBe(before)
    await store.getState().choose('no-such-stick')
    expect(store.getState().error).toContain("No medium 'no-such-stick'")
    expect(store.getState().scan).toBeNull()
  })
})

describe('the plan per image', () => {
  it('groups the steps as the documented order runs them: the copy in, WinRE, boot.wim 1 and 2, each install.wim index, the split, the write-back', async () => {
    const r = await api.mediaPlan({ medium: 'usb-fat32-x64', kb: 'KB5086672' })
    if (!r.ok) throw new Error(r.error.message)
    const groups = planGroups(r.value.plan)
    expect(groups.map((g) => g.key)).toEqual([
      'copy',
      'winre',
      'boot-1',
      'boot-2',
      'install-1',
      'install-2',
      'split',
      'write-back',
    ])
    expect(groups.flatMap((g) => g.steps.map((s) => s.number))).toEqual(r.value.plan.steps.map((_, i) => i + 1))
    expect(groups[1].steps.map((s) => s.step.kind)).toEqual([
      'mount',
      'extract-winre',
      'unmount-discard',
      'mount',
      'add-package',
      'cleanup-image',
      'unmount-commit',
      'export',
    ])
    expect(groups[4].steps.map((s) => s.step.kind)).toContain('copy-winre')
    expect(groups[4].steps[0].command).toBe(r.value.plan.commands[groups[4].steps[0].number - 1])
  })

  it('puts the read-only mount of install.wim with WinRE and a writable one with its index', () => {
    expect(groupOf({ kind: 'mount', image: 'install', index: 1, readOnly: true })).toBe('winre')
    expect(groupOf({ kind: 'mount', image: 'install', index: 1 })).toBe('install-1')
    expect(groupOf({ kind: 'cleanup-mountpoints' })).toBe('prepare')
    expect(groupOf({ kind: 'join-swm', index: 2 })).toBe('join')
    expect(groupOf({ kind: 'expand-setup-du', package: { kb: 'KB5099999', arch: 'x64', role: 'setup-du' } })).toBe(
      'setup',
    )
    const plan: MediaPlan = {
      medium: 'm',
      arch: 'x64',
      targetKb: 'KB1',
      steps: [
        { kind: 'copy-winre', index: 2 },
        { kind: 'export', image: 'install', index: 2 },
        { kind: 'split-image', maxMb: 3800 },
      ],
      commands: ['a', 'b', 'c'],
      space: { neededBytes: 1, freeBytes: null, enough: null },
      notes: [],
    }
    expect(planGroups(plan).map((g) => [g.key, g.steps.length])).toEqual([
      ['install-2', 2],
      ['split', 1],
    ])
  })
})
