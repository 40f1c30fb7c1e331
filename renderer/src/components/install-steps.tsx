/** The plan's steps: title, exact command, why, expected exit codes, and (once running) a progress bar and result. */
import { strings } from '../strings.ts'
import { ProgressBar } from './progress-bar.tsx'
import type { Plan, StepResult } from '../../../preload/model/plan.ts'
import { CommandBlock } from './command-block.tsx'
import { StatusTag, toneOf } from './status-tag.tsx'
import { withContentKeys } from './list-keys.ts'

/** `restarted`: the steps whose restart happened (or the install was verified): they no longer wait for one. */
export function InstallSteps({
  plan,
  progress,
  results,
  active,
  restarted = new Set(),
}: {
  plan: Plan
  progress: Record<string, number>
  results: Record<string, StepResult>
  active: boolean
  restarted?: ReadonlySet<string>
}) {
  const t = strings.install
  return (
    <ol className="steps" data-testid="install-steps">
      {plan.steps.map((s) => {
        const r = results[s.id]
        const p = progress[s.id]
        const done = r?.kind === 'restart-required' && restarted.has(s.id)
        return (
          <li key={s.id} data-testid={`install-step-${s.id}`} data-result={r?.kind ?? 'pending'}>
            <strong>{s.title}</strong>{' '}
            <StatusTag
              tone={
                r
                  ? r.kind === 'restart-required'
                    ? done
                      ? 'ok'
                      : 'info'
                    : toneOf(r.kind === 'ok' ? 'ok' : r.kind)
                  : 'neutral'
              }
              testId="install-step-result"
            >
              {r ? (done ? t.result.restarted : t.result[r.kind]) : t.pending}
            </StatusTag>
            <CommandBlock command={s.command.commandLine} label={s.title} testId="install-command" />
            <p className="muted">{s.explanation}</p>
            <p className="muted">{t.expects(s.successExitCodes.join(', '))}</p>
            {(active || p !== undefined || r) && (
              <div className="progress-slot" data-testid="install-step-progress" data-fraction={p ?? (r ? 1 : 0)}>
                <ProgressBar
                  label={t.stepProgress(s.title)}
                  value={r && r.kind !== 'failed' && r.kind !== 'skipped' && r.kind !== 'cancelled' ? 1 : (p ?? 0)}
                />
              </div>
            )}
            {r?.kind === 'failed' && (
              <div className="card error" role="alert" data-testid="install-failure">
                <h3>{t.failedTitle}</h3>
                <p>{t.failed(r.code, r.message)}</p>
                {(r.diagnosis ?? []).slice(0, 1).map((f) => (
                  <div key={f.id} data-testid="install-diagnosis">
                    <p>
                      <strong>{t.diagnosis}:</strong> {f.title} <span className="mono">({f.technical})</span>
                    </p>
                    <details open>
                      <summary>{t.evidence}</summary>
                      <ul>
                        {withContentKeys(f.evidence).map(([key, e]) => (
                          <li key={key}>
                            <span className="muted">{e.source}</span>
                            <pre className="mono" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                              {e.excerpt}
                            </pre>
                          </li>
                        ))}
                      </ul>
                    </details>
                    {f.remedies[0] && (
                      <>
                        <p>{f.remedies[0].title}</p>
                        {f.remedies[0].commands.length > 0 && (
                          <CommandBlock command={f.remedies[0].commands} label={f.remedies[0].title} />
                        )}
                      </>
                    )}
                  </div>
                ))}
              </div>
            )}
          </li>
        )
      })}
    </ol>
  )
}
