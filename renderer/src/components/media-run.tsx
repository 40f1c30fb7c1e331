/**
 * Running the media update from the Media screen: the person's yes (and, with a mount left behind, their yes to
 * cleaning it first), a progress bar per image as the steps finish (the run's steps, grouped as the plan is:
 * media-plan-groups.ts), and the end: the medium read again, each layer before → after against its target,
 * verified or not, the packages with their SHA-256, and the report for the ticket.
 */
import { mediaStore, useMedia } from '../stores/media-store.ts'
import { ProgressBar } from './progress-bar.tsx'
import { StatusTag, type Tone } from './status-tag.tsx'
import { groupSteps, type MediaPlanGroup } from './media-plan-groups.ts'
import { mediaStrings } from './media-strings.ts'
import { formatGb } from './media-layers.tsx'
import type { MediaPlan, MediaUpdateOutput, MediumScan } from '../../../preload/model/media-calls.ts'
import { withContentKeys } from './list-keys.ts'

const t = mediaStrings.run

type GroupState = 'waiting' | 'running' | 'done' | 'failed'
const toneOfState: Record<GroupState, Tone> = { waiting: 'neutral', running: 'info', done: 'ok', failed: 'bad' }

/** Where an image's steps stand: failed as soon as one failed, done when every one finished, running while one runs. */
export function groupState(
  g: MediaPlanGroup,
  outcomes: Record<number, string>,
  current: number | null,
): { state: GroupState; done: number } {
  const done = g.steps.filter((s) => outcomes[s.number] !== undefined).length
  if (g.steps.some((s) => outcomes[s.number] === 'failed' || outcomes[s.number] === 'refused'))
    return { state: 'failed', done }
  if (done === g.steps.length) return { state: 'done', done }
  return { state: current !== null && g.steps.some((s) => s.number === current) ? 'running' : 'waiting', done }
}

