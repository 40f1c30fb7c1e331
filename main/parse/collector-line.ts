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
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const at = raw.indexOf('SDC1 host=')
    if (at < 0) continue
    const line = raw.slice(at + 5)
    const values = new Map<string, string>()
    // key=value pairs separated by spaces; `file=` is last and may hold spaces.
    const re = /(?:^|\s)(host|taken|build|arch|winre|codes|file)=/g
    const marks: { key: string; start: number; end: number }[] = []
    for (let m = re.exec(line); m; m = re.exec(line)) marks.push({ key: m[1]!, start: m.index, end: m.index + m[0].length })
    marks.forEach((mk, i) => values.set(mk.key, line.slice(mk.end, i + 1 < marks.length ? marks[i + 1]!.start : undefined).trim()))
    const host = values.get('host')
    if (!host || !/^[A-Za-z0-9._-]{1,64}$/.test(host)) continue
    const nn = (k: (typeof FIELDS)[number]) => { const v = values.get(k); return v && v !== 'unknown' ? v : null }
    const build = nn('build')
    const codes = (values.get('codes') ?? '').split(',').map((c) => c.trim()).filter((c) => /^0x[0-9A-Fa-f]{8}$/.test(c)).map((c) => `0x${c.slice(2).toUpperCase()}`)
    out.push({
      host,
      build: build && /^\d{4,6}\.\d{1,6}$/.test(build) ? build : null,
      arch: ARCHES[(nn('arch') ?? '').toUpperCase()] ?? null,
      winre: WINRE[(nn('winre') ?? '').toUpperCase()] ?? null,
      codes: [...new Set(codes)],
      takenAt: nn('taken'),
    })
  }
  return out
}
