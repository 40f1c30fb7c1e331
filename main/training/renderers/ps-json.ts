/**
 * How Windows PowerShell 5.1 prints `ConvertTo-Json -Compress` output: one line, CRLF at the end, and
 * `<`, `>`, `&`, `'` escaped as \u003c, \u003e, \u0026, \u0027 (its JavaScriptSerializer does that).
 */
export function psJson(value: unknown): string {
  const escapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', "'": '\\u0027' }
  return `${JSON.stringify(value).replace(/[<>&']/g, (c) => escapes[c])}\r\n`
}

/** `2024-07-10T09:12:44Z` → `7/10/2024 9:12 AM`, as DISM prints Install Time under en-US. */
export function enUsDateTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const h = d.getUTCHours()
  const h12 = h % 12 === 0 ? 12 : h % 12
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`
}
