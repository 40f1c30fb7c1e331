/**
 * A collector file as a Host: read-only. It answers the probes' commands by name from what the collector
 * recorded (as training machines answer by name), and opens the files the collector kept (CBS.log, DISM.log,
 * ReAgent.xml …) at their Windows paths. So the app's own probes and log readers run on it unchanged, and a
 * snapshot's facts and findings are derived exactly as a live PC's. It never runs anything: a command the
 * collector did not record fails with a note, and nothing can change the PC.
 */
import type { CommandResult, CommandSpec, FileChunks, Host, HostInfo, RunOptions } from '../host/host.ts'
import { renderCommandLine, validateSpec, wholeFile } from '../host/host.ts'
import type { CollectorArchive } from './archive.ts'
import type { CollectedCommand } from '../../preload/model/collector.ts'

export class SnapshotHost implements Host {
  readonly archive: CollectorArchive
  private readonly byName = new Map<string, CollectedCommand[]>()

  constructor(archive: CollectorArchive) {
    this.archive = archive
    for (const c of archive.snapshot.commands) this.byName.set(c.name, [...(this.byName.get(c.name) ?? []), c])
  }

  info(): HostInfo {
    const s = this.archive.snapshot
    return {
      kind: 'snapshot',
      name: s.computerName,
      title: `${s.computerName} (collected ${s.takenAt})`,
      processArch: s.processArch,
      elevated: s.elevated,
    }
  }

  async run(spec: CommandSpec, options: RunOptions = {}): Promise<CommandResult> {
    validateSpec(spec)
    const commandLine = renderCommandLine(spec.file, spec.args)
    const recorded = this.byName.get(spec.name) ?? []
    // Same name and arguments first; else the one recording of that name (an argument the collector filled on the PC).
    const wanted = commandLine.toLowerCase()
    const hit =
      recorded.find((c) => c.commandLine.toLowerCase() === wanted) ?? (recorded.length === 1 ? recorded[0] : undefined)
    if (!hit) {
      return {
        name: spec.name,
        exitCode: 1,
        stdout: '',
        stderr: `The collector file does not hold the output of ${spec.name}.`,
        ok: false,
        timedOut: false,
        cancelled: false,
        truncated: false,
        durationMs: 0,
        commandLine,
      }
    }
    if (!options.onLine) {
      /* nothing streams */
    } else for (const l of hit.stdout.split(/\r\n|\r|\n/)) options.onLine(l)
    const exitCode = hit.exitCode < 0 ? 0xffffffff : hit.exitCode
    return {
      name: spec.name,
      exitCode,
      stdout: hit.stdout,
      stderr: hit.stderr,
      ok: hit.exitCode >= 0 && !hit.timedOut && (spec.successExitCodes ?? [0]).includes(exitCode),
      timedOut: hit.timedOut,
      cancelled: false,
      truncated: hit.truncated,
      durationMs: hit.durationMs,
      commandLine: hit.commandLine,
    }
  }

  async openRead(path: string): Promise<FileChunks> {
    const data = this.archive.files.get(normalize(path))
    if (!data) throw Object.assign(new Error(`The collector file does not hold ${path}.`), { code: 'ENOENT' })
    return wholeFile(data)
  }

  async listDir(path: string): Promise<string[]> {
    const prefix = normalize(path).replace(/\\?$/, '\\')
    const names = new Set<string>()
    for (const f of this.archive.snapshot.files) {
      const p = f.path.replace(/\//g, '\\')
      if (p.toLowerCase().startsWith(prefix)) {
        const rest = p.slice(prefix.length)
        if (rest && !rest.includes('\\')) names.add(rest)
      }
    }
    return [...names].sort()
  }

  async exists(path: string): Promise<boolean> {
    return this.archive.files.has(normalize(path))
  }
}

const normalize = (p: string) => p.replace(/\//g, '\\').toLowerCase()
