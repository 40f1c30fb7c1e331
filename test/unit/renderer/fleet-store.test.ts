/**
 * The Fleet screen's device list asks for what is on screen only: at most two windows at once, always the ones in
 * view now (a fast scroll never queues the windows it passed), answers to an older filter dropped, windows far from
 * the screen let go. A fake API that answers when the test says so.
 */
import { describe, expect, it } from 'vitest'
import { createFleetStore, BLOCK } from '../../../renderer/src/stores/fleet-store.ts'
import type { DeskApi } from '../../../preload/contract.ts'

function fakeApi(total: number) {
  const asked: { offset: number; search?: string; answer: () => void }[] = []
  const api = {
    fleetOverview: async () => ({
      ok: true,
      value: { fleet: 'training', devices: total, groups: [], fixes: [], imports: 1, architectures: [], builds: [] },
    }),
    fleetDevices: (input: { offset: number; limit: number; search?: string }) =>
      new Promise((resolve) => {
        const rows = Array.from({ length: Math.max(0, Math.min(input.limit, total - input.offset)) }, (_, i) => ({
          name: `PC-${input.offset + i}`,
          cause: 'none',
          state: 'healthy',
          since: null,
          arch: null,
          build: null,
          fixedAt: null,
        }))
        asked.push({
          offset: input.offset,
          search: input.search,
          answer: () =>
            resolve({
              ok: true,
              value: {
                total: input.search ? 1 : total,
                offset: input.offset,
                rows: input.search ? rows.slice(0, 1) : rows,
              },
            }),
        })
      }),
    on: () => () => {},
  }
  return { api: api as unknown as DeskApi, asked }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('the fleet device list', () => {
  it('asks for at most two windows at once, the ones on screen now, and drops answers to an older filter', async () => {
    const { api, asked } = fakeApi(50_000)
    const store = createFleetStore(() => api)
    const loading = store.getState().load('training')
    await settle()
    expect(asked.map((a) => a.offset)).toEqual([0])
    asked[0]!.answer()
    await loading
    await settle()
    expect(store.getState().total).toBe(50_000)
    expect(store.getState().row(5)?.name).toBe('PC-5')
    // A fast scroll through windows 1..40: two asked for; the passed ones are never asked for once the screen moved on.
    for (let b = 1; b <= 40; b++) store.getState().ensureRows(b * BLOCK, b * BLOCK + 20)
    expect(asked.map((a) => a.offset)).toEqual([0, BLOCK, 2 * BLOCK])
    asked[1]!.answer()
    asked[2]!.answer()
    await settle()
    expect(asked.slice(3).map((a) => a.offset)).toEqual([40 * BLOCK])
    asked[3]!.answer()
    await settle()
    expect(store.getState().row(40 * BLOCK)?.name).toBe(`PC-${40 * BLOCK}`)
    // Far from the screen now: let go.
    expect(store.getState().row(5)).toBeUndefined()
    // A new search: the answer to the old list does not land in the new one.
    store.getState().ensureRows(41 * BLOCK, 41 * BLOCK + 20)
    const old = asked.at(-1)!
    store.getState().setFilters({ search: 'PC-7' })
    old.answer()
    await settle()
    expect(store.getState().total).toBeNull()
    asked.at(-1)!.answer()
    await settle()
    expect(asked.at(-1)!.search).toBe('PC-7')
    expect(store.getState().total).toBe(1)
    expect(store.getState().row(0)?.name).toBe('PC-0')
    expect(store.getState().row(41 * BLOCK)).toBeUndefined()
  })
})
