/** The services probe: state and start type of the services Windows servicing depends on. */
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseServices, SERVICES_SCRIPT } from '../../parse/services.ts'
import { singleCommandProbe } from './single-command.ts'

export const servicesStateCommand: CommandSpec = powershellSpec('services.state', SERVICES_SCRIPT, 30_000)

export const servicesProbe = singleCommandProbe({
  id: 'services',
  command: servicesStateCommand,
  what: 'Reading service states',
  read(stdout) {
    const parsed = parseServices(stdout)
    if (!parsed.ok) return { error: parsed.warnings.join(' ') }
    const excerpt = [...parsed.services.map((s) => `${s.name}  ${s.status}  ${s.startType}`), ...parsed.warnings].join(
      '\n',
    )
    return { value: parsed.services, evidence: [{ source: 'Get-Service (JSON)', excerpt }] }
  },
})
