/**
 * "Make this PC current": the plan for the whole PC (the pending restart, the repairs that block servicing, the
 * checkpoint, the newest update of the branch, WinRE, and the waits that need a person), shown once with its
 * restarts, each step with why, when it runs and its risk; one button runs it; the result says what each step did and
 * whether the whole PC is verified. The first offer on Overview and on Fix it.
 */
import { useEffect, useEffectEvent } from 'react'
import { pcPlanStore, usePcPlan } from '../stores/pc-plan-store.ts'
import { lookAgain } from '../stores/look-again.ts'
import { ProgressBar } from './progress-bar.tsx'
import { StatusTag, type Tone } from './status-tag.tsx'
import type { MachineRef } from '../../../preload/model/common.ts'
import { levelWords } from '../../../preload/model/status-words.ts'

export const pcPlanStrings = {
  title: 'Make this PC current',
  loading: 'Planning what this PC needs…',
  run: (n: number, restarts: number) =>
    `Run these ${n} step${n === 1 ? '' : 's'}${restarts ? ` (${restarts} restart${restarts === 1 ? '' : 's'})` : ''}`,
  running: 'Running the plan…',
  why: 'Why',
  when: 'Runs only if',
  risk: { 'read-only': 'reads only', reversible: 'can be undone', destructive: 'cannot be undone' } as Record<
    string,
    string
  >,
  kind: { restart: 'Restart', repair: 'Repair', install: 'Install', winre: 'WinRE', wait: 'Needs a person' } as Record<
    string,
    string
  >,
  restarts: (n: number) => (n ? `${n} restart${n === 1 ? '' : 's'}` : 'no restart'),
  readOnly: 'A snapshot is read-only: this plan runs on that PC, as its fix package (Fix a PC elsewhere).',
  outcome: {
    done: 'Done',
    'nothing-to-do': 'Nothing to do',
    failed: 'Failed',
    waiting: 'Needs a person',
    cancelled: 'Cancelled',
    'not-needed': 'Not needed any more',
    refused: 'Not started',
  } as Record<string, string>,
  stoppedBusy:
    'The plan stopped: another run holds this PC. Run the plan again when that run ends; it continues at the step not started.',
  verified: 'Proven: this PC is current',
  verifiedWait: 'Proven, except what needs a person',
  notVerified: 'Not proven',
  note: 'Note',
}

/** The runs whose changes every screen has been asked to show already. */
const lookedAgain = new Set<string>()

const OUTCOME_TONE: Record<string, Tone> = {
  done: 'ok',
  'nothing-to-do': 'neutral',
  failed: 'bad',
  waiting: 'warn',
  cancelled: 'warn',
  'not-needed': 'ok',
  refused: 'warn',
}

