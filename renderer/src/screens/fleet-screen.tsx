/**
 * Many PCs: the devices of a fleet grouped by their diagnosed cause, each group with its share of
 * the fleet and what became of its fix (fixed, still failing, not reported yet); a group's fix as the admin's tools
 * take it; the whole device list, searchable and filterable, drawn a screenful at a time (50,000 devices scroll
 * smoothly: only the rows in view exist); one device's timeline. The same services as the CLI's `fleet` commands;
 * a training fleet can be made and imported here to try it all on this machine.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { fleetStore, useFleet } from '../stores/index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { StatusTag, type Tone } from '../components/status-tag.tsx'
import { copyText } from '../components/command-block.tsx'
import { downloadText } from '../components/download.ts'
import type { FleetGroup } from '../../../preload/model/fleet.ts'
import type { FleetDeviceState, FleetDeviceTimeline, FleetName } from '../../../preload/model/fleet-calls.ts'
import { severityWords } from '../../../preload/model/status-words.ts'
import { withContentKeys } from '../components/list-keys.ts'

const NO_PROBLEM = 'none'
const NOT_REPORTED = 'not-reported'

export const fleetStrings = {
  nav: 'Many PCs',
  title: 'Many PCs',
  intro:
    'Devices grouped by what is actually wrong with them, one fix per group, and proof per device when it reports again.',
  which: 'Which fleet',
  fleets: { yours: 'Your fleet', training: 'Training fleet' } as Record<FleetName, string>,
  yoursEmpty:
    'No devices in your fleet yet. Import what Intune, the update reports or the collector gave with the command line (servicing-desk fleet import), or try a training fleet below.',
  trainingEmpty: 'No training fleet yet: make one below.',
  trainingTitle: 'Try it on this machine',
  trainingIntro:
    'Makes a training fleet of emulated devices (what Intune’s remediation export and the update alerts would give for them, and each one’s collected file when chosen) and imports it here, apart from your fleet.',
  size: 'Devices',
  withFiles: 'Include each device’s collected file (tells more causes apart; up to 2,000 devices)',
  makeTraining: 'Make and import the training fleet',
  importing: 'Importing the training fleet',
  imported: (n: number, s: number) => `Imported ${n.toLocaleString('en-US')} devices in ${s} seconds.`,
  summary: (n: number, failing: number, fixed: number, notReported: number) =>
    `${n.toLocaleString('en-US')} devices: ${failing.toLocaleString('en-US')} still failing, ${fixed.toLocaleString('en-US')} fixed, ${notReported.toLocaleString('en-US')} not reported.`,
  findingsNote: (findings: number) =>
    `The groups count problems, not devices: a device with two problems is in both groups (${findings.toLocaleString('en-US')} problems in all). A device counts as fixed only when none of its problems is left.`,
  groupsTitle: 'Groups by cause',
  devicesOf: (n: number, share: number) =>
    `${n.toLocaleString('en-US')} devices (${(share * 100).toFixed(1)}% of the fleet)`,
  split: (g: { failing: number; fixed: number; cleared: number; unproven: number; notReported: number }) =>
    [
      `${g.failing.toLocaleString('en-US')} still failing`,
      `${g.fixed.toLocaleString('en-US')} fixed`,
      ...(g.cleared ? [`${g.cleared.toLocaleString('en-US')} with this cause gone but another problem left`] : []),
      ...(g.unproven ? [`${g.unproven.toLocaleString('en-US')} not proven by their report`] : []),
      `${g.notReported.toLocaleString('en-US')} not reported`,
    ].join(', '),
  whyTitle: 'Why not proven fixed',
  whyDevices: (n: number) => `${n.toLocaleString('en-US')} devices`,
  next: 'Next step',
  legend: { failing: 'Still failing', fixed: 'Fixed', notReported: 'Not reported', other: 'No problem' },
  architectures: 'Architectures',
  builds: 'Builds',
  codes: 'Codes',
  evidence: 'Evidence',
  unknown: 'Not known',
  showDevices: 'Show these devices',
  buildFix: 'Build the fix for this group',
  buildingFix: 'Building the fix',
  fixBuilt: (at: string, n: number) =>
    `Fix built ${at} for ${n.toLocaleString('en-US')} devices. Each shows as fixed when it reports again without the problem.`,
  reportAgain: 'Let these training devices report again',
  reportingAgain: 'The training devices report again',
  reportedAgain: (n: number) => `${n.toLocaleString('en-US')} devices reported again.`,
  fixTitle: (title: string) => `The fix for: ${title}`,
  fixWritten: (folder: string, n: number) => `Written to ${folder}, for ${n.toLocaleString('en-US')} devices.`,
  fixFilesCaption: 'The fix files and what each does',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Could not copy; select the text instead',
  content: (name: string) => `Show ${name}`,
  notes: 'Worth knowing',
  report: 'Fleet report',
  reportAs: { html: 'Save as a web page', csv: 'Save as a spreadsheet (CSV)', json: 'Save as JSON' },
  reportSaved: (where: string) => `Saved: ${where}`,
  reportDownloaded: (name: string) => `Downloaded ${name}.`,
  reportCancelled: 'Not saved: the save dialog was closed.',
  listTitle: 'Devices',
  search: 'Search by name',
  group: 'Group',
  state: 'State',
  arch: 'Architecture',
  build: 'Build',
  any: 'Any',
  count: (n: number | null) => (n === null ? 'Counting…' : `${n.toLocaleString('en-US')} devices`),
  clear: 'Clear the filters',
  loading: 'Loading…',
  unknownValue: 'Unknown',
  states: {
    failing: 'Still failing',
    fixed: 'Fixed',
    healthy: 'No problem',
    'not-reported': 'Not reported',
    'awaiting-report': 'Fix sent, not reported since',
    unproven: 'Fix sent, not proven',
  } as Record<FleetDeviceState, string>,
  fixedAt: (at: string) => `fixed ${at}`,
  close: 'Close',
  deviceTitle: (name: string) => `Device ${name}`,
  judgedFrom: 'Judged from',
  nothingYet: 'nothing yet',
  buildArch: 'Build and architecture',
  findings: 'Findings',
  noFindings: 'No finding.',
  timeline: 'Timeline',
  when: 'When',
  source: 'Source',
  said: 'What it said',
  fixes: 'Fixes',
  fixFor: (title: string, at: string) => `Fix for “${title}” built ${at}`,
  provenAt: (at: string) => `proven fixed by the report of ${at}`,
  notProven: 'not proven yet',
  notProvenWhy: (why: string) => `not proven yet: ${why}`,
  sources: {
    'collector-line': 'Collector line',
    'intune-graph': 'Intune run state (Graph)',
    'intune-csv': 'Intune run state (export)',
    'intune-report': 'Intune update failures report',
    'uc-update-alert': 'Update alert',
    'uc-client-update-status': 'Update status',
    'uc-service-update-status': 'Service update status',
    'wu-history': 'Update history',
    'event-log': 'Windows Update event',
    configmgr: 'ConfigMgr update compliance',
    snapshot: 'Collected file',
    'fan-out': 'Collected over PowerShell remoting',
    alerts: 'Its update alerts',
  } as Record<string, string>,
  kinds: { silent: 'Assigned; has not reported', status: 'Update status' } as Record<string, string>,
  alert: (codes: string, status: string | null) =>
    `Failure ${codes}${status === 'resolved' ? ' (resolved)' : status === 'active' ? ' (active)' : ''}`,
  severity: severityWords as Record<string, string>,
}

const t = fleetStrings
const ROW_HEIGHT = 36
const SIZES = [200, 5_000, 50_000]

/** `2026-11-20T08:00:00.000Z` → `2026-11-20 08:00 UTC`. */
export function timeWords(iso: string | null): string {
  if (!iso) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso)
  return m ? `${m[1]} ${m[2]} UTC` : iso
}

