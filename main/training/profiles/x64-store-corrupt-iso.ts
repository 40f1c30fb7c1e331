/**
 * The corrupt-store desktop (x64-component-store-corrupt, 22631.4317) with two installation media mounted
 * D: the Windows 11 23H2 ISO of December 2023 (install.esd, images 22621.2861, as the real
 * capture test/fixtures/dism-image-info/en-wiminfo-index-markdown-mct375.txt shows such an ISO) — another
 * build, which RestoreHealth cannot use — and E: an ISO whose install.wim was serviced to this PC's
 * 22621.4317 (media dynamic update), which it can. The repair ladder takes E: index 2 (Enterprise, the PC's
 * edition) before downloading anything, and says why D: is not used.
 * Sources: KB947821 (same-build source); "Repair a Windows Image" (/Source:wim:<file>:<index> /LimitAccess).
 */
import type { TrainingMedium, TrainingState } from '../state.ts'
import { x64ComponentStoreCorrupt } from './x64-component-store-corrupt.ts'

const media: TrainingMedium[] = [
  {
    letter: 'D',
    file: 'install.esd',
    images: [
      {
        index: 1,
        name: 'Windows 11 Home',
        edition: 'Core',
        arch: 'x64',
        build: 22621,
        spBuild: 2861,
        sizeBytes: 18_330_482_117,
        created: '12/4/2023 - 2:41:09 AM',
      },
      {
        index: 2,
        name: 'Windows 11 Pro',
        edition: 'Professional',
        arch: 'x64',
        build: 22621,
        spBuild: 2861,
        sizeBytes: 18_906_113_590,
        created: '12/4/2023 - 2:55:17 AM',
      },
      {
        index: 3,
        name: 'Windows 11 Enterprise',
        edition: 'Enterprise',
        arch: 'x64',
        build: 22621,
        spBuild: 2861,
        sizeBytes: 18_904_043_941,
        created: '12/4/2023 - 3:03:41 AM',
      },
    ],
  },
  {
    letter: 'E',
    file: 'install.wim',
    images: [
      {
        index: 1,
        name: 'Windows 11 Pro',
        edition: 'Professional',
        arch: 'x64',
        build: 22621,
        spBuild: 4317,
        sizeBytes: 19_641_679_997,
        created: '10/14/2024 - 9:12:40 AM',
      },
      {
        index: 2,
        name: 'Windows 11 Enterprise',
        edition: 'Enterprise',
        arch: 'x64',
        build: 22621,
        spBuild: 4317,
        sizeBytes: 19_626_334_585,
        created: '10/14/2024 - 9:31:02 AM',
      },
    ],
  },
]

const base = structuredClone(x64ComponentStoreCorrupt)

export const x64StoreCorruptIso: TrainingState = {
  ...base,
  name: 'x64-store-corrupt-iso',
  title: 'Desktop, 23H2, corrupt component store, installation media mounted',
  scenario:
    'The corrupt-store desktop (22631.4317) with two ISOs mounted: D: an older 23H2 ISO (22621.2861, another build) and E: an install.wim serviced to 22621.4317. RestoreHealth from Windows Update fails with 0x800F081F; the index of E: with this build and edition repairs the store without a download.',
  sources: [...base.sources, 'https://learn.microsoft.com/windows-hardware/manufacture/desktop/repair-a-windows-image'],
  os: { ...base.os, computerName: 'HD-DESK-117' },
  mountedMedia: media,
  files: {
    ...base.files,
    ...Object.fromEntries(
      media.map((m) => [
        `${m.letter}:\\sources\\${m.file}`,
        'training: installation image (its images are in mountedMedia)',
      ]),
    ),
  },
}
