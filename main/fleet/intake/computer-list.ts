/**
 * A list of computer names for the fan-out over PowerShell remoting: one per line (or comma-separated), `#`
 * comments, `training:<machine>` for a training machine. A name Windows would not accept is set aside.
 */
export interface ComputerList {
  names: { name: string; row: number }[]
  rejected: { row: number; error: string; raw: string }[]
}

export function readComputerList(text: string): ComputerList {
  const out: ComputerList = { names: [], rejected: [] }
  const seen = new Set<string>()
  for (const [i, raw] of String(text ?? '')
    .split(/\r\n|\r|\n/)
    .entries()) {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) continue
    for (const part of line
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const ok = /^training:[a-z0-9-]{1,64}$/.test(part) || /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(part)
      if (!ok) {
        out.rejected.push({
          row: i + 1,
          error: `'${part.slice(0, 80)}' is not a computer name`,
          raw: raw.slice(0, 2000),
        })
        continue
      }
      const key = part.toUpperCase()
      if (seen.has(key)) continue
      seen.add(key)
      out.names.push({ name: part, row: i + 1 })
    }
  }
  return out
}
