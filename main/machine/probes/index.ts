/** Every probe a scan runs. Add a probe: one import, one entry. */
import type { Probe } from '../probe.ts'
import { osProbe } from './os.ts'
import { packagesProbe } from './packages.ts'
import { historyProbe } from './history.ts'
import { hotfixesProbe } from './hotfixes.ts'
import { rebootProbe } from './reboot.ts'
import { storageProbe } from './storage.ts'
import { servicesProbe } from './services.ts'
import { winreProbe } from './winre.ts'
import { bootChainProbe } from './boot-chain.ts'

export const probes: Probe[] = [
  osProbe as Probe,
  packagesProbe as Probe,
  historyProbe as Probe,
  hotfixesProbe as Probe,
  rebootProbe as Probe,
  storageProbe as Probe,
  servicesProbe as Probe,
  winreProbe as Probe,
  bootChainProbe as Probe,
]
