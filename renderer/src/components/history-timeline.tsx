/**
 * The update history as a timeline: each attempt a mark on its date (a circle for a success, a cross
 * for a failure — shape, not only colour), and below it the same list as a table where each failure
 * links to its diagnosis (the Diagnosis screen with the code).
 */
import type { UpdateHistoryEntry } from '../../../preload/model/snapshot.ts'
import type { Fact } from '../../../preload/model/common.ts'
import { strings } from '../strings.ts'
import { hrefOf } from '../router.ts'
import { withContentKeys } from './list-keys.ts'

const W = 720
const H = 120
const DAY = 86_400_000

export interface TimelineMark {
  entry: UpdateHistoryEntry
  x: number
  y: number
  kind: 'succeeded' | 'failed' | 'other'
}

/** Places each dated entry on the time axis; entries that would overlap stack upwards. Pure. */
export function timelineMarks(
  entries: readonly UpdateHistoryEntry[],
  width = W,
): { marks: TimelineMark[]; from: string | null; to: string | null } {
  const dated = entries
    .filter((e) => e.date && !Number.isNaN(Date.parse(e.date)))
    .sort((a, b) => Date.parse(a.date!) - Date.parse(b.date!))
  if (dated.length === 0) return { marks: [], from: null, to: null }
  const t0 = Date.parse(dated[0].date!)
  const t1 = Date.parse(dated[dated.length - 1].date!)
  const span = Math.max(t1 - t0, DAY)
  const placed: number[] = []
  const marks = dated.map((entry) => {
    const x = 20 + ((Date.parse(entry.date!) - t0) / span) * (width - 40)
    const n = placed.filter((px) => Math.abs(px - x) < 14).length
    placed.push(x)
    const kind =
      entry.result === 'failed' || entry.result === 'aborted'
        ? ('failed' as const)
        : entry.result.startsWith('succeeded')
          ? ('succeeded' as const)
          : ('other' as const)
    return { entry, x, y: 70 - Math.min(n, 3) * 16, kind }
  })
  return { marks, from: dated[0].date!.slice(0, 10), to: dated[dated.length - 1].date!.slice(0, 10) }
}

export function HistoryTimeline({
  history,
  diagnosisScreen,
}: {
  history: Fact<UpdateHistoryEntry[]> | null
  diagnosisScreen: string | null
}) {
  const t = strings.history
  if (!history) return <div className="figure-slot history-slot" />
  if (history.status === 'unknown')
    return (
      <p className="muted" data-testid="history-unknown">
        {t.unknown(history.error)}
      </p>
    )
  if (history.value.length === 0) return <p className="muted">{t.none}</p>
  const { marks, from, to } = timelineMarks(history.value)
  const resultText = (k: TimelineMark['kind']) =>
    k === 'succeeded' ? t.succeeded : k === 'failed' ? t.failed : t.other
  const rows = [...history.value].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
  return (
    <>
      <div className="figure-slot history-slot">
        <svg
          viewBox={`0 0 ${W} ${H}`}
          width={W}
          height={H}
          className="history-svg"
          role="img"
          aria-labelledby="history-svg-title history-svg-desc"
          data-testid="history-timeline"
        >
          <title id="history-svg-title">{t.figureLabel}</title>
          <desc id="history-svg-desc">
            {marks
              .map(
                (m) =>
                  `${m.entry.date?.slice(0, 10)}: ${m.entry.kb ?? m.entry.title} ${resultText(m.kind)}${m.entry.hresult ? ` ${m.entry.hresult}` : ''}`,
              )
              .join('; ')}
          </desc>
          <line x1={20} y1={84} x2={W - 20} y2={84} className="axis" />
          <text x={20} y={104} className="axis-label">
            {from}
          </text>
          <text x={W - 20} y={104} textAnchor="end" className="axis-label">
            {to}
          </text>
          {withContentKeys(marks).map(([key, m]) =>
            m.kind === 'failed' ? (
              <path
                key={key}
                d={`M${m.x - 6},${m.y - 6} L${m.x + 6},${m.y + 6} M${m.x - 6},${m.y + 6} L${m.x + 6},${m.y - 6}`}
                className="mark-failed"
                data-kind="failed"
              />
            ) : (
              <circle
                key={key}
                cx={m.x}
                cy={m.y}
                r={6}
                className={m.kind === 'succeeded' ? 'mark-ok' : 'mark-other'}
                data-kind={m.kind}
              />
            ),
          )}
        </svg>
        <p className="legend small" aria-hidden="true">
          <span className="legend-ok">●</span> {t.succeeded} <span className="legend-failed">✕</span> {t.failed}
        </p>
      </div>
      <section
        className="table-scroll short"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box: focusable so the keyboard can scroll it (axe's scrollable-region-focusable)
        tabIndex={0}
        aria-label={t.title}
      >
        <table className="data" data-testid="history-table">
          <thead>
            <tr>
              <th scope="col">{t.date}</th>
              <th scope="col">{t.update}</th>
              <th scope="col">{t.result}</th>
              <th scope="col">{t.code}</th>
              <th scope="col">{t.action}</th>
            </tr>
          </thead>
          <tbody>
            {withContentKeys(rows).map(([key, e]) => (
              <tr key={key} data-result={e.result}>
                <td>{e.date?.slice(0, 10) ?? ''}</td>
                <td>{e.title}</td>
                <td>{e.result}</td>
                <td className="mono">{e.hresult ?? ''}</td>
                <td>
                  {e.result === 'failed' &&
                    e.hresult &&
                    (diagnosisScreen ? (
                      <a href={hrefOf(diagnosisScreen, { code: e.hresult })} data-testid={`diagnose-${e.hresult}`}>
                        {t.diagnose(e.hresult)}
                      </a>
                    ) : (
                      <span className="mono">{e.hresult}</span>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
