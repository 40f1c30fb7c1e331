/**
 * The highest risk among a remedy's steps, apart from the schemas: the CLI's fast commands (explain) word a remedy
 * with it and must not load zod to do so.
 */
export type StepRiskName = 'read-only' | 'reversible' | 'irreversible' | 'destructive'

/** The highest risk among `steps`, or null when there are none. */
export function topRisk<R extends StepRiskName>(steps: readonly { risk: R }[]): R | null {
  for (const r of ['destructive', 'irreversible', 'reversible', 'read-only'] as const)
    if (steps.some((s) => s.risk === r)) return r as R
  return null
}