function Progress() {
  const steps = useMedia((s) => s.runSteps)
  const outcomes = useMedia((s) => s.outcomes)
  const current = useMedia((s) => s.current)
  if (!steps) return null
  const groups = groupSteps(steps)
  return (
    <section aria-labelledby="media-progress-title" data-testid="media-progress">
      <h3 id="media-progress-title">{t.progressTitle}</h3>
      <ul className="media-progress">
        {groups.map((g) => {
          const { state, done } = groupState(g, outcomes, current)
          const label = mediaStrings.group(g.key)
          return (
            <li
              key={`${g.key}-${g.steps[0].number}`}
              data-testid={`media-progress-${g.key}`}
              data-state={state}
              data-done={done}
              data-total={g.steps.length}
            >
              <div>{label}</div>
              <div className="layer-head">
                <span className="muted small-inline">{t.steps(done, g.steps.length)}</span>
                <StatusTag tone={toneOfState[state]}>{t.state[state]}</StatusTag>
              </div>
              <ProgressBar label={`${label}: ${t.steps(done, g.steps.length)}`} value={done / g.steps.length} />
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/**
 * A completed run whose every image is at its target while setup.exe could not be judged (no Setup Dynamic Update
 * named): not verified as a whole, and not a failure either. Pure.
 */
export function onlySetupNotJudged(
  result: Pick<MediaUpdateOutput, 'status' | 'verified' | 'layers' | 'mountsLeft'>,
): boolean {
  return (
    result.status === 'completed' &&
    !result.verified &&
    result.mountsLeft.length === 0 &&
    result.layers.some((l) => l.layer === 'setup' && l.atTarget === null) &&
    result.layers.every((l) => (l.layer === 'setup' ? l.atTarget === null : l.atTarget !== false))
  )
}

function Result({ result }: { result: MediaUpdateOutput }) {
  const declined = result.status === 'declined'
  const setupOpen = onlySetupNotJudged(result)
  const status = result.verified ? 'verified' : declined ? 'declined' : setupOpen ? 'setup-not-judged' : 'failed'
  return (
    <section
      className="card"
      aria-labelledby="media-result-title"
      data-testid="media-result"
      data-status={status}
      data-verified={String(result.verified)}
    >
      <h3 id="media-result-title">
        {t.resultTitle}{' '}
        <StatusTag
          tone={result.verified ? 'ok' : declined ? 'neutral' : setupOpen ? 'warn' : 'bad'}
          testId="media-verified"
        >
          {result.verified ? t.verified : declined ? t.declined : setupOpen ? t.setupNotJudged : t.notVerified}
        </StatusTag>
      </h3>
      {result.resumed && <p data-testid="media-resumed">{t.resumed}</p>}
      <p>{result.note}</p>
      {result.problems.length > 0 && (
        <ul className={setupOpen ? 'warning' : 'error'} data-testid="media-problems">
          {withContentKeys(result.problems).map(([key, p]) => (
            <li key={key}>{p}</li>
          ))}
        </ul>
      )}
      {result.layers.length > 0 && (
        <div className="table-wrap">
          <table className="media-proof" data-testid="media-proof">
            <thead>
              <tr>
                <th scope="col">{t.columns.layer}</th>
                <th scope="col">{t.columns.before}</th>
                <th scope="col">{t.columns.after}</th>
                <th scope="col">{t.columns.target}</th>
                <th scope="col">{t.columns.mark}</th>
              </tr>
            </thead>
            <tbody>
              {result.layers.map((l) => {
                const mark = l.atTarget === null ? 'unknown' : l.atTarget ? 'yes' : 'no'
                return (
                  <tr
                    key={`${l.layer}-${l.index}`}
                    data-testid={`media-proof-${l.layer}-${l.index ?? 0}`}
                    data-at-target={mark}
                  >
                    <th scope="row">{t.layerName(l.layer, l.index)}</th>
                    <td className="mono">{l.before ?? '?'}</td>
                    <td className="mono">{l.after ?? '?'}</td>
                    <td className="mono small-inline">{l.target ?? '—'}</td>
                    <td>
                      <StatusTag tone={mark === 'yes' ? 'ok' : mark === 'no' ? 'bad' : 'neutral'}>
                        {t.atTarget[mark]}
                      </StatusTag>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {result.swmParts && <p data-testid="media-swm">{t.swm(result.swmParts.map(formatGb).join(', '))}</p>}
      {result.mountsLeft.length > 0 && <p className="warning">{t.mountsLeft(result.mountsLeft.join(', '))}</p>}
      {result.packages.length > 0 && (
        <details>
          <summary>{t.packages}</summary>
          <ul>
            {result.packages.map((p) => (
              <li key={`${p.kb}-${p.fileName}`}>
                <span className="mono">{p.fileName}</span> <span className="mono small-inline wrap">{p.sha256}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {result.report && (
        <details>
          <summary>{t.report}</summary>
          <pre className="mono media-report">{result.report}</pre>
        </details>
      )}
    </section>
  )
}

export function MediaRun({ plan, scan }: { plan: MediaPlan; scan: MediumScan }) {
  const acknowledged = useMedia((s) => s.acknowledged)
  const cleanMount = useMedia((s) => s.cleanMount)
  const running = useMedia((s) => s.operationId !== null)
  const steps = useMedia((s) => s.runSteps)
  const result = useMedia((s) => s.result)
  const st = mediaStore.getState()
  const stale = scan.staleMounts.length > 0
  const short = plan.space.enough === false
  // A finished run leaves this plan behind: the medium has changed, so another update starts from a new plan.
  const spent = result?.status === 'completed'
  return (
    <section className="card" aria-labelledby="media-run-title" data-testid="media-run">
      <h2 id="media-run-title">{t.title}</h2>
      <p className="muted">{t.intro}</p>
      {stale && (
        <label className="media-check">
          <input
            type="checkbox"
            checked={cleanMount}
            disabled={running}
            onChange={(e) => st.setCleanMount(e.target.checked)}
            data-testid="media-clean-mount"
          />{' '}
          {t.cleanMount(scan.staleMounts.join(', '))}
        </label>
      )}
      <label className="media-check">
        <input
          type="checkbox"
          checked={acknowledged}
          disabled={running || spent}
          onChange={(e) => st.acknowledge(e.target.checked)}
          data-testid="media-acknowledge"
        />{' '}
        {t.acknowledge}
      </label>
      {short && <p className="warning">{mediaStrings.spaceShort}</p>}
      {spent && (
        <p className="muted small" data-testid="media-spent">
          {t.spent}
        </p>
      )}
      <div className="row">
        <button
          type="button"
          disabled={!acknowledged || (stale && !cleanMount) || running || short || spent}
          onClick={() => void st.update()}
          data-testid="media-update"
        >
          {t.start(plan.steps.length)}
        </button>
        {running && (
          <button
            type="button"
            className="secondary"
            onClick={() => void st.cancel()}
            aria-describedby="media-stop-hint"
            data-testid="media-stop"
          >
            {t.stop}
          </button>
        )}
        {running && (
          <span id="media-stop-hint" className="muted small">
            {t.stopHint}
          </span>
        )}
      </div>
      <div className="progress-slot">{running && !steps && <ProgressBar label={t.running} value={null} />}</div>
      <Progress />
      {result && <Result result={result} />}
    </section>
  )
}
