/**
 * Benchmark: a remote scan and a remote install over the training transport, at 0 ms and at
 * 50 ms simulated latency per round trip. Prints wall time, round trips and sessions opened; the baseline
 * is the same training machine scanned directly (no transport) in the same run. Asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createServices } from '../../main/services.ts'
import { TrainingTransport } from '../../main/training/transport-training.ts'

const machine = 'x64-component-store-corrupt'
const dirs: string[] = []

function services(latencyMs: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-bench-remote-'))
  dirs.push(dataDir)
  let transport: TrainingTransport | null = null
  const s = createServices({
    dataDir,
    platform: 'linux',
    remoteReconnect: { attempts: 20, delayMs: 0 },
    remoteTransport: (t) =>
      (transport = new TrainingTransport({
        computer: t.computer,
        machine: t.training!.machine,
        host: t.training!.host,
        store: t.training!.store,
        faults: { latencyMs },
      })),
  })
  return { s, stats: () => (transport as TrainingTransport | null)?.stats() ?? null }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

try {
  // Baseline: the same machine scanned directly, median of 5.
  const direct = services(0)
  await direct.s.scan({ kind: 'training', name: machine })
  const base: number[] = []
  for (let i = 0; i < 5; i++) base.push((await timed(() => direct.s.scan({ kind: 'training', name: machine }))).ms)
  base.sort((a, b) => a - b)
  const baseMs = base[2]
  process.stdout.write(`baseline: direct scan of ${machine}: ${baseMs.toFixed(1)} ms (median of 5)\n`)

  for (const latency of [0, 50]) {
    const scan = services(latency)
    const r = await timed(() => scan.s.scan({ kind: 'training', name: machine, via: 'winrm' }))
    const st = scan.stats()!
    process.stdout.write(
      `remote scan, ${latency} ms per round trip: ${r.ms.toFixed(1)} ms (${(r.ms / baseMs).toFixed(1)}x direct), ${st.roundTrips} round trips, ${st.connects} session(s)\n`,
    )

    const inst = services(latency)
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint', via: 'winrm' } as const
    const plan = await inst.s.install.makePlan({ ref, kbs: ['KB5086672'] })
    const before = inst.stats()!
    const run = await timed(() => inst.s.install.install(plan, {}))
    const after = inst.stats()!
    process.stdout.write(
      `remote install KB5086672 (${plan.steps.length} steps), ${latency} ms per round trip: ${run.ms.toFixed(1)} ms, ${after.roundTrips - before.roundTrips} round trips (${after.copies - before.copies} file copies), verified: ${run.value.verification?.verified === true}\n`,
    )
  }
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
}
