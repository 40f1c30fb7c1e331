/**
 * A step that fixed a failure names its cause, told in the plain forms people use: "I disconnected the VPN and then it
 * installed", "I cleared SoftwareDistribution and then it installed", German "Nach dem Trennen vom VPN lief sie
 * durch", French "Après la déconnexion du VPN" (Microsoft's Windows Update troubleshooting names each step with the
 * cause it answers). Lines written here, never a capture's own.
 */
import { describe, it } from 'vitest'
import { eachIs } from './told-causes.ts'

describe('the step that fixed it, then "it installed"', () => {
  it('a VPN disconnected names an update source not reached', () => {
    eachIs(
      [
        'The cumulative update failed with 0x800f0922. I disconnected the VPN and then it installed.',
        'Die Installation von KB5066835 schlägt mit 0x800f0922 fehl. Nach dem Trennen vom VPN lief sie durch.',
        "La mise à jour KB5066835 échoue avec 0x800f0922. Après la déconnexion du VPN, elle s'est installée correctement.",
      ],
      'update-source-unreachable',
    )
  })
  it("Windows Update's working folders cleared name its components", () => {
    eachIs(['Update failed 0x80070002. I cleared SoftwareDistribution and then it installed.'], 'wu-components')
  })
})
