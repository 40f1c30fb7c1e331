/**
 * The collector, run by the app against a Host it reaches (a training machine, this PC): the same steps as the
 * PowerShell script (steps.ts), the same limits, the same zip. `scan --out FILE.zip` writes it, so a training
 * machine gives the very file a user's PC would send.
 */
import type { Host } from '../host/host.ts'
import { renderCommandLine } from '../host/host.ts'
import { parseReagentc } from '../parse/reagentc.ts'
import { parseRegQuery, regValue } from '../parse/reg-query.ts'
import { STAGED_WINRE_WIM, winreWimOnPartition } from '../machine/winre-commands.ts'
import {
  cbsPersistCabs,
  compareStamps,
  expandedLogName,
  prepareCbsPersistCommand,
  cleanupCbsPersistCommand,
} from '../machine/cbs-persist.ts'
import { COLLECT_VARS } from '../machine/probe.ts'
import { COLLECTOR_WORK_ROOT, collectorSteps, entryForPath, type CollectorStep } from './steps.ts'
import { writeCollectorArchive } from './archive.ts'
import {
  COLLECTOR_FORMAT,
  COLLECTOR_FORMAT_VERSION,
  COLLECTOR_MAX_BYTES,
  type CollectedCommand,
  type CollectedFile,
  type CollectorSnapshot,
} from '../../preload/model/collector.ts'

export interface CollectOptions {
  appVersion: string
  now?: () => Date
  signal?: AbortSignal
  /** One call per step, as the script prints one line per step. */
  onStep?: (index: number, total: number, what: string) => void
  steps?: CollectorStep[]
}

export async function collectFromHost(
  host: Host,
  options: CollectOptions,
): Promise<{ snapshot: CollectorSnapshot; zip: Buffer }> {
  const steps = options.steps ?? collectorSteps()
  const takenAt = (options.now?.() ?? new Date()).toISOString()
  const commands: CollectedCommand[] = []
  const files: CollectedFile[] = []
  const contents = new Map<string, Buffer>()
  const notes: string[] = []
  let used = 0
  const budget = COLLECTOR_MAX_BYTES - 2 * 1024 * 1024

  const keep = (path: string, data: Buffer, originalBytes: number, from: string | null) => {
    if (used + data.length > budget) {
      notes.push(`${path} was left out: the collector's ${COLLECTOR_MAX_BYTES / 1024 / 1024} MB limit was reached.`)
      return
    }
    const entry = entryForPath(path)
    if (contents.has(entry)) return
    used += data.length
    contents.set(entry, data)
    files.push({ path, entry, bytes: data.length, originalBytes, from })
  }

  const vars = (name: string): string | null => {
    if (name === COLLECT_VARS.systemDrive) return 'C:'
    if (name === COLLECT_VARS.winreWim) {
      const rc = commands.find((c) => c.name === 'winre.reagentc-info')
      const info = rc ? parseReagentc(rc.stdout).info : null
      if (info?.status === 'enabled' && info.location)
        return winreWimOnPartition(info.location.disk, info.location.partition)
      if (info?.status === 'disabled') return STAGED_WINRE_WIM
      return null
    }
    return name
  }

  for (const [i, step] of steps.entries()) {
    if (options.signal?.aborted) {
      notes.push('Collection was stopped before it ended.')
      break
    }
    options.onStep?.(i + 1, steps.length, describeStep(step))
    if (step.kind === 'command') {
      const args = step.spec.args.map((a) => a.replace(/\{\{[A-Za-z]+\}\}/g, (v) => vars(v) ?? '\u0000'))
      if (args.some((a) => a.includes('\u0000'))) {
        notes.push(`${step.spec.name} was not run: ${step.why} needs a value this PC did not give (WinRE's location).`)
        continue
      }
      const r = await host.run({ ...step.spec, args }, { signal: options.signal })
      const out = Buffer.from(r.stdout, 'utf8')
      const cut = out.length > step.maxBytes
      const stdout = cut ? out.subarray(0, step.maxBytes).toString('utf8') : r.stdout
      if (used + stdout.length + r.stderr.length > budget) {
        notes.push(`${step.spec.name}'s output was left out: the size limit was reached.`)
        continue
      }
      used += stdout.length + r.stderr.length
      commands.push({
        name: step.spec.name,
        commandLine: renderCommandLine(step.spec.file, args),
        exitCode: r.exitCode >>> 0,
        stdout,
        stderr: r.stderr.slice(0, 64 * 1024),
        timedOut: r.timedOut,
        truncated: cut || r.truncated,
        durationMs: r.durationMs,
      })
    } else if (step.kind === 'file') {
      const data = await readTail(host, step.path, step.maxBytes)
      if (data) keep(step.path, data.data, data.originalBytes, null)
      else notes.push(`${step.path}: not found.`)
    } else if (step.kind === 'newest') {
      const re = new RegExp(step.pattern, 'i')
      const names = (await host.listDir(step.dir).catch(() => [] as string[])).filter((n) => re.test(n))
      names.sort((a, b) => compareStamps(stampOf(b), stampOf(a)))
      for (const n of names.slice(0, step.count)) {
        const data = await readTail(host, `${step.dir}\\${n}`, step.maxBytes)
        if (data) keep(`${step.dir}\\${n}`, data.data, data.originalBytes, null)
      }
    } else {
      await collectCabs(host, step, keep, notes, options.signal)
    }
  }

  const cn = commands.find((c) => c.name === 'os.computername')
  const regName = cn && cn.exitCode === 0 ? regValue(parseRegQuery(cn.stdout), 'ComputerName') : null
  const info = host.info()
  const snapshot: CollectorSnapshot = {
    format: COLLECTOR_FORMAT,
    formatVersion: COLLECTOR_FORMAT_VERSION,
    takenAt,
    computerName: (typeof regName === 'string' && regName.trim() ? regName.trim() : info.name).slice(0, 64),
    takenBy: 'app',
    collectorVersion: options.appVersion,
    processArch: info.processArch,
    elevated: info.elevated,
    commands,
    files,
    notes,
  }
  return { snapshot, zip: writeCollectorArchive(snapshot, contents, new Date(takenAt)) }
}

