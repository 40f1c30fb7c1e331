/**
 * Setup's extend code after its result code (`0xC1900101 - 0x20017`: the phase, then the operation) is a fact of the
 * text, written as Microsoft writes it, and never a failure of its own; a result code typed without its zero is read
 * only before an extend code. Lines written here, in the forms Setup's error dialog and people use.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const codes = (text: string) => extractTextFacts(text).codes.map((c) => [c.code, c.infoOnly])

describe("Setup's extend code beside its result code", () => {
  it('is read after a hyphen, an en dash or glued, as a fact only', () => {
    expect(codes('Error 0xC1900101 - 0x20017 during the upgrade')).toEqual([
      ['0xC1900101', false],
      ['0x20017', true],
    ])
    expect(codes('0x8007042B – 0x3000D: the installation failed in the FIRST_BOOT phase')).toEqual([
      ['0x8007042B', false],
      ['0x3000D', true],
    ])
    expect(codes('setup ended with 0xC1900101-0x40017')).toEqual([
      ['0xC1900101', false],
      ['0x40017', true],
    ])
  })
  it('reads a result code typed without its zero only before an extend code', () => {
    expect(codes('xC1900101 - 0x20017 Installation failed during safe OS phase')).toEqual([
      ['0xC1900101', false],
      ['0x20017', true],
    ])
    expect(codes('hash x8e73986c and token xC1900101 alone')).toEqual([])
  })
  it('is no code where no result code stands before it', () => {
    expect(codes('offset 0x20017 in the file; value 0x3000D')).toEqual([])
  })
})
