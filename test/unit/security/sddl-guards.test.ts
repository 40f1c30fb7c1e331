/**
 * The SDDL reader and the data folder's judge, each rule alone and in process (the trust checks of
 * the data folder). Tables assert how many cases they ran. The aliases come from sddl.h as documented at
 * learn.microsoft.com/windows/win32/secauthz/sid-strings and …/ace-strings (the same tables sddl.ts cites);
 * they are read from a freshly loaded module, because a module-level table is evaluated when the module
 * loads. Real Get-Acl output is in data-dir-acl.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import {
  CHANGE_RIGHTS,
  SddlError,
  judgeDataDirAcl,
  parseSddl,
  sddlFromGetAclList,
  type Ace,
} from '../../../main/security/sddl.ts'

async function fresh() {
  vi.resetModules()
  return import('../../../main/security/sddl.ts')
}
const daclOf = (text: string): Ace[] => {
  const d = parseSddl(text).dacl
  if (!Array.isArray(d)) throw new Error(`no ACL in ${text}`)
  return d
}
/** The message of the SddlError that `f` throws (of this module or of a freshly loaded one). */
const err = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    if (e instanceof SddlError || (e instanceof Error && e.constructor.name === 'SddlError')) return e.message
    throw e
  }
  throw new Error('no SddlError')
}