async function collectCabs(
  host: Host,
  step: Extract<CollectorStep, { kind: 'cabs' }>,
  keep: (path: string, data: Buffer, originalBytes: number, from: string) => void,
  notes: string[],
  signal?: AbortSignal,
): Promise<void> {
  const { cabs } = cbsPersistCabs(await host.listDir(step.dir).catch(() => [] as string[]), step.count)
  if (!cabs.length) return
  const workDir = `${COLLECTOR_WORK_ROOT}\\${Date.now().toString(36)}`
  const stems = cabs.map((c) => c.replace(/\.cab$/i, ''))
  const prep = await host.run(prepareCbsPersistCommand(workDir, stems), { signal })
  if (!prep.ok) {
    notes.push(`The CbsPersist archives were not read: ${workDir} could not be created.`)
    return
  }
  try {
    for (const [i, cab] of cabs.entries()) {
      const dest = `${workDir}\\${stems[i]}`
      const r = await host.run(step.expand(`${step.dir}\\${cab}`, dest), { signal })
      const log = r.ok ? expandedLogName(cab, await host.listDir(dest).catch(() => [])) : null
      if (!log) {
        notes.push(`${step.dir}\\${cab} did not expand (exit ${r.exitCode}).`)
        continue
      }
      const data = await readTail(host, `${dest}\\${log}`, step.maxBytes)
      if (data) keep(`${step.dir}\\${stems[i]}.log`, data.data, data.originalBytes, `${step.dir}\\${cab}`)
    }
  } finally {
    await host.run(cleanupCbsPersistCommand(workDir)).catch(() => undefined)
  }
}

/** The file's last `maxBytes` (from the start of a line), or null when it is missing. */
export async function readTail(
  host: Host,
  path: string,
  maxBytes: number,
): Promise<{ data: Buffer; originalBytes: number } | null> {
  let stream: Awaited<ReturnType<Host['openRead']>>
  try {
    stream = await host.openRead(path)
  } catch {
    return null
  }
  const chunks: Buffer[] = []
  let held = 0,
    total = 0
  for await (const c of stream) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string)
    chunks.push(b)
    held += b.length
    total += b.length
    while (held - chunks[0]!.length > maxBytes) held -= chunks.shift()!.length
  }
  let data = Buffer.concat(chunks)
  if (data.length > maxBytes) {
    data = data.subarray(data.length - maxBytes)
    const nl = data.indexOf(0x0a)
    if (nl >= 0) data = data.subarray(nl + 1)
  }
  return { data: Buffer.from(data), originalBytes: total }
}

const stampOf = (n: string) => /(\d+)/.exec(n)?.[1] ?? '0'

function describeStep(step: CollectorStep): string {
  switch (step.kind) {
    case 'command':
      return `${step.spec.name} (${step.why})`
    case 'file':
      return `${step.path} (${step.why})`
    case 'newest':
      return `${step.dir}\\${step.pattern.replace(/^\^|\$$/g, '')} (${step.why})`
    case 'cabs':
      return `${step.dir}\\CbsPersist_*.cab (${step.why})`
  }
}
