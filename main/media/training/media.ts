/**
 * Training installation media: data only. Each medium is what a technician plugs in — an
 * extracted ISO folder or a USB stick — with `sources\install.wim` (several indexes, each holding its own
 * `Windows\System32\Recovery\Winre.wim`), `sources\boot.wim` (index 1 Windows PE, index 2 Windows Setup) and
 * `sources\setup.exe`. `answerWimInfo` (wim-info.ts) turns this data into DISM's real `/Get-WimInfo` text.
 *
 * Builds: 26100 is Windows 11 24H2; UBR 1742 is its checkpoint KB5043080 (servicing-facts §3); a medium below
 * 1742 needs the checkpoint before a later cumulative update, one at or past it must not get it again
 * (applying 26100.1742 to a newer boot.wim fails with 0x80073712, BatUtil#67 [S42]).
 */

import { setupDuByKb } from '../../knowledge/setup-dus.ts'

export type MediumArch = 'x64' | 'arm64'

export interface TrainingWimImage {
  index: number
  name: string
  /** DISM's `Edition :` value (Core, Professional, Education, WindowsPE). */
  edition: string
  arch: MediumArch
  build: number
  ubr: number
  /** The image's expanded size (`Size : … bytes`). */
  sizeBytes: number
  created: string
  modified: string
  languages: string[]
  /** The recovery image inside this install.wim index (`Windows\System32\Recovery\Winre.wim`, index 1). */
  winre?: { build: number; ubr: number; sizeBytes: number }
}

export interface TrainingWimFile {
  /** Bytes of the .wim file itself (what FAT32's 4 GiB file limit applies to). */
  fileBytes: number
  images: TrainingWimImage[]
}

export interface TrainingMediumDef {
  name: string
  title: string
  /** Where the medium sits on the training PC: a drive root (`E:\`) or a folder. */
  root: string
  fileSystem: 'NTFS' | 'FAT32'
  /** Free bytes in the work folder the update would use. */
  workFreeBytes: number
  /** `sources\setup.exe` file version. */
  setupVersion: string
  install: TrainingWimFile
  boot: TrainingWimFile
  /** Mount folders left behind by an earlier, interrupted run (DISM still lists them as mounted). */
  staleMounts: string[]
}

const GB = 1024 ** 3
const langs = ['en-US']

function clientIndexes(
  arch: MediumArch,
  ubr: number,
  winreUbr: number,
  created: string,
  modified: string,
): TrainingWimImage[] {
  const rows: Array<[string, string, number]> = [
    ['Windows 11 Home', 'Core', 17_812_654_322],
    ['Windows 11 Pro', 'Professional', 18_093_511_908],
    ['Windows 11 Education', 'Education', 18_050_337_201],
  ]
  return rows.map(([name, edition, size], i) => ({
    index: i + 1,
    name,
    edition,
    arch,
    build: 26100,
    ubr,
    sizeBytes: arch === 'arm64' ? size - 1_250_000_000 : size,
    created,
    modified,
    languages: langs,
    winre: { build: 26100, ubr: winreUbr, sizeBytes: 745_897_216 },
  }))
}

function bootWim(arch: MediumArch, ubr: number, created: string): TrainingWimFile {
  const tag = arch === 'x64' ? 'x64' : 'ARM64'
  return {
    fileBytes: 760_348_672,
    images: [
      {
        index: 1,
        name: `Microsoft Windows PE (${tag})`,
        edition: 'WindowsPE',
        arch,
        build: 26100,
        ubr,
        sizeBytes: 2_095_447_322,
        created,
        modified: created,
        languages: langs,
      },
      {
        index: 2,
        name: `Microsoft Windows Setup (${tag})`,
        edition: 'WindowsPE',
        arch,
        build: 26100,
        ubr,
        sizeBytes: 2_331_606_516,
        created,
        modified: created,
        languages: langs,
      },
    ],
  }
}

