/**
 * Normalises an HRESULT or error code to `0x` + 8 upper-case hex digits.
 *
 * The same code reaches us as a signed 32-bit int (PowerShell's IUpdateHistoryEntry.HResult:
 * -2146498270), an unsigned one (Node's exit code: 2148469026), or hex text (`0x800f0922`,
 * `800F0922`). See servicing-facts §1.3 (wuerror.h layout; Node reports exit codes unsigned).
 */
export function normalizeHresult(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) return null
    return format(value < 0 ? value + 0x100000000 : value)
  }
  if (typeof value !== 'string') return null
  const t = value.trim()
  const hex = /^(?:0x)?([0-9a-f]{8})$/i.exec(t) ?? /^0x([0-9a-f]{1,8})$/i.exec(t)
  if (hex) return format(parseInt(hex[1], 16))
  if (/^-?\d{1,10}$/.test(t)) return normalizeHresult(Number(t))
  return null
}

function format(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(8, '0')}`
}
