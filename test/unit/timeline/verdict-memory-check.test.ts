/**
 * memoryAsWritten (main/timeline/verdict-memory-check.ts) takes a remembered verdict's file without zod only where zod
 * gives the same value back: its key lists are the schemas', a file the app wrote passes, and for every variant of
 * one (a key gone, added, out of order, a value of another type) it either says null (zod decides) or gives zod's value.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  ENTRY_KEYS,
  EVIDENCE_KEYS,
  FINDING_KEYS,
  MACHINE_KEYS,
  MEMORY_KEYS,
  memoryAsWritten,
  REMEDY_KEYS,
  RISKS,
  SEVERITIES,
  STATES,
  STEP_KEYS,
} from '../../../main/timeline/verdict-memory-check.ts'
import { MemorySchema } from '../../../main/timeline/verdict-memory-schema.ts'
import {
  FindingSchema,
  RemedySchema,
  RemedyStepSchema,
  SeveritySchema,
  StepRiskSchema,
} from '../../../preload/model/diagnosis.ts'
import { EvidenceSchema, MachineRefSchema } from '../../../preload/model/common.ts'
import { createMachineServices } from '../../../main/machine-services.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

/** An object schema's keys in order, each optional one marked `?` (it takes undefined). */
const keysOf = (s: z.ZodObject) =>
  Object.entries(s.shape).map(([k, v]) => ((v as z.ZodType).safeParse(undefined).success ? `${k}?` : k))

describe('memoryAsWritten', () => {
  it("holds the schemas' keys, in their order, and their enums", () => {
    expect(MEMORY_KEYS).toEqual(keysOf(MemorySchema))
    expect(ENTRY_KEYS).toEqual(keysOf(MemorySchema.shape.entries.element as z.ZodObject))
    expect(FINDING_KEYS).toEqual(keysOf(FindingSchema))
    expect(REMEDY_KEYS).toEqual(keysOf(RemedySchema))
    expect(STEP_KEYS).toEqual(keysOf(RemedyStepSchema))
    expect(EVIDENCE_KEYS).toEqual(keysOf(EvidenceSchema))
    const refs = MachineRefSchema.options.map((o) => [(o.shape.kind as z.ZodLiteral).value, keysOf(o)])
    expect(Object.entries(MACHINE_KEYS).map(([k, v]) => [k, [...v]])).toEqual(refs)
    expect(SEVERITIES).toEqual(SeveritySchema.options)
    expect(RISKS).toEqual(StepRiskSchema.options)
    expect(STATES).toEqual((FindingSchema.shape.state.unwrap() as z.ZodEnum).options)
  })

  // Two training machines' remembered verdicts, as the app writes them: findings with remedies, steps, kbs, state.
  const dataDir = tempDirSync('sd-verdict-check-')
  const written = async () => {
    const services = createMachineServices({ dataDir, platform: 'linux' })
    const out: unknown[] = []
    for (const name of ['x64-component-store-corrupt', 'arm64-missing-checkpoint']) {
      await services.diagnose({ machine: { kind: 'training', name } })
      out.push(JSON.parse(readFileSync(join(dataDir, 'verdicts', `training-${name}.json`), 'utf8')))
    }
    return out
  }

  it('takes a file the app wrote as zod gives it back', { timeout: hangMs(120_000) }, async () => {
    for (const file of await written()) {
      const fast = memoryAsWritten(file)
      expect(fast).not.toBeNull()
      const z = MemorySchema.safeParse(file)
      expect(z.success).toBe(true)
      expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data))
    }
  })

  it("answers null or zod's value for every variant of a written file", { timeout: hangMs(300_000) }, async () => {
    const [file] = await written()
    // One entry, one remedy of it given steps (a remedy passed through the advice gate has them), so each kind of
    // object is varied.
    const base = structuredClone(file) as { entries: { finding: { remedies: Record<string, unknown>[] } }[] }
    base.entries = base.entries.slice(0, 1)
    const remedy = base.entries[0]!.finding.remedies[0]!
    const step = { kind: 'read-logs', intent: 'read', risk: 'read-only', when: 'always', lines: ['x'], undo: 'none' }
    remedy.steps = [step]
    remedy.withheld = [{ ...step, risk: 'destructive', undoes: 'y', source: 'z' }]
    const values: unknown[] = [null, 0, 1, 2, -1, 0.5, '', 'x', 'KB5044285', 'KB12', true, [], {}, ['x'], [1]]
    values.push('winrm', 'prompt', 'current', 'destructive', 'restart', 'error', 'training', 'remote', 'snapshot')
    const paths: (string | number)[][] = []
    const walk = (v: unknown, at: (string | number)[]) => {
      if (v === null || typeof v !== 'object') return
      paths.push(at)
      for (const [k, x] of Object.entries(v)) walk(x, [...at, Array.isArray(v) ? Number(k) : k])
    }
    walk(base, [])
    const variants: unknown[] = []
    const at = (root: unknown, path: (string | number)[]) =>
      path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root)
    for (const path of paths) {
      const node = at(base, path)
      const keys = Object.keys(node as object)
      const make = (change: (o: Record<string, unknown>) => void) => {
        const copy = structuredClone(base)
        change(at(copy, path) as Record<string, unknown>)
        variants.push(copy)
      }
      if (Array.isArray(node)) {
        make((o) => (o as unknown as unknown[]).push(...values))
        continue
      }
      make((o) => {
        o.extra = 1
      })
      make((o) => {
        const entries = Object.entries(o).reverse()
        for (const k of Object.keys(o)) delete o[k]
        Object.assign(o, Object.fromEntries(entries))
      })
      for (const k of [
        ...keys,
        'kbs',
        'state',
        'since',
        'resolvedBy',
        'fillIn',
        'steps',
        'undo',
        'via',
        'credential',
      ]) {
        make((o) => {
          delete o[k]
        })
        for (const v of values)
          make((o) => {
            o[k] = v
          })
      }
    }
    let taken = 0
    for (const v of variants) {
      const fast = memoryAsWritten(v)
      if (fast === null) continue
      taken++
      const z = MemorySchema.safeParse(v)
      expect(z.success, JSON.stringify(v).slice(0, 300)).toBe(true)
      expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data))
    }
    // Some variants are still as the app could write them (an optional key gone, a string changed).
    expect(taken).toBeGreaterThan(50)
    expect(variants.length).toBeGreaterThan(2000)
  })
})
