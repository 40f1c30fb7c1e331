/**
 * The local Catalog's updates: a small, fixed set that covers the servicing cases the app handles.
 *
 * Titles follow the real Catalog's wording ("… for arm64-based Systems (KB…)"); KB numbers and builds
 * come from main/knowledge/data/servicing-chains.json. Cumulative updates of 2026 carry the OS build after the
 * KB, as the real Catalog titles them (real search results, test/fixtures/catalog/titles-24h2-2026-wimforge.txt):
 * "… Version 24H2 for x64-based Systems (KB5086672) (26100.8117)" in March/April 2026, "…, version 24H2 for …
 * (KB5094126) (26100.8655)" from May 2026 on. Older titles (2024) carry none; the Safe OS / .NET titles are kept without one (no real title of those with a build was found).
 * The package bytes are synthetic (seeded, see content.ts) and each file name carries its true SHA-1, as real Catalog names do (catalog-protocol.md §7).
 */
import { createHash } from 'node:crypto'
import type { MachineArch } from '../../../preload/model/common.ts'
import { contentHashes } from './content.ts'

export interface LocalFile {
  fileName: string
  /** URL path on the local server. */
  path: string
  seed: string
  size: number
  sha1: string
  sha256: string
  arch: MachineArch
  kb: string
}

export interface LocalUpdate {
  updateId: string
  kb: string
  arch: MachineArch
  title: string
  products: string
  classification: string
  /** M/D/YYYY as the en-US site prints it. */
  date: string
  files: LocalFile[]
  supersedes: string[]
  supersededBy: Array<{ kb: string; title: string }>
  description: string
}

interface UpdateSpec {
  kb: string
  title: (archWords: string) => string
  products: string
  classification: string
  date: string
  prefix: string
  ext: 'msu' | 'cab'
  arches: MachineArch[]
  /** KBs whose files the dialog lists too (prior checkpoints), as the real dialog does since 24H2. */
  alsoLists?: string[]
  description: string
  supersedes?: string[]
  supersededBy?: Array<{ kb: string; title: string }>
}

const ARCH_WORDS: Record<MachineArch, string> = {
  x64: 'x64-based Systems',
  arm64: 'arm64-based Systems',
  x86: 'x86-based Systems',
  arm: 'ARM-based Systems',
}

