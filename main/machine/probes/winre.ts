/**
 * The WinRE probe: status, location, BCD id, version, the recovery partition (size, free space,
 * position relative to the OS partition) and BitLocker — from every source, with disagreements said plainly.
 *
 * Language-independent sources first (ARCHITECTURE "parsers"): ReAgent.xml, the registry's WinREVersion,
 * partition objects as JSON (the storage engineer's `storage.layout` script), and winre.wim itself via
 * `DISM /Get-ImageInfo` (the GLOBALROOT path opens it without a drive letter). `reagentc /info` is read
 * too, in any display language. servicing-facts §4.
 */
import type { Probe, ProbeValue } from '../probe.ts'
import { COLLECT_VARS, commandEvidence } from '../probe.ts'
import type { CommandResult, FileChunks, Host } from '../../host/host.ts'
import type { Evidence } from '../../../preload/model/common.ts'
import type { Disk, Partition, StorageFact } from '../../../preload/model/snapshot.ts'
import { parseReagentc, type ReagentcInfo } from '../../parse/reagentc.ts'
import { parseReagentXml, type ReagentXml } from '../../parse/reagent-xml.ts'
import { parseRegQuery, regValue } from '../../parse/reg-query.ts'
import { parseDismImageInfo } from '../../parse/dism-image-info.ts'
import { parseStorageLayout } from '../../parse/storage-layout.ts'
import { storageLayoutCommand } from './storage.ts'
import {
  REAGENT_XML_PATH,
  STAGED_WINRE_WIM,
  reagentcInfoCommand,
  winreRegistryVersionCommand,
  dismWinreImageInfoCommand,
  winreWimOnPartition,
} from '../winre-commands.ts'

type WinreValue = ProbeValue<'winre'>

async function readText(host: Host, path: string): Promise<{ text: string | null; error: string | null }> {
  let stream: FileChunks
  try {
    stream = await host.openRead(path)
  } catch (err) {
    return {
      text: null,
      error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message,
    }
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of stream) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string)
    size += b.length
    if (size > 1_000_000) return { text: null, error: 'larger than 1 MB, not a ReAgent.xml' }
    chunks.push(b)
  }
  const buf = Buffer.concat(chunks)
  // ReAgent.xml is UTF-8; tolerate a UTF-16LE copy.
  const text = buf[0] === 0xff && buf[1] === 0xfe ? buf.subarray(2).toString('utf16le') : buf.toString('utf8')
  return { text, error: null }
}

/** `10.0.19041` + ServicePack Build 3636 → `10.0.19041.3636`. */
export function imageVersionOf(stdout: string): string | null {
  const images = parseDismImageInfo(stdout).images
  const img = images.find((i) => i.index === 1) ?? images[0]
  if (!img?.version) return null
  const parts = img.version.split('.')
  if (parts.length === 4) return img.version
  return img.spBuild !== null ? `${img.version}.${img.spBuild}` : null
}

/** Places a partition relative to the OS partition, as KB5028997 needs to know. */
export function positionOf(
  disks: Disk[],
  holder: Partition,
  os: Partition | null,
): { position: 'after' | 'before' | 'same' | 'other-disk' | 'unknown'; adjacentToOs: boolean | null } {
  if (!os) return { position: 'unknown', adjacentToOs: null }
  if (holder.diskNumber !== os.diskNumber) return { position: 'other-disk', adjacentToOs: false }
  if (holder.partitionNumber === os.partitionNumber) return { position: 'same', adjacentToOs: null }
  const disk = disks.find((d) => d.number === os.diskNumber)
  const sorted = [...(disk?.partitions ?? [])].sort((a, b) => a.offsetBytes - b.offsetBytes)
  const i = sorted.findIndex((p) => p.partitionNumber === os.partitionNumber)
  const j = sorted.findIndex((p) => p.partitionNumber === holder.partitionNumber)
  if (i < 0 || j < 0) return { position: holder.offsetBytes > os.offsetBytes ? 'after' : 'before', adjacentToOs: null }
  return { position: j > i ? 'after' : 'before', adjacentToOs: Math.abs(j - i) === 1 }
}

