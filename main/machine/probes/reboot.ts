/** The reboot probe: every reboot-pending source (servicing-facts §7), each with its own evidence. */
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseRebootPending, REBOOT_PENDING_SCRIPT } from '../../parse/reboot-pending.ts'
import { singleCommandProbe } from './single-command.ts'

export const rebootSourcesCommand: CommandSpec = powershellSpec('reboot.sources', REBOOT_PENDING_SCRIPT, 60_000)

export const rebootProbe = singleCommandProbe({
  id: 'reboot',
  command: rebootSourcesCommand,
  what: 'Checking for a pending restart',
  read(stdout) {
    const { fact, warnings } = parseRebootPending(stdout)
    if (!fact) return { error: warnings.join(' ') }
    const evidence = fact.sources.map((s) => ({
      source: s.label,
      excerpt: `${s.pending === true ? 'PENDING' : s.pending === false ? 'clear' : 'unknown'}: ${s.detail}`,
    }))
    return { value: fact, evidence }
  },
})
