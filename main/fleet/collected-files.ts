/** Collected files the fleet gathered itself (fan-out), kept in `<data>/fleet/collected/<computer>-<time>.zip`. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readCollectorArchive } from '../collector/archive.ts'

export async function writeCollectorFile(dir: string, zip: Buffer): Promise<string> {
  const s = readCollectorArchive(zip).snapshot
  const file = join(dir, `${s.computerName}-${s.takenAt.replace(/[:.]/g, '-')}.zip`.replace(/[^A-Za-z0-9_.-]/g, '-'))
  await writeFile(file, zip)
  return file
}