describe('SDDL aliases, as the module is when loaded', () => {
  const SIDS: Record<string, string> = {
    AN: 'S-1-5-7',
    AO: 'S-1-5-32-548',
    AU: 'S-1-5-11',
    BA: 'S-1-5-32-544',
    BG: 'S-1-5-32-546',
    BO: 'S-1-5-32-551',
    BU: 'S-1-5-32-545',
    CO: 'S-1-3-0',
    CG: 'S-1-3-1',
    ED: 'S-1-5-9',
    IU: 'S-1-5-4',
    LS: 'S-1-5-19',
    NO: 'S-1-5-32-556',
    NS: 'S-1-5-20',
    NU: 'S-1-5-2',
    OW: 'S-1-3-4',
    PO: 'S-1-5-32-550',
    PS: 'S-1-5-10',
    PU: 'S-1-5-32-547',
    RC: 'S-1-5-12',
    RD: 'S-1-5-32-555',
    RE: 'S-1-5-32-552',
    RU: 'S-1-5-32-554',
    SO: 'S-1-5-32-549',
    SU: 'S-1-5-6',
    SY: 'S-1-5-18',
    WD: 'S-1-1-0',
    WR: 'S-1-5-33',
    AC: 'S-1-15-2-1',
    RA: 'S-1-5-32-575',
    ES: 'S-1-5-32-576',
    HA: 'S-1-5-32-578',
    MU: 'S-1-5-32-558',
    LU: 'S-1-5-32-559',
    IS: 'S-1-5-32-568',
    CY: 'S-1-5-32-569',
    ER: 'S-1-5-32-573',
    CD: 'S-1-5-32-574',
    RM: 'S-1-5-32-580',
    MS: 'S-1-5-32-577',
    UD: 'S-1-5-84-0-0-0-0-0',
    AA: 'S-1-5-32-579',
    AS: 'S-1-18-1',
    SS: 'S-1-18-2',
    LW: 'S-1-16-4096',
    ME: 'S-1-16-8192',
    MP: 'S-1-16-8448',
    HI: 'S-1-16-12288',
    SI: 'S-1-16-16384',
  }
  const RELATIVE = [
    'LA',
    'LG',
    'DA',
    'DG',
    'DU',
    'DC',
    'DD',
    'CA',
    'SA',
    'EA',
    'PA',
    'RS',
    'CN',
    'AP',
    'KA',
    'EK',
    'RO',
  ]

  it(`${Object.keys(SIDS).length} aliases with a fixed SID: as owner, group and in an ACE, any case`, async () => {
    const m = await fresh()
    expect(m.SID_ALIASES).toEqual(SIDS)
    let ran = 0
    for (const [alias, sid] of Object.entries(SIDS)) {
      const sd = m.parseSddl(`O:${alias}G:${alias.toLowerCase()}D:(A;;FA;;;${alias})`)
      expect([sd.owner, sd.group, Array.isArray(sd.dacl) && sd.dacl[0]?.sid], alias).toEqual([sid, sid, sid])
      ran++
    }
    expect(ran).toBe(49)
  })

  it(`${RELATIVE.length} aliases of this machine or domain stay aliases; an unknown two letters is not a SID`, async () => {
    const m = await fresh()
    let ran = 0
    for (const alias of RELATIVE) {
      expect(m.parseSddl(`O:${alias.toLowerCase()}`).owner, alias).toBe(alias)
      ran++
    }
    expect(ran).toBe(17)
    expect(err(() => m.parseSddl('O:QQ'))).toBe("'QQ' is not a SID")
    expect(err(() => m.parseSddl(`O:${'Z'.repeat(50)}`))).toBe(`'${'Z'.repeat(40)}' is not a SID`)
  })

  const RIGHTS: Record<string, number> = {
    GA: 0x10000000,
    GR: 0x80000000,
    GW: 0x40000000,
    GX: 0x20000000,
    RC: 0x20000,
    SD: 0x10000,
    WD: 0x40000,
    WO: 0x80000,
    RP: 0x10,
    WP: 0x20,
    CC: 0x1,
    DC: 0x2,
    LC: 0x4,
    SW: 0x8,
    LO: 0x80,
    DT: 0x40,
    CR: 0x100,
    FA: 0x1f01ff,
    FR: 0x120089,
    FW: 0x120116,
    FX: 0x1200a0,
    KA: 0xf003f,
    KR: 0x20019,
    KW: 0x20006,
    KX: 0x20019,
    NR: 0x2,
    NW: 0x1,
    NX: 0x4,
  }
  it(`${Object.keys(RIGHTS).length} access-right aliases: each its bits, any case; combined they are OR-ed (unsigned)`, async () => {
    const m = await fresh()
    let ran = 0
    for (const [alias, bits] of Object.entries(RIGHTS)) {
      const sd = m.parseSddl(`D:(A;;${alias.toLowerCase()};;;SY)`)
      expect(Array.isArray(sd.dacl) && sd.dacl[0]?.mask, alias).toBe(bits)
      ran++
    }
    expect(ran).toBe(28)
    expect(daclOf('D:(A;;GRGW;;;SY)')[0]!.mask).toBe(0xc0000000)
    expect(daclOf('D:(A;;GRGR;;;SY)')[0]!.mask).toBe(0x80000000)
  })

  const FLAGS = ['CI', 'OI', 'NP', 'IO', 'ID', 'SA', 'FA', 'TP', 'CR']
  const TYPES = ['A', 'D', 'OA', 'OD', 'AU', 'AL', 'OU', 'OL', 'ML', 'XA', 'XD', 'ZA', 'XU', 'RA', 'SP', 'SC']
  it(`${FLAGS.length} ACE flags and ${TYPES.length} ACE types are read (any case); others are refused`, async () => {
    const m = await fresh()
    let ran = 0
    for (const f of FLAGS) {
      const ace = (m.parseSddl(`D:(A;${f.toLowerCase()};FA;;;SY)`).dacl as Ace[])[0]!
      expect(ace.flags, f).toEqual([f])
      expect(ace.inheritOnly, f).toBe(f === 'IO')
      expect(ace.inherited, f).toBe(f === 'ID')
      ran++
    }
    for (const t of TYPES) {
      expect((m.parseSddl(`D:(${t.toLowerCase()};;FA;;;SY)`).dacl as Ace[])[0]!.type, t).toBe(t)
      ran++
    }
    expect(ran).toBe(25)
    expect(err(() => m.parseSddl('D:(Q;;FA;;;SY)'))).toBe("'Q' is not an ACE type")
    expect(err(() => m.parseSddl('D:(A;XX;FA;;;SY)'))).toBe("'XX' is not an ACE flag")
    expect(err(() => m.parseSddl('D:(A;OIC;FA;;;SY)'))).toBe("'OIC' are not ACE flags")
    expect(err(() => m.parseSddl(`D:(${'Q'.repeat(30)};;FA;;;SY)`))).toBe(`'${'Q'.repeat(20)}' is not an ACE type`)
    expect(err(() => m.parseSddl(`D:(A;${'O'.repeat(51)};FA;;;SY)`))).toBe(`'${'O'.repeat(40)}' are not ACE flags`)
  })

  it('only A, OA, XA and ZA grant: every other type with full rights for Everyone is not a grant (16 types)', async () => {
    const m = await fresh()
    let ran = 0
    for (const t of TYPES) {
      const v = m.judgeDataDirAcl(m.parseSddl(`O:BAD:(A;OICI;FA;;;BA)(${t};;FA;;;WD)`))
      expect(v.ok, t).toBe(!['A', 'OA', 'XA', 'ZA'].includes(t))
      ran++
    }
    expect(ran).toBe(16)
  })

  it('not others: SYSTEM, Administrators, CREATOR OWNER, OWNER RIGHTS and TrustedInstaller with full rights (5); names of well-known SIDs', async () => {
    const m = await fresh()
    const not = ['SY', 'BA', 'CO', 'OW', m.TRUSTED_INSTALLER]
    let ran = 0
    for (const s of not) {
      expect(m.judgeDataDirAcl(m.parseSddl(`O:BAD:(A;OICI;FA;;;${s})`)), s).toEqual({
        ok: true,
        problems: [],
        others: [],
        ownerOk: true,
      })
      ran++
    }
    expect(ran).toBe(5)
    expect(m.TRUSTED_INSTALLER).toBe('S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464')
    expect([m.SYSTEM_SID, m.ADMINISTRATORS_SID]).toEqual(['S-1-5-18', 'S-1-5-32-544'])
    const names: [string, string][] = [
      ['S-1-1-0', 'Everyone'],
      ['S-1-5-11', 'Authenticated Users'],
      ['S-1-5-32-545', 'Users'],
      ['S-1-5-4', 'INTERACTIVE'],
      ['S-1-5-32-546', 'Guests'],
      ['S-1-5-7', 'ANONYMOUS LOGON'],
      ['S-1-5-32-547', 'Power Users'],
      ['S-1-15-2-1', 'ALL APPLICATION PACKAGES'],
      ['S-1-5-18', 'SYSTEM'],
      ['S-1-5-32-544', 'Administrators'],
      ['LA', 'the local Administrator account'],
      ['DU', 'Domain Users'],
    ]
    for (const [sid, name] of names) {
      expect(m.sidName(sid)).toBe(`${name} (${sid})`)
      ran++
    }
    expect(ran).toBe(17)
    expect(m.sidName('S-1-5-21-1-2-3-1001')).toBe('S-1-5-21-1-2-3-1001')
  })
})

