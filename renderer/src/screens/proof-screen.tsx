/**
 * Proof: check the machine again, show the cause the diagnosis ranked first and the verification,
 * and hand over the report — HTML for a person, JSON for a system, a short summary for a ticket.
 */
import { useState } from 'react'
import { strings } from '../strings.ts'
import { reportStore, useMachine, useReport } from '../stores/index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { downloadText, inApp } from '../components/download.ts'
import { machineKeyOf } from '../stores/report-store.ts'
import { hrefOf } from '../router.ts'
import type { Report, ReportFormat } from '../../../preload/model/report.ts'
import { noProblemWords } from '../../../preload/model/health.ts'
import { copyText } from '../components/command-block.tsx'
import { runStateWords, stepResultWords } from '../../../preload/model/run-record.ts'
import { withContentKeys } from '../components/list-keys.ts'

function parseReport(content: string): Report | null {
  try {
    return JSON.parse(content) as Report
  } catch {
    return null
  }
}

export function ProofScreen() {
  const t = strings.proof
  const machine = useMachine((s) => s.machine)
  const busy = useReport((s) => s.busy)
  const latest = useReport((s) => s.latest)
  const key = useReport((s) => s.machineKey)
  const error = useReport((s) => s.error)
  const [report, setReport] = useState<Report | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  if (!machine)
    return (
      <section className="screen">
        <h1>{t.title}</h1>
        <p>{t.noMachine}</p>
        <a className="button-like" href={hrefOf('start')}>
          {strings.overview.chooseMachine}
        </a>
      </section>
    )
  const current = latest && key === machineKeyOf(machine) ? latest : null

  const verify = async () => {
    setNotice(null)
    const out = await reportStore.getState().make(machine, 'json')
    setReport(out ? parseReport(out.content) : null)
  }
  const exportAs = async (format: ReportFormat) => {
    setNotice(null)
    const app = inApp()
    const out = await reportStore.getState().make(machine, format, app)
    if (!out) return
    if (format === 'json') setReport(parseReport(out.content))
    if (out.saveStatus === 'saved' && out.savedPath) setNotice(t.saved(out.savedPath))
    else if (out.saveStatus !== 'cancelled') {
      downloadText(out.fileName, out.mimeType, out.content)
      setNotice(t.downloaded(out.fileName))
    }
  }
  const copy = async () => {
    const out = current ?? (await reportStore.getState().make(machine, 'summary'))
    if (!out) return
    setNotice((await copyText(out.summary)) ? t.copied : t.copyFailed)
  }
  const shown = report && current ? report : null

  return (
    <section aria-labelledby="proof-title" className="screen">
      <h1 id="proof-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      <div className="row">
        <button type="button" onClick={() => void verify()} disabled={busy} data-testid="proof-verify">
          {t.verify}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void exportAs('html')}
          disabled={busy}
          data-testid="export-html"
        >
          {t.exportHtml}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void exportAs('json')}
          disabled={busy}
          data-testid="export-json"
        >
          {t.exportJson}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void copy()}
          disabled={busy}
          data-testid="copy-summary"
        >
          {t.copy}
        </button>
      </div>
      <div className="progress-slot">{busy && <ProgressBar label={t.busy} value={null} />}</div>
      <p role="status" aria-live="polite" className="notice-slot" data-testid="proof-notice">
        {notice ?? ''}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {current && (
        <div className="card" data-testid="proof-result">
          <h2>{t.cause}</h2>
          <div data-testid="proof-top-cause" data-cause-id={current.topCause?.id ?? ''}>
            {current.topCause ? (
              <>
                <strong>{current.topCause.title}</strong>{' '}
                <details className="technical-details">
                  <summary>{strings.diagnosis.technicalDetails}</summary>
                  <span className="mono technical">{current.topCause.technical}</span>
                </details>
              </>
            ) : current.diagnosisAvailable ? (
              shown ? (
                noProblemWords(shown.diagnosis.findings)
              ) : (
                t.noProblem
              )
            ) : (
              t.notDiagnosed
            )}
          </div>
          {shown && (
            <>
              {shown.originalError && (
                <p data-testid="proof-original-error">
                  {t.originalError(shown.originalError.code, shown.originalError.source, shown.originalError.cause)}
                </p>
              )}
              <h2>{t.runsDone}</h2>
              <FixItRuns report={shown} />
              {shown.actions.length === 0 ? (
                fixIts(shown).length ? null : (
                  <p className="muted" data-testid="proof-nothing-done">
                    {t.nothingChanged}
                  </p>
                )
              ) : (
                <ul data-testid="proof-actions">
                  {shown.actions.map((a) => (
                    <li key={a.planId} data-status={a.status}>
                      <strong>
                        {a.kind === 'winre-repair'
                          ? t.winreAction(runStateWords(a.status))
                          : t.action(a.targets.join(', ') || '…', runStateWords(a.status))}
                      </strong>
                      <BuildMoved run={(shown.runs ?? []).find((x) => x.id === a.planId)} />
                      <ol>
                        {a.steps.map((st) => (
                          <li key={st.id} data-result={st.result}>
                            {t.stepResult(st.title, stepResultWords(st.result))}
                            {st.code ? (
                              <>
                                {' '}
                                <span className="mono">{st.code}</span>
                              </>
                            ) : null}
                          </li>
                        ))}
                      </ol>
                      {a.verification && (
                        <p className="small">{t.actionVerified(a.verification.verified, a.verification.detail)}</p>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          {shown?.diagnosis.findings.some((f) => f.state === 'past') && (
            <>
              <h2>{t.resolved}</h2>
              <ul data-testid="proof-resolved">
                {shown.diagnosis.findings
                  .filter((f) => f.state === 'past')
                  .map((f) => (
                    <li key={f.id} data-finding={f.id}>
                      {t.resolvedBy(f.title, f.resolvedBy ?? '…')}
                    </li>
                  ))}
              </ul>
            </>
          )}
          <h2>{t.verification}</h2>
          <p data-testid="proof-verification" data-status={current.verificationStatus}>
            <strong>{t.status[current.verificationStatus]}</strong>
          </p>
          {shown && (
            <ul className="checks">
              {shown.verification.checks.map((c) => {
                // The check's level, as the Overview's tile of its area says it (a report from before: pass or fail).
                const level = c.level ?? (c.ok === null ? 'unknown' : c.ok ? 'ok' : 'bad')
                return (
                  <li key={c.id} data-ok={String(c.ok)} data-check={c.id} data-level={level}>
                    <span aria-hidden="true">{LEVEL_ICON[level]}</span> <strong>{c.label}</strong>:{' '}
                    <span data-testid="proof-check-word">{strings.health.levels[level]}</span> — {c.detail}
                  </li>
                )
              })}
            </ul>
          )}
          <h2>
            <label htmlFor="proof-summary">{t.summary}</label>
          </h2>
          <textarea
            id="proof-summary"
            className="mono summary"
            readOnly
            rows={8}
            value={current.summary}
            data-testid="proof-summary"
          />
        </div>
      )}
    </section>
  )
}

/** The Overview's tile marks, so a level looks the same on both screens (health-tiles.tsx). */
const LEVEL_ICON: Record<string, string> = { ok: '✓', warn: '!', bad: '✕', unknown: '?' }

type RunRecordView = NonNullable<Report['runs']>[number]
const level = (l: { build: number | null; ubr: number | null } | null) =>
  l && l.build !== null ? `${l.build}.${l.ubr ?? '?'}` : '?'
const fixIts = (r: Report): RunRecordView[] =>
  (r.runs ?? []).filter((x) => x.kind === 'repair' && (x.changed.length > 0 || x.undo.length > 0))

function BuildMoved({ run }: { run: RunRecordView | undefined }) {
  if (!run || (!run.before && !run.after)) return null
  return (
    <p className="small mono" data-testid="proof-build-moved">
      {strings.proof.buildMoved(level(run.before), level(run.after))}
    </p>
  )
}

/** The Fix-it repairs that changed the PC, from the run records: what changed, verified, the undo. */
function FixItRuns({ report }: { report: Report }) {
  const t = strings.proof
  const runs = fixIts(report)
  if (!runs.length) return null
  return (
    <ul data-testid="proof-fixits">
      {runs.map((x) => (
        <li key={x.id} data-status={x.outcome} data-definition={x.definition}>
          <strong>{t.run(x.title, runStateWords(x.outcome))}</strong>
          <BuildMoved run={x} />
          {x.changed.length > 0 && (
            <>
              <p className="small">{t.changed}:</p>
              <ul>
                {withContentKeys(x.changed).map(([key, c]) => (
                  <li key={key}>{c}</li>
                ))}
              </ul>
            </>
          )}
          {x.verified !== null && <p className="small">{t.actionVerified(x.verified, x.verificationDetail ?? '')}</p>}
          {withContentKeys(x.undo).map(([key, u]) => (
            <p key={key} className="small" data-testid="proof-undo">
              <strong>{t.undo(u.done)}:</strong> {u.how}
            </p>
          ))}
        </li>
      ))}
    </ul>
  )
}
