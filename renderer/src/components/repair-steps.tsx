/** A repair's steps with their exact commands, each with its own progress bar and, after the run, its outcome. */
import type { RepairStepResult, RepairStepView } from '../../../preload/model/repair.ts'
import { ProgressBar } from './progress-bar.tsx'
import { CommandBlock } from './command-block.tsx'
import { StatusTag } from './status-tag.tsx'
import { repairStrings as t } from './repair-strings.ts'

export function RepairSteps({
  steps,
  progress,
  results,
  active,
}: {
  steps: RepairStepView[]
  progress: Record<string, { phase: 'started' | 'finished' }>
  results: RepairStepResult[]
  active: boolean
}) {
  return (
    <ol className="repair-steps" data-testid="repair-steps">
      {steps.map((s) => {
        const r = results.find((x) => x.stepId === s.id)
        const p = progress[s.id]
        const state = r
          ? r.outcome
          : p?.phase === 'started'
            ? 'running'
            : p?.phase === 'finished'
              ? 'finished'
              : 'pending'
        return (
          <li key={s.id} data-testid={`repair-step-${s.id}`} data-state={state}>
            <strong>{s.title}</strong>
            {s.gate === 'while-broken' && <span className="muted"> {t.onlyIfBroken}</span>}
            {r && (
              <>
                {' '}
                <StatusTag
                  tone={
                    r.outcome === 'failed'
                      ? 'bad'
                      : r.outcome === 'not-fixed'
                        ? 'warn'
                        : r.outcome === 'skipped'
                          ? 'neutral'
                          : 'ok'
                  }
                >
                  {t.outcome[r.outcome]}
                </StatusTag>
              </>
            )}
            <div className="muted">{s.explanation}</div>
            <CommandBlock command={s.commandLine} label={`${t.command}: ${s.title}`} />
            {active && !r && (
              <ProgressBar
                label={`${s.title}: ${t.state[state] ?? state}`}
                value={state === 'running' ? null : p?.phase === 'finished' ? 1 : 0}
              />
            )}
            {r && r.outcome !== 'done' && r.output && (
              <pre
                className="mono"
                style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
                data-testid={`repair-step-output-${s.id}`}
              >
                {r.output}
              </pre>
            )}
          </li>
        )
      })}
    </ol>
  )
}
