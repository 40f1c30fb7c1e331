/**
 * JSON with object keys sorted at every level (arrays keep their order): what digests and seals are computed over.
 *
 * Written as loops appending to one string: every journal write seals the whole journal (and digests its plan), and a
 * WinRE repair's plan is ~66 KB, so this runs over megabytes in a crash sweep. The same text as the plain
 * `keys.filter().sort().map().join()` form (test/unit/runner/canonical-json.test.ts holds the two side by side), in
 * about half the CPU with the hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let s = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) s += ','
      // A hole of a sparse array is empty text, as `map` then `join` made it; an undefined item is null.
      if (!(i in value)) continue
      const v = value[i]
      s += canonicalJson(v === undefined ? null : v)
    }
    return `${s}]`
  }
  const o = value as Record<string, unknown>
  let s = '{'
  let first = true
  for (const k of Object.keys(o).sort()) {
    const v = o[k]
    if (v === undefined) continue
    if (!first) s += ','
    first = false
    s += `${JSON.stringify(k)}:${canonicalJson(v)}`
  }
  return `${s}}`
}
