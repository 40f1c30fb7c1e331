/**
 * Facts written the way Microsoft's own pages and events write them, on lines written here: a support article's ID
 * line, an update's number heading its title in a list of updates, Setup's disk-space pair whose extend code has a phase
 * digit no phase table holds, and event 1001's bug check in English, Chinese and Japanese. And the numbers that only
 * look like them stay unread.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const read = (t: string) => {
  const x = extractTextFacts(t)
  return { codes: x.codes.map((c) => c.code), kbs: x.kbs.map((k) => k.kb) }
}

describe('KBs as Microsoft lists them', () => {
  it("an article's own ID line is its KB", () => {
    expect(read('Windows Update error when you scan\nArticle ID : 938205 - Last Review: May 2, 2008').kbs).toEqual([
      'KB938205',
    ])
    expect(read('Artikel-ID: 971058').kbs).toEqual(['KB971058'])
  })

  it("an update's number heading its title on its own line is its KB", () => {
    expect(read('Installed before the upgrade:\n4012345 Update for System Center Configuration Manager').kbs).toEqual([
      'KB4012345',
    ])
    expect(read('  3000850 Cumulative Update Rollup for Windows Server 2012 R2').kbs).toEqual(['KB3000850'])
  })

  it('numbers that only look like them stay unread', () => {
    // A count or an ID of something else, mid-sentence or not followed by an update's title.
    expect(read('We saw 4012345 events and an ID : 938205 in the ticket.').kbs).toEqual([])
    expect(read('Order 4012345 Update shipped to the customer').kbs).toEqual([])
  })
})

describe("Setup's pairs and bug checks as Microsoft writes them", () => {
  it('the disk-space pair with phase 6 (0x80070070 - 0x60000) keeps its extend code', () => {
    expect(read('Windows setup stopped with 0x80070070 - 0x60000 on the small tablet.').codes).toEqual([
      '0x80070070',
      '0x60000',
    ])
  })

  it("event 1001's bug check, in English, Chinese and Japanese", () => {
    expect(
      read('The computer has rebooted from a bugcheck.  The bugcheck was: 0x0000009f (0x0, 0x0).').codes,
    ).toContain('0x0000009F')
    expect(read('计算机已从错误检查中重新启动。错误检查：0x0000009f').codes).toEqual(['0x0000009F'])
    expect(read('バグチェック: 0x0000009f で再起動しました').codes).toEqual(['0x0000009F'])
  })
})
