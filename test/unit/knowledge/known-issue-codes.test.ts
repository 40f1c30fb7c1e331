/**
 * Every code a known issue names is one `explain` knows: a person who reads the code off a PC with that issue gets
 * its name and a cause that points at the issue, never "not in the knowledge".
 */
import { describe, expect, it } from 'vitest'
import { errorCodeEntry } from '../../../main/knowledge/error-codes.ts'
import { knownIssues } from '../../../main/knowledge/known-issues.ts'

describe('known-issue codes are known codes', () => {
  it('each code of each row has an entry', () => {
    const missing = knownIssues().flatMap((r) =>
      r.affects.codes.filter((c) => !/^0x0000/.test(c) && errorCodeEntry(c) === null).map((c) => `${r.id} ${c}`),
    )
    expect(missing).toEqual([])
  })

  it("0x80010002 is RPC_E_CALL_CANCELED (winerror.h) and its causes name the January 2026 preview's known issue", () => {
    const e = errorCodeEntry('0x80010002')
    expect(e).toMatchObject({ name: 'RPC_E_CALL_CANCELED' })
    expect(e!.meaning).toMatch(/canceled by the message filter/)
    expect(e!.causes.join(' ')).toMatch(/KB5074105/)
    expect(e!.causes.join(' ')).toMatch(/Known Issue Rollback/)
  })
})
