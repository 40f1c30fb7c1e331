/** The screen list. Add a screen: one import, one entry. */
import { registerScreens, type ScreenDef } from '../screen-registry.ts'
import { StartScreen } from './start-screen.tsx'
import { OverviewScreen } from './overview-screen.tsx'
import { HistoryScreen } from './history-screen.tsx'
import { PasteScreen } from './paste-screen.tsx'
import { ProofScreen } from './proof-screen.tsx'
import { DiagnosisScreen } from './diagnosis-screen.tsx'
import { RecoveryScreen } from './recovery-screen.tsx'
import { InstallScreen } from './install-screen.tsx'
import { RepairScreen } from './repair-screen.tsx'
import { repairStrings } from '../components/repair-strings.ts'
import { UpdatesScreen, updatesStrings } from './updates-screen.tsx'
import { strings } from '../strings.ts'
import { ConnectScreen, connectStrings } from './connect-screen.tsx'
import { MediaScreen } from './media-screen.tsx'
import { mediaStrings } from '../components/media-strings.ts'
import { FixPackageScreen, fixFlowStrings } from './fix-package-screen.tsx'
import { FleetScreen, fleetStrings } from './fleet-screen.tsx'

export const screens: ScreenDef[] = [
  { id: 'start', label: strings.nav.start, step: 1, component: StartScreen },
  { id: 'overview', label: strings.nav.overview, step: 1, component: OverviewScreen },
  { id: 'history', label: strings.nav.history, step: 1, component: HistoryScreen },
  { id: 'diagnosis', label: strings.diagnosis.nav, step: 2, component: DiagnosisScreen },
  { id: 'updates', label: updatesStrings.nav, step: 3, component: UpdatesScreen },
  { id: 'install', label: strings.install.nav, step: 3, component: InstallScreen },
  { id: 'recovery', label: strings.recovery.nav, step: 3, component: RecoveryScreen },
  { id: 'proof', label: strings.nav.proof, step: 4, component: ProofScreen },
  { id: 'paste', label: strings.nav.paste, component: PasteScreen },
  // A PC you are not sitting at: collector → its file → fix package → rehearsal → proof.
  { id: 'fix-package', label: fixFlowStrings.nav, component: FixPackageScreen },
  // A PC at another desk over PowerShell remoting, or a training machine over the training transport.
  { id: 'connect', label: connectStrings.nav, component: ConnectScreen },
  // Opened by a finding's Fix-it button (#/repair?repair=<id>); without an id it lists what is offered.
  { id: 'repair', label: repairStrings.nav, component: RepairScreen },
  // A USB stick or ISO folder: its layers, what is stale, the update plan; #/media?medium=<name>.
  { id: 'media', label: mediaStrings.nav, component: MediaScreen },
  // Many PCs: devices grouped by cause, a fix per group, proof per device; a training fleet to try it.
  { id: 'fleet', label: fleetStrings.nav, component: FleetScreen },
]
registerScreens(screens)
