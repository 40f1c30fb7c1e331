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
  return canonicalObject(value as Record<string, unknown>, canonicalJson)
}

/** An object's fields, keys sorted and undefined ones left out, each value in the JSON `field` gives it. */
function canonicalObject(o: Record<string, unknown>, field: (v: unknown) => string): string {
  let s = '{'
  let first = true
  for (const k of Object.keys(o).sort()) {
    const v = o[k]
    if (v === undefined) continue
    if (!first) s += ','
    first = false
    s += `${JSON.stringify(k)}:${field(v)}`
  }
  return `${s}}`
}

/**
 * The last few JSON texts and their canonical JSON. A run's journal is written (and read back) tens of times with the
 * same ~66 KB plan in it; its canonical form is made once. Keyed on the whole text, so a changed plan is a new entry:
 * never a stale answer.
 */
const MEMO_SIZE = 4
const memo = new Map<string, string>()

/** `canonicalJson(JSON.parse(text))`, remembered for the last few texts. */
export function canonicalJsonOfText(text: string): string {
  const hit = memo.get(text)
  if (hit !== undefined) {
    // Most recently used last: the oldest is the first key.
    memo.delete(text)
    memo.set(text, hit)
    return hit
  }
  const canon = canonicalJson(JSON.parse(text))
  memo.set(text, canon)
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string)
  return canon
}

/**
 * `canonicalJson(value)` for plain JSON data (what JSON.parse returns: no undefined, no sparse array, no function or
 * Date), for which it is a function of `JSON.stringify(value)`: each object or array field of the top object comes from
 * canonicalJsonOfText, so a journal's unchanged plan is not walked again at each seal.
 */
export function canonicalJsonOfData(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return canonicalJson(value)
  return canonicalObject(value as Record<string, unknown>, (v) =>
    v !== null && typeof v === 'object' ? canonicalJsonOfText(JSON.stringify(v)) : canonicalJson(v),
  )
}
