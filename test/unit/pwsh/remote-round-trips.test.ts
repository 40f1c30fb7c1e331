/**
 * The remote round trips run in real PowerShell (last bullet): what `--computer` sends — the app's own
 * PowerShell transport (transport-powershell.ts: Test-WSMan, New-PSSession, Invoke-Command, Copy-Item -ToSession,
 * around the batch script of remote-script.ts) — is run by pwsh on the emulated PC (test/pwsh/harness.ts), whose
 * remoting cmdlets are local stand-ins (the "remote" PC is the emulated one; a session's commands run in a runspace
 * of their own). A remote scan comes back with the same snapshot as over the training transport, which interprets the
 * same script without running it; an install (copies, SYSTEM tasks, the restart and the reconnect) ends verified with
 * the same machine state. The same machine model answers both. The technician's app has a data folder of its own.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulatedPc, type EmulatedPc, type StandInCall } from '../../pwsh/harness.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { createServices } from '../../../main/services.ts'
import { createPowerShellTransport } from '../../../main/host/transport-powershell.ts'
import { TrainingTransport } from '../../../main/training/transport-training.ts'
import { decodePowerShellScript, POWERSHELL_PRELUDE } from '../../../main/host/powershell.ts'
import { renderCommandLine, type CommandResult, type CommandSpec, type Host } from '../../../main/host/host.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()

/** This PC as the PowerShell transport sees it: its powershell.exe runs the round trip's script on the emulated PC. */
function technicianHost(pc: EmulatedPc, scripts: string[], calls: StandInCall[]): Host {
  let n = 0
  return {
    info: () => ({ kind: 'this-pc', name: 'technician', title: 'technician', processArch: 'x64', elevated: true }),
    async run(spec: CommandSpec): Promise<CommandResult> {
      const script = decodePowerShellScript(spec.args)
      if (spec.file !== 'powershell.exe' || script === null)
        throw new Error(`the technician's PC runs only powershell.exe scripts here (${spec.file})`)
      const file = join(pc.root, `round-trip-${++n}.ps1`)
      writeFileSync(file, `${POWERSHELL_PRELUDE}\n${script}`)
      scripts.push(script)
      const r = await pc.run(file)
      calls.push(...r.calls)
      const exitCode = r.exitCode ?? 1
      return {
        name: spec.name,
        exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
        ok: (spec.successExitCodes ?? [0]).includes(exitCode),
        timedOut: false,
        cancelled: false,
        truncated: false,
        durationMs: 0,
        commandLine: renderCommandLine(spec.file, ['-EncodedCommand', '…']),
      }
    },
    openRead: () => Promise.reject(new Error('not used')),
    listDir: async () => [],
    exists: async () => false,
  }
}

/** A snapshot without what differs by when and how it was taken. */
function comparable(s: MachineSnapshot): unknown {
  const strip = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(strip)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(([k]) => !['takenAt', 'probeTimings', 'origin'].includes(k))
              .map(([k, v]) => [k, strip(v)]),
          )
        : x
  return strip(s)
}

/** The technician's app (its own data folder) reaching the emulated PC over the PowerShell transport. */
function overPowerShell(pc: EmulatedPc, scripts: string[], calls: StandInCall[]) {
  return createServices({
    dataDir: tempDirSync('sd-technician-'),
    platform: 'linux',
    remoteReconnect: { attempts: 6, delayMs: 0 },
    remoteTransport: (t) =>
      createPowerShellTransport({ computer: t.computer, scheme: 'http', local: technicianHost(pc, scripts, calls) }),
  })
}

/** The same app over the training transport, which reads the same scripts without running them. */
function overTrainingTransport() {
  const dataDir = tempDirSync('sd-remote-ref-')
  const services = createServices({
    dataDir,
    platform: 'linux',
    remoteReconnect: { attempts: 6, delayMs: 0 },
    remoteTransport: (t) =>
      new TrainingTransport({
        computer: t.computer,
        machine: t.training!.machine,
        host: t.training!.host,
        store: t.training!.store,
      }),
  })
  return { services, store: new TrainingStore(dataDir) }
}

describe.skipIf(!ps)('remote round trips in real PowerShell', { timeout: hangMs(400_000) }, () => {
  const pcs: EmulatedPc[] = []
  afterAll(async () => {
    for (const pc of pcs) await pc.close()
  }, hangMs(120_000))

  it('an install (files copied, DISM as a SYSTEM task, the restart, the check after it) ends as over the training transport', async () => {
    const name = 'arm64-missing-checkpoint'
    const pc = await startEmulatedPc({ machine: name })
    pcs.push(pc)
    const scripts: string[] = []
    const calls: StandInCall[] = []
    const ref = { kind: 'training', name, via: 'winrm' } as const
    const a = overPowerShell(pc, scripts, calls)
    const got = await a.install.install(await a.install.makePlan({ ref, kbs: ['KB5086672'] }), {})
    const b = overTrainingTransport()
    const want = await b.services.install.install(await b.services.install.makePlan({ ref, kbs: ['KB5086672'] }), {})
    expect(got.verification).toEqual(want.verification)
    expect(got.verification?.verified).toBe(true)
    // The same machine after it (install times are the clock's, to the day).
    const machine = (st: TrainingState) => ({
      ubr: st.os.ubr,
      packages: st.packages.map((x) => ({ ...x, installTime: x.installTime.slice(0, 10) })),
      history: st.history.map((h) => [h.title, h.resultCode, h.hresult]),
      restarts: st.restarts,
    })
    expect(machine(pc.state())).toEqual(machine(b.store.load(name)))
    // The copies went through Copy-Item -ToSession, DISM and the restart through scheduled tasks, each once.
    expect(scripts.filter((x) => x.includes('-ToSession')).length).toBeGreaterThan(0)
    expect(calls.filter((c) => c.spec?.name === 'install.dism-add-package')).toHaveLength(1)
    expect(calls.filter((c) => c.spec?.name === 'install.restart')).toHaveLength(1)
    for (const c of calls.filter((x) => x.kind === 'program'))
      expect(c.spec, `${c.tool} ${c.args.join(' ')}`).not.toBeNull()
  })

  it.each(['x64-component-store-corrupt'])(
    'a remote scan of %s returns what the training transport returns',
    async (name) => {
      const pc = await startEmulatedPc({ machine: name })
      pcs.push(pc)
      const scripts: string[] = []
      const calls: StandInCall[] = []
      const got = await overPowerShell(pc, scripts, calls).scan({ kind: 'training', name, via: 'winrm' })
      const want = await overTrainingTransport().services.scan({ kind: 'training', name, via: 'winrm' })
      expect(scripts.length).toBeGreaterThan(0)
      expect(scripts.every((s) => s.includes('New-PSSession') && s.includes('Invoke-Command'))).toBe(true)
      expect(comparable(got)).toEqual(comparable(want))
      // Every program the batch started was one of the app's commands, by its full path.
      const programs = calls.filter((c) => c.kind === 'program')
      expect(programs.length).toBeGreaterThan(10)
      for (const c of programs) expect(c.spec, `${c.tool} ${c.args.join(' ')}`).not.toBeNull()
    },
  )
})
