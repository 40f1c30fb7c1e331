/**
 * Recovery: is WinRE on, current and serviceable? Status and version badges against the expected version,
 * the disk drawn to scale with the recovery partition's free space against the 250 MB line, and the
 * repair — every command shown, then a confirm button; nothing runs before it is pressed. A repair that was
 * interrupted can be finished, or given up (after a plain-words confirmation) for a fresh plan.
 */
import { useEffect, useRef, useState } from 'react'
import { strings } from '../strings.ts'
import { useMachine } from '../stores/index.ts'
import { recoveryStore, useRecovery } from '../stores/recovery-store.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { RecoveryLayout } from '../components/recovery-layout.tsx'
import { formatBytes } from '../../../preload/model/health.ts'
import type { WinreReport, WinreRepairOutput } from '../../../preload/model/winre.ts'
import { CommandBlock } from '../components/command-block.tsx'
import { StatusTag, toneOf } from '../components/status-tag.tsx'
import { useLookAgainAfter } from '../stores/look-again.ts'
import { NextSteps } from '../components/next-steps.tsx'
import { ChooseMachine } from '../components/choose-machine.tsx'
import { withContentKeys } from '../components/list-keys.ts'

function Badges({ report }: { report: WinreReport }) {
  const t = strings.recovery
  const w = report.health.winre
  const e = report.health.expected
  const status = w?.status ?? 'unknown'
  return (
    <div className="row badges" data-testid="recovery-badges">
      <span className={`badge status-${status}`} data-testid="recovery-status" data-status={status}>
        {t.status}: {t.statusValue[status] ?? status}
      </span>
      <span className={`badge verdict-${e.verdict}`} data-testid="recovery-version" data-verdict={e.verdict}>
        {t.version}: <span className="mono">{w?.version ?? '?'}</span> · {t.expected(e.version, e.kb)} ·{' '}
        {t.verdict[e.verdict] ?? e.verdict}
      </span>
      {e.verified === false && <StatusTag tone="warn">{t.unverified}</StatusTag>}
    </div>
  )
}

function Facts({ report }: { report: WinreReport }) {
  const t = strings.recovery
  const w = report.health.winre
  if (!w)
    return (
      <p className="error" data-testid="recovery-unreadable">
        {report.health.unreadableReason}
      </p>
    )
  const rp = w.recoveryPartition
  return (
    <>
      <ul className="recovery-facts" data-testid="recovery-facts">
        <li>
          {w.location ? t.location(w.location.disk, w.location.partition) : t.noLocation}
          {w.location && (
            <>
              {' '}
              — <span className="mono">{w.location.path}</span>
            </>
          )}
        </li>
        {rp && (
          <li data-testid="recovery-space">
            {t.space(
              rp.freeBytes === null ? '?' : formatBytes(rp.freeBytes),
              formatBytes(report.health.requiredFreeBytes),
            )}
          </li>
        )}
        <li>{t.bitlocker(w.bitlocker?.protectionStatus ?? 'unknown')}</li>
        <li className="muted">{report.health.expected.reason}</li>
      </ul>
      <details>
        <summary>{t.sources}</summary>
        <ul>
          {(w.versions ?? []).map((v) => (
            <li key={v.source}>
              {v.source}: <span className="mono">{v.version ?? '—'}</span>
            </li>
          ))}
        </ul>
      </details>
      {w.disagreements.length > 0 && (
        <div className="card" data-testid="recovery-disagreements">
          <h3>{t.disagree}</h3>
          <ul>
            {withContentKeys(w.disagreements).map(([key, d]) => (
              <li key={key}>{d}</li>
            ))}
          </ul>
        </div>
      )}
      {w.disk && (
        <RecoveryLayout
          disk={w.disk}
          recovery={rp?.partition ?? null}
          requiredFree={report.health.requiredFreeBytes}
          idPrefix="recovery-now"
          caption={t.layoutNow(w.disk.number)}
        />
      )}
    </>
  )
}

