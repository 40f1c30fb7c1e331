/**
 * readWimInfoLevel (install/verify.ts): an offline image's build and UBR after an install, read from
 * `DISM /Get-WimInfo /Index:<n>` through parse/dism-image-info.ts.
 */
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { readWimInfoLevel } from '../../../main/install/verify.ts'
import { withinCpu } from '../cpu-time.ts'

const capture = loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt').text

describe('readWimInfoLevel', () => {
  it("reads the image's Version and ServicePack Build from a real capture (Index 3: 10.0.22621, 2861)", () => {
    expect(readWimInfoLevel(capture, 3)).toEqual({ build: 22621, ubr: 2861 })
  })

  it("does not take DISM's own header version for the image's (a 26100 host servicing a 22621 image)", () => {
    const fromNewerHost = capture.replace('Version: 10.0.22621.1', 'Version: 10.0.26100.1')
    expect(fromNewerHost).not.toBe(capture)
    expect(readWimInfoLevel(fromNewerHost, 3)).toEqual({ build: 22621, ubr: 2861 })
  })

  it('gives nothing rather than another image when the index asked for is not among several records', () => {
    const two = `${capture}\nIndex : 4\nName : Windows 11 Pro\nVersion : 10.0.22631\nServicePack Build : 3007\n`
    expect(readWimInfoLevel(two, 4)).toEqual({ build: 22631, ubr: 3007 })
    expect(readWimInfoLevel(two, 7)).toEqual({ build: null, ubr: null })
    expect(readWimInfoLevel('', 1)).toEqual({ build: null, ubr: null })
  })

  it('reads past 200,000 characters of blank lines in linear time (a `^\\s*` pattern was quadratic on them)', () => {
    expect(withinCpu(2000, () => readWimInfoLevel(' \n'.repeat(100_000) + capture, 3))).toEqual({
      build: 22621,
      ubr: 2861,
    })
  })
})
