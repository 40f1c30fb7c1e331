/**
 * Every screen, in one list: the guided steps first, then expert tools. Add a screen: one import in
 * `screens/index.ts`, one entry there. `step` places it in the guided flow (Check → What's wrong → Fix → Proof).
 */
import type { ComponentType } from 'react'

export interface ScreenDef {
  id: string
  label: string
  step?: 1 | 2 | 3 | 4
  component: ComponentType
}

let registered: ScreenDef[] = []

/**
 * `screens/index.ts` hands its list here once it is built, so a screen that links to another screen (What's wrong's Fix
 * buttons, History's link to What's wrong) reads the list at render time without importing `index.ts`, which
 * imports it: that was a circle.
 */
export function registerScreens(list: ScreenDef[]): void {
  registered = list
}

/** The screens `screens/index.ts` registered (empty before it is loaded). */
export function registeredScreens(): ScreenDef[] {
  return registered
}