const SPECS: UpdateSpec[] = [
  {
    kb: 'KB5043080',
    title: (a) => `2024-09 Cumulative Update for Windows 11 Version 24H2 for ${a} (KB5043080)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '9/10/2024',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    description: 'Checkpoint cumulative update 26100.1742.',
  },
  {
    kb: 'KB5048667',
    title: (a) => `2024-12 Cumulative Update for Windows 11 Version 24H2 for ${a} (KB5048667)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '12/10/2024',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64'],
    alsoLists: ['KB5043080'],
    description: 'Cumulative update 26100.2605.',
  },
  {
    kb: 'KB5086672',
    title: (a) => `2026-03 Cumulative Update for Windows 11 Version 24H2 for ${a} (KB5086672) (26100.8117)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '3/31/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    alsoLists: ['KB5043080'],
    description:
      'Out-of-band cumulative update 26100.8117 (March 31, 2026; replaces the withdrawn March preview KB5079391).',
    supersedes: ['2024-12 Cumulative Update for Windows 11 Version 24H2 (KB5048667)'],
    supersededBy: [
      {
        kb: 'KB5094126',
        title: '2026-06 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5094126) (26100.8655)',
      },
    ],
  },
  {
    kb: 'KB5086672',
    title: (a) => `2026-03 Cumulative Update for Windows 11 Version 25H2 for ${a} (KB5086672) (26200.8117)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '3/31/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    alsoLists: ['KB5043080'],
    description: 'Out-of-band cumulative update 26200.8117 (same package as 24H2).',
  },
  {
    kb: 'KB5089593',
    title: (a) => `2026-05 Safe OS Dynamic Update for Windows 11 Version 24H2 and 25H2 for ${a} (KB5089593)`,
    products: 'Windows 11 GDR-DU',
    classification: 'Updates',
    date: '5/12/2026',
    prefix: 'windows11.0',
    ext: 'cab',
    arches: ['x64', 'arm64'],
    description: 'Safe OS dynamic update for WinRE (26100.8455).',
  },
  {
    // January 2026's Safe OS update for 24H2/25H2 (WinRE 10.0.26100.7618, winre-targets.json): what a medium updated to
    // a cumulative update of January to April 2026 takes (the most recent Safe OS update not newer than its month).
    // Its Catalog title was not captured: written in the form of the May row above.
    kb: 'KB5074108',
    title: (a) => `2026-01 Safe OS Dynamic Update for Windows 11 Version 24H2 and 25H2 for ${a} (KB5074108)`,
    products: 'Windows 11 GDR-DU',
    classification: 'Updates',
    date: '1/13/2026',
    prefix: 'windows11.0',
    ext: 'cab',
    arches: ['x64', 'arm64'],
    description: 'Safe OS dynamic update for WinRE (26100.7618).',
  },
  {
    // The Safe OS updates the WinRE repair applies on the Windows 10 22H2 and 11 23H2 training machines (knowledge/data/winre-targets.json).
    kb: 'KB5087593',
    title: (a) => `2026-05 Safe OS Dynamic Update for Windows 10 Version 22H2 for ${a} (KB5087593)`,
    products: 'Windows 10 GDR-DU',
    classification: 'Updates',
    date: '5/12/2026',
    prefix: 'windows10.0',
    ext: 'cab',
    arches: ['x64'],
    description: 'Safe OS dynamic update for WinRE (Windows 10 22H2).',
  },
  {
    kb: 'KB5087594',
    title: (a) => `2026-05 Safe OS Dynamic Update for Windows 11 Version 23H2 for ${a} (KB5087594)`,
    products: 'Windows 11 GDR-DU',
    classification: 'Updates',
    date: '5/12/2026',
    prefix: 'windows11.0',
    ext: 'cab',
    arches: ['x64', 'arm64'],
    description: 'Safe OS dynamic update for WinRE (22621.7077).',
  },
  {
    // The Setup Dynamic Updates the knowledge names for 24H2/25H2 (setup-dus.json), under their real Catalog titles:
    // June 2026 (x64 and arm64 rows captured; their day was not, so the training Catalog dates it with June's Patch
    // Tuesday) and September 2026 (x64 rows captured, 9/22/2026). Expanded into a medium's sources.
    kb: 'KB5102558',
    title: (a) => `2026-06 Setup Dynamic Update for Windows 11, version 24H2 for ${a} (KB5102558)`,
    products: 'Windows 10 and later Dynamic Update',
    classification: 'Critical Updates',
    date: '6/9/2026',
    prefix: 'windows11.0',
    ext: 'cab',
    arches: ['x64', 'arm64'],
    description: 'Setup dynamic update: the setup binaries and files Windows Setup uses for feature updates.',
  },
  {
    kb: 'KB5127216',
    title: (a) => `2026-09 Setup Dynamic Update for Windows 11, version 24H2 for ${a} (KB5127216)`,
    products: 'Windows 10 and later Dynamic Update',
    classification: 'Critical Updates',
    date: '9/22/2026',
    prefix: 'windows11.0',
    ext: 'cab',
    arches: ['x64'],
    description: 'Setup dynamic update: the setup binaries and files Windows Setup uses for feature updates.',
  },
  {
    kb: 'KB5034441',
    title: (a) => `2024-01 Security Update for Windows 10 Version 22H2 for ${a} (KB5034441)`,
    products: 'Windows 10',
    classification: 'Security Updates',
    date: '1/9/2024',
    prefix: 'windows10.0',
    ext: 'msu',
    arches: ['x64'],
    description: 'WinRE update (needs about 250 MB free in the recovery partition).',
  },
  {
    // x64-component-store-corrupt: the update that keeps failing with 0x80073712 there (its history), so the repair can be rehearsed.
    kb: 'KB5046633',
    title: (a) => `2024-11 Cumulative Update for Windows 11 Version 23H2 for ${a} (KB5046633)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '11/12/2024',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    description: 'Cumulative update 22631.4460.',
  },
  {
    // x64-component-store-corrupt: the cumulative update it runs (22631.4317), the same-build repair source the
    // restore-health repair fetches and expands (main/repair). Released 2024-10-08 (KB5044285, OS builds 22621.4317/22631.4317).
    kb: 'KB5044285',
    title: (a) => `2024-10 Cumulative Update for Windows 11 Version 23H2 for ${a} (KB5044285)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '10/8/2024',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    description: 'Cumulative update 22631.4317.',
  },
  {
    // x64-pending-restart and x64-healthy: the June 2026 cumulative update (26100.8655; checkpoint KB5043080).
    kb: 'KB5094126',
    title: (a) => `2026-06 Cumulative Update for Windows 11, version 24H2 for ${a} (KB5094126) (26100.8655)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '6/9/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    alsoLists: ['KB5043080'],
    description: 'Cumulative update 26100.8655.',
  },
  {
    // The newest released (non-preview) cumulative update the knowledge names for 24H2/25H2: an installation medium's
    // default target (main/media/read.ts). Out-of-band, 2026-09-14; its Catalog titles carry the build (servicing-chains.json).
    kb: 'KB5129195',
    title: (a) => `2026-09 Cumulative Update for Windows 11, version 24H2 for ${a} (KB5129195) (26100.9457)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '9/14/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    alsoLists: ['KB5043080'],
    description: 'Out-of-band cumulative update 26100.9457.',
  },
  {
    // The same package under its 25H2 title (as KB5086672 above): the newest update the knowledge names for 25H2.
    kb: 'KB5129195',
    title: (a) => `2026-09 Cumulative Update for Windows 11, version 25H2 for ${a} (KB5129195) (26200.9457)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '9/14/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    alsoLists: ['KB5043080'],
    description: 'Out-of-band cumulative update 26200.9457 (same package as 24H2).',
  },
  {
    // The newest update the knowledge names for 23H2 (x64-component-store-corrupt): out-of-band, 2026-09-14, 22631.7584
    // (servicing-chains.json, unverified: one secondary statement).
    kb: 'KB5129242',
    title: (a) => `2026-09 Cumulative Update for Windows 11 Version 23H2 for ${a} (KB5129242) (22631.7584)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '9/14/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    description: 'Out-of-band cumulative update 22631.7584.',
  },
  {
    // The newest update the knowledge names for Windows 10 22H2 (x64-winre-partition-full): out-of-band, 2026-09-14,
    // 19045.7727 (servicing-chains.json, unverified: one secondary statement).
    kb: 'KB5129236',
    title: (a) => `2026-09 Cumulative Update for Windows 10 Version 22H2 for ${a} (KB5129236) (19045.7727)`,
    products: 'Windows 10',
    classification: 'Security Updates',
    date: '9/14/2026',
    prefix: 'windows10.0',
    ext: 'msu',
    arches: ['x64'],
    description: 'Out-of-band cumulative update 19045.7727.',
  },
  {
    // x64-pending-restart: the .NET update its history shows failing with 0x800F0806 while the restart is pending.
    kb: 'KB5095011',
    title: (a) => `2026-06 .NET Framework update for Windows 11 Version 24H2 for ${a} (KB5095011)`,
    products: 'Windows 11',
    classification: 'Updates',
    date: '6/9/2026',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64'],
    description: '.NET Framework update (training scenario x64-pending-restart).',
  },
  {
    kb: 'KB5048685',
    title: (a) => `2024-12 Cumulative Update for Windows 11 Version 23H2 for ${a} (KB5048685)`,
    products: 'Windows 11',
    classification: 'Security Updates',
    date: '12/10/2024',
    prefix: 'windows11.0',
    ext: 'msu',
    arches: ['x64', 'arm64'],
    description: 'Cumulative update 22631.4602.',
  },
]

