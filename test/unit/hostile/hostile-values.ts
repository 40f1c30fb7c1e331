/**
 * Hostile strings and a way to plant them in every string field of a real object while it still passes
 * its schema (so it gets past validation and reaches rendering, planning and script export).
 */
import type { z } from 'zod'

/** The marker a test looks for in code: it must only ever appear inside literals or comments. */
export const MARKER = 'Invoke-Evil'

export const HOSTILE: readonly string[] = [
  `a'; ${MARKER}; '`,
  `a\u2019; ${MARKER}; \u2019`,
  `a\u2018 + (${MARKER}) + \u2018`,
  `a\u201A; ${MARKER}; \u201B`,
  `x #> ${MARKER} <# y`,
  `x\n${MARKER}\n`,
  `x\r\n${MARKER} #`,
  `x\r${MARKER}`,
  `$(${MARKER})`,
  `"; ${MARKER}; "`,
  `\u201C; ${MARKER}; \u201D`,
  `\`"; ${MARKER}`,
  `& ${MARKER}`,
  `| ${MARKER}`,
  `; ${MARKER}`,
  `@'\n${MARKER}\n'@`,
  `<script>alert(1)</script><img src=x onerror=alert(1)>${MARKER}`,
]

type Path = Array<string | number>

export function stringLeaves(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (typeof v === 'string') out.push(at)
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) stringLeaves(x, [...at, i], out)
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stringLeaves(x, [...at, k], out)
  return out
}

export function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], v)
}

export function setAt<T>(v: T, path: Path, value: unknown): T {
  const copy = structuredClone(v)
  let o = copy as Record<string | number, unknown>
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>
  o[path[path.length - 1]!] = value
  return copy
}

/**
 * Every string field replaced by `make(original)`, except where the schema refuses the hostile value
 * (ids, codes, enums): those keep their original value. Returns the object and how many fields took it.
 */
export function plantEverywhere<T>(
  value: T,
  schema: z.ZodType,
  make: (original: string) => string,
): { value: T; planted: number } {
  let v = structuredClone(value)
  for (const p of stringLeaves(v)) v = setAt(v, p, make(getAt(v, p) as string))
  for (let round = 0; round < 50; round++) {
    const r = schema.safeParse(v)
    if (r.success) break
    for (const issue of r.error.issues) {
      const p = issue.path as Path
      const original = getAt(value, p)
      if (original !== undefined) v = setAt(v, p, original)
    }
  }
  const planted = stringLeaves(v).filter((p) => getAt(v, p) !== getAt(value, p)).length
  return { value: v, planted }
}
