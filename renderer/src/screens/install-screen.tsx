/**
 * Install: the plan as steps with their exact commands, a progress bar per step, a restart screen that
 * asks before restarting, and — when an installation was left unfinished — the session resumed from its
 * journal, showing what already happened. Nothing runs before the user ticks and presses Install.
 */
import { navigate, useRouteParam } from '../router.ts'
import { useEffect } from 'react'
import { useThisPcForResume } from '../resume-route.ts'
import { strings } from '../strings.ts'
import { useMachine } from '../stores/index.ts'
import { installStore, useInstall } from '../stores/install-store.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { InstallSteps } from '../components/install-steps.tsx'
import type { JournalEntry, Plan } from '../../../preload/model/plan.ts'
import { StatusTag, toneOf } from '../components/status-tag.tsx'
import { useLookAgainAfter } from '../stores/look-again.ts'
import { NextSteps } from '../components/next-steps.tsx'
import { ChooseMachine } from '../components/choose-machine.tsx'
import { withContentKeys } from '../components/list-keys.ts'

function describeEntry(e: JournalEntry): string {
  const t = strings.install.entry
  switch (e.phase) {
    case 'started':
      return t.started(e.stepId)
    case 'finished':
      return t.finished(e.stepId, strings.install.result[e.result.kind])
    case 'restart-requested':
      return t['restart-requested']
    case 'restarted':
      return t.restarted(`${e.build ?? '?'}.${e.ubr ?? '?'}`)
    case 'resumed':
      return t.resumed(e.note)
    case 'cancelled':
      return t.cancelled
    case 'verified':
      return t.verified(e.verified, e.detail)
  }
}

/**
 * The steps whose restart happened: each step that finished before a 'restarted' entry (or every step, once the
 * install is verified). Such a step no longer reads "restart needed".
 */
export function restartedSteps(entries: readonly JournalEntry[], verified: boolean): ReadonlySet<string> {
  const finished: string[] = []
  const out = new Set<string>()
  for (const e of entries) {
    if (e.phase === 'finished') finished.push(e.stepId)
    else if (e.phase === 'restarted') for (const id of finished) out.add(id)
  }
  if (verified) for (const id of finished) out.add(id)
  return out
}

