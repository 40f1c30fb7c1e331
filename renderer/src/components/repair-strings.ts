/** The Fix-it flow's words (repairs run by main/repair), in one place. */
export const repairStrings = {
  nav: 'Fix it (repairs)',
  /** Button words for repairs the shared strings do not name yet. */
  labels: {
    'free-esp-space': 'free space on the EFI partition',
    'reset-wu-components': 'reset the Windows Update components',
    'remove-package': 'remove the update package',
    'secure-boot-update': "start Windows' Secure Boot certificate update",
  } as Record<string, string>,
  title: (name: string) => `Fix it: ${name}`,
  listTitle: 'Repairs for this machine',
  none: 'The diagnosis finds nothing a repair here would fix.',
  noMachine: 'Choose a machine first (Start), then come back here.',
  loading: 'Reading the machine and what can be repaired…',
  notOffered: (name: string) =>
    `"${name}" does not apply to this machine now: the diagnosis finds nothing it would fix.`,
  /** Offers run from their own screens (installs, the WinRE repair): listed on the same page. */
  elsewhereInstall: (kb: string | null) => (kb ? `Install ${kb}` : 'Install the update'),
  elsewhereWinre: 'Repair the recovery environment (WinRE)',
  seeAll: 'All repairs for this machine',
  why: 'Why',
  warnings: 'Before you start',
  steps:
    'What will run, in this order (a step marked "only if still damaged" runs only while the check before it says so)',
  /** A snapshot's (read-only) steps: the script that PC runs itself. */
  stepsOnThatPc: (host: string) =>
    `What the script runs on ${host}, in this order (a step marked "only if still damaged" runs only while the check before it says so)`,
  onlyIfBroken: '(only if still damaged)',
  command: 'Command',
  acknowledge: 'I have read the steps and commands above.',
  run: (n: number) => `Run ${n} step${n === 1 ? '' : 's'}`,
  running: 'Repairing…',
  unfinished: 'An earlier run of this repair stopped; running it again finishes it from its journal.',
  /** After a restart, on the run the app was started to finish: nothing runs before the person's click. */
  resumeAsk: (done: number, total: number) =>
    `The PC restarted in the middle of this repair: ${done} of ${total} steps are done (marked below); the rest waits. Nothing runs until you press Continue.`,
  continue: 'Continue',
  readOnly:
    'This is a snapshot of another PC: nothing can run here. Save the repair as a PowerShell script and run it on that PC as administrator.',
  saveScript: 'Save as PowerShell script',
  savedTo: (p: string) => `Saved to ${p}.`,
  scriptShown: (f: string) => `${f} (copy it, or save it from the app):`,
  proofTitle: (v: boolean) => (v ? 'Verified: the repair worked' : 'Not verified'),
  manual: 'If it is still not fixed: by hand',
  next: 'Next',
  state: { pending: 'waiting', running: 'running', finished: 'finished' } as Record<string, string>,
  outcome: {
    done: 'done',
    'not-fixed': 'did not fix it (next step tries)',
    failed: 'failed',
    skipped: 'not needed',
    rechecked: 'done (checked after an interruption)',
  } as Record<string, string>,
  status: {
    completed: 'completed',
    failed: 'stopped: a step failed',
    cancelled: 'cancelled',
    running: 'still running',
  } as Record<string, string>,
}
