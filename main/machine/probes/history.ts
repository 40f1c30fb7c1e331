/**
 * The history probe: Windows Update history (title, KB, date, operation, result, HRESULT) from the
 * Microsoft.Update.Session COM API, newest first.
 */
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseUpdateHistory, UPDATE_HISTORY_SCRIPT, type RawHistoryEntry } from '../../parse/update-history.ts'
import { normalizeErrorCode } from '../../knowledge/error-normalize.ts'
import type { UpdateHistoryEntry } from '../../../preload/model/snapshot.ts'
import { singleCommandProbe } from './single-command.ts'
import { localeOrder } from '../../parse/locale-free.ts'

export const updateHistoryCommand: CommandSpec = powershellSpec('history.update-session', UPDATE_HISTORY_SCRIPT, 90_000)

/** Raw entry → snapshot entry: the signed HResult normalised to `0x%08X` by the one normaliser. */
export function toHistoryEntry(e: RawHistoryEntry): UpdateHistoryEntry {
  return {
    title: e.title,
    kb: e.kb,
    date: e.date,
    operation: e.operation,
    result: e.result,
    hresult: e.hresultRaw === null ? null : (normalizeErrorCode(e.hresultRaw, 'hresult')?.code ?? null),
  }
}

export const historyProbe = singleCommandProbe({
  id: 'history',
  command: updateHistoryCommand,
  what: 'Reading the Windows Update history',
  read(stdout) {
    const parsed = parseUpdateHistory(stdout)
    if (!parsed.ok) return { error: parsed.warnings.join(' ') }
    const entries = parsed.entries.map(toHistoryEntry).sort((a, b) => localeOrder(b.date ?? '', a.date ?? ''))
    const notable = entries.filter((e) => e.result !== 'succeeded').slice(0, 20)
    const excerpt = [
      `${entries.length} history entries.`,
      ...notable.map((e) => `${e.date ?? '?'}  ${e.result}  ${e.hresult ?? ''}  ${e.title}`),
    ].join('\n')
    return { value: entries, evidence: [{ source: 'Microsoft.Update.Session QueryHistory (PowerShell)', excerpt }] }
  },
})
