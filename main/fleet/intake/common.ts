/** What every intake reader shares: the empty result, a row set aside with its reason, time and code forms. */
import type { IntakeResult, Observation, RejectedRow } from '../../../preload/model/fleet.ts'
import { codeFromToken } from '../../parse/error-token.ts'

export function emptyIntake(kind: string): IntakeResult {
  return { kind, observations: [], rejected: [], notes: [] }
}

export function reject(out: IntakeResult, row: number, error: string, raw: string): void {
  out.rejected.push({ row, error, raw: raw.length > 2000 ? `${raw.slice(0, 1999)}…` : raw } satisfies RejectedRow)
}

/**
 * An ISO time from the forms the exports use: ISO 8601 (Graph, the Log Analytics API), the portal's
 * `2020/05/14 09:26:03.478 AM`, or `M/D/YYYY h:mm:ss AM` (Excel-style CSV). All read as UTC. Null when none.
 */
const ISO_MS = /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d{3}Z$/

/** No form above is longer: a longer cell is no time, and is not handed to the patterns (whose blank runs are quadratic on one). */
const TIME_MAX = 48

export function isoTime(text: string | undefined | null): string | null {
  const s = text ?? ''
  if (s.length > 4 * TIME_MAX) return null
  const t = s.trim()
  if (!t || t.length > TIME_MAX || /^0001-01-01/.test(t)) return null
  // Windows PowerShell 5.1's ConvertTo-Json writes a DateTime as "\/Date(ms)\/" (ms since 1970, UTC).
  const ps = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/.exec(t)
  if (ps) {
    const ms = Number(ps[1])
    return ms > 0 ? new Date(ms).toISOString() : null
  }
  // A WMI time as Get-WmiObject leaves it (CIM DMTF: yyyymmddHHMMSS.mmmmmm and the offset from UTC in minutes).
  const dmtf = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$/.exec(t)
  if (dmtf) {
    const ms =
      Date.UTC(+dmtf[1]!, +dmtf[2]! - 1, +dmtf[3]!, +dmtf[4]!, +dmtf[5]!, +dmtf[6]!, Math.floor(+dmtf[7]! / 1000)) -
      (dmtf[8] === '-' ? -1 : 1) * +dmtf[9]! * 60_000
    return Number.isFinite(ms) && +dmtf[2]! >= 1 && +dmtf[2]! <= 12 ? new Date(ms).toISOString() : null
  }
  // The common case (Graph, the query API, the collector): already ISO 8601 in UTC with milliseconds.
  if (t.length === 24 && ISO_MS.test(t)) return t
  let m =
    /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(AM|PM)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      t,
    )
  if (!m) {
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(AM|PM)?$/i.exec(t)
    if (us)
      m = [
        us[0],
        us[3]!,
        us[1]!,
        us[2]!,
        us[4]!,
        us[5]!,
        us[6] ?? '',
        us[7] ?? '',
        us[8] ?? '',
        '',
      ] as unknown as RegExpExecArray
    else if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t}T00:00:00.000Z`
    else return null
  }
  let h = Number(m[4])
  const ampm = (m[8] ?? '').toUpperCase()
  if (ampm === 'PM' && h < 12) h += 12
  if (ampm === 'AM' && h === 12) h = 0
  const zone = m[9] && m[9] !== 'Z' ? m[9].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z'
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}T${String(h).padStart(2, '0')}:${m[5]}:${m[6] || '00'}${m[7] ? m[7].slice(0, 4).padEnd(4, '0') : '.000'}${zone}`
  // In UTC with every field in its range, the text is already what Date would give back (a 200,000-row
  // UCClientUpdateStatus export: most of its times' reading was the Date made and printed again).
  if (
    zone === 'Z' &&
    h < 24 &&
    Number(m[5]) < 60 &&
    Number(m[6] || 0) < 60 &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    Number(m[3]) >= 1 &&
    Number(m[3]) <= daysIn(Number(m[1]), Number(m[2]))
  )
    return iso
  const ms = Date.parse(iso)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null
}

function daysIn(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31
}

/** The codes failureCode read, by their text (short ones, at most CODES_KEPT: a file of ever-new codes does not grow it without end). */
const CODES = new Map<string, string | null>()
const CODES_KEPT = 1_000

/**
 * A failure code as the reports write it: `0x800F0922`, a signed decimal, or with an extended code after an
 * underscore (UCUpdateAlert: `0x8326CFA2D_C3FD` in its documentation) — the part before the underscore, when it
 * is a 32-bit code. Null when it is none of these.
 */
export function failureCode(text: string | undefined | null): string | null {
  const s = text ?? ''
  // An export repeats a few codes over its rows (UCUpdateAlert: one per alert): each text read once.
  const known = CODES.get(s)
  if (known !== undefined) return known
  const t = s.trim().split('_')[0]!
  const c = t ? codeFromToken(t, false) : null
  const code = c && /^0x[89A-F]/.test(c) ? c : null
  if (s.length <= 64) {
    if (CODES.size >= CODES_KEPT) CODES.clear()
    CODES.set(s, code)
  }
  return code
}

/** How far ahead of this PC's clock a device's own time may be (clocks drift): a later one is refused. */
export const FUTURE_SLACK_MS = 60 * 60 * 1000

/** Why a time the device gave is not believed (it is after now plus the slack), or null. */
export function futureTime(at: string, now = Date.now()): string | null {
  return Date.parse(at) > now + FUTURE_SLACK_MS
    ? `the time ${at} is in the future (this PC's clock says ${new Date(now).toISOString()})`
    : null
}

export function device(name: string, aadId?: string | null, intuneId?: string | null): Observation['device'] {
  return {
    name: name.trim(),
    aadId: aadId?.trim().toLowerCase() || null,
    intuneId: intuneId?.trim().toLowerCase() || null,
  }
}

/** A computer name as Windows allows it (NetBIOS ≤ 15 or DNS ≤ 63 characters, letters, digits, hyphens, dots, underscores). */
export function validName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name.trim())
}
