/** Update history: every attempt by date, successes and failures, each failure linked to its diagnosis. */
import { strings } from '../strings.ts'
import { useMachine } from '../stores/index.ts'
import { HistoryTimeline } from '../components/history-timeline.tsx'
import { ProgressBar } from '../components/progress-bar.tsx'
import { diagnosisScreenOf } from '../flow.ts'
import { registeredScreens } from '../screen-registry.ts'
import { hrefOf } from '../router.ts'

export function HistoryScreen() {
  const snapshot = useMachine((s) => s.snapshot)
  const machine = useMachine((s) => s.machine)
  const scanning = useMachine((s) => s.scanning)
  const fraction = useMachine((s) => s.scanFraction)
  const t = strings.history
  return (
    <section aria-labelledby="history-title" className="screen">
      <h1 id="history-title">
        {t.title} <span className="muted small-inline">({t.technical})</span>
      </h1>
      <div className="progress-slot">{scanning && <ProgressBar label={strings.start.scanning} value={fraction} />}</div>
      {!machine ? (
        <>
          <p>{strings.overview.notScanned}</p>
          <a className="button-like" href={hrefOf('start')}>
            {strings.overview.chooseMachine}
          </a>
        </>
      ) : (
        <HistoryTimeline history={snapshot?.history ?? null} diagnosisScreen={diagnosisScreenOf(registeredScreens())} />
      )}
    </section>
  )
}
