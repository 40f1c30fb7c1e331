/** Shared set-up for the install tests: a fresh data dir, the real services, and a training kit. */
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import type { MachineArch } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'

export function freshServices() {
  const dir = tempDirSync('sd-install-')
  return { dir, services: createServices({ dataDir: dir }) }
}

export function kit(dir: string, kb: string, arch: MachineArch, sub = 'kit') {
  return writeTrainingKit(join(dir, sub, `${kb}-${arch}`), kb, arch)
}

export const arm64 = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
