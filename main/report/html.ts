/**
 * The report as ONE self-contained HTML file: no scripts, no external resources (a CSP meta forbids
 * both), inline CSS that prints well. Every value goes through `escapeHtml`: a snapshot imported from
 * another PC is untrusted input.
 */
import type { Report } from '../../preload/model/report.ts'
import type { Evidence } from '../../preload/model/common.ts'
import { formatBytes, noProblemWords } from '../../preload/model/health.ts'
import { levelWords, severityWords } from '../../preload/model/status-words.ts'
import { escapeHtml as e } from './escape.ts'
import { runStateWords, stepResultWords } from '../../preload/model/run-record.ts'
import { copyableCommand } from '../host/system-tools.ts'
import { remedyRiskLines } from '../knowledge/remedy-text.ts'

const SEVERITY_WORDS: Record<string, string> = severityWords
const PACKAGE_STATE_WORDS: Record<string, string> = {
  installed: 'installed',
  staged: 'staged',
  'install-pending': 'waits for a restart to install',
  'uninstall-pending': 'waits for a restart to be removed',
  superseded: 'superseded',
  absent: 'not present',
  other: 'other',
}
const HISTORY_RESULT_WORDS: Record<string, string> = {
  succeeded: 'succeeded',
  'succeeded-with-errors': 'succeeded with errors',
  failed: 'failed',
  aborted: 'aborted',
  'in-progress': 'in progress',
  'not-started': 'not started',
  other: 'other',
}

const MAX_EXCERPT = 4000

const css = `
:root{color-scheme:light;font-family:"Segoe UI",system-ui,sans-serif;font-size:14px;color:#1b1f24;background:#fff}
body{max-width:960px;margin:24px auto;padding:0 20px;line-height:1.45}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}.muted{color:#57606a}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}th,td{text-align:left;vertical-align:top;border:1px solid #d0d7de;padding:4px 8px}
th{background:#f6f7f9;font-weight:600}tr{break-inside:avoid}
pre,code,.mono{font-family:ui-monospace,Consolas,monospace;font-size:12px}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f7f9;border:1px solid #d0d7de;padding:6px 8px;margin:4px 0}
.box{border:1px solid #d0d7de;border-left:5px solid #0a5fb4;padding:10px 14px;margin:12px 0;break-inside:avoid}
.ok{color:#1a7f37;font-weight:600}.bad{color:#b3261e;font-weight:600}.warn{color:#9a6700;font-weight:600}.unknown{color:#57606a;font-weight:600}
.finding{border:1px solid #d0d7de;padding:8px 12px;margin:10px 0;break-inside:avoid-page}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
`

const row = (cells: unknown[], head = false) =>
  `<tr>${cells.map((c) => (head ? `<th>${e(c)}</th>` : `<td>${e(c)}</td>`)).join('')}</tr>`
const table = (head: string[], rows: unknown[][]) =>
  `<table><thead>${row(head, true)}</thead><tbody>${rows.map((r) => row(r)).join('')}</tbody></table>`
/** A check's result in its level's word (a report written before checks had levels: pass, fail, unknown). */
const okText = (c: { ok: boolean | null; level?: 'ok' | 'warn' | 'bad' | 'unknown' }) => {
  const level = c.level ?? (c.ok === null ? 'unknown' : c.ok ? 'ok' : 'bad')
  return `<span class="${level}">${levelWords[level]}</span>`
}
const v = (x: unknown) => (x === null || x === undefined || x === '' ? 'unknown' : String(x))

function evidence(list: Evidence[]): string {
  if (list.length === 0) return ''
  return list
    .map((ev) => {
      const text =
        ev.excerpt.length > MAX_EXCERPT
          ? `${ev.excerpt.slice(0, MAX_EXCERPT)}\n… (${ev.excerpt.length - MAX_EXCERPT} more characters)`
          : ev.excerpt
      return `<div><span class="muted">Evidence — ${e(copyableCommand(ev.source))}</span><pre>${e(text)}</pre></div>`
    })
    .join('')
}

