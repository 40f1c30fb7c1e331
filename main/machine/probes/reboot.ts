/** The reboot probe: every reboot-pending source (servicing-facts §7), each with its own evidence. */
import type { Probe } from '../probe.ts'
import { ProbeError, commandEvidence, requireOk } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseRebootPending, REBOOT_PENDING_SCRIPT } from '../../parse/reboot-pending.ts'

export const rebootSourcesCommand: CommandSpec = powershellSpec('reboot.sources', REBOOT_PENDING_SCRIPT, 60_000)

export const rebootProbe: Probe<'reboot'> = {
  id: 'reboot',
  timeoutMs: 60_000,
  async run({ host, signal }) {
    const r = await host.run(rebootSourcesCommand, { signal })
    requireOk(r, 'Checking for a pending restart')
    const parsed = parseRebootPending(r.stdout)
    if (!parsed.fact) throw new ProbeError(parsed.warnings.join(' '), [commandEvidence(r)])
    const evidence = parsed.fact.sources.map((s) => ({ source: s.label, excerpt: `${s.pending === true ? 'PENDING' : s.pending === false ? 'clear' : 'unknown'}: ${s.detail}` }))
    return { value: parsed.fact, evidence }
  },
}