const stateTone = (s: FleetDeviceState): Tone =>
  s === 'fixed' || s === 'healthy' ? 'ok' : s === 'failing' ? 'bad' : 'neutral'
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k === 'unknown' ? t.unknownValue : k} (${n.toLocaleString('en-US')})`)
    .join(', ')

/** The group's share of the fleet as a bar, split into fixed, still failing and not reported. */
function ShareBar({ g }: { g: FleetGroup }) {
  const other = Math.max(0, g.count - g.failing - g.fixed - g.notReported)
  const part = (n: number) => `${(g.share * 100 * n) / Math.max(1, g.count)}%`
  return (
    <div className="fleet-bar" aria-hidden="true" data-testid="fleet-group-bar">
      <span className="fleet-bar-fixed" style={{ width: part(g.fixed) }} />
      <span className="fleet-bar-failing" style={{ width: part(g.failing) }} />
      <span className="fleet-bar-unreported" style={{ width: part(g.notReported) }} />
      <span className="fleet-bar-other" style={{ width: part(other) }} />
    </div>
  )
}

function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const [said, setSaid] = useState<string | null>(null)
  return (
    <>
      <button
        type="button"
        className="secondary small"
        data-testid={testId}
        onClick={() => void copyText(text).then((ok) => setSaid(ok ? t.copied : t.copyFailed))}
      >
        {t.copy}
      </button>
      <span role="status" className="muted small">
        {said ?? ''}
      </span>
    </>
  )
}

function GroupItem({ g, training }: { g: FleetGroup; training: boolean }) {
  const busy = useFleet((s) => s.busy)
  const fixes = useFleet((s) => s.overview?.fixes ?? [])
  const fix = fixes.find((f) => f.cause === g.cause)
  // A safeguard hold has nothing on the device to fix (Microsoft holds the update back): no fix to build.
  // Held by the service (a hold, a pause, a cancelled offer, registration) or reported without a cause: no fix to build either.
  const fixable =
    g.cause !== NO_PROBLEM &&
    g.cause !== NOT_REPORTED &&
    g.cause !== 'reported' &&
    !['safeguard-hold', 'update-paused', 'offer-cancelled', 'service-registration'].includes(g.cause)
  return (
    <li
      className="card fleet-group"
      data-testid="fleet-group"
      data-cause={g.cause}
      aria-labelledby={`fleet-group-${g.cause}`}
    >
      <h3 id={`fleet-group-${g.cause}`}>{g.title}</h3>
      <p data-testid="fleet-group-count">
        <strong>{t.devicesOf(g.count, g.share)}</strong>
        {g.cause !== NO_PROBLEM && (
          <>
            : <span data-testid="fleet-group-split">{t.split(g)}</span>
          </>
        )}
      </p>
      <ShareBar g={g} />
      <dl className="fleet-facts small">
        <dt>{t.architectures}</dt>
        <dd>{counts(g.architectures)}</dd>
        <dt>{t.builds}</dt>
        <dd>{counts(g.builds)}</dd>
        {g.codes.length > 0 && (
          <>
            <dt>{t.codes}</dt>
            <dd className="mono">{g.codes.join(', ')}</dd>
          </>
        )}
      </dl>
      {g.evidence.length > 0 && (
        <details className="small">
          <summary>{t.evidence}</summary>
          <ul>
            {withContentKeys(g.evidence).map(([key, e]) => (
              <li key={key}>
                <strong>{e.source}</strong>: <code>{e.excerpt}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {g.unknown.length > 0 && (
        <div className="small">
          <strong>{t.unknown}:</strong> {g.unknown.join(' ')}
        </div>
      )}
      {fix && (
        <p className="small" role="status" data-testid="fleet-fix-built">
          {t.fixBuilt(timeWords(fix.at), fix.devices)}
        </p>
      )}
      {fixable && g.why.length > 0 && (
        <div className="small" data-testid="fleet-group-why">
          <strong>{t.whyTitle}</strong>
          <ul>
            {g.why.map((w) => (
              <li key={w.reason} data-testid="fleet-group-why-reason" data-reason={w.reason}>
                {t.whyDevices(w.devices)}: {w.text} <em>{t.next}:</em> {w.next}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            fleetStore.getState().setFilters({ cause: g.cause, state: '' })
            document.getElementById('fleet-list-title')?.scrollIntoView()
          }}
          data-testid="fleet-group-show"
        >
          {t.showDevices}
        </button>
        {fixable && g.failing > 0 && (
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void fleetStore.getState().buildFix(g.cause)}
            data-testid="fleet-group-fix"
          >
            {t.buildFix}
          </button>
        )}
        {training && fix && fixable && (
          <button
            type="button"
            className="secondary"
            disabled={busy !== null}
            onClick={() => void fleetStore.getState().reportAgain(g.cause)}
            data-testid="fleet-group-report-again"
          >
            {t.reportAgain}
          </button>
        )}
      </div>
    </li>
  )
}

function FixFiles() {
  const fix = useFleet((s) => s.fix)
  const title = useFleet((s) => s.overview?.groups.find((g) => g.cause === s.fix?.cause)?.title ?? '')
  if (!fix) return null
  const o = fix.output
  return (
    <section className="card" aria-labelledby="fleet-fix-title" data-testid="fleet-fix">
      <h2 id="fleet-fix-title">{t.fixTitle(title)}</h2>
      <p role="status">{t.fixWritten(o.folderLabel, o.devices)}</p>
      <table className="data">
        <caption className="visually-hidden">{t.fixFilesCaption}</caption>
        <tbody>
          {o.files.map((f) => (
            <tr key={f.name} data-testid="fleet-fix-file">
              <th scope="row" className="mono">
                {f.name}
              </th>
              <td>
                <p>{f.does}</p>
                <CopyButton text={f.content} testId={`fleet-fix-copy-${f.name}`} />
                <details>
                  <summary>{t.content(f.name)}</summary>
                  <pre className="fleet-file">
                    {f.content.length > 20_000 ? `${f.content.slice(0, 20_000)}\n…` : f.content}
                  </pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.notes.length > 0 && (
        <>
          <h3>{t.notes}</h3>
          <ul className="small">
            {withContentKeys(o.notes).map(([key, n]) => (
              <li key={key}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

/** The rows on screen, and only those: re-rendered on scroll and when a block of rows arrives, nothing around it. */
function VirtualRows() {
  const total = useFleet((s) => s.total)
  useFleet((s) => s.rowsVersion)
  const overview = useFleet((s) => s.overview)
  const titles = useMemo(() => new Map((overview?.groups ?? []).map((g) => [g.cause, g.title])), [overview])
  const parent = useRef<HTMLElement>(null)
  const v = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  })
  const items = v.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0
  useEffect(() => {
    // Within the list's length now: a new length (an import, a filter) asks again for the rows on screen.
    fleetStore.getState().ensureRows(first, total === null ? last : Math.min(last, total - 1))
  }, [first, last, total])
  const st = fleetStore.getState()
  return (
    <section
      ref={parent}
      className="fleet-scroll"
      data-testid="fleet-scroll"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box: focusable so the keyboard can scroll it (axe's scrollable-region-focusable)
      tabIndex={0}
      aria-label={t.listTitle}
    >
      <ul className="fleet-rows" style={{ height: `${v.getTotalSize()}px` }}>
        {items.map((it) => {
          const r = st.row(it.index)
          // Keyed by slot, not by device: a scroll reuses the rows' elements and changes their text (no new elements each frame).
          return (
            <li
              key={it.index % items.length}
              className="fleet-row"
              style={{ transform: `translateY(${it.start}px)`, height: `${ROW_HEIGHT}px` }}
              data-testid="fleet-row"
              data-index={it.index}
            >
              {r ? (
                <button
                  type="button"
                  className="link fleet-row-button"
                  onClick={() => void st.openDevice(r.name)}
                  data-testid="fleet-row-open"
                >
                  <span className="fleet-cell-name">{r.name}</span>
                  <span className="fleet-cell-title">{titles.get(r.cause) ?? ''}</span>
                  <span className={`fleet-cell-state fleet-state-${stateTone(r.state)}`}>
                    {t.states[r.state]}
                    {r.fixedAt ? ` ${t.fixedAt(timeWords(r.fixedAt))}` : ''}
                  </span>
                  <span className="fleet-cell-build muted small">
                    {r.build ?? t.unknownValue} {r.arch ?? ''}
                  </span>
                </button>
              ) : (
                <span className="muted">{t.loading}</span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function DeviceList() {
  const filters = useFleet((s) => s.filters)
  const total = useFleet((s) => s.total)
  const overview = useFleet((s) => s.overview)
  const [search, setSearch] = useState(filters.search)
  useEffect(() => setSearch(filters.search), [filters.search])
  const st = fleetStore.getState()
  const select = (id: string, label: string, value: string, options: [string, string][], on: (v: string) => void) => (
    <label className="fleet-filter">
      <span>{label}</span>
      <select value={value} onChange={(e) => on(e.target.value)} data-testid={id}>
        <option value="">{t.any}</option>
        {options.map(([v2, l]) => (
          <option key={v2} value={v2}>
            {l}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <section aria-labelledby="fleet-list-title" className="card" data-testid="fleet-list">
      <h2 id="fleet-list-title">{t.listTitle}</h2>
      <search>
        <form
          className="fleet-filters"
          onSubmit={(e) => {
            e.preventDefault()
            st.setFilters({ search })
          }}
        >
          <label className="fleet-filter">
            <span>{t.search}</span>
            <input
              type="search"
              value={search}
              maxLength={64}
              onChange={(e) => {
                const x = e.target.value.replace(/[^A-Za-z0-9._-]/g, '')
                setSearch(x)
                st.setFilters({ search: x })
              }}
              data-testid="fleet-search"
            />
          </label>
          {select(
            'fleet-filter-group',
            t.group,
            filters.cause,
            (overview?.groups ?? []).map((g) => [g.cause, g.title]),
            (x) => st.setFilters({ cause: x }),
          )}
          {select('fleet-filter-state', t.state, filters.state, Object.entries(t.states), (x) =>
            st.setFilters({ state: x as FleetDeviceState | '' }),
          )}
          {select(
            'fleet-filter-arch',
            t.arch,
            filters.arch,
            (overview?.architectures ?? []).map((a) => [a, a === 'unknown' ? t.unknownValue : a]),
            (x) => st.setFilters({ arch: x }),
          )}
          {select(
            'fleet-filter-build',
            t.build,
            filters.build,
            (overview?.builds ?? []).map((b) => [b, b === 'unknown' ? t.unknownValue : b]),
            (x) => st.setFilters({ build: x }),
          )}
          <button
            type="button"
            className="secondary"
            onClick={() => st.setFilters({ search: '', cause: '', state: '', arch: '', build: '' })}
          >
            {t.clear}
          </button>
        </form>
      </search>
      <p role="status" data-testid="fleet-list-count">
        {t.count(total)}
      </p>
      <VirtualRows />
    </section>
  )
}

function said(o: FleetDeviceTimeline['observations'][number]): string {
  if (o.kind === 'line' || o.kind === 'snapshot') return o.line ?? o.detail
  if (o.kind === 'alert') return t.alert(o.codes.join(', '), o.status)
  // What a detection script said that is not our line, or its error: the device's own words, kept as text.
  if (o.kind === 'status' && /^detection /.test(o.detail)) return o.detail
  // Windows Update for Business reports' update status: where the update is (KB, build, client substate).
  if (o.kind === 'status' && o.source === 'uc-client-update-status' && o.detail) return `${t.kinds.status}: ${o.detail}`
  return t.kinds[o.kind] ?? o.detail
}

function DeviceTimeline() {
  const d = useFleet((s) => s.device)
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    if (d) ref.current?.focus()
  }, [d])
  if (!d) return null
  const active = d.findings.filter((f) => f.state !== 'past')
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card fleet-device"
      aria-labelledby="fleet-device-title"
      data-testid="fleet-device"
    >
      <div className="button-row">
        <h2 id="fleet-device-title">{t.deviceTitle(d.name)}</h2>
        <button type="button" className="secondary" onClick={() => fleetStore.getState().closeDevice()}>
          {t.close}
        </button>
      </div>
      <p>
        <strong>{d.title}</strong>{' '}
        <StatusTag tone={stateTone(d.state)} testId="fleet-device-state">
          {t.states[d.state]}
        </StatusTag>
        {d.fixedAt && <span data-testid="fleet-device-fixed-at"> {t.fixedAt(timeWords(d.fixedAt))}</span>}
      </p>
      <dl className="fleet-facts small">
        <dt>{t.judgedFrom}</dt>
        <dd>
          {d.judgedFrom
            ? `${t.sources[d.judgedFrom] ?? d.judgedFrom}${d.since ? `, ${timeWords(d.since)}` : ''}`
            : t.nothingYet}
        </dd>
        <dt>{t.buildArch}</dt>
        <dd>
          {d.build ?? t.unknownValue}, {d.arch ?? t.unknownValue}
        </dd>
      </dl>
      <h3>{t.findings}</h3>
      {active.length ? (
        <ul>
          {withContentKeys(active).map(([key, f]) => (
            <li key={key}>
              <StatusTag tone={f.severity === 'info' ? 'info' : f.severity === 'warning' ? 'warn' : 'bad'}>
                {t.severity[f.severity]}
              </StatusTag>{' '}
              {f.title}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.noFindings}</p>
      )}
      {d.fixes.length > 0 && (
        <>
          <h3>{t.fixes}</h3>
          <ul data-testid="fleet-device-fixes">
            {withContentKeys(d.fixes).map(([key, f]) => (
              <li key={key}>
                {t.fixFor(f.title, timeWords(f.at))}:{' '}
                {f.provenAt ? t.provenAt(timeWords(f.provenAt)) : f.why ? t.notProvenWhy(f.why) : t.notProven}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t.timeline}</h3>
      <table className="data" data-testid="fleet-device-timeline">
        <caption className="visually-hidden">{t.timeline}</caption>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.source}</th>
            <th scope="col">{t.said}</th>
          </tr>
        </thead>
        <tbody>
          {withContentKeys(d.observations).map(([key, o]) => (
            <tr key={key}>
              <td className="nowrap">{o.kind === 'silent' && o.at.startsWith('1970') ? '' : timeWords(o.at)}</td>
              <td>{t.sources[o.source] ?? o.source}</td>
              <td className="fleet-said">
                <code>{said(o)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function TrainingCard() {
  const busy = useFleet((s) => s.busy)
  const progress = useFleet((s) => s.progress)
  const imported = useFleet((s) => s.imported)
  const [size, setSize] = useState(SIZES[0]!)
  const [files, setFiles] = useState(true)
  return (
    <section className="card" aria-labelledby="fleet-training-title" data-testid="fleet-training">
      <h2 id="fleet-training-title">{t.trainingTitle}</h2>
      <p className="muted">{t.trainingIntro}</p>
      <div className="button-row">
        <label className="fleet-filter">
          <span>{t.size}</span>
          <select
            value={size}
            onChange={(e) => {
              const n = Number(e.target.value)
              setSize(n)
              if (n > 2000) setFiles(false)
            }}
            data-testid="fleet-training-size"
          >
            {SIZES.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString('en-US')}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={files}
            disabled={size > 2000}
            onChange={(e) => setFiles(e.target.checked)}
            data-testid="fleet-training-files"
          />{' '}
          {t.withFiles}
        </label>
      </div>
      <button
        type="button"
        disabled={busy !== null}
        onClick={() => void fleetStore.getState().importTraining(size, files && size <= 2000)}
        data-testid="fleet-training-import"
      >
        {t.makeTraining}
      </button>
      {busy === 'training' && <ProgressBar label={progress?.label ?? t.importing} value={progress?.fraction ?? null} />}
      {busy === 'training' && progress && (
        <p className="muted small" role="status">
          {progress.label}
        </p>
      )}
      {imported && (
        <p role="status" data-testid="fleet-training-done">
          {t.imported(imported.devices, imported.seconds)}
        </p>
      )}
    </section>
  )
}

export function FleetScreen() {
  const fleet = useFleet((s) => s.fleet)
  const overview = useFleet((s) => s.overview)
  const busy = useFleet((s) => s.busy)
  const progress = useFleet((s) => s.progress)
  const error = useFleet((s) => s.error)
  const saved = useFleet((s) => s.saved)
  const reportedAgain = useFleet((s) => s.reportedAgain)
  useEffect(() => {
    if (!fleetStore.getState().overview) void fleetStore.getState().load()
  }, [])
  const groups = overview?.groups ?? []
  const save = async (format: 'html' | 'csv' | 'json') => {
    const out = await fleetStore.getState().report(format)
    if (out?.saveStatus === 'unavailable') downloadText(out.fileName, out.mimeType, out.content)
  }
  return (
    <section aria-labelledby="fleet-title" className="screen" data-testid="fleet-screen">
      <h1 id="fleet-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {error && (
        <p role="alert" className="error" data-testid="fleet-error">
          {error}
        </p>
      )}
      <fieldset className="fleet-which">
        <legend>{t.which}</legend>
        {(['yours', 'training'] as const).map((f) => (
          <label key={f}>
            <input
              type="radio"
              name="fleet-which"
              value={f}
              checked={fleet === f}
              disabled={busy !== null}
              onChange={() => void fleetStore.getState().load(f)}
              data-testid={`fleet-which-${f}`}
            />{' '}
            {t.fleets[f]}
          </label>
        ))}
      </fieldset>
      <TrainingCard />
      {overview && overview.devices === 0 && (
        <p className="muted" data-testid="fleet-empty">
          {fleet === 'yours' ? t.yoursEmpty : t.trainingEmpty}
        </p>
      )}
      {overview && overview.devices > 0 && (
        <>
          <p data-testid="fleet-summary">
            <strong>
              {t.summary(
                overview.devices,
                overview.totals.failing,
                overview.totals.fixed,
                overview.totals.notReported + overview.totals.awaitingReport + overview.totals.unproven,
              )}
            </strong>
          </p>
          <p className="small muted" data-testid="fleet-summary-note">
            {t.findingsNote(overview.totals.findings)}
          </p>
          {/* biome-ignore lint/a11y/useSemanticElements: a named row of action buttons outside any form: <fieldset> would add a form group's border and legend */}
          <div className="button-row" role="group" aria-label={t.report}>
            {(['html', 'csv', 'json'] as const).map((f) => (
              <button
                key={f}
                type="button"
                className="secondary"
                disabled={busy !== null}
                onClick={() => void save(f)}
                data-testid={`fleet-report-${f}`}
              >
                {t.reportAs[f]}
              </button>
            ))}
          </div>
          {saved && (
            <p role="status" className="small" data-testid="fleet-report-saved">
              {saved.saveStatus === 'saved' && saved.savedTo
                ? t.reportSaved(saved.savedTo)
                : saved.saveStatus === 'cancelled'
                  ? t.reportCancelled
                  : t.reportDownloaded(saved.fileName)}
            </p>
          )}
          {(busy === 'fix' || busy === 'report-again') && (
            <ProgressBar
              label={progress?.label ?? (busy === 'fix' ? t.buildingFix : t.reportingAgain)}
              value={progress?.fraction ?? null}
            />
          )}
          {reportedAgain && (
            <p role="status" data-testid="fleet-reported-again">
              {t.reportedAgain(reportedAgain.output.read.reduce((n, r) => n + r.observations, 0))}
            </p>
          )}
          <h2>{t.groupsTitle}</h2>
          <p className="fleet-legend small" aria-hidden="true">
            <span className="fleet-key fleet-bar-fixed" /> {t.legend.fixed}{' '}
            <span className="fleet-key fleet-bar-failing" /> {t.legend.failing}{' '}
            <span className="fleet-key fleet-bar-unreported" /> {t.legend.notReported}{' '}
            <span className="fleet-key fleet-bar-other" /> {t.legend.other}
          </p>
          <ul className="fleet-groups" data-testid="fleet-groups">
            {groups.map((g) => (
              <GroupItem key={g.cause} g={g} training={fleet === 'training'} />
            ))}
          </ul>
          <FixFiles />
          <DeviceTimeline />
          <DeviceList />
        </>
      )}
    </section>
  )
}