/** A GUID derived from a name, so ids are stable across runs. */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * The hashes of each file's bytes, computed once per process: the bytes are a function of the seed and the size, and
 * every training-machine plan (its kit, main/install/training-kit.ts) builds the data set again, which hashed
 * 7.8 MB (30 files) each time: about 37 ms of CPU a plan.
 */
const hashCache = new Map<string, { sha1: string; sha256: string }>()

function makeFile(spec: { kb: string; prefix: string; ext: string }, arch: MachineArch, date: string): LocalFile {
  const seed = `${spec.kb}-${arch}`
  // A few hundred KB, varied so no two files have the same size.
  const size = 200 * 1024 + (Number(spec.kb.slice(2)) % 97) * 1031 + (arch === 'arm64' ? 4099 : 0)
  const cacheKey = `${seed}:${size}`
  let hashes = hashCache.get(cacheKey)
  if (!hashes) {
    hashes = contentHashes(seed, size)
    hashCache.set(cacheKey, hashes)
  }
  const { sha1, sha256 } = hashes
  const fileName = `${spec.prefix}-${spec.kb.toLowerCase()}-${arch}_${sha1}.${spec.ext}`
  const [m, , y] = date.split('/')
  return {
    fileName,
    path: `/c/msdownload/update/software/secu/${y}/${m.padStart(2, '0')}/${fileName}`,
    seed,
    size,
    sha1,
    sha256,
    arch,
    kb: spec.kb,
  }
}

