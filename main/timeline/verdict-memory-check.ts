/**
 * The remembered verdict's file read without zod when it is as this app writes it: every object's keys among the
 * schema's (verdict-memory-schema.ts), none missing, every value of its type and within its bounds. Such a file gives
 * back what zod's parse gives (each object copied with its keys in the schema's order); anything else (a key the
 * schema does not know, a missing one, a wrong type) returns null and the caller asks zod, which decides as before. Loading zod and building the findings' schemas was most of a training
 * machine's second diagnosis's verdict read (~88 M instructions; `node -e 0` is ~90 M).
 * test/unit/timeline/verdict-memory-check.test.ts holds the key lists to the schemas and every answer to zod's.
 */
import type { Memory } from './verdict-memory-schema.ts'
import { REPAIR_IDS } from '../../preload/model/repair-ids.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const strs = (v: unknown) => Array.isArray(v) && v.every(isStr)

/** The keys of each object, in the schema's order; `?` marks an optional one (absent, or present with its type). */
export const MEMORY_KEYS = ['schemaVersion', 'machine', 'entries'] as const
export const ENTRY_KEYS = ['finding', 'seenAt'] as const
export const FINDING_KEYS = [
  'id',
  'title',
  'technical',
  'severity',
  'confidence',
  'causes',
  'remedies',
  'evidence',
  'repair',
  'codes',
  'kbs?',
  'state?',
  'since?',
  'resolvedBy?',
] as const
export const REMEDY_KEYS = [
  'id',
  'title',
  'text',
  'commands',
  'fillIn?',
  'repair',
  'sources',
  'verified',
  'steps?',
  'withheld?',
] as const
export const STEP_KEYS = ['kind', 'intent', 'risk', 'when', 'lines', 'undoes?', 'undo?', 'source?'] as const
export const EVIDENCE_KEYS = ['source', 'excerpt'] as const
export const MACHINE_KEYS = {
  'this-pc': ['kind'],
  training: ['kind', 'name', 'via?'],
  snapshot: ['kind', 'id'],
  remote: ['kind', 'computer', 'credential?'],
} as const
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const
export const RISKS = ['read-only', 'reversible', 'irreversible', 'destructive'] as const
export const STATES = ['current', 'past', 'unknown'] as const

/**
 * `o` with `keys`' own values in `keys`' order (zod's output order), or null when `o` has a key not in `keys` or lacks a
 * required one. An optional key (marked `?`) may be absent; absent, it is absent from the copy too.
 */
function inOrder(o: Obj, keys: readonly string[]): Obj | null {
  let known = 0
  const out: Obj = {}
  for (const mark of keys) {
    const k = mark.endsWith('?') ? mark.slice(0, -1) : mark
    if (Object.hasOwn(o, k)) {
      out[k] = o[k]
      known++
    } else if (k === mark) return null
  }
  return Object.keys(o).length === known ? out : null
}

const oneOf = (v: unknown, xs: readonly string[]) => isStr(v) && xs.includes(v)
const repairOrNull = (v: unknown) => v === null || oneOf(v, REPAIR_IDS)
const optional = (o: Obj, k: string, ok: (v: unknown) => boolean) => !Object.hasOwn(o, k) || ok(o[k])
/** Each element read by `read` (null: not as written), or null. */
function each(v: unknown, read: (x: unknown) => Obj | null): Obj[] | null {
  if (!Array.isArray(v)) return null
  const out: Obj[] = []
  for (const x of v) {
    const r = read(x)
    if (!r) return null
    out.push(r)
  }
  return out
}

function machine(v: unknown): Obj | null {
  if (!isObj(v) || !isStr(v.kind) || !Object.hasOwn(MACHINE_KEYS, v.kind)) return null
  const o = inOrder(v, MACHINE_KEYS[v.kind as keyof typeof MACHINE_KEYS])
  if (!o) return null
  const ok =
    o.kind === 'training'
      ? isStr(o.name) && /^[a-z0-9-]{1,64}$/.test(o.name) && optional(o, 'via', (x) => x === 'winrm')
      : o.kind === 'snapshot'
        ? isStr(o.id) && /^[A-Za-z0-9_-]{1,64}$/.test(o.id)
        : o.kind === 'remote'
          ? isStr(o.computer) &&
            /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(o.computer) &&
            optional(o, 'credential', (x) => x === 'prompt')
          : true
  return ok ? o : null
}

function step(v: unknown): Obj | null {
  const o = isObj(v) ? inOrder(v, STEP_KEYS) : null
  return o &&
    isStr(o.kind) &&
    isStr(o.intent) &&
    oneOf(o.risk, RISKS) &&
    isStr(o.when) &&
    strs(o.lines) &&
    optional(o, 'undoes', isStr) &&
    optional(o, 'undo', isStr) &&
    optional(o, 'source', isStr)
    ? o
    : null
}

function remedy(v: unknown): Obj | null {
  const o = isObj(v) ? inOrder(v, REMEDY_KEYS) : null
  if (
    !o ||
    !isStr(o.id) ||
    !isStr(o.title) ||
    !isStr(o.text) ||
    !strs(o.commands) ||
    !optional(o, 'fillIn', strs) ||
    !repairOrNull(o.repair) ||
    !strs(o.sources) ||
    typeof o.verified !== 'boolean'
  )
    return null
  for (const k of ['steps', 'withheld'] as const) {
    if (!Object.hasOwn(o, k)) continue
    const steps = each(o[k], step)
    if (!steps) return null
    o[k] = steps
  }
  return o
}

const evidence = (v: unknown): Obj | null => {
  const o = isObj(v) ? inOrder(v, EVIDENCE_KEYS) : null
  return o && isStr(o.source) && isStr(o.excerpt) ? o : null
}

function finding(v: unknown): Obj | null {
  const o = isObj(v) ? inOrder(v, FINDING_KEYS) : null
  if (
    !o ||
    !isStr(o.id) ||
    !isStr(o.title) ||
    !isStr(o.technical) ||
    !oneOf(o.severity, SEVERITIES) ||
    typeof o.confidence !== 'number' ||
    !(o.confidence >= 0 && o.confidence <= 1) ||
    !strs(o.causes) ||
    !repairOrNull(o.repair) ||
    !strs(o.codes) ||
    !optional(o, 'kbs', (x) => Array.isArray(x) && x.every((k) => isStr(k) && /^KB\d{6,8}$/.test(k))) ||
    !optional(o, 'state', (x) => oneOf(x, STATES)) ||
    !optional(o, 'since', (x) => x === null || isStr(x)) ||
    !optional(o, 'resolvedBy', isStr)
  )
    return null
  const remedies = each(o.remedies, remedy)
  const evidences = each(o.evidence, evidence)
  if (!remedies || !evidences) return null
  o.remedies = remedies
  o.evidence = evidences
  return o
}

/** The parsed file as zod's parse gives it back, when it is as this app writes it; null: ask zod. */
export function memoryAsWritten(value: unknown): Memory | null {
  const o = isObj(value) ? inOrder(value, MEMORY_KEYS) : null
  if (o?.schemaVersion !== 1) return null
  const ref = machine(o.machine)
  if (!ref || !Array.isArray(o.entries) || o.entries.length > 200) return null
  const entries = each(o.entries, (e) => {
    const x = isObj(e) ? inOrder(e, ENTRY_KEYS) : null
    const f = x && isStr(x.seenAt) ? finding(x.finding) : null
    return f && x ? { finding: f, seenAt: x.seenAt } : null
  })
  return entries ? ({ schemaVersion: 1, machine: ref, entries } as unknown as Memory) : null
}
