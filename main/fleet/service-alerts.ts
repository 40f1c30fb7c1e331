/**
 * Update alerts that name a cause without a failure code: a safeguard hold (UCUpdateAlert's AlertSubtype
 * `SafeguardHold`, "Update can't be installed due to a known Safeguard Hold", Microsoft's enumerated types for
 * Windows Update for Business reports: learn.microsoft.com/windows/deployment/update/wufb-reports-schema-enumerated-types).
 * The device is held back on purpose: nothing on it is broken, and the app offers no repair, only what lifts a hold.
 */
import type { Finding } from '../../preload/model/diagnosis.ts'

export const SAFEGUARD_HOLD = 'safeguard-hold'
export const HOLD_DIAG_KEY = 'hold:safeguard'

/** Whether an alert's detail (classification · subtype · …, as the readers write it) names the subtype exactly. */
export function alertSubtypeIs(detail: string | null | undefined, subtype: string): boolean {
  return (detail ?? '').split(' · ').some((x) => x === subtype)
}

export function safeguardHoldFinding(): Finding {
  return {
    id: SAFEGUARD_HOLD,
    title: 'Microsoft is holding this update back from these devices (a safeguard hold)',
    technical: 'UCUpdateAlert AlertSubtype SafeguardHold',
    severity: 'warning',
    confidence: 0.9,
    causes: [
      'Microsoft found a known issue between this update and something on the device (a driver, an app, the hardware) and does not offer the update until the issue is resolved.',
    ],
    remedies: [
      {
        id: 'wait-safeguard-hold',
        title: 'Wait for Microsoft to release the hold',
        text: 'Nothing on the device is broken and there is nothing to repair: the update is held on purpose. Look up the hold (its ID in Windows Update for Business reports) on Windows release health to see the known issue and what lifts it, often a newer driver or app. Turning safeguards off (the "Disable safeguards for Feature Updates" policy) lets the known failure happen: do it only on test devices. Microsoft: learn.microsoft.com/windows/deployment/update/safeguard-holds',
        commands: [],
        repair: null,
        sources: [],
        verified: true,
        steps: [],
      },
    ],
    evidence: [
      {
        source: 'Update alert (Windows Update for Business reports)',
        excerpt: "AlertSubtype SafeguardHold: Update can't be installed due to a known Safeguard Hold.",
      },
    ],
    repair: null,
    codes: [],
    state: 'current',
  }
}
