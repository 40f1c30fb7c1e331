/**
 * The package list with filters (state, release type, text). The table sits in a fixed-height,
 * scrollable region so the page never jumps; at most 300 rows are drawn (a PC can have thousands).
 */
import { useId, useMemo, useState } from 'react'
import type { PackagesFact } from '../../../preload/model/snapshot.ts'
import type { Fact } from '../../../preload/model/common.ts'
import { strings } from '../strings.ts'
import { choicesOf, filterPackages, noFilter, plainPackageName, type PackageFilter } from './package-filter.ts'

const MAX_ROWS = 300

/** One filter's choices: "Any", then the values present. */
function Choice({
  label,
  value,
  options,
  onChange,
  testId,
  words,
}: {
  label: string
  value: string
  options: string[]
  onChange: (v: string) => void
  testId: string
  words?: Record<string, string>
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{strings.packages.any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {words?.[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  )
}

/**
 * `osBuild`: the PC's build as Windows reports it (CurrentBuild). The cumulative update's package carries the
 * servicing base's number (22621 on a 23H2 PC, which runs 22631 through an enablement package), so the level is
 * shown with the PC's own build: one build number per PC on every screen.
 */
export function PackageList({ fact, osBuild = null }: { fact: Fact<PackagesFact> | null; osBuild?: number | null }) {
  const t = strings.packages
  const [filter, setFilter] = useState<PackageFilter>(noFilter)
  const id = useId()
  const list = fact?.status === 'known' ? fact.value.packages : []
  const shown = useMemo(() => filterPackages(list, filter), [list, filter])
  const states = useMemo(() => choicesOf(list, 'state'), [list])
  const types = useMemo(() => choicesOf(list, 'releaseType'), [list])
  return (
    <section aria-labelledby={`${id}-title`} className="package-section">
      <h2 id={`${id}-title`}>
        {t.title} <span className="muted small-inline">({t.technical})</span>
      </h2>
      {fact?.status === 'unknown' && (
        <p className="error" data-testid="packages-unknown">
          {t.unknown(fact.error)}
        </p>
      )}
      {fact?.status === 'known' && (
        <dl className="facts compact">
          <dt>{t.lcu}</dt>
          <dd className="mono" data-testid="fact-lcu">
            {fact.value.lcu ? `${osBuild ?? fact.value.lcu.build}.${fact.value.lcu.ubr}` : strings.overview.unknown}
          </dd>
          <dt>{t.ssu}</dt>
          <dd className="mono">{fact.value.servicingStackVersion ?? strings.overview.unknown}</dd>
        </dl>
      )}
      <fieldset className="filters" aria-label={t.filters} disabled={fact?.status !== 'known'}>
        <legend className="visually-hidden">{t.filters}</legend>
        <Choice
          label={t.state}
          value={filter.state}
          options={states}
          onChange={(state) => setFilter({ ...filter, state })}
          testId="filter-state"
          words={t.states}
        />
        <Choice
          label={t.releaseType}
          value={filter.releaseType}
          options={types}
          onChange={(releaseType) => setFilter({ ...filter, releaseType })}
          testId="filter-release-type"
        />
        <label>
          {t.text}
          <input
            type="search"
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
            data-testid="filter-text"
          />
        </label>
        <span className="muted" role="status" aria-live="polite" data-testid="package-count">
          {fact?.status === 'known' ? t.count(shown.length, list.length) : ''}
        </span>
      </fieldset>
      <section
        className="table-scroll"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box: focusable so the keyboard can scroll it (axe's scrollable-region-focusable)
        tabIndex={0}
        aria-label={t.title}
      >
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t.identity}</th>
              <th scope="col">{t.kb}</th>
              <th scope="col">{t.state}</th>
              <th scope="col">{t.releaseType}</th>
              <th scope="col">{t.installed}</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, MAX_ROWS).map((p) => (
              <tr key={p.identity} data-state={p.state}>
                <td className="wrap" data-testid="package-name">
                  {plainPackageName(p)}{' '}
                  <details className="technical-details">
                    <summary>{strings.diagnosis.technicalDetails}</summary>
                    <span className="mono technical">{p.identity}</span>
                  </details>
                </td>
                <td className={p.kb ? undefined : 'muted'}>{p.kb ?? t.noKb(p.identity)}</td>
                <td>
                  <span className={`state state-${p.state}`}>{t.states[p.state] ?? p.state}</span>
                </td>
                <td>{p.releaseType ?? ''}</td>
                <td>{p.installTime?.slice(0, 10) ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {fact?.status === 'known' && shown.length === 0 && <p className="muted">{t.none}</p>}
        {shown.length > MAX_ROWS && <p className="muted">{t.more(shown.length - MAX_ROWS)}</p>}
      </section>
    </section>
  )
}
