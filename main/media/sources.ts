/** The media Servicing Desk can read: the training media by name, and a real folder (USB stick or extracted ISO) by its path. */
import { TRAINING_MEDIA, trainingMedium, type TrainingMediumDef } from './training/media.ts'
import { answerWimInfo, winrePathFor } from './training/wim-info.ts'
import type { MediumSource } from './read.ts'
import { initialMediumState, staleMountBytes, wimBytes, type TrainingMediaStore } from './training/state.ts'
import { answerMediaDism } from './training/dism.ts'
import { existsSync } from 'node:fs'
import { folderSource } from './folder-source.ts'

export function trainingSource(m: TrainingMediumDef, store?: TrainingMediaStore): MediumSource {
  if (store) return changedTrainingSource(m, store)
  return {
    name: m.name,
    title: m.title,
    root: m.root,
    fileSystem: m.fileSystem,
    workFreeBytes: m.workFreeBytes,
    setupVersion: m.setupVersion,
    installFileBytes: m.install.fileBytes,
    bootFileBytes: m.boot.fileBytes,
    staleMounts: [...m.staleMounts],
    staleMountBytes: staleMountBytes(initialMediumState(m)),
    dism: async (args) => {
      if (args.some((a) => /^\/Get-WimInfo$/i.test(a))) return answerWimInfo(m, args)
      return { exitCode: 1, stdout: '', stderr: `The training medium ${m.name} answers only DISM /Get-WimInfo so far.` }
    },
    winrePath: (index) => winrePathFor(m, index),
  }
}

/** A training medium as it is now (after updates): its saved state answers DISM. */
function changedTrainingSource(m: TrainingMediumDef, store: TrainingMediaStore): MediumSource {
  const s = store.load(m.name)
  const split = !s.medium.install && s.medium.swm
  return {
    name: m.name,
    title: m.title,
    root: m.root,
    fileSystem: m.fileSystem,
    workFreeBytes: s.workFreeBytes,
    setupVersion: s.medium.setupVersion,
    installFileBytes: split ? Math.max(...s.medium.swm!.parts) : wimBytes(s.medium.install),
    bootFileBytes: wimBytes(s.medium.boot),
    staleMounts: s.mounts.filter((x) => x.status !== 'Ok').map((x) => x.dir),
    staleMountBytes: staleMountBytes(s),
    ...(split ? { installFile: 'sources\\install.swm', swmParts: [...s.medium.swm!.parts] } : {}),
    setupDu: s.medium.setupDu,
    dism: async (args) => answerMediaDism(store.load(m.name), args),
    winrePath: (index) => winrePathFor(m, index).replace(/install\.wim#/i, split ? 'install.swm#' : 'install.wim#'),
  }
}

export function listMedia(): Array<{
  name: string
  title: string
  root: string
  fileSystem: string
  kind: 'training'
}> {
  return TRAINING_MEDIA.map((m) => ({
    name: m.name,
    title: m.title,
    root: m.root,
    fileSystem: m.fileSystem,
    kind: 'training' as const,
  }))
}

/** A training medium by name or root path; a clear error otherwise. */
export function resolveMedium(nameOrPath: string, store?: TrainingMediaStore): MediumSource {
  const byName = trainingMedium(nameOrPath)
  if (byName) return trainingSource(byName, store)
  const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase()
  const byRoot = TRAINING_MEDIA.find((m) => norm(m.root) === norm(nameOrPath))
  if (byRoot) return trainingSource(byRoot, store)
  // A real folder (a USB stick's drive or an extracted ISO): read from its files on any OS (folder-source.ts).
  if (/[\\/]/.test(nameOrPath) || existsSync(nameOrPath)) {
    return folderSource(nameOrPath)
  }
  throw new Error(
    `No medium '${nameOrPath}'. Training media: ${TRAINING_MEDIA.map((m) => m.name).join(', ')}; or name the folder of a USB stick or an extracted ISO.`,
  )
}
