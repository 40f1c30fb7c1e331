/**
 * The guided flow: Check → What's wrong → Fix → Proof. Screens join it by their `step` in the
 * registry; the flow walks them in step order, then registry order. Pure, so it is tested alone.
 */
import type { ScreenDef } from './screen-registry.ts'

export type Step = 1 | 2 | 3 | 4

/** The screens of the guided flow, in the order a user walks them. */
export function flowOrder(screens: readonly ScreenDef[]): ScreenDef[] {
  return screens
    .map((s, i) => ({ s, i }))
    .filter((x) => x.s.step !== undefined)
    .sort((a, b) => a.s.step! - b.s.step! || a.i - b.i)
    .map((x) => x.s)
}

export function neighbours(
  screens: readonly ScreenDef[],
  id: string,
): { prev: ScreenDef | null; next: ScreenDef | null } {
  const order = flowOrder(screens)
  const i = order.findIndex((s) => s.id === id)
  if (i < 0) return { prev: null, next: null }
  return { prev: order[i - 1] ?? null, next: order[i + 1] ?? null }
}

/** The first screen of a step, or null when no screen serves it yet. */
export function firstOfStep(screens: readonly ScreenDef[], step: Step): ScreenDef | null {
  return flowOrder(screens).find((s) => s.step === step) ?? null
}

/** The screen that diagnoses an error code (`#/<id>?code=…`): `diagnosis` when registered, else none. */
export function diagnosisScreenOf(screens: readonly ScreenDef[]): string | null {
  return screens.find((s) => s.id === 'diagnosis')?.id ?? null
}
