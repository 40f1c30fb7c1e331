/** What `fleet import --kind` accepts: each export by its reader, collected files, and a list of computers. */
import { INTAKE_KINDS, type IntakeKind } from './intake/kinds.ts'

export type ImportKind = IntakeKind | 'snapshots' | 'computers'
export const IMPORT_KINDS: readonly ImportKind[] = [...INTAKE_KINDS, 'snapshots', 'computers']
