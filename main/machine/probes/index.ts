/** Every probe a scan runs. Add a probe: one import, one entry. */
import type { Probe } from '../probe.ts'
import { osProbe } from './os.ts'

export const probes: Probe[] = [
  osProbe as Probe,
]
