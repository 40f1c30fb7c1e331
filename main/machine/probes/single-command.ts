/**
 * A probe that runs one command and reads its output: the shape of the history, hotfix, reboot and
 * services probes. A failed command or unreadable output throws a ProbeError with the command's
 * evidence, so the scan records an unknown fact instead of failing.
 */
import type { Probe, ProbeValue } from '../probe.ts'
import { ProbeError, commandEvidence, requireOk } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import type { Evidence } from '../../../preload/model/common.ts'
import type { ProbeId } from '../../../preload/model/snapshot.ts'

export type ReadOutcome<K extends ProbeId> = { value: ProbeValue<K>; evidence: Evidence[] } | { error: string }

export function singleCommandProbe<K extends ProbeId>(opts: {
  id: K
  command: CommandSpec
  /** What the command does, for the error message: "Reading service states". */
  what: string
  read: (stdout: string) => ReadOutcome<K>
}): Probe<K> {
  return {
    id: opts.id,
    collect: [{ kind: 'command', spec: opts.command }],
    timeoutMs: opts.command.timeoutMs,
    async run({ host, signal }) {
      const r = await host.run(opts.command, { signal })
      requireOk(r, opts.what)
      const out = opts.read(r.stdout)
      if ('error' in out) throw new ProbeError(out.error, [commandEvidence(r)])
      return out
    },
  }
}
