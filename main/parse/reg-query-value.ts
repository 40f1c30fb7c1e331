/**
 * Parses one value out of `reg query <key> /v <name>` output.
 *
 * Format (reg.exe, any Windows language: the key path, then one line per value with four-space
 * separated name, type and data):
 *   HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Nls\CodePage
 *       OEMCP    REG_SZ    437
 * Value names may contain single spaces, so the columns are split on runs of 4 spaces (reg.exe's
 * separator), not on any whitespace. Pure and total: returns null when the value is not there.
 */

export interface RegValue {
  name: string
  type: string
  data: string
}

const REG_TYPES = /^REG_(SZ|EXPAND_SZ|MULTI_SZ|DWORD|QWORD|BINARY|NONE|DWORD_BIG_ENDIAN|LINK|RESOURCE_LIST|FULL_RESOURCE_DESCRIPTOR|RESOURCE_REQUIREMENTS_LIST)$/

/** Returns the named value (case-insensitive) from reg query output, or null. */
export function parseRegQueryValue(text: string, valueName: string): RegValue | null {
  if (typeof text !== 'string') return null
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '')
    if (!/^\s+\S/.test(line)) continue
    const cols = line.trim().split(/ {4}/)
    const typeAt = cols.findIndex((c) => REG_TYPES.test(c.trim()))
    if (typeAt < 1) continue
    const name = cols.slice(0, typeAt).join('    ').trim()
    if (name.toLowerCase() !== valueName.toLowerCase()) continue
    return { name, type: cols[typeAt].trim(), data: cols.slice(typeAt + 1).join('    ').trim() }
  }
  return null
}

/** Reads a REG_DWORD/REG_QWORD data string (`0x1b`) or a decimal REG_SZ as a number; null otherwise. */
export function regNumber(value: RegValue | null): number | null {
  if (!value) return null
  const d = value.data.trim()
  if (/^0x[0-9a-f]+$/i.test(d)) return Number.parseInt(d.slice(2), 16)
  if (/^\d+$/.test(d)) return Number.parseInt(d, 10)
  return null
}
