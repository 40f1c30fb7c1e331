/** The hotfix probe: Get-HotFix (Win32_QuickFixEngineering) as JSON. */
import type { Probe } from '../probe.ts'
import { requireOk } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseHotfixList, HOTFIX_SCRIPT } from '../../parse/hotfix-list.ts'

export const getHotfixCommand: CommandSpec = powershellSpec('hotfixes.get-hotfix', HOTFIX_SCRIPT, 60_000)

export const hotfixesProbe: Probe<'hotfixes'> = {
  id: 'hotfixes',
  timeoutMs: 60_000,
  async run({ host, signal }) {
    const r = await host.run(getHotfixCommand, { signal })
    requireOk(r, 'Listing hotfixes (Get-HotFix)')
    const parsed = parseHotfixList(r.stdout)
    const value = parsed.hotfixes
    const excerpt = [`${value.length} hotfixes.`, ...value.slice(0, 30).map((h) => `${h.kb}  ${h.description ?? ''}  ${h.installedOn ?? ''}`)].join('\n')
    return { value, evidence: [{ source: 'Get-HotFix (JSON)', excerpt }] }
  },
}
