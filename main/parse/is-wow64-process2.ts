/**
 * Parses the JSON our IsWow64Process2 PowerShell helper prints: `{"processMachine":0,"nativeMachine":43620}`.
 *
 * IsWow64Process2 returns IMAGE_FILE_MACHINE_* values; for an x64 process emulated on ARM64 it gives
 * processMachine = 0 (IMAGE_FILE_MACHINE_UNKNOWN: "not a WOW64 process") and nativeMachine = 0xAA64
 * (https://learn.microsoft.com/en-us/windows/win32/api/wow64apiset/nf-wow64apiset-iswow64process2).
 * Pure and total: null on anything else.
 */

export interface Wow64Machines {
  processMachine: number
  nativeMachine: number
}

export function parseIsWow64Process2(text: string): Wow64Machines | null {
  if (typeof text !== 'string') return null
  const start = text.indexOf('{')
  const end = text.lastIndexOf('}')
  if (start === -1 || end <= start) return null
  let value: unknown
  try {
    value = JSON.parse(text.slice(start, end + 1))
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { processMachine, nativeMachine } = value as Record<string, unknown>
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff
  return ok(processMachine) && ok(nativeMachine) ? { processMachine, nativeMachine } : null
}

/** The `Architecture` number of Win32_Processor from `… | ConvertTo-Json` or a bare number. */
export function parseWin32ProcessorArchitecture(text: string): number | null {
  if (typeof text !== 'string') return null
  const t = text.trim()
  const m = t.match(/"Architecture"\s*:\s*(\d+)/) ?? t.match(/^(\d+)$/m)
  if (!m) return null
  const n = Number.parseInt(m[1], 10)
  return Number.isInteger(n) && n <= 0xffff ? n : null
}
