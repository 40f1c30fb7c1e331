/** The services probe: state and start type of the services Windows servicing depends on. */
import type { Probe } from '../probe.ts'
import { ProbeError, commandEvidence, requireOk } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseServices, SERVICES_SCRIPT } from '../../parse/services.ts'

export const servicesStateCommand: CommandSpec = powershellSpec('services.state', SERVICES_SCRIPT, 30_000)

export const servicesProbe: Probe<'services'> = {
  id: 'services',
  timeoutMs: 30_000,
  async run({ host, signal }) {
    const r = await host.run(servicesStateCommand, { signal })
    requireOk(r, 'Reading service states')
    const parsed = parseServices(r.stdout)
    if (!parsed.ok) throw new ProbeError(parsed.warnings.join(' '), [commandEvidence(r)])
    const excerpt = [...parsed.services.map((s) => `${s.name}  ${s.status}  ${s.startType}`), ...parsed.warnings].join('\n')
    return { value: parsed.services, evidence: [{ source: 'Get-Service (JSON)', excerpt }] }
  },
}
