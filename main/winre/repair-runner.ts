/**
 * Runs a WinRE repair's steps through the Host, in order, stopping at the first failure (nothing after a
 * failed step runs: a resize half-done must not be followed by an enable).
 *
 * Why not the install executor: its Plan needs at least one KB target and verifies by installed packages,
 * and its step kinds have no reagentc/diskpart steps; a WinRE repair is verified by a re-scan of WinRE
 * instead (winre-service.ts). The steps are the install plan's step format.
 */
import type { Host } from '../host/host.ts'
import type { WinreRepair, WinreRun, WinreStepRun } from '../../preload/model/winre.ts'

export interface RunOptions {
  signal?: AbortSignal
  onStep?: (stepId: string, phase: 'started' | 'finished', run?: WinreStepRun) => void
}

export async function runWinreRepair(host: Host, repair: WinreRepair, opts: RunOptions = {}): Promise<Omit<WinreRun, 'verification'>> {
  if (repair.refused) throw new Error(`This repair cannot run: ${repair.refused}`)
  const results: WinreStepRun[] = []
  for (const step of repair.steps) {
    if (opts.signal?.aborted) return { repairId: repair.id, status: 'cancelled', results, runner: 'host-sequence' }
    opts.onStep?.(step.id, 'started')
    const r = await host.run(
      { name: step.command.name, file: step.command.file, args: step.command.args, timeoutMs: step.command.timeoutMs, successExitCodes: step.successExitCodes, outputEncoding: 'console' },
      { signal: opts.signal },
    )
    const out = `${r.stdout}\n${r.stderr}`.split(/\r\n|\r|\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '')
    const run: WinreStepRun = { stepId: step.id, commandLine: step.command.commandLine, exitCode: r.exitCode, ok: r.ok, durationMs: r.durationMs, output: out.slice(-8).join('\n') }
    results.push(run)
    opts.onStep?.(step.id, 'finished', run)
    if (r.cancelled) return { repairId: repair.id, status: 'cancelled', results, runner: 'host-sequence' }
    if (!r.ok) return { repairId: repair.id, status: 'failed', results, runner: 'host-sequence' }
  }
  return { repairId: repair.id, status: 'completed', results, runner: 'host-sequence' }
}
