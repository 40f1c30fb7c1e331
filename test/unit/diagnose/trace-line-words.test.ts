/**
 * A tool's own routine line is the tool's business: a general failure word ("Unable to find …") on an informational
 * CMTrace line (`<![LOG[…]LOG]!>… type="1"`) or a `[pid]` trace line is no failure the text tells, as on a dated log
 * line. Lines written here in CMTrace's layout, never a capture's own.
 */
import { describe, it } from 'vitest'
import { eachIs } from './told-causes.ts'

const cm = (message: string) =>
  `<![LOG[${message}]LOG]!><time="10:02:11.023+060" date="03-02-2025" component="UpdatesDeploymentAgent" context="" type="1" thread="4100" file="updatesassignment.cpp:164">`

describe("a tool's routine line", () => {
  it('tells no failure with its general words', () => {
    eachIs(
      [
        [
          cm('Assignment {0F5C} has total CI = 4'),
          cm('Unable to find CCM_PrePostActions.SiteSettingsKey=1.'),
          cm('Raised assignment state message successfully. StateName = ASSIGNMENT_EVALUATE_SUCCESS'),
        ].join('\n'),
      ],
      'none',
    )
  })
  it("the person's own words around it still do", () => {
    eachIs(
      [
        `The update was unable to install on this client.\n${cm('Unable to find CCM_PrePostActions.SiteSettingsKey=1.')}`,
      ],
      'failure-cause-not-named',
    )
  })
})