export const winreProbe: Probe<'winre'> = {
  id: 'winre',
  timeoutMs: 120_000,
  collect: [
    { kind: 'file', path: REAGENT_XML_PATH, maxBytes: 1_000_000 },
    { kind: 'command', spec: winreRegistryVersionCommand },
    { kind: 'command', spec: reagentcInfoCommand },
    { kind: 'command', spec: storageLayoutCommand },
    { kind: 'command', spec: dismWinreImageInfoCommand(COLLECT_VARS.winreWim) },
  ],
  async run({ host, signal }) {
    const [xmlRead, reg, info, layout] = await Promise.all([
      readText(host, REAGENT_XML_PATH),
      host.run(winreRegistryVersionCommand, { signal }),
      host.run(reagentcInfoCommand, { signal }),
      host.run(storageLayoutCommand, { signal }),
    ])
    const evidence: Evidence[] = []
    const disagreements: string[] = []

    const xml: ReagentXml | null = xmlRead.text !== null ? parseReagentXml(xmlRead.text) : null
    evidence.push({
      source: REAGENT_XML_PATH,
      excerpt: xml
        ? `status ${xml.status}; WinreBCD ${xml.winreBcdId ?? 'zero'}; WinreLocation ${xml.winreLocation?.path ?? '(empty)'} at offset ${xml.winreLocation?.offsetBytes ?? '-'}${xml.warnings.length ? `; ${xml.warnings.join(' ')}` : ''}`
        : `could not be read: ${xmlRead.error}`,
    })

    const rc = info.ok || info.stdout ? parseReagentc(info.stdout) : null
    const rcInfo: ReagentcInfo | null = rc?.info ?? null
    evidence.push(commandEvidence(info))
    if (rc && !rcInfo)
      evidence.push({
        source: info.commandLine,
        excerpt: `reagentc answered "${rc.message ?? rc.outcome}" instead of a report.`,
      })

    const registryVersion = reg.ok
      ? (() => {
          const v = regValue(parseRegQuery(reg.stdout), 'WinREVersion')
          return typeof v === 'string' && v.trim() ? v.trim() : null
        })()
      : null
    evidence.push(
      reg.ok
        ? commandEvidence(reg, (l) => /WinREVersion/i.test(l))
        : {
            source: reg.commandLine,
            excerpt: 'WinREVersion is not set in the registry (Microsoft scripts check for its absence too).',
          },
    )

    const storage: StorageFact | null = layout.ok ? parseStorageLayout(layout.stdout).fact : null
    if (!storage)
      evidence.push({
        source: layout.commandLine,
        excerpt: 'Partition objects could not be read; partition size and position are unknown.',
      })

    // Status and location: reagentc, then ReAgent.xml.
    let status: WinreValue['status'] = rcInfo?.status ?? 'unknown'
    if (status === 'unknown' && xml && xml.status !== 'unknown') status = xml.status
    if (rcInfo && xml && rcInfo.status !== 'unknown' && xml.status !== 'unknown' && rcInfo.status !== xml.status) {
      disagreements.push(`reagentc /info says WinRE is ${rcInfo.status}, ReAgent.xml says ${xml.status}.`)
    }
    const allParts = storage?.disks.flatMap((d) => d.partitions) ?? []
    let location = rcInfo?.location ?? null
    const xmlOffset = xml?.winreLocation?.offsetBytes ?? null
    const xmlPart = xmlOffset !== null ? (allParts.find((p) => p.offsetBytes === xmlOffset) ?? null) : null
    if (!location && xmlPart && xml?.winreLocation?.path) {
      location = {
        disk: xmlPart.diskNumber,
        partition: xmlPart.partitionNumber,
        path: `\\\\?\\GLOBALROOT\\device\\harddisk${xmlPart.diskNumber}\\partition${xmlPart.partitionNumber}${xml.winreLocation.path}`,
      }
    } else if (
      location &&
      xmlPart &&
      (xmlPart.diskNumber !== location.disk || xmlPart.partitionNumber !== location.partition)
    ) {
      disagreements.push(
        `reagentc places WinRE on disk ${location.disk} partition ${location.partition}; ReAgent.xml's offset ${xmlOffset} is disk ${xmlPart.diskNumber} partition ${xmlPart.partitionNumber}.`,
      )
    }
    const bcdId = rcInfo?.bcdId ?? (status === 'enabled' ? (xml?.winreBcdId ?? null) : null)
    if (rcInfo?.bcdId && xml?.winreBcdId && rcInfo.bcdId !== xml.winreBcdId)
      disagreements.push(`reagentc's BCD id ${rcInfo.bcdId} differs from ReAgent.xml's ${xml.winreBcdId}.`)

    // winre.wim itself: on its partition when enabled, in System32\Recovery when disabled.
    const wim =
      status === 'enabled' && location
        ? winreWimOnPartition(location.disk, location.partition)
        : status === 'disabled'
          ? STAGED_WINRE_WIM
          : null
    let imagePresent: boolean | null = null
    let imageVersion: string | null = null
    if (wim) {
      const di: CommandResult = await host.run(dismWinreImageInfoCommand(wim), { signal })
      imageVersion = di.ok ? imageVersionOf(di.stdout) : null
      imagePresent = di.ok
        ? true
        : /0x80070002|0x80070003|cannot find the (file|path)/i.test(di.stdout + di.stderr)
          ? false
          : null
      evidence.push(
        commandEvidence(di, (l) =>
          /^(Index|Name|Version|ServicePack Build|Architecture|Error)\s*:|cannot find/i.test(l.trim()),
        ),
      )
    }

    // Version: the image is the truth; others are compared with it.
    const versions = [
      { source: 'winre.wim as DISM reads it', version: imageVersion },
      { source: "WinRE's own report, from reagentc /info", version: rcInfo?.version ?? null },
      { source: 'registry WinREVersion', version: registryVersion },
      { source: 'ReAgent.xml', version: xml?.winreVersion ?? null },
    ]
    const version = versions.find((v) => v.version)?.version ?? null
    for (const v of versions.slice(1))
      if (v.version && version && v.version !== version)
        disagreements.push(
          `${v.source} says ${v.version}, but ${versions.find((x) => x.version === version)!.source} says ${version}.`,
        )

    // The partitions: OS, the one holding WinRE (or the recovery partition /enable would use).
    const os = allParts.find((p) => p.role === 'os') ?? null
    let holder = location
      ? (allParts.find((p) => p.diskNumber === location.disk && p.partitionNumber === location.partition) ?? null)
      : null
    if (!holder && os)
      holder =
        allParts
          .filter((p) => p.role === 'recovery' && p.diskNumber === os.diskNumber && p.offsetBytes > os.offsetBytes)
          .sort((a, b) => a.offsetBytes - b.offsetBytes)[0] ?? null
    if (location && storage && !holder)
      disagreements.push(
        `reagentc names disk ${location.disk} partition ${location.partition}, which is not among the partitions Windows lists.`,
      )
    const recoveryPartition = holder
      ? {
          disk: holder.diskNumber,
          partition: holder.partitionNumber,
          sizeBytes: holder.sizeBytes,
          freeBytes: holder.role === 'os' && storage ? storage.systemDrive.freeBytes : holder.freeBytes,
          role: holder.role,
          ...positionOf(storage?.disks ?? [], holder, os),
        }
      : null
    const disk = storage?.disks.find((d) => d.number === (holder?.diskNumber ?? os?.diskNumber)) ?? null
    if (status === 'enabled' && imagePresent === false)
      disagreements.push('reagentc says WinRE is enabled, but winre.wim is not on its partition.')

    const mb = (n: number | null | undefined) => (n == null ? '?' : `${Math.round(n / 1024 / 1024)} MB`)
    evidence.unshift({
      source: 'WinRE summary',
      excerpt: [
        `status ${status}`,
        location ? `disk ${location.disk} partition ${location.partition}` : 'no location',
        `version ${version ?? 'unknown'}`,
        recoveryPartition
          ? `partition ${mb(recoveryPartition.sizeBytes)}, ${mb(recoveryPartition.freeBytes)} free, ${recoveryPartition.position} the OS partition`
          : 'no recovery partition found',
        `BitLocker ${storage?.bitlocker.protectionStatus ?? 'unknown'}`,
      ].join('; '),
    })
    const value: WinreValue = {
      status,
      location,
      bcdId,
      version,
      stagedImagePath: status === 'disabled' && imagePresent ? STAGED_WINRE_WIM : null,
      imagePresent,
      disagreements,
      recoveryPartition,
      osPartition: os
        ? {
            disk: os.diskNumber,
            partition: os.partitionNumber,
            sizeBytes: os.sizeBytes,
            freeBytes: storage?.systemDrive.freeBytes ?? os.freeBytes,
          }
        : null,
      disk,
      bitlocker: {
        protectionStatus: storage?.bitlocker.protectionStatus ?? 'unknown',
        tpmProtector: storage?.bitlocker.tpmProtector ?? null,
      },
      versions,
    }
    return { value, evidence }
  },
}
