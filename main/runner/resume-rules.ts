/**
 * The resume rule book: for every kind of step any definition makes, the one question the machine is
 * asked when the journal shows the step started with no recorded end (the process died while it ran, or before its
 * end was written). The definitions answer the question on their machine (install executor, WinRE repair runner,
 * Fix-it step kinds); which question applies to which kind is decided here, once, so a rule is read and changed in
 * one place, and a kind without a rule cannot be run (ruleFor throws).
 *
 * - package-state: is the package installed (done), pending a restart (done, restart required), or absent (runs again:
 *   DISM rolls back an interrupted add)?  For a removal: gone or Uninstall Pending (done), else runs again.
 * - restart-done: does anything still wait for a restart? No → the restart took place (done); yes → asked again.
 * - winre-state: is WinRE already in the wanted state (reagentc answers "already" with a failure code)?
 * - disk-layout: is the disk as planned before the resize (runs), as the resize leaves it (done), or neither (stop:
 *   diskpart stopped partway; running it again could shrink Windows twice or delete the wrong partition)?
 * - mount-folder: does the mount folder hold the image (mount done) or is it empty (unmount done)?
 * - esp-mounted: is the EFI partition visible at the letter (mount done / unmount not done)?
 * - runs-again: the step only reads, or writes the same result again (idempotent), so it runs again.
 * - index-committed (media): is the image still mounted (the commit runs again), unmounted with the .wim index at
 *   the mounted image's build and packages (done), or unmounted without them (stop: the changes are lost)?
 * - export-present (media): does the export file hold this index already (done), or not (runs again)?
 * - export-present (media) also answers `join-swm`: does the install.wim joined from a split medium's .swm parts hold this index?
 * - swm-present (media): are the .swm parts there and holding the exported images (done), or not, or a split medium's old parts (runs again)?
 */
export const RECHECK_QUESTIONS = [
  'package-state',
  'restart-done',
  'winre-state',
  'disk-layout',
  'mount-folder',
  'esp-mounted',
  'runs-again',
  'index-committed',
  'export-present',
  'swm-present',
] as const
export type RecheckQuestion = (typeof RECHECK_QUESTIONS)[number]

export type RunDefinitionKind = 'install' | 'winre-repair' | 'repair' | 'media'

/** Each definition's step kinds and the question that re-checks them. */
export const RESUME_RULES: Readonly<Record<RunDefinitionKind, Readonly<Record<string, RecheckQuestion>>>> = {
  install: {
    'add-package': 'package-state',
    wusa: 'package-state',
    restart: 'restart-done',
    'mount-image': 'mount-folder',
    'unmount-image': 'mount-folder',
    'cleanup-image': 'runs-again',
    'schedule-resume': 'runs-again',
  },
  'winre-repair': {
    'reagentc-disable': 'winre-state',
    'reagentc-enable': 'winre-state',
    'reagentc-info': 'runs-again',
    'write-diskpart-script': 'runs-again',
    diskpart: 'disk-layout',
    'create-work-dir': 'runs-again',
    'dism-mount-image': 'mount-folder',
    'dism-add-package': 'runs-again',
    'dism-cleanup-image': 'runs-again',
    'dism-unmount-image': 'mount-folder',
    'dism-get-imageinfo': 'runs-again',
  },
  repair: {
    'dism-remove-package': 'package-state',
    'wu-services-stop': 'runs-again',
    'wu-folder-rename': 'runs-again',
    'wu-services-start': 'runs-again',
    'dism-check-health': 'runs-again',
    'dism-scan-health': 'runs-again',
    'dism-restore-health': 'runs-again',
    'dism-restore-health-media': 'runs-again',
    'sfc-scannow': 'runs-again',
    'fetch-package': 'runs-again',
    'expand-msu': 'runs-again',
    'expand-cab': 'runs-again',
    'schedule-resume': 'runs-again',
    restart: 'restart-done',
    'esp-mount': 'esp-mounted',
    'esp-move-folder': 'runs-again',
    'esp-unmount': 'esp-mounted',
    'secure-boot-available-updates': 'runs-again',
    'secure-boot-task-run': 'runs-again',
  },
  // Installation media (main/media/update.ts): a mount folder, the package in the mounted image, the
  // committed index, the export and the .swm parts are asked of the machine; copies and cleanups run again.
  media: {
    'cleanup-mountpoints': 'runs-again',
    'copy-to-work': 'runs-again',
    // A package copied into the work folder: the copy runs again (the re-hash before its use checks the file).
    'copy-package': 'runs-again',
    mount: 'mount-folder',
    'extract-winre': 'runs-again',
    'unmount-discard': 'mount-folder',
    'add-package': 'package-state',
    'cleanup-image': 'runs-again',
    'copy-winre': 'runs-again',
    'unmount-commit': 'index-committed',
    export: 'export-present',
    // Joining a split medium's .swm parts is an export into the work folder: does the joined install.wim hold this index?
    'join-swm': 'export-present',
    'expand-setup-du': 'runs-again',
    'split-image': 'swm-present',
    stage: 'runs-again',
    'write-back': 'runs-again',
  },
}

/** The question that re-checks an interrupted step of this kind; a kind without a rule is never run. */
export function ruleFor(definition: RunDefinitionKind, kind: string): RecheckQuestion {
  const rules = RESUME_RULES[definition]
  const q = Object.hasOwn(rules, kind) ? rules[kind] : undefined
  if (!q)
    throw new Error(
      `No resume rule for a '${kind}' step of ${definition}: it cannot be run until the rule book says how it is re-checked.`,
    )
  return q
}
