/**
 * Every string the interface shows, in one place, ready for translation. Plain words first, the
 * technical term beside them.
 */
export const strings = {
  appName: 'Servicing Desk',
  tagline: 'Gets a stuck Windows update unstuck.',
  nav: {
    label: 'Steps',
    start: 'Check a PC',
    overview: 'Overview',
    expert: 'All tools',
  },
  banner: {
    none: 'No machine chosen yet',
    thisPc: (name: string) => `This PC — ${name}`,
    training: (title: string) => `Training machine — ${title}`,
    snapshot: (name: string, date: string) => `Snapshot from another PC — ${name}, taken ${date}`,
    readOnly: 'read-only',
    practice: 'safe practice: nothing here changes a real PC',
  },
  start: {
    title: 'Which PC do you want to check?',
    intro: 'Servicing Desk reads the update state of a PC, explains what went wrong, and fixes it in the order that works.',
    thisPc: 'Check this PC',
    thisPcUnavailable: 'This PC can be checked only when the app runs on Windows.',
    training: 'Training machines',
    trainingIntro: 'Each one reproduces a real, documented update failure. Practise the repair safely.',
    check: 'Check',
    importSnapshot: 'Open a snapshot from another PC',
    importHint: 'A file written on that PC by “servicing-desk scan --out FILE”.',
    scanning: 'Reading the machine…',
    reset: 'Reset',
  },
  overview: {
    title: 'Overview',
    machine: 'Machine',
    edition: 'Edition',
    version: 'Version',
    build: 'Build (OS build.UBR)',
    nativeArch: 'Processor (native architecture)',
    processArch: 'This app runs as',
    emulatedWarning: (native: string, proc: string) => `This app runs emulated (${proc} on an ${native} PC). Packages are chosen for the PC’s native architecture, ${native}.`,
    unknown: 'unknown',
    rescan: 'Check again',
    notScanned: 'Choose a machine to see its overview.',
    tiles: 'Health',
    evidence: 'Evidence',
  },
  common: {
    loading: 'Loading…',
    error: 'Something went wrong',
    retry: 'Try again',
    close: 'Close',
  },
} as const
