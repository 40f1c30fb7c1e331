/**
 * The fleet report for a change board: groups by cause (count, share, fixed, still failing, not reported,
 * architectures, builds, codes, evidence, what is unknown) and every device with its state and the time of its
 * proof. HTML (one self-contained page; every value escaped), JSON, or CSV (one row per device).
 */
import type { FleetGroup } from '../../preload/model/fleet.ts'
import { escapeHtml as e } from '../report/escape.ts'
import { csvText } from './intake/csv.ts'

export interface FleetReportData {
  createdAt: string
  groups: FleetGroup[]
  devices: {
    name: string
    cause: string
    state: string
    since: string | null
    arch: string | null
    build: string | null
    fixedAt: string | null
  }[]
}

const STATE_WORDS: Record<string, string> = {
  failing: 'still failing',
  fixed: 'fixed',
  healthy: 'no problem',
  'not-reported': 'not reported',
  'awaiting-report': 'fix sent, not reported since',
  unproven: 'fix sent, not proven',
}

export function fleetReportJson(d: FleetReportData): string {
  return JSON.stringify(d, null, 2)
}

/**
 * A formula start is prefixed with ' so a spreadsheet shows it as text: at the start of the cell, and after each
 * `;`, `,`, tab or `|` in it (a spreadsheet in a locale whose list separator is `;` splits the cell there).
 */
const cell = (v: string | null) => (v ?? '').replace(/(^|[;,\t|])(?=[=+\-@\t\r])/g, "$1'")

export function fleetReportCsv(d: FleetReportData): string {
  const titles = new Map(d.groups.map((g) => [g.cause, g.title]))
  return csvText([
    ['Device', 'Cause', 'State', 'Evidence time', 'Fixed at', 'Architecture', 'Build'],
    ...d.devices.map((x) =>
      [
        x.name,
        titles.get(x.cause) ?? x.cause,
        STATE_WORDS[x.state] ?? x.state,
        x.since,
        x.fixedAt,
        x.arch,
        x.build,
      ].map(cell),
    ),
  ])
}

export function fleetReportHtml(d: FleetReportData): string {
  const total = d.devices.length
  const counts = (r: Record<string, number>) =>
    Object.entries(r)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${e(k)} (${n})`)
      .join(', ')
  const rows = d.groups
    .map(
      (g) =>
        `<tr><td>${e(g.title)}</td><td class=n>${g.count}</td><td class=n>${(g.share * 100).toFixed(1)}%</td><td class=n>${g.fixed}</td><td class=n>${g.failing}</td><td class=n>${g.notReported}</td><td>${counts(g.architectures)}</td><td>${counts(g.builds)}</td><td>${e(g.codes.join(', '))}</td></tr>` +
        (g.evidence.length || g.unknown.length || g.why.length || g.cleared || g.unproven
          ? `<tr class=sub><td colspan=9>${g.evidence.map((x) => `<div><b>${e(x.source)}</b>: <code>${e(x.excerpt)}</code></div>`).join('')}${g.unknown.map((u) => `<div class=unk>${e(u)}</div>`).join('')}` +
            `${g.cleared ? `<div>${g.cleared} with this cause gone but another problem left (not counted as fixed).</div>` : ''}${g.unproven ? `<div>${g.unproven} reported after the fix by output that cannot show the cause.</div>` : ''}` +
            `${g.why.map((w) => `<div class=why>Not proven (${w.devices}): ${e(w.text)} Next: ${e(w.next.replace('GROUP', g.cause))}</div>`).join('')}</td></tr>`
          : ''),
    )
    .join('\n')
  const fixed = d.devices.filter((x) => x.state === 'fixed')
  const titles = new Map(d.groups.map((g) => [g.cause, g.title]))
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fleet report</title><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}.n{text-align:right}.sub td{background:#f7f7f7;font-size:12px}.unk{color:#555}code{white-space:pre-wrap}</style></head><body>
<h1>Fleet report</h1><p>${total} devices, written ${e(d.createdAt)}. The groups count problems, not devices: a device with several problems is in each of its groups, and is fixed only when none is left.</p>
<h2>Groups by cause</h2><table><tr><th>Cause</th><th>Devices</th><th>Share</th><th>Fixed</th><th>Still failing</th><th>Not reported</th><th>Architectures</th><th>Builds</th><th>Codes</th></tr>
${rows}</table>
<h2>Proven fixed (${fixed.length})</h2><table><tr><th>Device</th><th>Cause</th><th>Fixed at (evidence time)</th></tr>
${fixed
  .slice(0, 5000)
  .map((x) => `<tr><td>${e(x.name)}</td><td>${e(titles.get(x.cause) ?? x.cause)}</td><td>${e(x.fixedAt)}</td></tr>`)
  .join('\n')}</table>
</body></html>
`
}
