/**
 * Parses the console (OEM) code page Windows console tools print in.
 *
 * Two sources: `reg query HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage /v OEMCP` (language
 * independent; the value a new hidden console gets), and `chcp` (its message is localised, e.g.
 * "Active code page: 437" or "Aktive Codepage: 850.", so take the last number on the line).
 * Pure and total: null when no plausible code page is found.
 */
import { parseRegQuery, regValue } from './reg-query.ts'

function plausible(n: number | null): number | null {
  return n !== null && Number.isInteger(n) && n > 0 && n < 65536 ? n : null
}

/** The OEMCP value from `reg query …\Nls\CodePage /v OEMCP`. */
export function parseOemCodePageFromReg(text: string): number | null {
  if (typeof text !== 'string') return null
  const v = regValue(parseRegQuery(text), 'OEMCP')
  return typeof v === 'string' && /^\d+$/.test(v.trim())
    ? plausible(Number.parseInt(v, 10))
    : typeof v === 'number'
      ? plausible(v)
      : null
}

/** The code page from `chcp` output in any language. */
export function parseChcp(text: string): number | null {
  if (typeof text !== 'string') return null
  const line = text.split(/\r?\n/).find((l) => /\d/.test(l))
  // The last digit run, found linearly: /(\d+)\D*$/ rescans a long digit run from every position (found by fuzzing).
  const last = line?.match(/\d+/g)?.pop()
  return last ? plausible(Number.parseInt(last, 10)) : null
}
