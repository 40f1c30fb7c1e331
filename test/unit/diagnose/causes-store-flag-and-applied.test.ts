/**
 * CBS.log's own record that it marked the component store corrupt ("Mark store corruption flag"), quoted in a person's
 * words beside a failure rather than pasted as a log line, is store corruption as the log line is; an update told
 * "never applied" is a failure, not "no servicing problem". Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { eachIs } from './told-causes.ts'

describe("CBS's store corruption flag, quoted in prose", () => {
  it('is store corruption', () => {
    eachIs(
      [
        'The update KB5036893 fails. CBS.log says: Mark store corruption flag because of package Package_for_KB5036893',
        'The cumulative update failed to install; afterwards CBS.log shows the store corruption flag was set.',
      ],
      'component-store-corruption',
    )
  })
  it('told as what a page explains, it is none', () => {
    expect(causeOf('If you see "Mark store corruption flag" in CBS.log, run DISM /RestoreHealth.').id).toBe('none')
  })
})

describe('an update told never applied', () => {
  it('is a failure', () => {
    eachIs(
      ['Secure Boot event 1801 keeps appearing and the Secure Boot certificate update never applies.'],
      'failure-cause-not-named',
    )
  })
})
