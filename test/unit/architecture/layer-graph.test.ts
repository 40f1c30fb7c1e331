/**
 * scripts/layer-graph.ts counts rooms, floors, arrows, back-arrows and circles from dependency-cruiser's module list;
 * here on a small hand-made list in its shape, so each number is known.
 */
import { describe, it, expect } from 'vitest'
import { layerGraph, roomOf } from '../../../scripts/layer-graph.ts'

const mod = (source: string, ...deps: string[]) => ({
  source,
  dependencies: deps.map((resolved) => ({ resolved, dependencyTypes: ['local'] })),
})

describe('layer graph', () => {
  it('names a room by its folder under main/, preload/ or renderer/src/, or by the file that lies there alone', () => {
    expect(roomOf('main/install/executor.ts')).toBe('main/install')
    expect(roomOf('main/machine/probes/os.ts')).toBe('main/machine')
    expect(roomOf('main/services.ts')).toBe('main/services.ts')
    expect(roomOf('preload/model/plan.ts')).toBe('preload/model')
    expect(roomOf('renderer/src/screens/index.ts')).toBe('renderer/screens')
    expect(roomOf('renderer/src/app.tsx')).toBe('renderer/app.tsx')
    expect(roomOf('node_modules/zod/index.js')).toBeNull()
  })

  it('counts an arrow against the map as a back-arrow, a Host import from diagnose as a broken rule, and measures floors', () => {
    const g = layerGraph([
      mod('main/parse/a.ts', 'preload/model/x.ts'),
      mod('preload/model/x.ts'),
      mod('main/host/host.ts', 'main/parse/a.ts'),
      mod('main/diagnose/rule.ts', 'main/parse/a.ts', 'main/host/host.ts', 'main/install/plan.ts'),
      mod('main/install/plan.ts', 'main/diagnose/rule.ts', 'main/host/host.ts', 'node:fs'),
    ])
    expect(g.rooms).toEqual(['preload/model', 'main/parse', 'main/host', 'main/diagnose', 'main/install'])
    expect(g.arrows.get('main/diagnose → main/parse')).toBe(1)
    expect(g.arrows.size).toBe(7)
    expect(g.backArrows).toEqual(['main/diagnose → main/install'])
    expect(g.broken).toEqual(['main/diagnose → main/host'])
    expect(Object.fromEntries(g.floors)).toEqual({
      'preload/model': 0,
      'main/parse': 1,
      'main/host': 2,
      'main/diagnose': 3,
      'main/install': 4,
    })
    // diagnose/rule.ts ↔ install/plan.ts import each other: one circle of two files.
    expect(g.circles).toEqual([['main/diagnose/rule.ts', 'main/install/plan.ts']])
    expect(g.unplaced).toEqual([])
  })

  it('names a room missing from the map', () => {
    expect(layerGraph([mod('main/newroom/x.ts', 'main/parse/a.ts'), mod('main/parse/a.ts')]).unplaced).toEqual([
      'main/newroom',
    ])
  })
})
