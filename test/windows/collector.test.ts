/**
 * The collector script on real Windows (the workflow's runners are elevated): the generated
 * Collect-ServicingFacts.ps1 runs in Windows PowerShell 5.1, writes one zip under the 25 MB cap with a progress
 * line per step, and that zip opens in the app as this PC, with the same build, UBR and native architecture
 * the live scan reads. With -Line it prints one line the app reads back.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWindowsHost } from '../../main/host/windows-host.ts'
import { createServices } from '../../main/services.ts'
import { collectorScript } from '../../main/collector/collector-script.ts'
import { parseCollectorLines } from '../../main/parse/collector-line.ts'
import { COLLECTOR_MAX_BYTES } from '../../preload/model/collector.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the collector script tests')

describe.skipIf(!onWindows)('the collector script on Windows', () => {
  it("writes a zip that opens as this PC with the live scan's facts, and -Line prints one readable line", {
    timeout: 900_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-collector-'))
    const script = join(dir, 'Collect-ServicingFacts.ps1')
    writeFileSync(script, collectorScript({ version: 'test' }), 'utf8')
    const zip = join(dir, 'out.zip')
    const host = createWindowsHost()
    const r = await host.run({
      name: 'test.collector',
      file: 'powershell.exe',
      args: ['-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', script, '-OutFile', zip, '-Line'],
      timeoutMs: 840_000,
      outputEncoding: 'utf8',
    })
    expect(r.exitCode, r.stderr).toBe(0)
    const lines = parseCollectorLines(r.stdout)
    expect(lines).toHaveLength(1)
    expect(r.stdout.trim().split(/\r?\n/).at(-1)!.length).toBeLessThanOrEqual(2048)
    expect(statSync(zip).size).toBeLessThanOrEqual(COLLECTOR_MAX_BYTES)
    const services = createServices({ dataDir: join(dir, 'data'), platform: 'win32', thisPcHost: () => host })
    const { snapshot } = await services.loadSnapshotFile(zip)
    const live = await services.scan({ kind: 'this-pc' })
    expect(snapshot.origin.kind).toBe('snapshot')
    expect(snapshot.os.status).toBe('known')
    if (snapshot.os.status === 'known' && live.os.status === 'known') {
      expect(snapshot.os.value.build).toBe(live.os.value.build)
      expect(snapshot.os.value.ubr).toBe(live.os.value.ubr)
      expect(snapshot.os.value.nativeArch).toBe(live.os.value.nativeArch)
      expect(lines[0]!.build).toBe(`${live.os.value.build}.${live.os.value.ubr}`)
    }
    expect(snapshot.packages.status).toBe(live.packages.status)
  })
})
