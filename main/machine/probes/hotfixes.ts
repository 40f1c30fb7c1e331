/** The hotfix probe: Get-HotFix (Win32_QuickFixEngineering) as JSON. */
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseHotfixList, HOTFIX_SCRIPT } from '../../parse/hotfix-list.ts'
import { singleCommandProbe } from './single-command.ts'

export const getHotfixCommand: CommandSpec = powershellSpec('hotfixes.get-hotfix', HOTFIX_SCRIPT, 60_000)

export const hotfixesProbe = singleCommandProbe({
  id: 'hotfixes',
  command: getHotfixCommand,
  what: 'Listing hotfixes (Get-HotFix)',
  read(stdout) {
    const value = parseHotfixList(stdout).hotfixes
    const excerpt = [
      `${value.length} hotfixes.`,
      ...value.slice(0, 30).map((h) => `${h.kb}  ${h.description ?? ''}  ${h.installedOn ?? ''}`),
    ].join('\n')
    return { value, evidence: [{ source: 'Get-HotFix (JSON)', excerpt }] }
  },
})
