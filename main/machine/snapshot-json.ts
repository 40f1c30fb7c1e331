/**
 * A snapshot file's JSON (`scan --out FILE.json`) read as untrusted: its schema version, then the zod schema. Apart
 * from the services so a command that opens no JSON snapshot (a diagnosis of a training machine) loads no schema.
 */
import { AppError } from '../errors.ts'
import { MachineSnapshotSchema, SNAPSHOT_SCHEMA_VERSION, type MachineSnapshot } from '../../preload/model/snapshot.ts'
import { judgePackagesWithOs } from './probes/packages.ts'

/** The snapshot in `content`, or an AppError that says in one sentence why it is not one this app reads. */
export function parseSnapshotJson(content: string): MachineSnapshot {
  let json: unknown
  try {
    json = JSON.parse(content)
  } catch (err) {
    throw new AppError('invalid-input', `This is not a snapshot file: it is not JSON (${(err as Error).message}).`)
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new AppError(
      'invalid-input',
      version === undefined
        ? 'This is not a snapshot file: it has no schemaVersion. Write one with `servicing-desk scan --out FILE`.'
        : `This snapshot has schema version ${JSON.stringify(version)}; this app reads version ${SNAPSHOT_SCHEMA_VERSION}.`,
    )
  }
  const parsed = MachineSnapshotSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ')
    throw new AppError('invalid-input', `This snapshot file is damaged or not from this app: ${first}.`)
  }
  // The checkpoint verdict is this app's, from the file's facts (edition included), never the file's own.
  return { ...parsed.data, packages: judgePackagesWithOs(parsed.data.packages, parsed.data.os) }
}
