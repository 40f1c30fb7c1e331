/**
 * Reads the dates Windows tools print (in the user's locale) into ISO 8601.
 *
 * DISM, Get-HotFix and systeminfo print dates in the display culture: `9/10/2024 4:11 AM` (en-US,
 * month first), `10.09.2024 04:11` (de-DE, day first), `10/09/2024` (fr-FR, day first),
 * `2024/9/10` (zh-CN). A slash date whose day and month are both ≤ 12 cannot be read safely on its
 * own, so a reader first looks at every date of the same text: one unambiguous date (a part > 12)
 * tells the order for all. When nothing tells, the raw text is kept and a warning says why.
 */
export type DayMonthOrder = 'dmy' | 'mdy' | null

export interface DateReading {
  /** ISO 8601 (`2024-09-10` or `2024-09-10T04:11:00`), or the raw text when it could not be read. */
  value: string | null
  iso: boolean
  /** Set when the text was kept raw because day and month could not be told apart. */
  ambiguous: boolean
}

const SLASH =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:,?\s*-?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm|上午|下午)?)?$/
const YMD =
  /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[T\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2}|AM|PM)?)?$/
const MS_JSON = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/
/** readDate's patterns made once (a regex literal is a new RegExp each time it is evaluated). */
const BLANKS = /\s+/g
const NO_DATE = /^(N\/A|n\/a|-|null)$/

/** Decides day/month order from every date-looking string of one text (null when nothing tells). */
export function inferDayMonthOrder(samples: Iterable<string>): DayMonthOrder {
  let dmy = 0
  let mdy = 0
  for (const s of samples) {
    const m = SLASH.exec(s.trim())
    if (!m) continue
    const a = Number(m[1])
    const b = Number(m[2])
    if (s.includes('.'))
      dmy++ // dotted dates (de-DE, ru-RU) are always day first
    else if (a > 12 && b <= 12) dmy++
    else if (b > 12 && a <= 12) mdy++
  }
  if (dmy > 0 && mdy === 0) return 'dmy'
  if (mdy > 0 && dmy === 0) return 'mdy'
  return null
}

/** Reads one date string; `order` comes from inferDayMonthOrder over the same text. Never throws. */
export function readDate(raw: string | null | undefined, order: DayMonthOrder = null): DateReading {
  if (raw == null) return { value: null, iso: false, ambiguous: false }
  const t = raw.trim().replace(BLANKS, ' ')
  if (t === '' || NO_DATE.test(t)) return { value: null, iso: false, ambiguous: false }
  const ms = MS_JSON.exec(t)
  if (ms) {
    const d = new Date(Number(ms[1]))
    return Number.isNaN(d.getTime()) ? keep(t) : { value: d.toISOString(), iso: true, ambiguous: false }
  }
  const ymd = YMD.exec(t)
  if (ymd) {
    const [, y, mo, d, h, mi, s, suffix] = ymd
    if (suffix === 'Z' || (suffix && /^[+-]/.test(suffix))) {
      const parsed = new Date(t.replace(' ', 'T'))
      if (!Number.isNaN(parsed.getTime())) return { value: parsed.toISOString(), iso: true, ambiguous: false }
    }
    return build(Number(y), Number(mo), Number(d), h, mi, s, suffix, t)
  }
  const m = SLASH.exec(t)
  if (!m) return keep(t)
  const [, p1, p2, y, h, mi, s, ampm] = m
  const a = Number(p1)
  const b = Number(p2)
  let dayFirst: boolean
  if (t.includes('.')) dayFirst = true
  else if (a > 12 && b <= 12) dayFirst = true
  else if (b > 12 && a <= 12) dayFirst = false
  else if (a === b)
    dayFirst = true // 5/5/2024 reads the same either way
  else if (order) dayFirst = order === 'dmy'
  else return { value: t, iso: false, ambiguous: true }
  return dayFirst ? build(Number(y), b, a, h, mi, s, ampm, t) : build(Number(y), a, b, h, mi, s, ampm, t)
}

function build(
  y: number,
  mo: number,
  d: number,
  h: string | undefined,
  mi: string | undefined,
  s: string | undefined,
  ampm: string | undefined,
  raw: string,
): DateReading {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return keep(raw)
  const date = `${y}-${pad(mo)}-${pad(d)}`
  if (h === undefined) return { value: date, iso: true, ambiguous: false }
  let hour = Number(h)
  const mer = ampm?.toUpperCase()
  if ((mer === 'PM' || mer === '下午') && hour < 12) hour += 12
  if ((mer === 'AM' || mer === '上午') && hour === 12) hour = 0
  if (hour > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return keep(raw)
  return { value: `${date}T${pad(hour)}:${mi}:${s ?? '00'}`, iso: true, ambiguous: false }
}

function keep(raw: string): DateReading {
  return { value: raw, iso: false, ambiguous: false }
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** The warning an analyzer adds for dates kept raw. */
export function ambiguousDateWarning(count: number, example: string): string {
  return `${count} date(s) such as '${example}' could be day/month or month/day and nothing else in the text tells which; they are kept as written.`
}
