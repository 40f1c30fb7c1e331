/**
 * The snapshot's schema version, apart from snapshot.ts's schemas (zod), so the scan that stamps it loads no schema.
 * Bump it on any incompatible change of MachineSnapshot.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1
