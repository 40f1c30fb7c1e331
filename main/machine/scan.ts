/**
 * Runs every probe in parallel, each with its own timeout (on the clock `timer` gives), and assembles one MachineSnapshot.
 * A failing or slow probe gives an `unknown` fact with its error as evidence; it never fails the scan.
 */
import type { Host } from '../host/host.ts'
import type { Probe } from './probe.ts'
import { ProbeError } from './probe.ts'
import { probes as defaultProbes } from './probes/index.ts'
import { judgePackagesWithOs } from './probes/packages.ts'
import type { MachineSnapshot, ProbeId } from '../../preload/model/snapshot.ts'
import { SNAPSHOT_SCHEMA_VERSION } from '../../preload/model/snapshot-version.ts'
import type { Evidence } from '../../preload/model/common.ts'

const allProbeIds: ProbeId[] = [
  'os',
  'packages',
  'history',
  'hotfixes',
  'reboot',
  'storage',
  'services',
  'winre',
  'bootChain',
]

export interface ScanOptions {
  probes?: Probe[]
  signal?: AbortSignal
  appVersion?: string
  now?: () => Date
  onProbeDone?: (id: ProbeId, done: number, total: number) => void
  /**
   * Starts and cancels each probe's deadline (`timeoutMs`): the real timers by default. A test passes a clock it moves;
   * null runs the probes without a deadline.
   */
  timer?: ProbeTimer | null
}

/** A deadline's clock: `set` calls `fire` once after `ms`, unless `clear` is given its handle first. */
export interface ProbeTimer {
  set(fire: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export const realProbeTimer: ProbeTimer = {
  set: (fire, ms) => setTimeout(fire, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

type AnyFact =
  | { status: 'known'; value: unknown; evidence: Evidence[] }
  | { status: 'unknown'; error: string; evidence: Evidence[] }

export async function scanMachine(host: Host, options: ScanOptions = {}): Promise<MachineSnapshot> {
  const probes = options.probes ?? defaultProbes
  const info = host.info()
  // A training machine's commands are answered in this process from its files: nothing outside can hang them, so a
  // deadline of wall clock there would measure only how busy the computer is (a fact turned unknown under load). A
  // real PC's or a remote machine's probes keep theirs: a hung WMI or DISM call must not hang the scan.
  const timer = options.timer !== undefined ? options.timer : info.kind === 'training' ? null : realProbeTimer
  const timings: Record<string, number> = {}
  let done = 0
  const results = await Promise.all(
    probes.map(async (probe) => {
      const started = process.hrtime.bigint()
      const fact = await runProbe(probe, host, timer, options.signal)
      // The monotonic clock of process.hrtime, not performance.now(): the global `performance` loads perf_hooks' eleven
      // modules (~3 ms of a CLI start) for this one subtraction.
      timings[probe.id] = Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000
      options.onProbeDone?.(probe.id, ++done, probes.length)
      return [probe.id, fact] as const
    }),
  )
  const facts = new Map<ProbeId, AnyFact>(results)
  const factFor = (id: ProbeId): AnyFact =>
    facts.get(id) ?? { status: 'unknown', error: 'This fact is not inspected yet.', evidence: [] }
  const snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    takenAt: (options.now?.() ?? new Date()).toISOString(),
    origin: { kind: info.kind, name: info.name, title: info.title },
    appVersion: options.appVersion ?? '0.0.0',
    probeTimings: timings,
    ...Object.fromEntries(allProbeIds.map((id) => [id, factFor(id)])),
  }
  // The OS probe cannot know the computer name from CurrentVersion; the host does.
  const s = snapshot as unknown as MachineSnapshot
  // The packages probe cannot see the edition: its checkpoint is judged with the OS facts (Server 2025 vs 24H2).
  return { ...s, packages: judgePackagesWithOs(s.packages, s.os) }
}

async function runProbe(probe: Probe, host: Host, timer: ProbeTimer | null, outer?: AbortSignal): Promise<AnyFact> {
  const controller = new AbortController()
  const onAbort = () => controller.abort()
  outer?.addEventListener('abort', onAbort, { once: true })
  let deadline: unknown
  try {
    const timeout = new Promise<never>((_, reject) => {
      deadline = timer?.set(() => {
        controller.abort()
        reject(new ProbeError(`The ${probe.id} probe took longer than ${probe.timeoutMs / 1000} s and was stopped.`))
      }, probe.timeoutMs)
    })
    const run = probe.run({ host, signal: controller.signal })
    const out = await (timer ? Promise.race([run, timeout]) : run)
    return { status: 'known', value: out.value, evidence: out.evidence }
  } catch (err) {
    const e = err as Error
    return {
      status: 'unknown',
      error: e.message || String(err),
      evidence: err instanceof ProbeError ? err.evidence : [],
    }
  } finally {
    if (deadline !== undefined) timer?.clear(deadline)
    outer?.removeEventListener('abort', onAbort)
  }
}
