/** A probe reads one family of facts from a Host. Probes run in parallel, each with its own timeout. */
import type { Host, CommandResult, CommandSpec } from '../host/host.ts'
import type { Evidence } from '../../preload/model/common.ts'
import type { MachineSnapshot, ProbeId } from '../../preload/model/snapshot.ts'

export type ProbeValue<K extends ProbeId> = Extract<MachineSnapshot[K], { status: 'known' }>['value']

export interface ProbeContext {
  host: Host
  signal: AbortSignal
}

export interface ProbeOutput<K extends ProbeId> {
  value: ProbeValue<K>
  evidence: Evidence[]
}

/**
 * What the collector script gathers on a PC for a probe (main/collector generates its PowerShell from these):
 * the commands the probe runs, as they are, and the files it reads. A `{{SystemDrive}}` or `{{WinreWim}}`
 * in an argument is filled on the PC (COLLECT_VARS); a snapshot answers the probe by the command's name.
 */
export type CollectItem = { kind: 'command'; spec: CommandSpec } | { kind: 'file'; path: string; maxBytes: number }

export const COLLECT_VARS = {
  /** `C:` ($env:SystemDrive). */
  systemDrive: '{{SystemDrive}}',
  /** winre.wim: on the partition reagentc /info names, else the staged copy in System32\Recovery. */
  winreWim: '{{WinreWim}}',
} as const

export interface Probe<K extends ProbeId = ProbeId> {
  id: K
  /** The commands and files the probe reads, for the collector (every probe in probes/index.ts has them). */
  collect?: readonly CollectItem[]
  /** Milliseconds before the probe is abandoned (its fact becomes unknown). */
  timeoutMs: number
  run(ctx: ProbeContext): Promise<ProbeOutput<K>>
}

/** An error a probe throws when a command failed; its evidence lands in the unknown fact. */
export class ProbeError extends Error {
  readonly evidence: Evidence[]
  constructor(message: string, evidence: Evidence[] = []) {
    super(message)
    this.name = 'ProbeError'
    this.evidence = evidence
  }
}

/** Evidence for a command: its command line and the first lines of its output (bounded). */
export function commandEvidence(result: CommandResult, pick?: (line: string) => boolean, maxLines = 40): Evidence {
  const lines = (result.stdout || result.stderr).split(/\r\n|\r|\n/)
  const chosen = (pick ? lines.filter(pick) : lines).filter((l) => l.trim() !== '').slice(0, maxLines)
  const excerpt = chosen.join('\n').slice(0, 4000)
  return {
    source: result.commandLine,
    excerpt: result.ok ? excerpt : `exit code ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}: ${excerpt}`,
  }
}

/** Throws a ProbeError with evidence unless the command succeeded. */
export function requireOk(result: CommandResult, what: string): void {
  if (!result.ok) {
    const why = result.timedOut
      ? 'timed out'
      : result.cancelled
        ? 'was cancelled'
        : `failed with exit code ${result.exitCode} (0x${result.exitCode.toString(16).toUpperCase().padStart(8, '0')})`
    throw new ProbeError(`${what} ${why}.`, [commandEvidence(result)])
  }
}
