/** The guided flow's two pieces: the step bar on top (where am I) and Back/Next at the bottom of every step screen. */
import { strings } from '../strings.ts'
import { hrefOf } from '../router.ts'
import type { ScreenDef } from '../screen-registry.ts'
import { firstOfStep, neighbours, type Step } from '../flow.ts'

export function StepBar({ screens, current }: { screens: readonly ScreenDef[]; current: ScreenDef }) {
  const t = strings.flow
  return (
    <nav aria-label={t.label} className="step-bar">
      <ol>
        {t.steps.map((name, i) => {
          const step = (i + 1) as Step
          const first = firstOfStep(screens, step)
          const here = current.step === step
          const label = (
            <>
              <span className="step-no" aria-hidden="true">
                {step}
              </span>
              <span className="visually-hidden">{t.stepOf(step, '')}</span>
              <span>{name}</span>
            </>
          )
          return (
            <li key={name} className={here ? 'step here' : 'step'} data-testid={`step-${step}`}>
              {first ? (
                <a href={hrefOf(first.id)} aria-current={here ? 'step' : undefined}>
                  {label}
                </a>
              ) : (
                <span className="step-off">{label}</span>
              )}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}

export function FlowFooter({ screens, current }: { screens: readonly ScreenDef[]; current: ScreenDef }) {
  const { prev, next } = neighbours(screens, current.id)
  if (!prev && !next) return null
  return (
    <nav className="flow-footer" aria-label={strings.flow.footer}>
      {prev ? (
        <a className="button-like secondary" href={hrefOf(prev.id)} data-testid="flow-back">
          ← {strings.flow.back(prev.label)}
        </a>
      ) : (
        <span />
      )}
      {next && (
        <a className="button-like" href={hrefOf(next.id)} data-testid="flow-next">
          {strings.flow.next(next.label)} →
        </a>
      )}
    </nav>
  )
}
