/**
 * The words and rules about findings that hold no schema: the servicing services' display names, and what to say
 * where no problem ranks first. Apart from health.ts (zod schemas) so that the diagnosis, which needs these, loads
 * no zod at a CLI start (`diagnose --code` starts like `explain`); health.ts exports them too.
 */

/** Each servicing service's display name (what services.msc shows): the words in front; the service name is technical. */
export const serviceDisplayNames: Record<string, string> = {
  wuauserv: 'Windows Update',
  bits: 'Background Intelligent Transfer Service',
  cryptsvc: 'Cryptographic Services',
  trustedinstaller: 'Windows Modules Installer',
  msiserver: 'Windows Installer',
  usosvc: 'Update Orchestrator Service',
  dosvc: 'Delivery Optimization',
}
/** The part of a diagnosis finding the health model reads (FindingSchema has more). */
export interface HealthFinding {
  id: string
  title: string
  severity: 'critical' | 'error' | 'warning' | 'info'
  /** The finding's state from the diagnosis' timeline; absent: current. */
  state?: 'current' | 'past' | 'unknown'
  resolvedBy?: string
  /** The error codes the finding explains. */
  codes?: readonly string[]
  /** The repair the app offers for it (an install: `install-update` / `install-checkpoint`). */
  repair?: string | null
  kbs?: readonly string[]
}

/**
 * What to say where no problem ranks first: "No problem found" only when nothing holds now and no install
 * is offered; with an install offered, that install. One sentence for the report, `--summary` and Proof.
 */
export function noProblemWords(findings: readonly HealthFinding[]): string {
  const offered = offeredInstalls(findings)
  if (offered.length)
    return `No problem ranks first, but an update is still to install: ${offered.map((f) => f.title).join('; ')}.`
  return findings.some((f) => f.state === 'past') && !findings.some((f) => f.state !== 'past')
    ? 'No current problem found.'
    : 'No problem found.'
}

/**
 * The installs the verdict still offers: findings that hold now and whose repair is an install. While
 * one remains, no surface says "all checks pass", "fixed" or shows the latest-update tile green.
 */
export function offeredInstalls<F extends HealthFinding>(findings: readonly F[]): F[] {
  return findings.filter(
    (f) => f.state !== 'past' && (f.repair === 'install-update' || f.repair === 'install-checkpoint'),
  )
}
