/**
 * Every screen, in one list: the guided steps first, then expert tools. Add a screen: one import in
 * `index.ts`, one entry there. `step` places it in the guided flow (Check → What's wrong → Fix → Proof).
 */
import type { ComponentType } from 'react'

export interface ScreenDef {
  id: string
  label: string
  step?: 1 | 2 | 3 | 4
  component: ComponentType
}
