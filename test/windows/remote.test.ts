/**
 * PowerShell remoting on a real Windows: the runner's own PC scanned over PowerShell remoting (`--computer localhost`:
 * the technician's powershell.exe, New-PSSession, Invoke-Command, the WUA read as a SYSTEM task) returns
 * the same facts as a direct scan of the same PC. Runs only in the workflow's `remoting` job, which turns
 * remoting on first (SD_REMOTING=1); elsewhere it skips with a note.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '../../main/services.ts'
import { createWindowsHost } from '../../main/host/windows-host.ts'
import { detectElevation } from '../../main/host/this-pc.ts'
import type { RemoteHost } from '../../main/host/remote-host.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

const enabled = onWindows && process.env.SD_REMOTING === '1'
if (!enabled) noteSkipped("the scan over PowerShell remoting (the workflow's remoting job sets SD_REMOTING=1)")

/** The PC's facts: no timings, evidence (command lines differ by route) or the reading process's own architecture. */
function pcFacts(s: MachineSnapshot): unknown {
  const strip = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(strip)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(
                ([k]) => !['takenAt', 'probeTimings', 'origin', 'evidence', 'processArch', 'emulated'].includes(k),
              )
              .map(([k, v]) => [k, strip(v)]),
          )
        : x
  return strip(s)
}

describe.skipIf(!enabled)('this PC over PowerShell remoting (localhost)', () => {
  it('scan --computer localhost returns the same snapshot as a local scan, in at most 2 round trips', async () => {
    const elevated = await detectElevation(createWindowsHost())
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sd-win-remote-')),
      platform: 'win32',
      thisPcHost: () => createWindowsHost({ elevated }),
    })
    const local = await services.scan({ kind: 'this-pc' })
    const remote = await services.scan({ kind: 'remote', computer: 'localhost' })
    const host = services.hostFor({ kind: 'remote', computer: 'localhost' }) as RemoteHost
    expect(host.preflightFacts()?.admin).toBe(true)
    expect(host.transport.stats().invokes).toBeLessThanOrEqual(2)
    expect(remote.origin).toMatchObject({ kind: 'remote', title: 'LOCALHOST over WinRM' })
    expect(pcFacts(remote)).toEqual(pcFacts(local))
  })
})
