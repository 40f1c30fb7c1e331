/**
 * The few code forms parsers meet inside a line, rendered as `0x` + 8 upper hex (parse files may not
 * import the knowledge layer's full normaliser). Decimal Win32 codes (DISM's `Error: 14098`) are lifted
 * with HRESULT_FROM_WIN32; negative decimals (cmd's `-2146498270`) wrap to unsigned. Never throws.
 */
export function codeFromToken(token: string, decimalIsWin32 = true): string | null {
  const t = token.trim()
  let n: number
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) n = parseInt(t.slice(2), 16)
  else if (/^[0-9a-f]{8}$/i.test(t) && /[a-f]/i.test(t)) n = parseInt(t, 16)
  else if (/^-?\d{1,10}$/.test(t)) {
    n = Number(t)
    if (n < -0x80000000 || n > 0xffffffff) return null
    if (n < 0) n += 0x1_0000_0000
    else if (decimalIsWin32 && n > 0 && n <= 0xffff) n = ((n & 0xffff) | 0x80070000) >>> 0
  } else return null
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`
}