describe('the SID pattern, as the module is when loaded', () => {
  const sids: [string, boolean][] = [
    ['S-1-5-18', true],
    ['S-1-15-2-1', true],
    ['S-1-5-21-1004336348-1177238915-682003330-1001', true],
    ['s-1-5-32-544', true],
    ['S-1-5-18X', false],
    ['XS-1-5-18', false],
    ['S-1-', false],
    ['S-1-5-', false],
  ]
  it(`${sids.length} SIDs written out: read only when the whole token is a SID`, async () => {
    const m = await fresh()
    let ran = 0
    for (const [sid, ok] of sids) {
      if (ok) expect(m.parseSddl(`O:${sid}`).owner, sid).toBe(sid.toUpperCase())
      else
        expect(
          err(() => m.parseSddl(`O:${sid}`)),
          sid,
        ).toBe(`'${sid}' is not a SID`)
      ran++
    }
    expect(ran).toBe(8)
  })
})

describe('which rights change a folder', () => {
  const change = [0x2, 0x4, 0x10, 0x40, 0x100, 0x10000, 0x40000, 0x80000, 0x2000000, 0x10000000, 0x40000000]
  const readOnly = [0x1, 0x8, 0x20, 0x80, 0x20000, 0x100000, 0x1000000, 0x20000000, 0x80000000]
  it(`${change.length} rights let Users change it; ${readOnly.length} do not`, async () => {
    const m = await fresh()
    expect(m.CHANGE_RIGHTS).toBe(CHANGE_RIGHTS)
    expect(CHANGE_RIGHTS).toBe(0x520d0156)
    let ran = 0
    for (const bit of change) {
      expect(m.judgeDataDirAcl(m.parseSddl(`O:BAD:(A;;0x${bit.toString(16)};;;BU)`)).others, bit.toString(16)).toEqual([
        'S-1-5-32-545',
      ])
      ran++
    }
    for (const bit of readOnly) {
      expect(m.judgeDataDirAcl(m.parseSddl(`O:BAD:(A;;${bit};;;BU)`)).ok, bit.toString(16)).toBe(true)
      ran++
    }
    expect(ran).toBe(20)
  })
})

