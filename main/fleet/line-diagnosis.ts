/**
 * A device known only by its collector line (Intune, ConfigMgr, a pasted export) diagnosed by the SAME code as
 * one PC (main/diagnose/diagnose.ts): the line becomes a snapshot whose facts are the line's (build, native
 * architecture, WinRE enabled or disabled) and whose other facts are unknown, and its failure codes are read like
 * codes found in text. What the line cannot tell stays unknown in the findings, as for any PC.
 * Devices that print the same line (but the host and time) share one diagnosis: cached by the line's facts.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { CollectorLine } from '../../preload/model/collector.ts'
import type { DiagnoseOutput } from '../../preload/model/diagnosis.ts'
import { SNAPSHOT_SCHEMA_VERSION } from '../../preload/model/snapshot.ts'
import { diagnoseCore } from '../diagnose/diagnose-core.ts'
import { emptyLogs } from '../diagnose/rule.ts'

const NOT_IN_LINE = "not in the collector's one-line output: open the device's collected file for it"
const SOURCE = 'Collector line (-Line), as the fleet tool kept it'

const ARCH: Record<string, 'x64' | 'arm64' | 'x86' | 'arm'> = { AMD64: 'x64', ARM64: 'arm64', X86: 'x86', ARM: 'arm' }

export { lineKey } from './line-key.ts'

export function snapshotOfLine(l: CollectorLine, text: string): MachineSnapshot {
  const evidence = [{ source: SOURCE, excerpt: text.length > 600 ? `${text.slice(0, 597)}…` : text }]
  const unknown = { status: 'unknown' as const, error: NOT_IN_LINE, evidence: [] }
  const [b, u] = (l.build ?? '').split('.').map(Number)
  const nativeArch = ARCH[(l.arch ?? '').toUpperCase()] ?? null
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    takenAt: l.takenAt ?? '1970-01-01T00:00:00.000Z',
    origin: { kind: 'snapshot', name: l.host, title: `${l.host}, collector line` },
    appVersion: 'collector-line',
    probeTimings: {},
    os: {
      status: 'known',
      value: {
        productName: null,
        edition: null,
        displayVersion: null,
        build: Number.isFinite(b) ? b! : null,
        ubr: Number.isFinite(u) ? u! : null,
        version: Number.isFinite(b) && Number.isFinite(u) ? `10.0.${b}.${u}` : null,
        nativeArch,
        processArch: nativeArch,
        emulated: null,
        computerName: l.host,
        nativeArchMethod: 'PROCESSOR_ARCHITEW6432 / PROCESSOR_ARCHITECTURE (collector line)',
      },
      evidence,
    },
    packages: unknown,
    history: unknown,
    hotfixes: unknown,
    reboot: unknown,
    storage: unknown,
    services: unknown,
    winre:
      l.winre === 'enabled' || l.winre === 'disabled'
        ? {
            status: 'known',
            value: {
              status: l.winre,
              location: null,
              bcdId: null,
              version: null,
              stagedImagePath: null,
              imagePresent: null,
              disagreements: [],
            },
            evidence,
          }
        : unknown,
  }
}

export function diagnoseLine(l: CollectorLine, text: string): DiagnoseOutput {
  const logs = emptyLogs()
  if (l.codes.length) logs.textCodes = [{ source: SOURCE, codes: l.codes.map((code) => ({ code, line: 1, text })) }]
  return diagnoseCore({ snapshot: snapshotOfLine(l, text), logs }, null)
}
