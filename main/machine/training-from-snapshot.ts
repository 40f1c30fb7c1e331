/**
 * A training machine made from a collector file (`machines import FILE`), to rehearse a fix package on a model of
 * that PC before sending it. Everything comes from the file: the OS, packages, update history, hotfixes, restart
 * flags, disks and partitions, BitLocker, services, WinRE, and its logs (CBS.log, DISM.log, the CbsPersist logs,
 * setupact/setuperr, as collected). The one fault a training machine models from the diagnosis is the damaged
 * component store (its damaged names from the CBS.log evidence, DISM add-package failing with 0x80073712 while it
 * lasts); whether Windows Update could repair it is not in the file, so the model says it cannot (the same-build
 * rung is rehearsed). What is not in the file (file systems, image sizes) is filled by partition role and said so
 * in the machine's scenario.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import {
  GPT,
  type PendingAction,
  type TrainingState,
  type TrainingPackage,
  type TrainingHistoryEntry,
  type TrainingHotfix,
  type TrainingService,
  type TrainingDisk,
} from '../training/state.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { currentLcuKb } from './current-lcu.ts'
import { BOOT_CERTS } from '../parse/boot-chain.ts'

const STORE_FINDING = 'component-store-corruption'
const STORE_CORRUPT = 0x80073712 | 0

export class ImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportError'
  }
}

/** `import-hd-desk-114`: the imported machine's name. */
export function importedName(computerName: string): string {
  return `import-${computerName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')}`.slice(0, 64)
}

/** The damaged names a store finding's CBS.log evidence gives (none without a CBS.log in the file). */
function storeDamage(store: Finding | undefined) {
  return store
    ? [
        ...store.causes.flatMap(
          (c) =>
            /Corrupt payload file\(s\)[^:]*: (.+)\.$/
              .exec(c)?.[1]
              ?.split(/,\s*/)
              .map((name) => ({ kind: 'payload' as const, name })) ?? [],
        ),
        ...store.causes.flatMap(
          (c) =>
            /manifest of an earlier package that is missing: (.+)\.$/
              .exec(c)?.[1]
              ?.split(/,\s*/)
              .map((name) => ({ kind: 'manifest' as const, name })) ?? [],
        ),
      ]
    : []
}

/**
 * The file's problems a model cannot hold, with what the file lacks: a damaged component store whose
 * damaged components no CBS.log in the file names (found from the update history alone) leaves the model's store
 * with nothing to repair, so a repair of it there rehearses nothing.
 */
export function unmodelledFindings(findings: readonly Finding[]): { id: string; lacks: string }[] {
  const store = findings.find(
    (f) => f.id === STORE_FINDING && f.state !== 'past' && (f.severity === 'error' || f.severity === 'critical'),
  )
  return store && storeDamage(store).length === 0
    ? [{ id: STORE_FINDING, lacks: 'a CBS.log naming the damaged components' }]
    : []
}

