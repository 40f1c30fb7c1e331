/**
 * Structure-aware mutation of a JSON value (a valid contract input, a real snapshot): replace, delete or
 * add one member anywhere, with hostile strings, wrong types, huge numbers and prototype keys.
 */
import fc from 'fast-check'
import { weirdPiece } from './mutate.ts'

export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "';alert(1);//",
  '</style><script>x()</script>',
  'javascript:alert(1)',
  '{{constructor.constructor("x")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile value: the text of a template injection, literally
  '${process.exit()}',
  '../../../../etc/passwd',
  '..\\..\\Windows\\System32',
  '\\\\server\\share\\x',
  'C:\\Windows\\System32\\cmd.exe',
  '& calc.exe',
  '| calc',
  '; rm -rf /',
  '`calc`',
  '$(calc)',
  '%COMSPEC%',
  'CON',
  'NUL.msu',
  '\u0000',
  '\u202e',
  'a'.repeat(10_000),
]

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  weirdPiece,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 32, 0.5, '', [], {}),
  fc.jsonValue({ maxDepth: 2 }),
)

type Path = Array<string | number>

function paths(v: unknown, at: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(at)
  if (depth > 12 || out.length > 5000) return out
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...at, i], out, depth + 1)
  else if (v && typeof v === 'object')
    for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out, depth + 1)
  return out
}

type Edit = { kind: 'replace' | 'delete' | 'add'; at: number; key: string; value: unknown }

function apply(base: unknown, e: Edit): unknown {
  const root = structuredClone(base) as unknown
  const all = paths(root)
  const path = all[Math.floor(e.at * all.length) % all.length]!
  if (path.length === 0) return e.kind === 'replace' ? e.value : root
  let parent = root as Record<string | number, unknown>
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (e.kind === 'replace') parent[last] = e.value
  else if (e.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
  } else {
    const target = parent[last]
    if (Array.isArray(target)) target.push(e.value)
    else if (target && typeof target === 'object')
      Object.defineProperty(target, e.key, { value: e.value, enumerable: true, writable: true, configurable: true })
    else parent[last] = e.value
  }
  return root
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('replace' as const, 'delete' as const, 'add' as const),
  at: fc.double({ min: 0, max: 0.999, noNaN: true }),
  key: fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'extra'),
    fc.string({ maxLength: 10 }),
  ),
  value: leaf,
})

/** One of the bases, edited 1..4 times. */
export function jsonMutant(bases: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.integer({ min: 0, max: bases.length - 1 }), fc.array(editArb, { minLength: 1, maxLength: 4 }))
    .map(([i, edits]) => edits.reduce((v, e) => apply(v, e), bases[i]))
}
