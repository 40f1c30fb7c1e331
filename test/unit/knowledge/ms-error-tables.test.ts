/**
 * Microsoft's other published error tables: KB947821's corruption codes, "Windows Update common errors
 * and mitigation", the upgrade result codes and the modern setup (mosetup) list. Each table holds as many rows as the
 * page lists, and explain knows every row's code with that page among its sources.
 */
import { describe, it, expect } from 'vitest'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { msErrorTables, codeForName, errorCodeSources } from '../../../main/knowledge/error-codes.ts'
import { decodeExtendCode } from '../../../main/knowledge/setup-extend.ts'

/** Rows each table has on its page (counted on the page: KB947821 20, common errors 36 sections naming 38 codes, upgrade result codes 5, modern setup errors 71). */
const PAGE_SIZES: Record<string, number> = {
  'MS-KB947821': 20,
  'MS-WU-COMMON': 38,
  'MS-UPGRADE-CODES': 5,
  'MS-MOSETUP': 71,
}

describe("Microsoft's published error tables", () => {
  it('each table holds every row of its page, with a Microsoft URL', () => {
    expect(
      msErrorTables()
        .map((t) => t.id)
        .sort(),
    ).toEqual(Object.keys(PAGE_SIZES).sort())
    for (const t of msErrorTables()) {
      expect(t.rows.length, t.id).toBe(PAGE_SIZES[t.id])
      expect(t.rowsOnPage, t.id).toBe(PAGE_SIZES[t.id])
      expect(t.url).toMatch(/^https:\/\/learn\.microsoft\.com\//)
      expect(errorCodeSources()[t.id]).toContain(t.url)
      for (const [code] of t.rows) expect(code, t.id).toMatch(/^0x[0-9A-F]{8}$/)
    }
  })

  it('explain knows every code of every table, with the table among its sources', () => {
    let n = 0
    for (const t of msErrorTables()) {
      for (const [code, name] of t.rows) {
        const r = explain(code)
        if (!r.ok) throw new Error(r.error)
        expect(r.value.known, `${t.id} ${code}`).toBe(true)
        expect(
          r.value.sources.map((s) => s.key),
          `${t.id} ${code}`,
        ).toContain(t.id)
        if (/^[A-Z][A-Z0-9_]+$/.test(name) && name !== 'TIME_OUT_ERRORS') expect(codeForName(name), name).not.toBeNull()
        n++
      }
    }
    expect(n).toBe(134)
  })

  it("the upgrade page's extend tables: every phase (6) and operation (33) decodes by name", () => {
    for (let phase = 0; phase <= 5; phase++) {
      for (let op = 0; op <= 0x20; op++) {
        const m = decodeExtendCode(`0x${phase.toString(16)}00${op.toString(16).padStart(2, '0')}`)
        expect(m?.phase.name, `${phase}/${op}`).toMatch(/^SP_EXECUTION_/)
        expect(m?.operation.name, `${phase}/${op}`).toMatch(/^SP_EXECUTION_OP_/)
      }
    }
  })

  it('0xC1900101 - 0x4000D names the phase and operation; the written forms keep the extend code', () => {
    for (const form of ['0xC1900101 - 0x4000D', 'C1900101 - 4000D', 'Error = 0xC1900101-0x4000D']) {
      const r = explain(form)
      if (!r.ok) throw new Error(r.error)
      expect(r.value.code, form).toBe('0xC1900101')
      expect(r.value.extend, form).toBe('0x4000D')
      expect(r.value.extendMeaning?.text, form).toMatch(
        /phase 4 \(SP_EXECUTION_OOBE_BOOT.*operation 0x0D \(SP_EXECUTION_OP_MIGRATE_DATA\)/,
      )
    }
    const r = explain('Error = 0xC1900101-0x4001E')
    expect(r.ok && r.value.extend).toBe('0x4001E')
    expect(r.ok && r.value.extendMeaning?.operation.name).toBe('SP_EXECUTION_OP_PRE_OOBE')
  })
})

describe("each code's entry and table sources, curated or not (a curated code is answered without the reference tables)", () => {
  it("every code of the curated entries, the WU reference page and Microsoft's tables: its first source, then each table that lists it", async () => {
    const { readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const codes = await import('../../../main/knowledge/error-codes.ts')
    const data = (n: string) =>
      JSON.parse(
        readFileSync(join(import.meta.dirname, '../../../main/knowledge/data', `${n}.json`), 'utf8'),
      ) as Record<string, unknown>
    const curated = data('error-codes').codes as { code: string; sources: string[]; name: string | null }[]
    const wu = data('wu-error-reference') as { source: string; codes: [string, string, string, string][] }
    const tables = data('ms-error-tables').tables as { id: string; rows: [string, string, string][] }[]
    const listing = (code: string) => tables.filter((t) => t.rows.some((r) => r[0] === code)).map((t) => t.id)
    const all = [
      ...new Set([
        ...curated.map((c) => c.code),
        ...wu.codes.map((r) => r[0]),
        ...tables.flatMap((t) => t.rows.map((r) => r[0])),
      ]),
    ]
    expect(all.length).toBeGreaterThan(400)
    let fromTables = 0
    for (const code of all) {
      const e = codes.errorCodeEntry(code)!
      expect(e, code).not.toBeNull()
      const own =
        curated.find((c) => c.code === code)?.sources ??
        (wu.codes.some((r) => r[0] === code) ? [wu.source] : [listing(code)[0]!])
      expect(e.sources, code).toEqual([...own, ...listing(code).filter((id) => !own.includes(id))])
      if (listing(code).length) fromTables++
      // The same object for every spelling, before and after the reference tables are built.
      expect(codes.errorCodeEntry(code.toLowerCase()), code).toBe(e)
    }
    expect(fromTables).toBeGreaterThan(100)
    // A curated code that Microsoft's tables also list carries their pages too.
    const both = curated.find((c) => listing(c.code).length > 0)!
    expect(codes.errorCodeEntry(both.code)!.sources.length).toBeGreaterThan(both.sources.length)
  })
})