/** Builds the data set (30 files of a few hundred KB; their hashes computed once per process, above). */
export function buildDataSet(): LocalUpdate[] {
  const files = new Map<string, LocalFile>()
  const out: LocalUpdate[] = []
  for (const spec of SPECS) for (const arch of spec.arches) out.push(updateOf(spec, arch, files))
  return out
}

/**
 * The one update of the data set for `kb` on `arch` (what `buildDataSet().find(…)` finds), or null: only its own
 * files are made. A training kit needs one update, and each process that plans one (every CLI run) hashed all 30.
 */
export function localUpdate(kb: string, arch: MachineArch): LocalUpdate | null {
  const spec = SPECS.find((s) => s.kb === kb && s.arches.includes(arch))
  return spec ? updateOf(spec, arch, new Map()) : null
}

/** One row of the data set: its files made once per call of the caller (`files`, keyed KB-arch). */
function updateOf(spec: UpdateSpec, arch: MachineArch, files: Map<string, LocalFile>): LocalUpdate {
  const fileFor = (kb: string): LocalFile => {
    const key = `${kb}-${arch}`
    let f = files.get(key)
    if (!f) {
      const of = SPECS.find((s) => s.kb === kb && s.arches.includes(arch))
      if (!of) throw new Error(`local catalog: no spec for ${key}`)
      f = makeFile(of, arch, of.date)
      files.set(key, f)
    }
    return f
  }
  const title = spec.title(ARCH_WORDS[arch])
  return {
    updateId: stableGuid(title),
    kb: spec.kb,
    arch,
    title,
    products: spec.products,
    classification: spec.classification,
    date: spec.date,
    files: [...(spec.alsoLists ?? []).map((k) => fileFor(k)), fileFor(spec.kb)],
    supersedes: spec.supersedes ?? [],
    supersededBy: spec.supersededBy ?? [],
    description: spec.description,
  }
}

/**
 * 60 filler rows so paging (3 pages of 25) can be exercised with the query "filler". Their titles say what
 * they are (training rows, not updates), so nobody takes one for a real Microsoft update.
 */
export function fillerRows(): LocalUpdate[] {
  return Array.from({ length: 60 }, (_, i) => {
    const title = `Training Catalog paging filler ${String(i + 1).padStart(2, '0')} — not a real update (KB59${String(i).padStart(5, '0')})`
    return {
      updateId: stableGuid(title),
      kb: `KB59${String(i).padStart(5, '0')}`,
      arch: 'x64' as const,
      title,
      products: 'Windows 11',
      classification: 'Updates',
      date: '1/1/2026',
      files: [],
      supersedes: [],
      supersededBy: [],
      description: 'A row of the training Catalog that exists only to fill search pages; it has no files.',
    }
  })
}
