/**
 * Facts written beside a failure, on lines of our own in the forms Windows writes them: a GetLastError value in a
 * setup or servicing log's `[gle=0x…]`, a Windows Update Agent success value (WU_S_…) a tool calls a failure, a build
 * written as `10.0.NNNNN` without its revision, a build in BuildLabEx form (`build.revision.branch.date-time`). Each is a
 * fact, kept apart from the failure codes: none of them is a failure by itself.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'

const read = (t: string) => {
  const x = extractTextFacts(t)
  return {
    codes: x.codes.map((c) => `${c.code}${c.infoOnly ? ' (fact)' : ''}`),
    builds: x.builds.map((b) => b.version),
  }
}

describe('facts written beside a failure', () => {
  it("a setup log's [gle=0x…] is read as the Win32 value it is, a fact beside the HRESULT", () => {
    const t = [
      '2025-03-02 10:14:55, Error                 SP     Could not copy D:\\sources\\boot.wim to C:\\$WINDOWS.~BT. Error 0x80070570[gle=0x00000570]',
      '2025-03-02 10:14:55, Error                 SP     Operation failed: Apply WIM. Error: 0x8007000D[gle=0x0000000d]',
    ].join('\n')
    expect(read(t).codes).toEqual(['0x80070570', '0x00000570 (fact)', '0x8007000D', '0x0000000D (fact)'])
  })
  it('a gle value of zero, and a 0x value not after gle=, are no facts', () => {
    expect(read('Error 0x80070005[gle=0x00000000] flags 0x00000004').codes).toEqual(['0x80070005'])
  })
  it('the gle value never makes a text a failure: a story with only a gle fact has no failure code', () => {
    const s = readTextStory('Info CSI    0000001a Hashes for file member matched. [gle=0x00000002]')
    expect(s.codes).toEqual([])
  })
  it('a WU_S_ success value in hex is read as a fact, not a failure', () => {
    const t = 'WARNING: Update KB5005565 installation failed with code 0x00240006 (the agent says it is already there)'
    expect(read(t).codes).toEqual(['0x00240006 (fact)'])
    expect(readTextStory(t).codes).toEqual([])
    expect(read('ResultCode 0x00242015, then 0x00240001').codes).toEqual(['0x00242015 (fact)', '0x00240001 (fact)'])
  })
  it('other low values in hex stay unread (no flag or count becomes a code)', () => {
    expect(read('mask 0x00240009 and 0x00230006').codes).toEqual([])
  })
  it('a build written 10.0.NNNNN without its revision is read', () => {
    expect(read('My PC: Windows 10 Pro, 10.0.18363, fully patched.').builds).toEqual(['10.0.18363'])
    expect(read('OS Version 10.0.22631').builds).toEqual(['10.0.22631'])
    const b = extractTextFacts('Version 10.0.19045').builds[0]!
    expect([b.build, b.ubr]).toEqual([19045, null])
  })
  it('three parts that are no Windows build stay unread', () => {
    expect(read('Chrome 10.0.648 and node 10.0.0, IP 10.0.12.5').builds).toEqual([])
  })
  it('a build in BuildLabEx form (build.revision.branch.date-time) is read as build.revision', () => {
    expect(read('Flight 16212.1001.rs_iot.170531-1800 went out to the Fast ring').builds).toEqual(['16212.1001'])
    expect(read('BuildLabEx: 10.0.19041.1.amd64fre.vb_release.191206-1406').builds).toEqual(['10.0.19041.1'])
  })
  it('a dotted version with more numbers after the revision stays unread', () => {
    expect(read('driver 22621.1234.5.6').builds).toEqual([])
  })
})
