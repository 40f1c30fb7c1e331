/** The screen list. Add a screen: one import, one entry. */
import type { ScreenDef } from './registry.ts'
import { StartScreen } from './start-screen.tsx'
import { OverviewScreen } from './overview-screen.tsx'
import { strings } from '../strings.ts'

export const screens: ScreenDef[] = [
  { id: 'start', label: strings.nav.start, step: 1, component: StartScreen },
  { id: 'overview', label: strings.nav.overview, step: 1, component: OverviewScreen },
]