function machineSection(r: Report): string {
  const s = r.snapshot
  const out: string[] = ['<h2>Machine</h2>']
  if (s.os.status === 'known') {
    const os = s.os.value
    out.push(
      table(
        ['Fact', 'Value'],
        [
          ['Computer', v(os.computerName ?? s.origin.name)],
          ['Edition', `${v(os.productName)}${os.edition ? ` (${os.edition})` : ''}`],
          ['Version', v(os.displayVersion)],
          ['Build (OS build.UBR)', os.build != null ? `${os.build}.${v(os.ubr)}` : 'unknown'],
          ['Processor (native architecture)', v(os.nativeArch)],
          ['App process architecture', `${v(os.processArch)}${os.emulated ? ' (emulated)' : ''}`],
        ],
      ),
    )
  }
  if (s.packages.status === 'known') {
    const p = s.packages.value
    out.push(
      '<h3>Packages (component store)</h3>',
      table(
        ['Fact', 'Value'],
        [
          // The PC's own build (a 23H2 PC's LCU package carries the 22621 base): one build number per PC.
          [
            'Cumulative update level (LCU)',
            p.lcu
              ? `${(s.os.status === 'known' ? s.os.value.build : null) ?? p.lcu.build}.${p.lcu.ubr} — ${p.lcu.identity}`
              : 'none found',
          ],
          [
            'Checkpoint',
            `${p.checkpoint.kb ?? 'none'}: ${p.checkpoint.present === null ? 'unknown' : p.checkpoint.present ? 'present' : 'MISSING'} — ${p.checkpoint.reason}`,
          ],
          ['Servicing stack', v(p.servicingStackVersion)],
          ['Packages', String(p.packages.length)],
        ],
      ),
    )
    const notInstalled = p.packages.filter((x) => x.state !== 'installed' && x.state !== 'superseded')
    if (notInstalled.length > 0)
      out.push(
        '<p>Packages not in the installed state:</p>',
        table(
          ['Package identity', 'KB', 'State', 'Release type'],
          notInstalled.map((x) => [
            x.identity,
            x.kb ?? 'none in its name',
            PACKAGE_STATE_WORDS[x.state] ?? 'other',
            v(x.releaseType),
          ]),
        ),
      )
  }
  if (s.reboot.status === 'known') {
    out.push(
      '<h3>Restart pending (reboot-pending)</h3>',
      table(
        ['Source', 'Pending', 'Detail'],
        s.reboot.value.sources.map((x) => [
          x.label,
          x.pending === null ? 'unknown' : x.pending ? 'yes' : 'no',
          x.detail,
        ]),
      ),
    )
  }
  if (s.storage.status === 'known') {
    const st = s.storage.value
    out.push(
      '<h3>Storage</h3>',
      `<p>System drive ${e(st.systemDrive.letter)}: ${e(formatBytes(st.systemDrive.freeBytes))} free of ${e(formatBytes(st.systemDrive.sizeBytes))}. BitLocker: ${e(st.bitlocker.protectionStatus)}.</p>`,
    )
    out.push(
      table(
        ['Disk', 'Partition', 'Role', 'Size', 'Free', 'Letter', 'WinRE'],
        st.disks.flatMap((d) =>
          d.partitions.map((x) => [
            d.number,
            x.partitionNumber,
            x.role,
            formatBytes(x.sizeBytes),
            x.freeBytes === null ? 'unknown' : formatBytes(x.freeBytes),
            v(x.driveLetter),
            x.holdsWinre ? 'yes' : '',
          ]),
        ),
      ),
    )
  }
  if (s.services.status === 'known')
    out.push(
      '<h3>Services</h3>',
      table(
        ['Service', 'Status', 'Start type'],
        s.services.value.map((x) => [`${x.name}${x.displayName ? ` (${x.displayName})` : ''}`, x.status, x.startType]),
      ),
    )
  if (s.winre.status === 'known') {
    const w = s.winre.value
    out.push(
      '<h3>Recovery environment (WinRE)</h3>',
      table(
        ['Fact', 'Value'],
        [
          ['Status', w.status],
          ['Version', v(w.version)],
          [
            'Location',
            w.location ? `disk ${w.location.disk}, partition ${w.location.partition}: ${w.location.path}` : 'none',
          ],
          ['Image waiting at', v(w.stagedImagePath)],
          ...w.disagreements.map((d) => ['Disagreement', d]),
        ],
      ),
    )
  }
  if (s.history.status === 'known' && s.history.value.length > 0) {
    out.push(
      '<h3>Update history (Windows Update)</h3>',
      table(
        ['Date', 'Update', 'Operation', 'Result', 'Code'],
        s.history.value.map((h) => [
          v(h.date),
          h.title,
          h.operation,
          HISTORY_RESULT_WORDS[h.result] ?? 'other',
          h.hresult ?? '',
        ]),
      ),
    )
  }
  if (s.hotfixes.status === 'known' && s.hotfixes.value.length > 0) {
    out.push(
      '<h3>Installed hotfixes</h3>',
      table(
        ['KB', 'Description', 'Installed on'],
        s.hotfixes.value.map((h) => [h.kb, v(h.description), v(h.installedOn)]),
      ),
    )
  }
  return out.join('')
}

