/** The Media screen's words (installation media), in one place. */
import type { MediaRunStep } from '../../../preload/model/media-calls.ts'
import type { MediaGroupKey } from './media-plan-groups.ts'

const img = (image: string, index: number) => (image === 'winre' ? 'winre.wim' : `${image}.wim index ${index}`)

export const mediaStrings = {
  nav: 'Installation media',
  title: 'Installation media',
  intro:
    "A USB stick or an extracted ISO folder as a technician repairs PCs from it: every image on it, which build each is at, and what is older than the update you choose. The plan updates every layer in Microsoft's documented order (Update Windows installation media with Dynamic Update).",
  choose: 'Medium',
  chooseHint:
    'Training media: models of real sticks and ISO folders, safe to rehearse with. Or read a real USB stick or an extracted ISO folder.',
  chooseFolder: 'Read a USB stick or ISO folder…',
  folderChosen: (label: string) => `Reading the folder you chose: ${label}`,
  needsWindowsTitle: 'Needs Windows',
  needsWindows:
    "Every image, its build and setup.exe's version were read from the files themselves. These steps need DISM on Windows, so this app does not run them on a real medium yet; the plan above shows every command, in order:",
  none: '— choose a medium —',
  changed: '(changed by an update)',
  reading: 'Reading every image on the medium…',
  planning: 'Planning the update…',
  kb: 'Cumulative update to bring it to',
  plan: 'Plan again',
  pictureTitle: 'Layers on the medium',
  pictureCaption: (root: string, fs: string, arch: string | null, windows: string | null) =>
    `${root} · ${fs === 'unknown' ? 'file system unknown' : fs} · ${arch ?? 'architecture unknown'} · ${windows ?? 'Windows version unknown'}`,
  judged: (kb: string | null) =>
    kb
      ? `Each image is judged against ${kb}; WinRE against the Safe OS Dynamic Update of its month.`
      : 'No update is known for this branch: the images cannot be judged.',
  file: {
    install: 'sources\\install.wim',
    swm: 'sources\\install.swm (split)',
    boot: 'sources\\boot.wim',
    setup: 'sources\\setup.exe',
  } as Record<string, string>,
  fileRole: {
    install: 'the editions Windows installs',
    boot: 'Windows PE and Windows Setup',
    setup: 'the Setup program and its files',
  } as Record<string, string>,
  index: (n: number) => `Index ${n}`,
  winreIn: (n: number) => `winre.wim inside index ${n}`,
  staleness: { stale: 'Stale', current: 'Current', unknown: 'Not judged' } as Record<string, string>,
  target: (t: string) => `Target: ${t}`,
  languages: (l: string[]) => (l.length ? l.join(', ') : 'languages unknown'),
  size: (gb: string, bytes: string) => `${gb} (${bytes} bytes)`,
  fat32Title: 'FAT32 file limit',
  fat32: (file: string, limit: string) =>
    `install.wim is ${file}; FAT32 holds no file larger than ${limit} (4 GiB − 1 byte).`,
  fat32Parts: (parts: string, limit: string) =>
    `install.wim is split into install.swm parts of ${parts}: each under FAT32's largest file, ${limit}.`,
  fat32Split: (mb: number) =>
    `The update makes it larger than that: the plan writes it back as install.swm pieces of at most ${mb} MB each.`,
  fat32Fits: 'The plan keeps it as one file: it stays under the limit.',
  staleMountTitle: 'A mount was left behind',
  staleMount: (dirs: string) =>
    `An earlier, interrupted run left ${dirs} mounted. The update first cleans it up with DISM /Cleanup-Mountpoints — only after you confirm.`,
  warnings: 'Read with care',
  counts: (stale: number, total: number) => `${stale} of ${total} layers are stale.`,
  planTitle: (n: number, kb: string, arch: string) =>
    `The update plan: ${n} steps to ${kb} (${arch}), in the documented order`,
  planIntro:
    'Each command is shown exactly as it would run, in a work folder on a copy of the medium; the medium is written back only at the end.',
  space: (needed: string, free: string | null) =>
    `Work folder: needs about ${needed}${free ? `, ${free} free` : ', free space unknown'}.`,
  spaceShort: 'Not enough space: free some or choose another work folder before running.',
  notes: 'Notes',
  group: (k: MediaGroupKey): string => {
    if (k === 'prepare') return 'Before anything: the mount left behind'
    if (k === 'copy') return 'Copy the medium and its packages into the work folder'
    if (k === 'join') return 'A split medium: join the install.swm parts into one install.wim'
    if (k === 'write-back') return 'Write the updated copy back to the medium'
    if (k === 'winre') return 'WinRE (winre.wim): the Safe OS Dynamic Update'
    if (k === 'setup') return 'Setup: the Setup Dynamic Update into sources'
    if (k === 'split') return 'FAT32: split install.wim'
    const [image, n] = k.split('-')
    return image === 'boot'
      ? `boot.wim index ${n} (${n === '1' ? 'Windows PE' : 'Windows Setup'})`
      : `install.wim index ${n}`
  },
  step: (s: MediaRunStep): string => {
    switch (s.kind) {
      case 'copy-to-work':
        return 'Copy the medium into the work folder'
      case 'copy-package':
        return `Copy the checked package ${s.package.kb} into the work folder (only administrators can change it there)`
      case 'stage':
        return 'Put the exported images into the copy'
      case 'write-back':
        return 'Write the copy back to the medium'
      case 'cleanup-mountpoints':
        return 'Clean up mounts left behind'
      case 'mount':
        return s.readOnly
          ? `Mount install.wim index ${s.index} read-only, to take winre.wim out`
          : `Mount ${img(s.image, s.index)}`
      case 'extract-winre':
        return `Copy winre.wim out of install.wim index ${s.index}`
      case 'unmount-discard':
        return `Unmount ${img(s.image, s.index)} without saving (nothing changed)`
      case 'add-package':
        return s.package.role === 'checkpoint'
          ? `Add the checkpoint update ${s.package.kb}`
          : s.package.role === 'lcu'
            ? `Add the cumulative update ${s.package.kb}`
            : s.package.role === 'safe-os'
              ? `Add the Safe OS Dynamic Update ${s.package.kb}`
              : `Add ${s.package.kb}`
      case 'cleanup-image':
        return s.resetBase ? 'Remove superseded components (/ResetBase)' : 'Clean up superseded components'
      case 'copy-winre':
        return `Put the updated winre.wim into install.wim index ${s.index}`
      case 'unmount-commit':
        return `Unmount ${img(s.image, s.index)} and save it`
      case 'export':
        return `Export ${img(s.image, s.index)} to shrink the file`
      case 'expand-setup-du':
        return `Expand the Setup Dynamic Update ${s.package.kb} into sources`
      case 'join-swm':
        return `Join install.swm parts into one install.wim (index ${s.index})`
      case 'split-image':
        return `Split install.wim into install.swm pieces of at most ${s.maxMb} MB`
    }
  },
  run: {
    title: 'Update the medium',
    intro:
      'The update works on a copy in the work folder, journals every step (a crash or a closed window resumes without doing a step twice), and writes the medium back only at the end. Then it reads the medium again and shows every layer against its target.',
    acknowledge: 'I have read the plan; change this medium.',
    cleanMount: (dirs: string) => `First clean up the mount left behind (${dirs}) with DISM /Cleanup-Mountpoints.`,
    start: (n: number) => `Update the medium (${n} planned steps)`,
    resumed:
      'An earlier run of this update had stopped: it was continued from its journal, without doing a finished step again.',
    running: 'Updating the medium…',
    stop: 'Stop after this step',
    spent: 'This plan has run. To update the medium again, plan again: the plan starts from the medium as it is now.',
    stopHint: 'The step that runs now finishes; Update the medium again continues from the next one.',
    progressTitle: 'Progress per image',
    steps: (done: number, total: number) => `${done} of ${total} step${total === 1 ? '' : 's'}`,
    state: { waiting: 'Waiting', running: 'Running', done: 'Done', failed: 'Failed' } as Record<string, string>,
    resultTitle: 'Result: the medium read again',
    verified: 'Verified: every image is at its target',
    notVerified: 'Not verified',
    setupNotJudged:
      'Every image is at its target; the setup files are not judged (no Setup Dynamic Update named), so not verified as a whole',
    declined: 'Nothing was changed',
    columns: { layer: 'Layer', before: 'Before', after: 'After', target: 'Target', mark: 'At target?' },
    atTarget: { yes: 'Yes', no: 'No', unknown: 'Not judged' } as Record<string, string>,
    layerName: (layer: string, index: number | null) =>
      layer === 'setup'
        ? 'sources\\setup.exe'
        : layer === 'winre'
          ? `winre.wim in index ${index}`
          : `${layer}.wim index ${index}`,
    swm: (parts: string) => `install.wim went back as .swm parts: ${parts}.`,
    mountsLeft: (dirs: string) => `Still mounted: ${dirs}.`,
    packages: 'Packages added (SHA-256)',
    report: 'Report for the ticket',
    reset: 'Back to its starting state',
    resetHint: 'A training medium an update changed can be put back as it was, to rehearse again.',
  },
}
