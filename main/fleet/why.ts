/**
 * Why a device's cause is not proven fixed, in plain words with the next step: each reason is what the
 * store found in the device's own observations after the group's newest fix (or that no fix was built). The store
 * keeps the reason's id per device and cause; a group lists its reasons with how many devices each holds.
 */
export type WhyId =
  | 'no-fix'
  | 'held'
  | 'not-in-fix'
  | 'not-seen'
  | 'no-report'
  | 'still-shows'
  | 'line-cannot-show'
  | 'other-problem'

export const WHY: Readonly<Record<WhyId, { text: string; next: string }>> = {
  'no-fix': {
    text: 'No fix was built for this group yet, so nothing can prove these devices fixed.',
    next: "Build the group's fix (fleet fix GROUP --out DIR), deploy it, then import what the devices report next.",
  },
  held: {
    text: 'Microsoft holds the update back from these devices on purpose (a safeguard hold): there is nothing on them to fix.',
    next: 'Look up the hold on Windows release health; the devices get the update when Microsoft releases it (a newer driver or app may lift it sooner). Import the alerts again to see it resolved.',
  },
  'not-in-fix': {
    text: "These devices were not failing with this cause when the group's newest fix was built, so it was not sent to them.",
    next: "Build the group's fix again: it is written for the devices failing with the cause now.",
  },
  'not-seen': {
    text: 'Not seen since the fix: every report of these devices is older than the fix.',
    next: 'Check that the devices are on and still enrolled; once their next detection output, collected file or alert arrives, import it.',
  },
  'no-report': {
    text: "Seen since the fix (an update status or an assignment), but no detection output, collected file or alert for the cause's codes since: nothing that could show the cause gone.",
    next: 'Run the detection again (Intune: run the remediation on demand; or FanOut.ps1), then import its output.',
  },
  'still-shows': {
    text: 'The report after the fix still shows the cause (detection still 1, or the same failure code).',
    next: "Open one of these devices: its report after the fix says what is still wrong. Check that the remediation ran (Intune's remediation status, or results.csv of FanOut.ps1) and what it printed.",
  },
  'line-cannot-show': {
    text: "The only report after the fix is a one-line output that cannot show this cause either way (the cause's failure code is still in it, or a collected file found the cause).",
    next: "Collect a file from these devices (fleet import of a computer list, or the collector's -Out file) and import it.",
  },
  'other-problem': {
    text: 'This cause is gone on evidence newer than the fix, but the device still has another problem, so it is not shown as fixed.',
    next: "See the device's other group: its cause is what is left to fix.",
  },
}

export function whyOf(id: string): { text: string; next: string } | null {
  return (WHY as Record<string, { text: string; next: string }>)[id] ?? null
}
