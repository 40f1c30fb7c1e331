/**
 * The media update plan: one card per image in the documented order (media-plan-groups.ts), each step
 * numbered as in `media plan` with its exact command in a copyable command box, then the work folder's
 * space and the plan's notes.
 */
import type { MediaPlan } from '../../../preload/model/media-calls.ts'
import { CommandBlock } from './command-block.tsx'
import { planGroups } from './media-plan-groups.ts'
import { mediaStrings as t } from './media-strings.ts'
import { formatGb } from './media-layers.tsx'
import { withContentKeys } from './list-keys.ts'

export function MediaPlanSteps({ plan }: { plan: MediaPlan }) {
  const groups = planGroups(plan)
  return (
    <section aria-labelledby="media-plan-title" data-testid="media-plan">
      <h2 id="media-plan-title" data-testid="media-plan-title">
        {t.planTitle(plan.steps.length, plan.targetKb, plan.arch)}
      </h2>
      <p className="muted">{t.planIntro}</p>
      <p
        className={plan.space.enough === false ? 'warning' : 'small'}
        data-testid="media-space"
        data-enough={String(plan.space.enough)}
      >
        {t.space(
          formatGb(plan.space.neededBytes),
          plan.space.freeBytes === null ? null : formatGb(plan.space.freeBytes),
        )}
        {plan.space.enough === false ? ` ${t.spaceShort}` : ''}
      </p>
      {groups.map((g) => (
        <section
          key={`${g.key}-${g.steps[0].number}`}
          className="card media-group"
          aria-labelledby={`media-group-${g.key}`}
          data-testid={`media-group-${g.key}`}
        >
          <h3 id={`media-group-${g.key}`}>{t.group(g.key)}</h3>
          <ol className="steps media-steps">
            {g.steps.map((s) => (
              <li key={s.number} value={s.number} data-testid={`media-step-${s.number}`} data-kind={s.step.kind}>
                <span>{t.step(s.step)}</span>
                <CommandBlock command={s.command} label={`${s.number}. ${t.step(s.step)}`} testId="media-command" />
              </li>
            ))}
          </ol>
        </section>
      ))}
      {plan.notes.length > 0 && (
        <>
          <h3>{t.notes}</h3>
          <ul className="muted" data-testid="media-notes">
            {withContentKeys(plan.notes).map(([key, n]) => (
              <li key={key}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
