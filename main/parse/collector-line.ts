/**
 * The collector's `-Line` output read back (main/collector/collector-script.ts writes it):
 * `SDC1 host=PC01 taken=2026-11-23T10:00:00.000Z build=26100.2033 arch=AMD64 winre=enabled codes=0x800F0922,0x80073712 file=C:\…\PC01.zip`.
 * Intune Remediations and ConfigMgr keep such a line per device; a pasted report of many devices holds many.
 * Pure and total: lines that are not the collector's are skipped; a damaged field is null.
 */
import type { CollectorLine } from '../../preload/model/collector.ts'

const FIELDS = ['host', 'taken', 'build', 'arch', 'winre', 'codes', 'file'] as const
/** The values the collector writes (PROCESSOR_ARCHITECTURE's, and ReAgent.xml's state); anything else is unknown. */
const ARCHES: Record<string, string> = { AMD64: 'AMD64', ARM64: 'ARM64', X86: 'x86', ARM: 'ARM' }
const WINRE: Record<string, string> = { ENABLED: 'enabled', DISABLED: 'disabled' }

export function parseCollectorLines(text: string): CollectorLine[] {
  const out: CollectorLine[] = []
  if (typeof text !== 'string') return out
  // One line (what a device sent) is read as it is; a text of many is split first.
  const lines = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? [text] : text.split(/\r\n|\r|\n/)
  for (const raw of lines) {
    const l = lineOf(raw)
    if (l) out.push(l)
  }
  return out
}

/**
 * One line's fields, found without a pattern's match objects (a fleet import reads 200,000 lines: their matches, maps
 * and sets were most of what it allocated). key=value pairs separated by blanks; `file=` is last and may hold spaces: a
 * key is one of FIELDS followed by `=`, at the start or after a blank (what `(?:^|\s)(host|…|file)=` finds), its value
 * the text up to the blank before the next key, trimmed; a key given twice keeps its last value.
 */
function lineOf(raw: string): CollectorLine | null {
  const at = raw.indexOf('SDC1 host=')
  if (at < 0) return null
  const line = raw.slice(at + 5)
  const values: Partial<Record<(typeof FIELDS)[number], string>> = {}
  let key: (typeof FIELDS)[number] | null = null
  let from = 0
  for (let eq = line.indexOf('='); eq >= 0; eq = line.indexOf('=', eq + 1)) {
    let k = eq
    while (k > 0) {
      const c = line.charCodeAt(k - 1)
      if (c < 97 || c > 122) break
      k--
    }
    if (k === eq || (k > 0 && !isBlank(line.charCodeAt(k - 1)))) continue
    const word = FIELD_OF.get(line.slice(k, eq))
    if (!word) continue
    if (key) values[key] = line.slice(from, k > 0 ? k - 1 : 0).trim()
    key = word
    from = eq + 1
  }
  if (key) values[key] = line.slice(from).trim()
  const host = values.host
  if (!host || !/^[A-Za-z0-9._-]{1,64}$/.test(host)) return null
  const nn = (k: (typeof FIELDS)[number]) => {
    const v = values[k]
    return v && v !== 'unknown' ? v : null
  }
  const build = nn('build')
  const codes: string[] = []
  if (values.codes) {
    for (const part of values.codes.split(',')) {
      const c = part.trim()
      if (!/^0x[0-9A-Fa-f]{8}$/.test(c)) continue
      const code = `0x${c.slice(2).toUpperCase()}`
      if (!codes.includes(code)) codes.push(code)
    }
  }
  return {
    host,
    build: build && /^\d{4,6}\.\d{1,6}$/.test(build) ? build : null,
    arch: ARCHES[(nn('arch') ?? '').toUpperCase()] ?? null,
    winre: WINRE[(nn('winre') ?? '').toUpperCase()] ?? null,
    codes,
    takenAt: nn('taken'),
  }
}

const FIELD_OF = new Map<string, (typeof FIELDS)[number]>(FIELDS.map((f) => [f, f]))

/** What `\s` matches in a pattern: the ASCII blanks, the no-break space, the Unicode space separators, the BOM. */
function isBlank(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}