describe('parseSddl: the form', () => {
  it('an access mask in hex (up to 8 digits) or decimal (up to 10 digits), unsigned; longer, or neither, is refused', () => {
    expect(daclOf('D:(A;;0x1200A9;;;SY)')[0]!.mask).toBe(0x1200a9)
    expect(daclOf('D:(A;;0XFFFFFFFF;;;SY)')[0]!.mask).toBe(0xffffffff)
    expect(daclOf('D:(A;;1179817;;;SY)')[0]!.mask).toBe(1179817)
    expect(daclOf('D:(A;;4294967295;;;SY)')[0]!.mask).toBe(0xffffffff)
    expect(daclOf('D:(A;; FA ;;; SY )')[0]).toMatchObject({ mask: 0x1f01ff, sid: 'S-1-5-18' })
    expect(err(() => parseSddl('D:(A;;0x123456789;;;SY)'))).toBe("'0x123456789' is not an access mask")
    expect(err(() => parseSddl('D:(A;;12345678901;;;SY)'))).toBe("'12345678901' is not an access mask")
    expect(err(() => parseSddl('D:(A;;x0x1;;;SY)'))).toBe("'x0x1' is not an access mask")
    expect(err(() => parseSddl('D:(A;;1x;;;SY)'))).toBe("'1x' is not an access mask")
    expect(err(() => parseSddl('D:(A;;FAX;;;SY)'))).toBe("'FAX' is not an access mask")
    expect(err(() => parseSddl('D:(A;;FAQQ;;;SY)'))).toBe("'QQ' is not an access right")
    expect(err(() => parseSddl(`D:(A;;${'Q'.repeat(50)};;;SY)`))).toBe("'QQ' is not an access right")
    expect(err(() => parseSddl(`D:(A;;${'Q'.repeat(49)};;;SY)`))).toBe(`'${'Q'.repeat(40)}' is not an access mask`)
  })

  it('a SID: S-1- and up to 16 numbers, any case, trimmed', () => {
    expect(parseSddl('O:s-1-5-21-1-2-3-1001').owner).toBe('S-1-5-21-1-2-3-1001')
    const longest = `S-1-5${'-1'.repeat(15)}`
    expect(parseSddl(`O:${longest}`).owner).toBe(longest)
    expect(err(() => parseSddl(`O:${longest}-1`))).toMatch(/is not a SID$/)
    expect(err(() => parseSddl('O:S-1-'))).toBe("'S-1-' is not a SID")
    expect(err(() => parseSddl('O:XS-1-5-18'))).toBe("'XS-1-5-18' is not a SID")
    expect(err(() => parseSddl('O:S-1-5-18X'))).toBe("'S-1-5-18X' is not a SID")
    expect(err(() => parseSddl('D:(A;;FA;;;S-1-5-18X)'))).toBe("'S-1-5-18X' is not a SID")
  })

  it("an entry's fields: six, a conditional ACE's seventh may hold parentheses and semicolons; fewer are refused by count", () => {
    expect(daclOf('D:(XA;;FA;;;WD;(Member_of {SID(BA)}; x))')[0]).toMatchObject({ type: 'XA', sid: 'S-1-1-0' })
    expect(daclOf('D:(A;;FA;;;SY;)')[0]!.sid).toBe('S-1-5-18')
    expect(err(() => parseSddl('D:(A)'))).toBe('the entry (A) has 1 fields, not 6')
    expect(err(() => parseSddl('D:(A;;FA;;SY)'))).toBe('the entry (A;;FA;;SY) has 5 fields, not 6')
    expect(err(() => parseSddl(`D:(A;;FA;${'x'.repeat(100)})`))).toBe(
      `the entry (A;;FA;${'x'.repeat(74)}) has 4 fields, not 6`,
    )
  })

  it('the ACL text: entries back to back; anything between them, or an entry not closed, is refused', () => {
    expect(daclOf('D:(A;;FA;;;SY)(A;;FA;;;BA)').map((a) => a.sid)).toEqual(['S-1-5-18', 'S-1-5-32-544'])
    expect(daclOf('D:')).toEqual([])
    expect(err(() => parseSddl('D:(A;;FA;;;SY) (A;;FA;;;BA)'))).toBe("expected '(' at ' (A;;FA;;;BA)'")
    expect(err(() => parseSddl(`D:(A;;FA;;;SY)${'x'.repeat(30)}`))).toBe(`expected '(' at '${'x'.repeat(20)}'`)
    expect(err(() => parseSddl('D:(A;;FA;;;SY)(A;;FA;;;BA'))).toBe('an entry is not closed')
    expect(err(() => parseSddl('D:(XA;;FA;;;WD;(x)'))).toBe('an entry is not closed')
  })

  it('the descriptor: a BOM and surrounding white space are allowed; empty, more than one line or over 64 KiB is refused', () => {
    expect(parseSddl('\uFEFF  O:BAD:P(A;;FA;;;SY)  \t')).toEqual({
      owner: 'S-1-5-32-544',
      group: null,
      dacl: [{ type: 'A', flags: [], mask: 0x1f01ff, sid: 'S-1-5-18', inheritOnly: false, inherited: false }],
      daclFlags: 'P',
    })
    expect(err(() => parseSddl('\uFEFF '))).toBe('the descriptor is empty')
    expect(err(() => parseSddl('O:BA\uFEFFD:'))).toBe("'BA\uFEFFD:' is not a SID")
    expect(err(() => parseSddl(null as unknown as string))).toBe('no descriptor')
    expect(err(() => parseSddl('O:BA\rD:'))).toBe('the descriptor is more than one line')
    expect(err(() => parseSddl('O:BA\nD:'))).toBe('the descriptor is more than one line')
    // Exactly 64 KiB is read; one character more is refused.
    const sized = (n: number) => {
      let s = 'O:BAD:'
      while (n - s.length > 33) s += '(A;;FA;;;SY)'
      const r = n - s.length
      const d1 = Math.min(10, r - 21)
      return `${s}(A;;${'1'.repeat(d1)};;;SY)(A;;${'1'.repeat(r - 20 - d1)};;;SY)`
    }
    expect(sized(65536)).toHaveLength(65536)
    expect(Array.isArray(parseSddl(sized(65536)).dacl)).toBe(true)
    expect(err(() => parseSddl(sized(65537)))).toBe('the descriptor is longer than 64 KiB')
  })

  it('the components: each at most once, the first at the start; the DACL and SACL flags; a NULL DACL; the SACL checked for form only', () => {
    expect(parseSddl('O:BAG:SYD:PAI(A;;FA;;;SY)S:AI(AU;SA;FA;;;WD)')).toMatchObject({
      owner: 'S-1-5-32-544',
      group: 'S-1-5-18',
      daclFlags: 'PAI',
    })
    expect(parseSddl('D:ARAI(A;;FA;;;SY)').daclFlags).toBe('ARAI')
    expect(parseSddl('D:NO_ACCESS_CONTROL')).toEqual({
      owner: null,
      group: null,
      dacl: 'null',
      daclFlags: 'NO_ACCESS_CONTROL',
    })
    expect(parseSddl('D:PNO_ACCESS_CONTROL').dacl).toBe('null')
    expect(parseSddl('G:SY')).toEqual({ owner: null, group: 'S-1-5-18', dacl: null, daclFlags: '' })
    expect(parseSddl('S:(ML;;NW;;;LW)')).toEqual({ owner: null, group: null, dacl: null, daclFlags: '' })
    expect(parseSddl('S:PAI(ML;;NW;;;LW)').dacl).toBeNull()
    expect(err(() => parseSddl('O:BAS:(Q;;FA;;;SY)'))).toBe("'Q' is not an ACE type")
    expect(err(() => parseSddl('O:BAD:(A;;FA;;;SY)O:SY'))).toBe('the component O: appears twice')
    expect(err(() => parseSddl('D:(A;;FA;;;SY)D:(A;;FA;;;SY)'))).toBe('the component D: appears twice')
    expect(err(() => parseSddl('XO:BA'))).toBe("'XO:BA' is not a security descriptor")
    expect(err(() => parseSddl(`${'x'.repeat(50)}`))).toBe(`'${'x'.repeat(40)}' is not a security descriptor`)
    // A marker needs a ')' or a word character or '-' before it, so 'O:' inside another component splits it.
    expect(parseSddl('O:S-1-5-18G:BA').group).toBe('S-1-5-32-544')
    expect(parseSddl('O:BAD:(A;;FA;;;SY)S:(AU;;FA;;;WD)').owner).toBe('S-1-5-32-544')
  })
})

