/**
 * The last boot time of Windows: Win32_OperatingSystem.LastBootUpTime as a CIM (DMTF) datetime,
 * `yyyymmddHHMMSS.ffffff±UUU` (UUU: the offset from UTC in minutes), the form `Get-WmiObject … | ConvertTo-Json`
 * and `wmic os get LastBootUpTime /value` print (language-independent). Read from JSON (any depth) or from
 * `LastBootUpTime=…` text. Pure and total: never throws.
 */

export type LastBootResult = { ok: true; at: string; raw: string } | { ok: false; reason: string }

const DMTF = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?([+-])(\d{3})$/

/** A DMTF datetime as ISO 8601 UTC, or null when it is not one. */
export function dmtfToIso(text: string): string | null {
  const m = DMTF.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, frac, sign, off] = m
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms)
  const t = local - (sign === '-' ? -1 : 1) * Number(off) * 60_000
  const date = new Date(t)
  if (
    Number.isNaN(t) ||
    date.getUTCFullYear() < 1990 ||
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > 31
  )
    return null
  return date.toISOString()
}

function findKey(v: unknown, depth = 0): unknown {
  if (depth > 6 || v === null || typeof v !== 'object') return undefined
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = findKey(x, depth + 1)
      if (r !== undefined) return r
    }
    return undefined
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (k.toLowerCase() === 'lastbootuptime') return x
  for (const x of Object.values(v as Record<string, unknown>)) {
    const r = findKey(x, depth + 1)
    if (r !== undefined) return r
  }
  return undefined
}

export function parseLastBoot(text: string): LastBootResult {
  const t = text.replace(/^\uFEFF/, '').trim()
  if (t === '') return { ok: false, reason: 'The answer was empty.' }
  let raw: string | null = null
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const v = findKey(JSON.parse(t))
      if (typeof v === 'string') raw = v
      else return { ok: false, reason: 'The JSON holds no LastBootUpTime text.' }
    } catch {
      return { ok: false, reason: 'The answer is not valid JSON.' }
    }
  } else {
    const m = /^[^\S\n]*LastBootUpTime[^\S\n]*=[^\S\n]*(\S+)[^\S\n]*$/im.exec(t)
    if (!m) return { ok: false, reason: 'No LastBootUpTime in the answer.' }
    raw = m[1]!
  }
  const at = dmtfToIso(raw)
  return at
    ? { ok: true, at, raw }
    : { ok: false, reason: `LastBootUpTime '${raw.slice(0, 40)}' is not a CIM datetime (yyyymmddHHMMSS.ffffff+UUU).` }
}