function findingsSection(r: Report): string {
  const out = ['<h2>What is wrong (findings, most likely first)</h2>']
  if (!r.diagnosis.available)
    out.push(`<p class="muted">No diagnosis was made. ${r.diagnosis.notes.map(e).join(' ')}</p>`)
  // Past findings are history, listed after what holds now, never as a problem.
  const now = r.diagnosis.findings.filter((f) => f.state !== 'past')
  const past = r.diagnosis.findings.filter((f) => f.state === 'past')
  if (r.diagnosis.available && now.length === 0) out.push(`<p>${e(noProblemWords(r.diagnosis.findings))}</p>`)
  now.forEach((f, i) => {
    out.push(
      `<div class="finding" data-state="${e(f.state ?? 'current')}"><h3>${i + 1}. ${e(f.title)}</h3><p class="mono">${e(f.technical)}</p>`,
    )
    if (f.state === 'unknown') out.push('<p><em>May already be resolved: the last boot could not be read.</em></p>')
    out.push(
      `<p>Severity: ${e(SEVERITY_WORDS[f.severity] ?? 'problem')} · confidence ${e(Math.round(f.confidence * 100))}%${f.codes.length ? ` · codes ${e(f.codes.join(', '))}` : ''}</p>`,
    )
    if (f.causes.length) out.push(`<p>Causes:</p><ul>${f.causes.map((c) => `<li>${e(c)}</li>`).join('')}</ul>`)
    if (f.remedies.length)
      out.push(
        `<p>Remedies, in order:</p><ol>${f.remedies
          .map(
            (m) =>
              `<li><strong>${e(m.title)}</strong>${m.verified ? '' : ' <em>(unverified)</em>'} — ${e(m.text)}${m.commands.length ? `<pre>${e(m.commands.join('\n'))}</pre>` : ''}${m.fillIn?.length ? `<p>Put your own value in place of each &lt;…&gt;, then run:</p><pre class="fill-in">${e(m.fillIn.join('\n'))}</pre>` : ''}${remedyRiskLines(
                m,
              )
                .map((l) => `<p class="risk">${e(l)}</p>`)
                .join('')}</li>`,
          )
          .join('')}</ol>`,
      )
    out.push(evidence(f.evidence), '</div>')
  })
  if (past.length)
    out.push(
      `<h3>History: happened, since resolved</h3><ul>${past.map((f) => `<li data-state="past">${e(f.title)}${f.since ? ` (${e(f.since.slice(0, 10))})` : ''} — since resolved by ${e(f.resolvedBy ?? 'a later change')}</li>`).join('')}</ul>`,
    )
  if (r.diagnosis.available && r.diagnosis.notes.length)
    out.push(`<p class="muted">${r.diagnosis.notes.map(e).join('<br>')}</p>`)
  return out.join('')
}

const levelText = (l: { build: number | null; ubr: number | null } | null) =>
  l && l.build !== null ? `${l.build}.${l.ubr ?? '?'}` : 'unknown'

/**
 * The Fix-it repairs that changed the PC, from the run records: each with what changed and the undo. Only
 * runs this copy sealed; the others are listed apart (unvouchedRuns).
 */
export function fixItRuns(r: Report): Report['runs'] {
  return (r.runs ?? []).filter(
    (x) => x.kind === 'repair' && x.sealed === true && (x.changed.length > 0 || x.undo.length > 0),
  )
}

/** Runs whose journals this copy did not seal: records it cannot vouch for, shown apart, counting for nothing. */
export function unvouchedRuns(r: Report): Report['runs'] {
  return (r.runs ?? []).filter((x) => x.sealed !== true)
}

