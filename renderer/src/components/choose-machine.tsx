/**
 * A screen that needs a machine, opened with none chosen (e.g. Fix it from the menu): it says so and leads to
 * choosing one. The Start screen comes back here once the machine is checked
 * (`#/start?then=<screen>&repair=<id>`).
 */
import { navigate } from '../router.ts'

export const chooseMachineStrings = {
  text: 'No machine is chosen yet: choose the PC to check first, then this page continues with it.',
  button: 'Choose a machine',
}

/** Screens the Start screen may return to after a machine was checked. */
export const RETURN_SCREENS = ['repair', 'install', 'recovery', 'diagnosis', 'proof'] as const

export function ChooseMachine({
  then,
  repair,
  testId,
}: {
  then: (typeof RETURN_SCREENS)[number]
  repair?: string | null
  testId?: string
}) {
  return (
    <div className="card" data-testid={testId ?? 'choose-machine'}>
      <p>{chooseMachineStrings.text}</p>
      <div className="row">
        <button
          type="button"
          onClick={() => navigate('start', { then, ...(repair ? { repair } : {}) })}
          data-testid="choose-machine-button"
        >
          {chooseMachineStrings.button}
        </button>
      </div>
    </div>
  )
}

/** Where the Start screen goes after checking a machine: back to the screen that asked, else the Overview. */
export function afterChoosing(then: string | null, repair: string | null): () => void {
  if (then && (RETURN_SCREENS as readonly string[]).includes(then)) {
    return () => navigate(then, repair && /^[a-z0-9-]{1,40}$/.test(repair) ? { repair } : undefined)
  }
  return () => navigate('overview')
}
