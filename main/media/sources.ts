/** The media Servicing Desk can read: the training media by name (a real drive or folder needs Windows; not built yet). */
import { TRAINING_MEDIA, trainingMedium, type TrainingMediumDef } from './training/media.ts'
import { answerWimInfo, winrePathFor } from './training/wim-info.ts'
import type { MediumSource } from './read.ts'

export function trainingSource(m: TrainingMediumDef): MediumSource {
  return {
    name: m.name, title: m.title, root: m.root, fileSystem: m.fileSystem, workFreeBytes: m.workFreeBytes, setupVersion: m.setupVersion,
    installFileBytes: m.install.fileBytes, bootFileBytes: m.boot.fileBytes, staleMounts: [...m.staleMounts],
    dism: async (args) => {
      if (args.some((a) => /^\/Get-WimInfo$/i.test(a))) return answerWimInfo(m, args)
      return { exitCode: 1, stdout: '', stderr: `The training medium ${m.name} answers only DISM /Get-WimInfo so far.` }
    },
    winrePath: (index) => winrePathFor(m, index),
  }
}

export function listMedia(): Array<{ name: string; title: string; root: string; fileSystem: string; kind: 'training' }> {
  return TRAINING_MEDIA.map((m) => ({ name: m.name, title: m.title, root: m.root, fileSystem: m.fileSystem, kind: 'training' as const }))
}

/** A training medium by name or root path; a clear error otherwise. */
export function resolveMedium(nameOrPath: string): MediumSource {
  const byName = trainingMedium(nameOrPath)
  if (byName) return trainingSource(byName)
  const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase()
  const byRoot = TRAINING_MEDIA.find((m) => norm(m.root) === norm(nameOrPath))
  if (byRoot) return trainingSource(byRoot)
  throw new Error(`No medium '${nameOrPath}'. Training media: ${TRAINING_MEDIA.map((m) => m.name).join(', ')}. Reading a real drive or folder needs Windows and is not built yet.`)
}