function actionsSection(r: Report): string {
  const out = ['<h2>What was done</h2>']
  const fixIts = fixItRuns(r)
  if (r.actions.length === 0 && fixIts.length === 0) out.push('<p>Servicing Desk changed nothing on this machine.</p>')
  for (const x of fixIts) {
    out.push(
      `<h3 data-run="repair">${e(x.title)} — ${e(runStateWords(x.outcome))}${x.endedAt ? ` <span class="muted">(${e(x.endedAt)})</span>` : ''}</h3>`,
    )
    if (x.before || x.after)
      out.push(
        `<p>Build before: <span class="mono">${e(levelText(x.before))}</span> · after: <span class="mono">${e(levelText(x.after))}</span></p>`,
      )
    out.push(
      table(
        ['Step', 'Command', 'Result', 'Code', 'Message'],
        x.steps.map((st) => [st.title, v(st.commandLine), stepResultWords(st.result), st.code ?? '', st.message ?? '']),
      ),
    )
    if (x.verified !== null)
      out.push(
        `<p>Verified: ${x.verified ? '<span class="ok">yes</span>' : '<span class="bad">no</span>'}${x.verificationDetail ? ` — ${e(x.verificationDetail)}` : ''}</p>`,
      )
    for (const u of x.undo) {
      // A line with a value to put in (`<the update .msu or .cab>`) is no command to paste as shown: it is
      // a fill-in, said so, apart from the lines that run as shown.
      const fill = u.commands.filter((c) => /<[^<>]+>/.test(c)),
        run = u.commands.filter((c) => !/<[^<>]+>/.test(c))
      out.push(
        `<p><strong>To undo${u.done ? '' : ' (planned, did not take place)'}:</strong> ${e(u.how)}</p>${run.length ? `<pre>${e(run.join('\n'))}</pre>` : ''}${fill.length ? `<p>Put your own value in place of each &lt;…&gt;, then run:</p><pre class="fill-in">${e(fill.join('\n'))}</pre>` : ''}`,
      )
    }
  }
  const unvouched = unvouchedRuns(r)
  if (unvouched.length) {
    out.push(
      `<h3 data-run="unvouched">Records this copy cannot vouch for</h3><p class="muted">These journals do not carry this copy's seal (an earlier version's, edited, or not written by the app): what they say is shown, and none of it counts.</p>`,
    )
    out.push(
      table(
        ['Record', 'Says', 'Journal'],
        unvouched.map((x) => [x.title, `${x.outcome}${x.verified ? ', verified' : ''}`, x.journal]),
      ),
    )
  }
  for (const a of r.actions) {
    const run = (r.runs ?? []).find((x) => x.id === a.planId)
    out.push(
      `<h3>${a.kind === 'winre-repair' ? 'WinRE repair' : `Install ${e(a.targets.join(', ') || 'updates')}`} — ${e(runStateWords(a.status))}</h3>`,
    )
    if (run && (run.before || run.after))
      out.push(
        `<p>Build before: <span class="mono">${e(levelText(run.before))}</span> · after: <span class="mono">${e(levelText(run.after))}</span></p>`,
      )
    out.push(
      table(
        ['Step', 'Command', 'Result', 'Code', 'Message'],
        a.steps.map((s) => [s.title, v(s.commandLine), stepResultWords(s.result), s.code ?? '', s.message ?? '']),
      ),
    )
    if (a.verification)
      out.push(
        `<p>Verified: ${a.verification.verified ? '<span class="ok">yes</span>' : '<span class="bad">no</span>'} — ${e(a.verification.detail)}</p>`,
      )
  }
  return out.join('')
}

export function renderReportHtml(r: Report): string {
  const verdict =
    r.verification.status === 'healthy'
      ? '<span class="ok">all checks pass</span>'
      : r.verification.status === 'update-available'
        ? '<span class="warn">update available</span>'
        : r.verification.status === 'problems'
          ? '<span class="bad">problems remain</span>'
          : '<span class="unknown">could not be checked</span>'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Servicing Desk report — ${e(r.machineLabel)}</title>
<style>${css}</style></head><body>
<header><h1>Servicing Desk report</h1><p>${e(r.machineLabel)}</p>
<p class="muted">Checked ${e(r.snapshot.takenAt)} · report made ${e(r.generatedAt)} · Servicing Desk ${e(r.appVersion)}</p></header>
<section class="box" aria-label="Summary"><p><strong>Most likely cause:</strong> <span id="top-cause">${r.topCause ? `${e(r.topCause.title)} — <span class="mono">${e(r.topCause.technical)}</span>` : r.diagnosis.available ? e(noProblemWords(r.diagnosis.findings)) : 'not diagnosed'}</span></p>
${r.originalError ? `<p><strong>Original error:</strong> <span class="mono" id="original-error">${e(r.originalError.code)}</span> (${e(r.originalError.source)})${r.originalError.cause ? ` — ${e(r.originalError.cause)}` : ''}</p>` : ''}
<p><strong>Verification:</strong> ${verdict}</p></section>
${findingsSection(r)}
${actionsSection(r)}
<h2>Verification</h2>
${`<table><thead>${row(['Check', 'Result', 'Detail'], true)}</thead><tbody>${r.verification.checks.map((c) => `<tr><td>${e(c.label)}</td><td>${okText(c)}</td><td>${e(c.detail)}${c.technical ? `<div class="mono">technical: ${e(c.technical)}</div>` : ''}</td></tr>`).join('')}</tbody></table>`}
${machineSection(r)}
${r.unknownFacts.length ? `<h2>Facts that could not be read</h2>${r.unknownFacts.map((u) => `<h3>${e(u.fact)}</h3><p>${e(u.reason)}</p>${evidence(u.evidence)}`).join('')}` : ''}
</body></html>
`
}