export function PcPlanCard({ machine }: { machine: MachineRef }) {
  const t = pcPlanStrings
  const s = usePcPlan((x) => x)
  // Loaded when the machine changes by value (a new object naming the same PC loads nothing again).
  const machineKey = JSON.stringify(machine)
  useEffect(() => {
    void pcPlanStore.getState().load(JSON.parse(machineKey) as MachineRef)
  }, [machineKey])
  // The run changed the PC: every screen shows the new state (once per run, however often the card is shown again).
  const doneKey = s.run ? `pc-plan:${s.run.plan.createdAt}:${s.run.status}` : null
  const lookAgainAtMachine = useEffectEvent(() => {
    void lookAgain(machine)
  })
  useEffect(() => {
    if (!doneKey || lookedAgain.has(doneKey)) return
    lookedAgain.add(doneKey)
    lookAgainAtMachine()
  }, [doneKey])
  const plan = s.plan
  const run = s.run
  const runnable = plan ? plan.steps.filter((x) => x.kind !== 'wait') : []
  const shownSteps = run ? run.plan.steps : (plan?.steps ?? [])
  const waits = run?.after?.steps.filter((x) => x.kind === 'wait') ?? []
  return (
    <section
      className="card pc-plan"
      aria-labelledby="pc-plan-title"
      data-testid="pc-plan"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a fixed-height card whose steps scroll inside: focusable so the keyboard can scroll it (axe's scrollable-region-focusable)
      tabIndex={0}
    >
      <h2 id="pc-plan-title">{t.title}</h2>
      {s.loading && (
        <p className="muted" data-testid="pc-plan-loading">
          {t.loading}
        </p>
      )}
      {s.error && (
        <p role="alert" className="error" data-testid="pc-plan-error">
          {s.error}
        </p>
      )}
      {plan && !run && (
        <p data-testid="pc-plan-summary" data-up-to-date={String(plan.upToDate)}>
          {plan.summary}
        </p>
      )}
      {run?.verification && (
        <p data-testid="pc-plan-verdict" data-verified={String(run.verification.verified)} data-status={run.status}>
          <StatusTag tone={run.verification.verified ? (run.status === 'waiting' ? 'warn' : 'ok') : 'bad'}>
            {run.verification.verified ? (run.status === 'waiting' ? t.verifiedWait : t.verified) : t.notVerified}
          </StatusTag>{' '}
          {run.verification.detail}
        </p>
      )}
      {run?.status === 'refused' && (
        <p role="status" data-testid="pc-plan-stopped">
          <StatusTag tone="warn">{t.outcome.refused}</StatusTag> {t.stoppedBusy}
        </p>
      )}
      {shownSteps.length > 0 && (
        <ol className="pc-plan-steps" data-testid="pc-plan-steps">
          {shownSteps.map((step) => {
            const r = run?.results.find((x) => x.stepId === step.id)
            return (
              <li key={step.id} data-testid={`pc-plan-step-${step.id}`} data-kind={step.kind}>
                <strong>{step.title}</strong>{' '}
                <span className="muted small">
                  {t.kind[step.kind]}
                  {step.kind === 'wait' ? '' : ` · ${t.risk[step.risk]} · ${t.restarts(step.restarts)}`}
                </span>
                {r && (
                  <>
                    {' '}
                    <StatusTag tone={OUTCOME_TONE[r.outcome] ?? 'neutral'} testId={`pc-plan-outcome-${step.id}`}>
                      {t.outcome[r.outcome]}
                    </StatusTag>
                  </>
                )}
                <p className="small">
                  {t.why}: {step.why}
                </p>
                {step.kind !== 'wait' && !run && (
                  <p className="small muted">
                    {t.when}: {step.precondition}
                  </p>
                )}
                {r && r.outcome !== 'done' && <p className="small">{r.detail}</p>}
                {step.instructions && step.instructions.length > 0 && (
                  <ul className="small">
                    {step.instructions.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                )}
              </li>
            )
          })}
        </ol>
      )}
      {run?.verification && (
        <ul className="checks small" data-testid="pc-plan-checks">
          {run.verification.checks.map((c) => (
            <li key={c.name} data-ok={String(c.ok)}>
              <StatusTag tone={c.ok ? 'ok' : 'bad'}>{c.ok ? levelWords.ok : levelWords.bad}</StatusTag> {c.name}:{' '}
              {c.detail}
            </li>
          ))}
        </ul>
      )}
      {waits.length > 0 &&
        run &&
        !run.plan.steps.some((x) => waits.some((w) => w.id === x.id)) &&
        waits.map((w) => (
          <p key={w.id} className="small" data-testid={`pc-plan-wait-${w.id}`}>
            <strong>{w.title}</strong>: {w.why}
          </p>
        ))}
      {(run?.plan ?? plan)?.notes.map((n) => (
        <p key={n} className="small muted">
          {t.note}: {n}
        </p>
      ))}
      {plan?.readOnly && <p className="muted">{t.readOnly}</p>}
      {s.running && <ProgressBar label={s.progress ?? t.running} value={s.fraction} />}
      {plan && !plan.readOnly && runnable.length > 0 && !s.running && (
        <button
          type="button"
          className="primary"
          data-testid="pc-plan-run"
          onClick={() => void pcPlanStore.getState().confirmAndRun()}
        >
          {t.run(runnable.length, plan.restarts)}
        </button>
      )}
    </section>
  )
}