describe('judgeDataDirAcl: the verdict', () => {
  it('owner SYSTEM is fine; another owner and who else may change it are both said, in that order; each other named once', () => {
    expect(judgeDataDirAcl(parseSddl('O:SYD:(A;;FA;;;SY)'))).toEqual({
      ok: true,
      problems: [],
      others: [],
      ownerOk: true,
    })
    expect(judgeDataDirAcl(parseSddl('O:BUD:(A;;FA;;;BU)(A;OICI;FA;;;WD)(A;;0x2;;;BU)'))).toEqual({
      ok: false,
      ownerOk: false,
      others: ['S-1-5-32-545', 'S-1-1-0'],
      problems: [
        'it is owned by Users (S-1-5-32-545), who may always change its permissions',
        'Users (S-1-5-32-545), Everyone (S-1-1-0) may create or change files in it',
      ],
    })
    expect(judgeDataDirAcl(parseSddl('D:NO_ACCESS_CONTROL'))).toEqual({
      ok: false,
      ownerOk: false,
      others: [],
      problems: ['its owner could not be read', 'it has no access list, so everyone may change it'],
    })
    expect(judgeDataDirAcl(parseSddl('O:BA'))).toEqual({
      ok: false,
      ownerOk: true,
      others: [],
      problems: ['it has no access list, so everyone may change it'],
    })
    expect(judgeDataDirAcl(parseSddl('O:BAD:'))).toEqual({ ok: true, ownerOk: true, others: [], problems: [] })
  })
})

describe('sddlFromGetAclList: the Sddl value of Format-List text', () => {
  it('its line and the continuation lines (two or more leading spaces) joined; one space or a new field ends it; each Sddl value', () => {
    const text = [
      'Path   : x',
      'Sddl   : O:BAG:SYD:(A;;FA;;;S-1-5-21-1',
      '         -2-3)(A;;FA;;;BA)',
      'Access : y',
      'Sddl:O:SY',
      ' not a continuation',
      'Sddl   :  O:BA  ',
      '  D:(A;;FA;;;SY)',
    ].join('\r\n')
    expect(sddlFromGetAclList(text)).toEqual([
      'O:BAG:SYD:(A;;FA;;;S-1-5-21-1-2-3)(A;;FA;;;BA)',
      'O:SY',
      'O:BAD:(A;;FA;;;SY)',
    ])
    expect(sddlFromGetAclList('Sddl : O:BA\nSddl : O:SY')).toEqual(['O:BA', 'O:SY'])
    expect(sddlFromGetAclList('Sddl : O:BA\nOwner  :  BUILTIN\\Administrators')).toEqual(['O:BA'])
    expect(sddlFromGetAclList('MySddl : O:BA\nSddlX : O:BA')).toEqual([])
  })
})