export function trainingFromSnapshot(
  s: MachineSnapshot,
  findings: Finding[],
  files: ReadonlyMap<string, string>,
  name: string,
): TrainingState {
  const known = <T>(f: { status: string; value?: T }): T | null => (f.status === 'known' ? (f.value as T) : null)
  const os = known(s.os)
  if (!os?.build || os.ubr === null || !os.nativeArch)
    throw new ImportError(
      `The collector file does not say ${!os?.build ? 'the build' : os.ubr === null ? 'the UBR' : 'the native architecture'} of ${s.origin.name}; a training machine cannot be made without it.`,
    )
  const storage = known(s.storage)
  if (!storage)
    throw new ImportError(
      `The collector file holds no disk layout of ${s.origin.name}; a training machine cannot be made without it.`,
    )
  const packages = known(s.packages)
  const winre = known(s.winre)
  const reboot = known(s.reboot)
  const notes: string[] = []

  const pkgState: Record<string, TrainingPackage['state'] | undefined> = {
    installed: 'Installed',
    staged: 'Staged',
    'install-pending': 'Install Pending',
    'uninstall-pending': 'Uninstall Pending',
    superseded: 'Superseded',
  }
  // A RollupFix identity carries no KB: the one the repair planner reads for it (update history + Get-HotFix).
  const lcuKb = currentLcuKb(s)
  const trainingPackages: TrainingPackage[] = (packages?.packages ?? []).flatMap((p) => {
    const state = pkgState[p.state]
    const kb = p.kb ?? (lcuKb && packages?.lcu?.identity === p.identity ? lcuKb.kb : null)
    return state
      ? [
          {
            identity: p.identity,
            state,
            releaseType: p.releaseType ?? 'Update',
            installTime: p.installTime ?? '',
            ...(kb ? { kb } : {}),
          },
        ]
      : []
  })
  const resultCode: Record<string, TrainingHistoryEntry['resultCode'] | undefined> = {
    'in-progress': 1,
    succeeded: 2,
    'succeeded-with-errors': 3,
    failed: 4,
    aborted: 5,
  }
  const history: TrainingHistoryEntry[] = (known(s.history) ?? []).flatMap((h) => {
    const rc = resultCode[h.result]
    if (!rc || !h.date || h.operation === 'other') return []
    return [
      {
        title: h.title,
        date: h.date,
        operation: h.operation,
        resultCode: rc,
        hresult: h.hresult ? parseInt(h.hresult, 16) | 0 : 0,
      },
    ]
  })
  const hotfixes: TrainingHotfix[] = (known(s.hotfixes) ?? []).map((h) => ({
    kb: h.kb,
    description: h.description === 'Security Update' || h.description === 'Hotfix' ? h.description : 'Update',
    installedOn: h.installedOn,
  }))
  const pending = (id: string) => reboot?.sources.find((x) => x.id === id)?.pending === true
  const typeOf: Record<string, string> = {
    system: GPT.efi,
    msr: GPT.msr,
    os: GPT.basicData,
    data: GPT.basicData,
    recovery: GPT.recovery,
  }
  const fsOf: Record<string, string | null> = { system: 'FAT32', msr: null, os: 'NTFS', data: 'NTFS', recovery: 'NTFS' }
  const bc = s.bootChain?.status === 'known' ? s.bootChain.value : null
  const disks: TrainingDisk[] = storage.disks.map((d) => ({
    number: d.number,
    sizeBytes: d.sizeBytes,
    partitionStyle: d.partitionStyle === 'MBR' ? 'MBR' : 'GPT',
    model: `(from the collector file of ${s.origin.name})`,
    partitions: d.partitions.map((p) => ({
      number: p.partitionNumber,
      offsetBytes: p.offsetBytes,
      sizeBytes: p.sizeBytes,
      // The EFI partition has no drive letter: its free space is the boot-chain probe's.
      usedBytes:
        p.freeBytes !== null
          ? p.sizeBytes - p.freeBytes
          : bc?.esp && bc.esp.disk === d.number && bc.esp.partition === p.partitionNumber && bc.esp.freeBytes !== null
            ? p.sizeBytes - bc.esp.freeBytes
            : null,
      gptType: typeOf[p.role] ?? (p.type && /^\{[0-9a-f-]{36}\}$/i.test(p.type) ? p.type.toLowerCase() : GPT.basicData),
      driveLetter: p.driveLetter,
      label: p.label,
      fileSystem: fsOf[p.role] ?? null,
    })),
  }))
  notes.push("File systems are taken from each partition's role (the collector does not read them).")
  const svcStatus = (x: string): TrainingService['status'] =>
    x === 'running' || x === 'start-pending' ? 'Running' : 'Stopped'
  const svcStart: Record<string, TrainingService['startType']> = {
    automatic: 'Automatic',
    'automatic-delayed': 'AutomaticDelayedStart',
    manual: 'Manual',
    disabled: 'Disabled',
    other: 'Manual',
  }
  const services: TrainingService[] = (known(s.services) ?? []).map((v) => ({
    name: v.name,
    displayName: v.displayName ?? v.name,
    status: svcStatus(v.status),
    startType: svcStart[v.startType] ?? 'Manual',
  }))

  const holder =
    winre?.location ??
    (winre?.recoveryPartition
      ? { disk: winre.recoveryPartition.disk, partition: winre.recoveryPartition.partition }
      : null)
  const trainingWinre = {
    enabled: winre?.status === 'enabled',
    diskNumber: holder?.disk ?? 0,
    partitionNumber: holder?.partition ?? 0,
    version: winre?.version ?? '',
    bcdId: winre?.bcdId ? `{${winre.bcdId.replace(/[{}]/g, '')}}` : '{00000000-0000-0000-0000-000000000000}',
    stagedImage: winre?.status === 'disabled' && winre.stagedImagePath !== null,
    imageOnPartition: winre?.status === 'enabled' && winre.imagePresent !== false,
    imageSizeBytes: 0,
  }
  notes.push('The size of winre.wim is not in the file (0 here).')
  const certs = (o: Partial<Record<keyof typeof BOOT_CERTS, boolean | null>>): string[] =>
    (Object.keys(o) as (keyof typeof BOOT_CERTS)[]).filter((k) => o[k] === true).map((k) => BOOT_CERTS[k])
  const bootChain =
    bc && bc.secureBoot !== 'unknown'
      ? {
          secureBoot:
            bc.secureBoot === 'on'
              ? ('True' as const)
              : bc.secureBoot === 'off'
                ? ('False' as const)
                : ('unsupported' as const),
          db: certs(bc.db),
          kek: certs(bc.kek),
          dbx: bc.pca2011Revoked ? [BOOT_CERTS.windowsProductionPca2011] : [],
          registry: {
            secureBoot: (bc.servicing.availableUpdates !== null
              ? { AvailableUpdates: bc.servicing.availableUpdates }
              : {}) as Record<string, number>,
            servicing: {
              ...(bc.servicing.uefiCa2023Status !== null ? { UEFICA2023Status: bc.servicing.uefiCa2023Status } : {}),
              ...(bc.servicing.uefiCa2023Error !== null ? { UEFICA2023Error: bc.servicing.uefiCa2023Error } : {}),
              ...(bc.servicing.windowsUefiCa2023Capable !== null
                ? { WindowsUEFICA2023Capable: bc.servicing.windowsUefiCa2023Capable }
                : {}),
            } as Record<string, string | number>,
          },
          events: bc.events.map((e) => ({
            id: e.id,
            time: e.time ?? '',
            level: (e.level === 'Warning' || e.level === 'Error' ? e.level : 'Information') as
              | 'Warning'
              | 'Error'
              | 'Information',
            message: e.message,
          })),
          bootManagerIssuer: bc.bootManager.issuer,
          espFolders: bc.esp?.folders
            ? bc.esp.folders.map((f) => ({
                name: f.name,
                bytes: f.bytes ?? 0,
                ...(f.loaders != null ? { loaders: f.loaders } : {}),
              }))
            : null,
        }
      : undefined
  if (!bootChain) notes.push('The boot chain was not read on that PC, so it is not modelled.')

  // The component store: damaged names from the finding's CBS.log evidence.
  const store = findings.find((f) => f.id === STORE_FINDING && (f.severity === 'error' || f.severity === 'critical'))
  const damaged = storeDamage(store)
  if (unmodelledFindings(findings).length)
    notes.push(
      "The file holds no CBS.log naming the damaged components, so the model's component store has nothing to repair: a repair of it is not rehearsed.",
    )
  if (store)
    notes.push(
      'Whether Windows Update could repair the component store is not in the file: the model says it cannot, so the same-build rung is rehearsed.',
    )

  const stateFiles: Record<string, string> = {}
  for (const [path, text] of files) if (!/\\ReAgent\.xml$/i.test(path)) stateFiles[path] = text

  return {
    name,
    title: `${os.computerName ?? s.origin.name} (imported ${s.takenAt.slice(0, 10)})`,
    scenario: `A model of ${os.computerName ?? s.origin.name} made from its collector file of ${s.takenAt}, to rehearse a fix package. ${notes.join(' ')}`,
    sources: [],
    os: {
      productName: os.productName ?? 'Windows',
      editionId: os.edition ?? 'Professional',
      displayVersion: os.displayVersion ?? '',
      currentBuild: os.build,
      ubr: os.ubr,
      computerName: os.computerName ?? s.origin.name,
      installationType: /server/i.test(os.productName ?? '') ? 'Server' : 'Client',
      registeredOwner: '',
      installDate: 0,
      nativeArch: os.nativeArch as MachineArch,
      processArch: os.nativeArch as MachineArch,
      elevated: true,
    },
    packages: trainingPackages,
    history,
    hotfixes,
    reboot: {
      cbsRebootPending: pending('cbs-reboot-pending'),
      cbsPackagesPending: pending('cbs-packages-pending'),
      wuRebootRequired: pending('wu-reboot-required'),
      pendingFileRenameOperations: [],
      computerRenamePending: pending('computer-rename'),
    },
    systemDrive: storage.systemDrive,
    disks,
    bitlocker: {
      protectionStatus: storage.bitlocker.protectionStatus === 'on' ? 'On' : 'Off',
      encryptionPercentage: storage.bitlocker.encryptionPercentage ?? 0,
      tpmProtector: storage.bitlocker.tpmProtector ?? false,
      ...(storage.bitlocker.recoveryPassword != null ? { recoveryPassword: storage.bitlocker.recoveryPassword } : {}),
    },
    services,
    winre: trainingWinre,
    faults: store
      ? [
          {
            command: 'install.dism-add-package',
            hresult: STORE_CORRUPT,
            message: 'The component store has been corrupted.',
            whileStoreCorrupt: true,
          },
        ]
      : [],
    ...(store ? { componentStore: { damaged, flagged: true, repairableFromWindowsUpdate: false } } : {}),
    ...(bootChain ? { bootChain } : {}),
    // Packages that wait for a restart finish (or go) at the next one, as Windows does; a RollupFix sets the UBR it names.
    pendingOnRestart: trainingPackages.flatMap((p): PendingAction[] => {
      const ubr = /^Package_for_RollupFix~.*~~\d+\.(\d+)\./i.exec(p.identity)?.[1]
      const sets = ubr ? { sets: { ubr: Number(ubr) } } : {}
      return p.state === 'Install Pending'
        ? [{ kind: 'complete-package' as const, identity: p.identity, ...(p.kb ? { kb: p.kb } : {}), ...sets }]
        : p.state === 'Uninstall Pending'
          ? [{ kind: 'remove-package' as const, identity: p.identity }]
          : []
    }),
    restarts: 0,
    files: stateFiles,
  }
}
