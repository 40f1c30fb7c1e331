/**
 * explain: Microsoft's own table names a code even where a hand-written entry has none or another spelling
 * (0xC1900101 MOSETUP_E_SETUP_PLATFORM, 0xC1900107 MOSETUP_E_CLEANUP_PENDING); a result code Microsoft documents only
 * with extend codes answers alone, listing each documented pair; 0x800F0983, 0x800F0991 and 0x80240069 are known from
 * community material, said as such.
 */
import { describe, expect, it } from 'vitest'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { documentedPairs } from '../../../main/knowledge/setup-extend.ts'
import { msErrorTables } from '../../../main/knowledge/error-codes.ts'

const ok = (code: string) => {
  const r = explain(code)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe("explain: Microsoft's table names the code", () => {
  it('0xC1900101 is MOSETUP_E_SETUP_PLATFORM and 0xC1900107 MOSETUP_E_CLEANUP_PENDING, with the table among the sources', () => {
    expect(ok('0xC1900101')).toMatchObject({ known: true, name: 'MOSETUP_E_SETUP_PLATFORM', nameNote: null })
    expect(ok('0xC1900107')).toMatchObject({ known: true, name: 'MOSETUP_E_CLEANUP_PENDING', nameNote: null })
    expect(ok('0xC1900101').sources.map((s) => s.key)).toContain('MS-MOSETUP')
    expect(ok('MOSETUP_E_SETUP_PLATFORM').code).toBe('0xC1900101')
  })

  it('every code a Microsoft table names has a name in explain (the header spelling where the entry has one)', () => {
    for (const t of msErrorTables()) {
      for (const [code, name] of t.rows) {
        if (!/^[A-Z][A-Z0-9_]+$/.test(name) || name === 'TIME_OUT_ERRORS') continue
        expect(ok(code).name, code).toBeTruthy()
      }
    }
    expect(ok('0x80244022').name).toBe('WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL')
  })
})

describe('explain: a code Microsoft documents only with an extend code', () => {
  it('0x8007042B alone is known and lists its 0x4000D and 0x4001E rows; with an extend code the pair speaks', () => {
    const v = ok('0x8007042B')
    expect(v.known).toBe(true)
    expect(v.meaning).toMatch(/together with a Setup extend code \(0x4000D, 0x4001E\)/)
    expect(v.causes).toEqual(
      documentedPairs('0x8007042B').map((p) => `0x8007042B - ${p.extend}: ${p.cause} Mitigation: ${p.mitigation}`),
    )
    expect(v.sources.map((s) => s.key)).toEqual(['S28', 'S29'])
    expect(ok('0x8007042B - 0x4000D').extendMeaning?.pair?.cause).toMatch(/MIGRATE_DATA/)
  })

  it('every result code of a documented pair answers alone; a known code gets its pairs added to its causes', () => {
    for (const r of [
      '0x80040005',
      '0x80073BC3',
      '0x80073B92',
      '0x800704B8',
      '0x8007042B',
      '0x8007001F',
      '0x8007025D',
    ]) {
      expect(ok(r).known, r).toBe(true)
      expect(ok(r).causes.length, r).toBeGreaterThan(0)
    }
    expect(ok('0xC1900101').causes).toContain(
      `0xC1900101 - 0x2000C: ${documentedPairs('0xC1900101')[0]!.cause} Mitigation: ${documentedPairs('0xC1900101')[0]!.mitigation}`,
    )
    expect(documentedPairs('0x12345678')).toEqual([])
  })
})

describe('explain: codes known from community material', () => {
  it('0x800F0983, 0x800F0991, 0x80240069: known, unverified, their sources say "Community"', () => {
    for (const c of ['0x800F0983', '0x800F0991', '0x80240069']) {
      const v = ok(c)
      expect(v, c).toMatchObject({ known: true, verified: false, name: null })
      expect(v.sources[0]!.text, c).toMatch(/^Community/)
    }
    expect(ok('0x800F0983').nameNote).toMatch(/PSFX_E_MATCHING_COMPONENT_DIRECTORY_MISSING/)
    expect(ok('0x80240069').causes.join(' ')).toMatch(/KB5089549/)
  })
})
