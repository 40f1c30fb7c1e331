/**
 * Parses Windows Update history as our PowerShell script prints it (see UPDATE_HISTORY_SCRIPT):
 * IUpdateHistoryEntry objects from Microsoft.Update.Session's QueryHistory, as ConvertTo-Json.
 *
 * Operation (UpdateOperation): 1 install, 2 uninstall. ResultCode (OperationResultCode): 0 not started,
 * 1 in progress, 2 succeeded, 3 succeeded with errors, 4 failed, 5 aborted
 * (learn.microsoft.com/windows/win32/api/wuapi/ne-wuapi-operationresultcode). HResult is a signed
 * 32-bit int (-2146498270 = 0x800F0922); it is returned raw here and normalised by the caller with
 * knowledge/error-normalize.ts (the one normaliser).
 */
import { readDate } from './date-text.ts'
import { jsonDateText } from './dism-packages.ts'

/**
 * The script the history probe runs (PowerShell 5.1, no modules needed). Dates are written as
 * ISO 8601 UTC so no locale is involved; an empty history prints `[]`.
 */
export const UPDATE_HISTORY_SCRIPT = [
  '$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()',
  '$count = $searcher.GetTotalHistoryCount()',
  '$rows = @(if ($count -gt 0) { $searcher.QueryHistory(0, $count) | Select-Object Title,',
  '  @{n="Date";e={$_.Date.ToUniversalTime().ToString("o")}}, Operation, ResultCode, HResult,',
  '  @{n="UpdateId";e={$_.UpdateIdentity.UpdateID}} })',
  'ConvertTo-Json -InputObject $rows -Depth 3 -Compress',
].join('\n')

export interface RawHistoryEntry {
  title: string
  kb: string | null
  date: string | null
  operation: 'install' | 'uninstall' | 'other'
  result: 'succeeded' | 'succeeded-with-errors' | 'failed' | 'aborted' | 'in-progress' | 'not-started' | 'other'
  /** As PowerShell printed it (signed int), for the caller to normalise. */
  hresultRaw: number | string | null
  updateId: string | null
}

export interface UpdateHistoryResult {
  entries: RawHistoryEntry[]
  warnings: string[]
  ok: boolean
}

const RESULTS: RawHistoryEntry['result'][] = [
  'not-started',
  'in-progress',
  'succeeded',
  'succeeded-with-errors',
  'failed',
  'aborted',
]

export function parseUpdateHistory(input: string): UpdateHistoryResult {
  const text = (typeof input === 'string' ? input : '').trim().replace(/^\uFEFF/, '')
  if (text === '') return { entries: [], warnings: ['The history output is empty.'], ok: false }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return {
      entries: [],
      warnings: ['The history output is not JSON (expected ConvertTo-Json output of QueryHistory).'],
      ok: false,
    }
  }
  const rows = (Array.isArray(data) ? data : [data]).filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null,
  )
  const entries: RawHistoryEntry[] = []
  for (const r of rows) {
    const title = typeof r.Title === 'string' ? r.Title : ''
    const kb = /\bKB(\d{6,8})\b/i.exec(title)
    const op = Number(r.Operation)
    const rc = Number(r.ResultCode)
    const d = readDate(jsonDateText(r.Date))
    entries.push({
      title,
      kb: kb ? `KB${kb[1]}` : null,
      date: d.value,
      operation: op === 1 ? 'install' : op === 2 ? 'uninstall' : operationWord(r.Operation),
      result: Number.isInteger(rc) && rc >= 0 && rc < RESULTS.length ? RESULTS[rc] : resultWord(r.ResultCode),
      hresultRaw: typeof r.HResult === 'number' || typeof r.HResult === 'string' ? r.HResult : null,
      updateId: typeof r.UpdateId === 'string' ? r.UpdateId : null,
    })
  }
  return { entries, warnings: [], ok: true }
}

function operationWord(v: unknown): RawHistoryEntry['operation'] {
  const t = String(v ?? '').toLowerCase()
  if (t.includes('uninstall')) return 'uninstall'
  if (t.includes('install')) return 'install'
  return 'other'
}

function resultWord(v: unknown): RawHistoryEntry['result'] {
  const t = String(v ?? '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
  if (t === 'orcsucceededwitherrors' || t === 'succeededwitherrors') return 'succeeded-with-errors'
  if (t.endsWith('succeeded')) return 'succeeded'
  if (t.endsWith('failed')) return 'failed'
  if (t.endsWith('aborted')) return 'aborted'
  if (t.endsWith('inprogress')) return 'in-progress'
  if (t.endsWith('notstarted')) return 'not-started'
  return 'other'
}
