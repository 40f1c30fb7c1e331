/**
 * Every code in Microsoft's own error tables for Windows Update and servicing ("Windows Update common errors and
 * mitigation", KB947821's common corruption errors) carries the cause and mitigation the page gives, so a text that
 * names only the code gets that cause: a download filtered by a firewall (0x80200053), a time-out to Microsoft's
 * download addresses (0x80072EFD, 0x80D02002), invalid update XML from a driver's metadata (0x8024000E), a Windows
 * Update Agent self-update WSUS does not send (0x8024D009), and the component-store corruption codes of KB947821's table
 * (0x80070246, 0x8007370A, 0x8007370B, 0x8007370D) read as store corruption.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { errorCodeEntry } from '../../../main/knowledge/error-codes.ts'
import data from '../../../main/knowledge/data/ms-error-tables.json' with { type: 'json' }

const top = (code: string) => diagnose({ text: `Windows Update failed with error ${code}` }).findings[0]

describe("codes of Microsoft's tables have their page's cause", () => {
  it('every code of the Windows Update and KB947821 tables has at least one cause', () => {
    const missing = (data as { tables: { id: string; rows: string[][] }[] }).tables
      .filter((t) => t.id === 'MS-WU-COMMON' || t.id === 'MS-KB947821')
      .flatMap((t) => t.rows.map((r) => r[0]!))
      .filter((c) => !(errorCodeEntry(c)?.causes.length ?? 0))
    expect(missing).toEqual([])
  })

  it.each([
    ['0x80200053', /firewall/i],
    ['0x80072EFD', /firewall rules or proxies/i],
    ['0x80D02002', /firewall rules or proxies/i],
    ['0x8024000E', /driver/i],
    ['0x8024D009', /WSUS/],
  ])('%s: its cause in the knowledge and the finding', (code, cause) => {
    expect(errorCodeEntry(code)!.causes.join(' ')).toMatch(cause)
    expect(top(code)!.causes.join(' ')).toMatch(/firewall|driver|WSUS/i)
  })

  it('time-outs to the download addresses are the update source unreachable', () => {
    for (const c of ['0x80072EFD', '0x80D02002', '0x80200053']) expect(top(c)!.id, c).toBe('update-source-unreachable')
  })

  it("KB947821's corruption codes are component store corruption", () => {
    for (const c of ['0x80070246', '0x8007370A', '0x8007370B', '0x8007370D'])
      expect(top(c)!.id, c).toBe('component-store-corruption')
  })
})