function Checks({ plan }: { plan: Plan }) {
  const t = strings.install
  return (
    <>
      <h2>{t.checks}</h2>
      <ul className="checks" data-testid="install-checks">
        {plan.preflight.map((c) => (
          <li key={c.id} data-testid={`install-check-${c.id}`} data-status={c.status}>
            <StatusTag tone={toneOf(c.status)}>{t.checkStatus[c.status]}</StatusTag> <strong>{c.title}</strong>:{' '}
            {c.detail}
          </li>
        ))}
      </ul>
      {plan.skipped.length > 0 && (
        <>
          <h2>{t.skipped}</h2>
          <ul data-testid="install-skipped">
            {plan.skipped.map((s) => (
              <li key={s.kb}>
                {s.kb}: {s.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.packages.length > 0 && (
        <>
          <h2>{t.packages}</h2>
          <ul data-testid="install-packages">
            {plan.packages.map((p) => (
              <li key={p.kb}>
                <strong>{p.kb}</strong> <span className="tag">{p.role}</span>{' '}
                <span className="mono" style={{ overflowWrap: 'anywhere' }}>
                  {p.fileName}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

export function InstallScreen() {
  const t = strings.install
  const machine = useMachine((s) => s.machine)
  const s = useInstall((x) => x)
  const st = installStore.getState()

  useEffect(() => {
    const now = installStore.getState()
    if (machine && JSON.stringify(machine) !== JSON.stringify(now.machine)) void now.open(machine)
  }, [machine])
  // A Fix it that names its update (`#/install?kb=KB…`) fills the box; the person still makes the plan.
  const routeKb = useRouteParam('kb')
  useEffect(() => {
    if (routeKb && /^KB\d{6,8}$/i.test(routeKb) && !installStore.getState().resumed)
      installStore.getState().setKb(routeKb)
  }, [routeKb])

  // After a Windows restart the app opens here with `#/install?resume=<plan id>` (main/app/resume-args.ts,
  // from the RunOnce entry): that plan's unfinished run on this PC is shown — what happened, the steps done and
  // those that remain — and nothing runs until the person presses Continue (a resumed run is never
  // confirmed by the app on its own). Continue uses the same call as always (`resume`); the parameter is dropped.
  const routeResume = useRouteParam('resume')
  useThisPcForResume(routeResume, machine)
  // The app was started by the RunOnce entry for this very plan: the restart it waited for has happened.
  const afterRestart =
    !!routeResume && machine?.kind === 'this-pc' && s.resumed && s.plan?.id === routeResume && s.phase === 'restart'
  const continueResumed = () => {
    if (routeResume) navigate('install')
    void st.continueAfter(false)
  }
  const running = s.phase === 'running'
  const os = useMachine((x) => (x.snapshot?.os.status === 'known' ? x.snapshot.os.value : null))
  // The run changed the PC: every screen shows the new state without "Check again".
  const ended =
    s.journal && (s.phase === 'done' || s.phase === 'failed' || s.phase === 'cancelled')
      ? `${s.journal.planId}:${s.journal.updatedAt}`
      : null
  useLookAgainAfter(ended ? s.machine : null, ended)
  const restarted = restartedSteps(s.entries, s.journal?.verification?.verified === true)
  return (
    <section aria-labelledby="install-title" className="screen" data-testid="install-screen" data-phase={s.phase}>
      <h1 id="install-title">{t.title}</h1>
      <p className="lead" data-testid="install-intro">
        {t.introFor(
          os?.build ?? null,
          os?.build
            ? `Windows ${os.build >= 22000 ? 11 : 10}${os.displayVersion ? ` ${os.displayVersion}` : ''}`
            : null,
        )}
      </p>
      {!machine && <ChooseMachine then="install" testId="install-no-machine" />}
      {s.error && (
        <p role="alert" className="error" data-testid="install-error">
          {s.error}
        </p>
      )}

      {machine && !s.resumed && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            void st.makePlan()
          }}
          data-testid="install-form"
        >
          <label>
            {t.kb}{' '}
            <input
              value={s.kb}
              onChange={(e) => st.setKb(e.target.value)}
              disabled={running}
              data-testid="install-kb"
              size={12}
            />
          </label>
          <label>
            {t.method}{' '}
            <select
              value={s.method}
              onChange={(e) => st.setMethod(e.target.value as 'folder' | 'sequence')}
              disabled={running}
              data-testid="install-method"
            >
              <option value="folder">{t.methods.folder}</option>
              <option value="sequence">{t.methods.sequence}</option>
            </select>
          </label>
          <button type="submit" disabled={running || s.phase === 'planning'} data-testid="install-make-plan">
            {t.makePlan}
          </button>
        </form>
      )}
      <div className="progress-slot">{s.phase === 'planning' && <ProgressBar label={t.planning} value={null} />}</div>

      {s.resumed && s.journal && (
        <section className="card" aria-labelledby="install-resumed-title" data-testid="install-resumed">
          <h2 id="install-resumed-title">{t.resumedTitle}</h2>
          <p>{t.resumed(s.journal.planId, s.journal.updatedAt)}</p>
          {(s.phase === 'planned' || afterRestart) && <p data-testid="install-resume-waits">{t.resumeWaits}</p>}
        </section>
      )}

      <div aria-live="polite">
        {s.plan && (
          <>
            <Checks plan={s.plan} />
            {s.plan.refused && (
              <p className="error" role="alert" data-testid="install-refused">
                {t.refused(s.plan.refused)}
              </p>
            )}
            {!s.plan.refused && s.plan.steps.length === 0 && <p data-testid="install-nothing">{t.nothing}</p>}
            {s.plan.steps.length > 0 && (
              <>
                <h2>{t.steps}</h2>
                <InstallSteps
                  plan={s.plan}
                  progress={s.progress}
                  results={s.results}
                  active={running}
                  restarted={restarted}
                />
              </>
            )}
            {s.phase === 'planned' && !s.plan.refused && s.plan.steps.length > 0 && !s.resumed && (
              <div className="confirm">
                <label>
                  <input
                    type="checkbox"
                    checked={s.acknowledged}
                    onChange={(e) => st.acknowledge(e.target.checked)}
                    data-testid="install-acknowledge"
                  />{' '}
                  {t.acknowledge}
                </label>
                <div className="row">
                  <button
                    type="button"
                    disabled={!s.acknowledged}
                    onClick={() => void st.start()}
                    data-testid="install-start"
                  >
                    {t.install(s.plan.steps.length)}
                  </button>
                </div>
              </div>
            )}
            {(s.phase === 'cancelled' || (s.resumed && s.phase === 'planned') || afterRestart) && (
              <div className="row">
                {s.phase === 'cancelled' && <p>{t.cancelledText}</p>}
                <button type="button" onClick={continueResumed} data-testid="install-continue">
                  {t.continue}
                </button>
              </div>
            )}
            {running && (
              <div className="row">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void st.cancel()}
                  data-testid="install-cancel"
                >
                  {t.cancel}
                </button>
              </div>
            )}
          </>
        )}

        {s.phase === 'restart' && !afterRestart && (
          <section className="card" role="dialog" aria-labelledby="install-restart-title" data-testid="install-restart">
            <h2 id="install-restart-title">{t.restartTitle}</h2>
            <p>{t.restartText}</p>
            <div className="row">
              <button type="button" onClick={() => void st.continueAfter(true)} data-testid="install-restart-now">
                {t.restartNow}
              </button>
            </div>
            <p className="muted">{t.restartLaterNote}</p>
          </section>
        )}

        {s.journal?.verification && (
          <section
            className="card"
            data-testid="install-verified"
            data-verified={s.journal.verification.verified ? 'yes' : 'no'}
          >
            <h2>{s.journal.verification.verified ? t.verifiedTitle : t.notVerifiedTitle}</h2>
            <p>{s.journal.verification.detail}</p>
            <NextSteps />
          </section>
        )}

        {s.entries.length > 0 && (
          <details open={s.resumed} data-testid="install-history">
            <summary>{t.history}</summary>
            <ol>
              {withContentKeys(s.entries).map(([key, e]) => (
                <li key={key}>
                  <span className="muted mono">{e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</span>{' '}
                  {describeEntry(e)}
                </li>
              ))}
            </ol>
          </details>
        )}
      </div>
    </section>
  )
}
