/**
 * parseUpdateHistory line by line (mutation testing). Its input is the JSON our own script
 * (UPDATE_HISTORY_SCRIPT) prints: IUpdateHistoryEntry fields as PowerShell 5.1 and 7 serialise them
 * (OperationResultCode and UpdateOperation as numbers or as enum names), plus hostile values.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type M0 = typeof import('../../../main/parse/update-history.ts')
let parseUpdateHistory: M0['parseUpdateHistory'], UPDATE_HISTORY_SCRIPT: M0['UPDATE_HISTORY_SCRIPT']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseUpdateHistory, UPDATE_HISTORY_SCRIPT } = await import('../../../main/parse/update-history.ts'))
})

const one = (row: Record<string, unknown>) => {
  const r = parseUpdateHistory(JSON.stringify([row]))
  expect(r.ok).toBe(true)
  expect(r.entries).toHaveLength(1)
  return r.entries[0]
}

describe('parseUpdateHistory: the envelope', () => {
  it('reads an empty history, a byte-order mark and surrounding blank lines', () => {
    expect(parseUpdateHistory('[]')).toEqual({ entries: [], warnings: [], ok: true })
    expect(parseUpdateHistory('\uFEFF[{"Title":"a (KB5043080)"}]').entries[0].kb).toBe('KB5043080')
    expect(parseUpdateHistory('\n  [{"Title":"a"}]  \r\n').entries).toHaveLength(1)
  })

  it('says what is wrong with empty or non-JSON output', () => {
    expect(parseUpdateHistory('')).toEqual({ entries: [], warnings: ['The history output is empty.'], ok: false })
    expect(parseUpdateHistory('   \n')).toEqual({ entries: [], warnings: ['The history output is empty.'], ok: false })
    expect(parseUpdateHistory(null as unknown as string)).toEqual({
      entries: [],
      warnings: ['The history output is empty.'],
      ok: false,
    })
    expect(parseUpdateHistory('Exception from HRESULT: 0x80240438')).toEqual({
      entries: [],
      warnings: ['The history output is not JSON (expected ConvertTo-Json output of QueryHistory).'],
      ok: false,
    })
  })

  it('skips array items that are not objects', () => {
    const r = parseUpdateHistory(JSON.stringify([null, 5, 'x', true, { Title: 'kept' }]))
    expect(r.entries.map((e) => e.title)).toEqual(['kept'])
    expect(parseUpdateHistory('5')).toEqual({ entries: [], warnings: [], ok: true })
  })
})

describe('parseUpdateHistory: each field', () => {
  it('reads the whole entry', () => {
    expect(
      one({
        Title: '2024-09 Cumulative Update (KB5043080)',
        Date: '2024-09-13T04:11:00.0000000Z',
        Operation: 1,
        ResultCode: 2,
        HResult: 0,
        UpdateId: 'u-1',
      }),
    ).toEqual({
      title: '2024-09 Cumulative Update (KB5043080)',
      kb: 'KB5043080',
      date: '2024-09-13T04:11:00.000Z',
      operation: 'install',
      result: 'succeeded',
      hresultRaw: 0,
      updateId: 'u-1',
    })
  })

  it('takes the KB number only as a whole word of 6 to 8 digits, any case', () => {
    const cases: Array<[string, string | null]> = [
      ['Update (KB5043080)', 'KB5043080'],
      ['update kb890830 x', 'KB890830'],
      ['KB12345678 first', 'KB12345678'],
      ['KB12345', null],
      ['KB123456789', null],
      ['XKB5043080', null],
      ['KB5043080X', null],
      ['', null],
    ]
    let ran = 0
    for (const [Title, kb] of cases) {
      expect(one({ Title }).kb, Title).toBe(kb)
      ran++
    }
    expect(ran).toBe(8)
    expect(one({ Title: 5 }).title).toBe('')
    expect(one({}).title).toBe('')
  })

  it('reads the operation as a number or an enum name, uninstall before install', () => {
    const cases: Array<[unknown, string]> = [
      [1, 'install'],
      [2, 'uninstall'],
      ['1', 'install'],
      ['2', 'uninstall'],
      ['Installation', 'install'],
      ['uoInstallation', 'install'],
      ['Uninstallation', 'uninstall'],
      ['uoUninstallation', 'uninstall'],
      [3, 'other'],
      [0, 'other'],
      [null, 'other'],
      ['Download', 'other'],
    ]
    let ran = 0
    for (const [Operation, op] of cases) {
      expect(one({ Operation }).operation, String(Operation)).toBe(op)
      ran++
    }
    expect(ran).toBe(12)
    expect(one({}).operation).toBe('other')
  })

  it('reads the result code 0–5 as a number, and as an OperationResultCode name', () => {
    const cases: Array<[unknown, string]> = [
      [0, 'not-started'],
      [1, 'in-progress'],
      [2, 'succeeded'],
      [3, 'succeeded-with-errors'],
      [4, 'failed'],
      [5, 'aborted'],
      [6, 'other'],
      [-1, 'other'],
      [1.5, 'other'],
      ['4', 'failed'],
      ['orcNotStarted', 'not-started'],
      ['orcInProgress', 'in-progress'],
      ['orcSucceeded', 'succeeded'],
      ['orcSucceededWithErrors', 'succeeded-with-errors'],
      ['SucceededWithErrors', 'succeeded-with-errors'],
      ['Succeeded With Errors', 'succeeded-with-errors'],
      ['orcFailed', 'failed'],
      ['orcAborted', 'aborted'],
      ['Failed', 'failed'],
      ['NotStarted', 'not-started'],
      ['In Progress', 'in-progress'],
      ['orcUnknown', 'other'],
      ['FailedAgain', 'other'],
    ]
    let ran = 0
    for (const [ResultCode, result] of cases) {
      expect(one({ ResultCode }).result, String(ResultCode)).toBe(result)
      ran++
    }
    expect(ran).toBe(23)
    expect(one({}).result).toBe('other')
  })

  it('keeps HResult raw (signed number or text) for the one normaliser, and the update id only as text', () => {
    expect(one({ HResult: -2146498270 }).hresultRaw).toBe(-2146498270)
    expect(one({ HResult: '0x800F0922' }).hresultRaw).toBe('0x800F0922')
    expect(one({ HResult: true }).hresultRaw).toBeNull()
    expect(one({ HResult: { v: 1 } }).hresultRaw).toBeNull()
    expect(one({}).hresultRaw).toBeNull()
    expect(one({ UpdateId: 7 }).updateId).toBeNull()
    expect(one({ UpdateId: '' }).updateId).toBe('')
  })

  it('reads the date as ISO, as /Date(ms)/ (PowerShell 5.1) and as {value} (ScriptProperty), else null', () => {
    expect(one({ Date: '2026-04-15T02:41:09.0000000Z' }).date).toBe('2026-04-15T02:41:09.000Z')
    expect(one({ Date: '/Date(1776192002000)/' }).date).toBe('2026-04-14T18:40:02.000Z')
    expect(one({ Date: { value: '/Date(1776192002000)/', DateTime: 'Tuesday' } }).date).toBe('2026-04-14T18:40:02.000Z')
    expect(one({ Date: null }).date).toBeNull()
    expect(one({ Date: 12 }).date).toBeNull()
  })
})

describe('UPDATE_HISTORY_SCRIPT', () => {
  it('queries the whole history through the Update Session and prints the fields the parser reads, dates in UTC ISO 8601', () => {
    expect(UPDATE_HISTORY_SCRIPT.split('\n')).toEqual([
      '$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()',
      '$count = $searcher.GetTotalHistoryCount()',
      '$rows = @(if ($count -gt 0) { $searcher.QueryHistory(0, $count) | Select-Object Title,',
      '  @{n="Date";e={$_.Date.ToUniversalTime().ToString("o")}}, Operation, ResultCode, HResult,',
      '  @{n="UpdateId";e={$_.UpdateIdentity.UpdateID}} })',
      'ConvertTo-Json -InputObject $rows -Depth 3 -Compress',
    ])
  })
})