export const TRAINING_MEDIA: readonly TrainingMediumDef[] = [
  {
    name: 'iso-x64-24h2',
    title: 'Windows 11 24H2 x64, extracted ISO folder (26100.1742, three editions)',
    root: 'D:\\Media\\Win11_24H2_x64',
    fileSystem: 'NTFS',
    workFreeBytes: 120 * GB,
    setupVersion: '10.0.26100.1742',
    install: {
      fileBytes: 5_861_425_152,
      images: clientIndexes('x64', 1742, 1742, '9/6/2024 - 12:05:12 AM', '9/6/2024 - 12:41:55 AM'),
    },
    boot: bootWim('x64', 1742, '9/6/2024 - 12:01:37 AM'),
    staleMounts: [],
  },
  {
    name: 'usb-arm64-24h2',
    title: 'Windows 11 24H2 ARM64 USB stick (26100.1150, before the checkpoint)',
    root: 'F:\\',
    fileSystem: 'NTFS',
    workFreeBytes: 64 * GB,
    setupVersion: '10.0.26100.1150',
    install: {
      fileBytes: 4_912_338_944,
      images: clientIndexes('arm64', 1150, 1150, '7/19/2024 - 9:12:40 PM', '7/19/2024 - 9:48:03 PM'),
    },
    boot: bootWim('arm64', 1150, '7/19/2024 - 9:08:51 PM'),
    staleMounts: [],
  },
  {
    name: 'usb-fat32-x64',
    title: 'FAT32 USB stick, Windows 11 24H2 x64 with a 4.2 GB install.wim',
    root: 'E:\\',
    fileSystem: 'FAT32',
    workFreeBytes: 80 * GB,
    setupVersion: '10.0.26100.1742',
    // 4.2 GB (4.2e9 bytes): under FAT32's 4 GiB - 1 limit as copied, over it once an update grows it.
    install: {
      fileBytes: 4_200_000_000,
      images: clientIndexes('x64', 1742, 1742, '9/6/2024 - 12:05:12 AM', '9/6/2024 - 12:41:55 AM').slice(0, 2),
    },
    boot: bootWim('x64', 1742, '9/6/2024 - 12:01:37 AM'),
    staleMounts: [],
  },
  {
    name: 'usb-stale-mount',
    title: 'USB stick whose last update was interrupted (a mount left behind)',
    root: 'G:\\',
    fileSystem: 'NTFS',
    // Too little for an update while the stale mount holds its expanded image; enough once it is cleaned up.
    workFreeBytes: 20 * GB,
    setupVersion: '10.0.26100.1742',
    install: {
      fileBytes: 5_861_425_152,
      images: clientIndexes('x64', 1742, 1742, '9/6/2024 - 12:05:12 AM', '9/6/2024 - 12:41:55 AM')
        .slice(1, 2)
        .map((i) => ({ ...i, index: 1 })),
    },
    boot: bootWim('x64', 1742, '9/6/2024 - 12:01:37 AM'),
    staleMounts: ['C:\\ServicingDesk\\work\\mount\\install-1'],
  },
]

export function trainingMedium(name: string): TrainingMediumDef | null {
  return TRAINING_MEDIA.find((m) => m.name.toLowerCase() === name.toLowerCase()) ?? null
}

/**
 * The setup.exe version the training Catalog's Setup Dynamic Update packages carry (what `expand` puts into a
 * medium's `sources`). The knowledge's version wins where a Microsoft page gives one (setup-dus.json); no page we
 * read does, so these are TRAINING values: the month's cumulative-update build, chosen for the training Catalog
 * only and never shown as a Microsoft fact. A real run reads the version from the expanded setup.exe itself.
 */
const TRAINING_SETUP_DU_VERSIONS: Record<string, string> = {
  KB5102558: '10.0.26100.8655', // 2026-06 (the month of KB5094126, 26100.8655)
  KB5127216: '10.0.26100.9457', // 2026-09 (the month of KB5129195, 26100.9457)
}

export function setupDuPackageVersion(kb: string): string | null {
  const want = kb.toUpperCase()
  return setupDuByKb(want)?.setupVersion ?? TRAINING_SETUP_DU_VERSIONS[want] ?? null
}