/** The confirmation before giving up an interrupted repair: what it means, then give up or keep it. */
function GiveUpDialog({
  done,
  total,
  onConfirm,
  onKeep,
}: {
  done: number
  total: number
  onConfirm(): void
  onKeep(): void
}) {
  const t = strings.recovery
  const first = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    first.current?.focus()
  }, [])
  return (
    <section
      className="card"
      role="dialog"
      aria-labelledby="recovery-give-up-title"
      aria-describedby="recovery-give-up-text"
      data-testid="recovery-give-up-dialog"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onKeep()
      }}
    >
      <h3 id="recovery-give-up-title">{t.giveUpTitle}</h3>
      <div id="recovery-give-up-text">
        <p>{t.giveUpDone(done, total)}</p>
        <p>{t.giveUpWinre}</p>
        <p>{t.giveUpNext}</p>
      </div>
      <div className="row">
        <button type="button" ref={first} className="secondary" onClick={onKeep} data-testid="recovery-give-up-keep">
          {t.giveUpKeep}
        </button>
        <button type="button" onClick={onConfirm} data-testid="recovery-give-up-confirm">
          {t.giveUpConfirm}
        </button>
      </div>
    </section>
  )
}

function Repair({ report, readOnly }: { report: WinreReport; readOnly: boolean }) {
  const t = strings.recovery
  const r = report.repair
  const acknowledged = useRecovery((s) => s.acknowledged)
  const running = useRecovery((s) => s.running)
  const step = useRecovery((s) => s.currentStep)
  const abandoning = useRecovery((s) => s.abandoning)
  const [askGiveUp, setAskGiveUp] = useState(false)
  const giveUpButton = useRef<HTMLButtonElement>(null)
  const st = recoveryStore.getState()
  if (r.refused)
    return (
      <p className="error" role="alert" data-testid="recovery-refused">
        {t.refused(r.refused)}
      </p>
    )
  return (
    <section aria-labelledby="recovery-repair-title" className="card" data-testid="recovery-repair">
      <h2 id="recovery-repair-title">{t.repair}</h2>
      {report.interrupted && (
        <div
          className="warnings"
          role="alert"
          data-testid="recovery-interrupted"
          data-step={report.interrupted.stepNumber}
        >
          <h3>{t.interruptedTitle}</h3>
          <p>{report.interrupted.message}</p>
        </div>
      )}
      {r.steps.length > 0 && <p>{t.repairIntro}</p>}
      {r.warnings.length > 0 && (
        <div className="warnings" data-testid="recovery-warnings">
          <h3>{t.warnings}</h3>
          <ul>
            {withContentKeys(r.warnings).map(([key, w]) => (
              <li key={key}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {r.layoutAfter && (
        <RecoveryLayout
          disk={r.layoutAfter}
          recovery={report.health.winre?.recoveryPartition?.partition ?? null}
          requiredFree={report.health.requiredFreeBytes}
          idPrefix="recovery-after"
          caption={t.layoutAfter(r.layoutAfter.number)}
        />
      )}
      {r.steps.length > 0 && (
        <ol className="steps" data-testid="recovery-steps">
          {r.steps.map((s) => (
            <li key={s.id} data-testid={`recovery-step-${s.id}`}>
              <strong>{s.title}</strong>{' '}
              <StatusTag tone={s.destructive ? 'warn' : 'neutral'}>
                {s.destructive ? t.destructive : t.prepare}
              </StatusTag>
              <CommandBlock command={s.command.commandLine} label={s.title} testId="recovery-command" />
              <p className="muted" style={{ whiteSpace: 'pre-line' }}>
                {s.explanation}
              </p>
            </li>
          ))}
        </ol>
      )}
      {r.manual.length > 0 && (
        <>
          <h3>{t.manual}</h3>
          <ul data-testid="recovery-manual">
            {withContentKeys(r.manual).map(([key, m]) => (
              <li key={key}>
                <strong>{m.title}</strong> — {m.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.notes.length > 0 && (
        <ul className="muted">
          {withContentKeys(r.notes).map(([key, n]) => (
            <li key={key}>{n}</li>
          ))}
        </ul>
      )}
      {r.steps.length > 0 && readOnly && (
        <p className="muted" data-testid="recovery-read-only">
          {t.readOnly}
        </p>
      )}
      {r.steps.length > 0 && !readOnly && (
        <div className="confirm">
          <label>
            <input
              type="checkbox"
              checked={acknowledged}
              disabled={running}
              onChange={(e) => st.acknowledge(e.target.checked)}
              data-testid="recovery-acknowledge"
            />{' '}
            {t.acknowledge}
          </label>
          <div className="row">
            <button
              type="button"
              disabled={!acknowledged || running}
              onClick={() => void st.confirmAndRun()}
              data-testid="recovery-confirm"
            >
              {report.interrupted ? t.resume(r.steps.length - report.interrupted.done) : t.confirm(r.steps.length)}
            </button>
            {report.interrupted && (
              <button
                type="button"
                className="secondary"
                ref={giveUpButton}
                disabled={running || abandoning}
                aria-expanded={askGiveUp}
                onClick={() => setAskGiveUp(true)}
                data-testid="recovery-give-up"
              >
                {t.giveUp}
              </button>
            )}
          </div>
          {report.interrupted && askGiveUp && !abandoning && (
            <GiveUpDialog
              done={report.interrupted.done}
              total={report.interrupted.total}
              onKeep={() => {
                setAskGiveUp(false)
                giveUpButton.current?.focus()
              }}
              onConfirm={() => {
                setAskGiveUp(false)
                void st.abandonInterrupted()
              }}
            />
          )}
          <div className="progress-slot">
            {running && <ProgressBar label={t.running(step)} value={null} />}
            {abandoning && <ProgressBar label={t.givingUp} value={null} />}
          </div>
        </div>
      )}
    </section>
  )
}

function RunResult({ run }: { run: WinreRepairOutput }) {
  const t = strings.recovery
  return (
    <section
      aria-labelledby="recovery-result-title"
      className="card"
      data-testid="recovery-result"
      data-status={run.status}
      data-verified={run.verification?.verified ? 'yes' : 'no'}
    >
      <h2 id="recovery-result-title">{t.result}</h2>
      {run.verification && (
        <p>
          <strong>{run.verification.verified ? t.verified : t.notVerified}:</strong> {run.verification.detail}
        </p>
      )}
      {run.status !== 'completed' && <p className="error">{t.stopped(run.status)}</p>}
      <ol>
        {run.results.map((s) => (
          <li key={s.stepId}>
            <span className="mono">{s.commandLine}</span> —{' '}
            {s.ok ? (s.rechecked ? t.rechecked : t.stepOk) : `${t.stepFailed} (exit ${s.exitCode})`}
            {(!s.ok || s.rechecked) && <pre className="mono">{s.output}</pre>}
          </li>
        ))}
      </ol>
    </section>
  )
}

export function RecoveryScreen() {
  const t = strings.recovery
  const machine = useMachine((s) => s.machine)
  const report = useRecovery((s) => s.report)
  const shownFor = useRecovery((s) => s.machine)
  const loading = useRecovery((s) => s.loading)
  const error = useRecovery((s) => s.error)
  const run = useRecovery((s) => s.run)

  useEffect(() => {
    if (machine && JSON.stringify(machine) !== JSON.stringify(recoveryStore.getState().machine))
      void recoveryStore.getState().load(machine)
  }, [machine])
  // The run changed the PC: every screen shows the new state without "Check again" (the WinRE report came back with the run).
  const runKey = run ? `${run.repairId}:${run.status}:${run.verification?.detail ?? ''}:${run.results.length}` : null
  useLookAgainAfter(runKey ? shownFor : null, runKey)

  return (
    <section aria-labelledby="recovery-title" className="screen">
      <h1 id="recovery-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {!machine && <ChooseMachine then="recovery" testId="recovery-no-machine" />}
      <div className="progress-slot">{loading && <ProgressBar label={t.loading} value={null} />}</div>
      {error && (
        <p role="alert" className="error" data-testid="recovery-error">
          {error}
        </p>
      )}
      <div aria-live="polite">
        {run && <RunResult run={run} />}
        {run && <NextSteps />}
        {report && machine && (
          <>
            <Badges report={report} />
            <Facts report={report} />
            <h2>{t.findings}</h2>
            {report.health.findings.length === 0 ? (
              <p data-testid="recovery-healthy">{t.healthy}</p>
            ) : (
              <ul className="findings" data-testid="recovery-findings">
                {report.health.findings.map((f) => (
                  <li
                    key={f.id}
                    className={`card finding severity-${f.severity}`}
                    data-testid={`recovery-finding-${f.id}`}
                    data-severity={f.severity}
                  >
                    <h3>
                      <StatusTag tone={toneOf(f.severity)}>
                        {strings.diagnosis.severity[f.severity] ?? f.severity}
                      </StatusTag>{' '}
                      {f.title}
                    </h3>
                    <p>{f.detail}</p>
                  </li>
                ))}
              </ul>
            )}
            <Repair report={report} readOnly={machine.kind === 'snapshot'} />
            <div className="row">
              <button
                type="button"
                className="secondary"
                disabled={loading}
                onClick={() => void recoveryStore.getState().load(machine)}
                data-testid="recovery-reload"
              >
                {t.reload}
              </button>
            </div>
          </>
        )}
      </div>
    </section>
  )
}
