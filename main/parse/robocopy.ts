/**
 * Reads robocopy's summary table (`Total Copied Skipped Mismatch FAILED Extras`, rows Dirs/Files/Bytes) and
 * its `ERROR n (0x…)` lines. Total: odd text gives nulls, never a throw. Robocopy's exit code is a bit set
 * (below 8: success; 8 and up: some copies failed).
 */
export interface RobocopySummary {
  dirs: { total: number; copied: number; failed: number } | null
  files: { total: number; copied: number; failed: number } | null
  errors: string[]
}

// Spaces and tabs only (never \s, which crosses lines: '^\s*' from every line start of a long blank run is quadratic — the fuzzer's hang).
const row = (name: string) =>
  new RegExp(
    `^[ \\t]*${name}[ \\t]*:[ \\t]*(\\d+)[ \\t]+(\\d+)[ \\t]+(\\d+)[ \\t]+(\\d+)[ \\t]+(\\d+)[ \\t]+(\\d+)[ \\t]*$`,
    'm',
  )

export function parseRobocopySummary(input: string): RobocopySummary {
  const text = typeof input === 'string' ? input.replace(/\r\n?/g, '\n') : ''
  const read = (name: string) => {
    const m = row(name).exec(text)
    return m ? { total: Number(m[1]), copied: Number(m[2]), failed: Number(m[5]) } : null
  }
  const errors = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(?:\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )?ERROR \d+ \(0x[0-9A-Fa-f]{8}\)/.test(l))
    .slice(0, 10)
  return { dirs: read('Dirs'), files: read('Files'), errors }
}
