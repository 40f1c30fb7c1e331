/**
 * Parses the text `reg query <key>` prints: a key line, then values indented by four spaces as
 * `Name    TYPE    Data`, then sub-key lines. Total: odd lines are skipped, never thrown on.
 *
 * Value data is decoded by type: REG_DWORD/REG_QWORD `0x…` → number; REG_MULTI_SZ `a\0b` → string[].
 */
export type RegData = string | number | string[]

export interface RegValue {
  name: string
  type: string
  data: RegData
}

export interface RegKey {
  path: string
  values: RegValue[]
}

export interface RegQueryResult {
  keys: RegKey[]
  /** Sub-key paths listed without values. */
  subkeys: string[]
  /** `ERROR: …` line when reg could not find the key or value. */
  error: string | null
}

const valueLine = /^ {2,}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/
const keyLine = /^(HKEY_[A-Z_]+|HKLM|HKCU|HKCR|HKU|HKCC)(\\.*)?$/

export function parseRegQuery(input: string): RegQueryResult {
  const result: RegQueryResult = { keys: [], subkeys: [], error: null }
  const text = typeof input === 'string' ? input : ''
  let current: RegKey | null = null
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    // trimEnd, not /\s+$/: the regex is quadratic on a long run of spaces inside a line (found by fuzzing).
    const line = raw.trimEnd()
    if (line === '') {
      current = null
      continue
    }
    if (/^ERROR:/i.test(line.trim())) {
      result.error = line.trim()
      continue
    }
    // Only lines that name a type can be value lines; the lazy name group backtracks on long lines otherwise.
    const v = line.includes('REG_') ? valueLine.exec(line) : null
    if (v) {
      if (!current) {
        current = { path: '', values: [] }
        result.keys.push(current)
      }
      current.values.push({ name: v[1] === '(Default)' ? '' : v[1], type: v[2], data: decodeData(v[2], v[3] ?? '') })
      continue
    }
    if (keyLine.test(line.trim())) {
      current = { path: line.trim(), values: [] }
      result.keys.push(current)
    }
  }
  // Key blocks with no values were sub-key listings.
  const withValues: RegKey[] = []
  for (const key of result.keys) {
    if (key.values.length === 0 && withValues.length > 0) result.subkeys.push(key.path)
    else withValues.push(key)
  }
  result.keys = withValues
  return result
}

function decodeData(type: string, data: string): RegData {
  switch (type) {
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const m = /^0x([0-9a-f]+)$/i.exec(data.trim())
      if (!m) return data
      const n = Number.parseInt(m[1], 16)
      return Number.isSafeInteger(n) ? n : data
    }
    case 'REG_MULTI_SZ':
      return data === '' ? [] : data.split('\\0').filter((s, i, arr) => !(s === '' && i === arr.length - 1))
    default:
      return data
  }
}

/** The first value with this name (case-insensitive) across all keys, or undefined. */
export function regValue(result: RegQueryResult, name: string): RegData | undefined {
  const lower = name.toLowerCase()
  for (const k of result.keys) for (const v of k.values) if (v.name.toLowerCase() === lower) return v.data
  return undefined
}
