/**
 * The collector's `-Line` for a collected file, computed as the collector script computes it
 * (main/collector/collector-script.ts, the `if ($Line)` block): the build from CurrentVersion (CurrentBuild.UBR),
 * the architecture, WinRE from ReAgent.xml's WinreBCD id, and the failure codes from the update history's
 * HResults and from CBS.log / DISM.log lines matching `(error|fail).*?(0x8[0-9a-f]{7})` (the last 200, as
 * Select-String -AllMatches | Select-Object -Last 200 keeps), at most 12. The training fleet prints this line
 * for each device, as Intune or ConfigMgr would keep it.
 */
import type { CollectorArchive } from '../../collector/archive.ts'
import { COLLECTOR_LINE_MAX, COLLECTOR_LINE_PREFIX } from '../../../preload/model/collector.ts'
import { REAGENT_XML_PATH } from '../../machine/winre-commands.ts'
import { CBS_DIR, DISM_LOG } from '../../machine/read-machine-logs.ts'

const CODE_LOGS = [`${CBS_DIR}\\CBS.log`, DISM_LOG]

export function collectorLineOf(archive: CollectorArchive, opts: { nativeArch: string; outFile: string }): string {
  const s = archive.snapshot
  const cmd = (name: string) => s.commands.find((c) => c.name === name)
  const cv = cmd('os.currentversion')?.stdout ?? ''
  const cb = /CurrentBuild\s+REG_SZ\s+(\d+)/i.exec(cv)?.[1]
  const ubr = /UBR\s+REG_DWORD\s+0x([0-9a-f]+)/i.exec(cv)?.[1]
  const build = cb && ubr ? `${cb}.${parseInt(ubr, 16)}` : 'unknown'
  const arch =
    ({ x64: 'AMD64', arm64: 'ARM64', x86: 'x86', arm: 'ARM' } as Record<string, string>)[opts.nativeArch] ?? 'unknown'
  let winre = 'unknown'
  const rx = archive.files.get(REAGENT_XML_PATH.toLowerCase())?.toString('utf8')
  if (rx) {
    const id = /<WinreBCD\s+id="([^"]*)"/i.exec(rx)?.[1] ?? ''
    winre = id && !/^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$/.test(id) ? 'enabled' : 'disabled'
  }
  const codes: string[] = []
  const add = (c: string) => {
    if (!codes.includes(c)) codes.push(c)
  }
  for (const m of (cmd('history.update-session')?.stdout ?? '').matchAll(/"HResult"\s*:\s*(-?\d+)/g)) {
    const h = Number(m[1])
    if (h !== 0) add(`0x${(h >>> 0).toString(16).toUpperCase().padStart(8, '0')}`)
  }
  for (const p of CODE_LOGS) {
    const text = archive.files.get(p.toLowerCase())?.toString('utf8')
    if (!text) continue
    const hits: string[] = []
    for (const line of text.split(/\r?\n/)) {
      const m = /(error|fail).*?(0x8[0-9a-f]{7})/i.exec(line)
      if (m) hits.push(`0x${m[2]!.slice(2).toUpperCase()}`)
    }
    for (const c of hits.slice(-200)) add(c)
  }
  const one = `${COLLECTOR_LINE_PREFIX} host=${s.computerName} taken=${s.takenAt} build=${build} arch=${arch} winre=${winre} codes=${codes.slice(0, 12).join(',')} file=${opts.outFile}`
  return one.length > COLLECTOR_LINE_MAX ? one.slice(0, COLLECTOR_LINE_MAX) : one
}
