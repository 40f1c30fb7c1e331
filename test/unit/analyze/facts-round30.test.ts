/**
 * Facts as Microsoft's older bulletins and blue screens write them, on lines written here: an article named as a
 * "Knowledge Base Article", a STOP error told as "STOP error code of …"; and the accuracy checker's one equivalence, a
 * Win32 error written short read as the HRESULT Windows reports.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { sameCode } from './corpus-checks.ts'

const read = (t: string) => {
  const x = extractTextFacts(t)
  return { codes: x.codes.map((c) => c.code), kbs: x.kbs.map((k) => k.kb) }
}

describe('KBs and bug checks as the older pages write them', () => {
  it('"Knowledge Base Article 922770" and "KB Article 923100" are those KBs', () => {
    expect(read('The update is described in Knowledge Base Article 922770 and the bulletin.').kbs).toEqual(['KB922770'])
    expect(read('A workaround is described in KB Article 923100.').kbs).toEqual(['KB923100'])
  })

  it('a number after "article" alone is no KB (guards what held)', () => {
    expect(read('See the article 923100 of the newsletter.').kbs).toEqual([])
  })

  it('"STOP error code of 0x0000007e" is the bug check 0x0000007E', () => {
    expect(read('After the service pack it crashes with a STOP error code of 0x0000007e at boot.').codes).toEqual([
      '0x0000007E',
    ])
  })
})

describe('a Win32 code in quotes after the words for "error code"', () => {
  it('Czech "Kód chyby" and an opening quote before the code', () => {
    expect(read('Kód chyby "0x643 Windows Update" je obecný kód chyby.').codes).toEqual(['0x80070643'])
    expect(read('The update failed with error "0x643" twice.').codes).toEqual(['0x80070643'])
  })

  it('a short hex in quotes with no error word stays unread (guards what held)', () => {
    expect(read('the "0x643" string in the table').codes).toEqual([])
  })
})

describe('the accuracy checker reads a Win32 error written short as its HRESULT', () => {
  it('0x643 is 0x80070643, 0x3CF2 is 0x80073CF2', () => {
    expect(sameCode('0x80070643', '0x643')).toBe(true)
    expect(sameCode('0x80073CF2', '0x3CF2')).toBe(true)
    expect(sameCode('0x80070643', '0x80070643')).toBe(true)
  })

  it('a value past the Win32 range, a bug check or an extend code written short is a code of its own', () => {
    expect(sameCode('0x8007F00D', '0xF00D')).toBe(false)
    expect(sameCode('0x8007007E', '0x7E')).toBe(false)
    expect(sameCode('0x8007000D', '0x2000D')).toBe(false)
    expect(sameCode('0x80070490', '0x643')).toBe(false)
  })
})
