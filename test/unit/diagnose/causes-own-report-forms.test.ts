/**
 * Two ways a person's own failure is told that were read as no failure or as a bare code: a person telling in the past
 * what they did ("I patched the site server on Monday") makes the text their own report even when its failure words
 * also read as a page's ("often fail", "if you look"); and WU_E_PT_ENDPOINT_UNREACHABLE (0x80240438, wuerror.h) is a PC
 * that reaches no update source. An author's change ("I have added the related information") is no report. Lines
 * written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { eachIs } from './told-causes.ts'

describe('a person telling what they did, then a failure', () => {
  it('is a failure of their own, not a page about failures', () => {
    eachIs(
      [
        'I patched the site server on Monday. Since then clients often fail to scan and if you look at the console, users show unknown.',
        'Yesterday I deployed the monthly patches. Now if you check the clients, they often fail to install updates and administrators see no progress.',
        "I've already reinstalled the agent. If you open the log, the updates often fail to download for users.",
      ],
      'failure-cause-not-named',
    )
  })
  it("an author's change, a need or a page's own words stay no report", () => {
    eachIs(
      [
        'I have added the related information. If you use a proxy, updates often fail to download for users.',
        'I need to know: if you use a proxy, do updates often fail to download for users?',
      ],
      'none',
    )
  })
})

describe('WU_E_PT_ENDPOINT_UNREACHABLE', () => {
  it('is an update source the PC cannot reach', () => {
    eachIs(
      [
        'Windows Update stops with 0x80240438 on every scan.',
        'Every night our WSUS scan ends with 0x80240438 and no updates are offered.',
      ],
      'update-source-unreachable',
    )
  })
  it('is not read into a code it is not', () => {
    expect(causeOf('Windows Update stops with 0x80240439 on every scan.').id).not.toBe('update-source-unreachable')
  })
})
