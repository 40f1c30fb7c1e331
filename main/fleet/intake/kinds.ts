/**
 * The kinds of export the fleet's intake reads (detect.ts tells one from its contents). Apart from the readers, so the
 * CLI lists them (`fleet import --kind`) without loading the readers and their schemas.
 */
export const INTAKE_KINDS = [
  'lines',
  'intune-graph',
  'intune-csv',
  'intune-feature-failures',
  'alerts',
  'update-status',
  'service-status',
  'intune-update-state',
  'intune-update-errors',
  'wu-history',
  'update-events',
  'update-compliance',
] as const
export type IntakeKind = (typeof INTAKE_KINDS)[number]
