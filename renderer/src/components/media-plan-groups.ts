/**
 * The media plan's steps grouped by the image they work on, in the plan's own (documented) order: the
 * clean-up of a mount left behind, WinRE (taken out of install.wim's first index, serviced, exported),
 * each boot.wim index, each install.wim index, the Setup DU into `sources`, the FAT32 split. The same keys
 * name the images whose progress an update shows. Pure, so it is tested alone.
 */
import type { MediaPlan, MediaRunStep } from '../../../preload/model/media-calls.ts'

/** `copy` and `write-back` are the run's own steps around the plan's: the medium copied into the work folder, and back. */
export type MediaGroupKey =
  | 'prepare'
  | 'copy'
  | 'join'
  | 'winre'
  | `boot-${number}`
  | `install-${number}`
  | 'setup'
  | 'split'
  | 'write-back'

export interface MediaPlanGroup {
  key: MediaGroupKey
  /** Each step with its number in the whole plan (1-based) and its command. */
  steps: Array<{ number: number; step: MediaRunStep; command: string }>
}

/** The image a step works on. The read-only mount of install.wim that only takes winre.wim out belongs to WinRE. */
export function groupOf(s: MediaRunStep): MediaGroupKey {
  switch (s.kind) {
    case 'cleanup-mountpoints':
      return 'prepare'
    case 'join-swm':
      return 'join'
    case 'copy-to-work':
    case 'copy-package':
      return 'copy'
    case 'stage':
    case 'write-back':
      return 'write-back'
    case 'extract-winre':
    case 'unmount-discard':
      return 'winre'
    case 'mount':
      return s.readOnly || s.image === 'winre' ? 'winre' : `${s.image}-${s.index}`
    case 'add-package':
    case 'cleanup-image':
    case 'unmount-commit':
    case 'export':
      return s.image === 'winre' ? 'winre' : `${s.image}-${s.index}`
    case 'copy-winre':
      return `install-${s.index}`
    case 'expand-setup-du':
      return 'setup'
    case 'split-image':
      return 'split'
  }
}

/** Consecutive steps on the same image, one group each (an image's steps are never split by the plan). */
export function planGroups(plan: MediaPlan): MediaPlanGroup[] {
  return groupSteps(plan.steps, plan.commands)
}

/** Any list of steps (a plan's, a run's) grouped so; `commands` beside the steps when there are any. */
export function groupSteps(steps: readonly MediaRunStep[], commands: readonly string[] = []): MediaPlanGroup[] {
  const out: MediaPlanGroup[] = []
  steps.forEach((step, i) => {
    const key = groupOf(step)
    const last = out[out.length - 1]
    const row = { number: i + 1, step, command: commands[i] ?? '' }
    if (last && last.key === key) last.steps.push(row)
    else out.push({ key, steps: [row] })
  })
  return out
}
