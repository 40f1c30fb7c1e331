/**
 * An offline image's own facts, read before it is planned: an image is its own PC, so its build, UBR, architecture
 * and edition decide the plan's checks, never the host's.
 *
 * - A WIM to be mounted by the plan (`--wim FILE --index N`): `DISM /Get-WimInfo /WimFile:FILE /Index:N` gives
 *   `Architecture`, `Version : 10.0.<build>`, `ServicePack Build : <ubr>` and `Edition`
 *   (learn.microsoft.com dism-image-management-command-line-options); what it has installed is unknown until mounted.
 * - An image already mounted at DIR: `DISM /Image:DIR /Get-Packages` gives the image version in its header and every
 *   package identity, whose architecture field (`~amd64~`, `~arm64~`) names the image's architecture;
 *   `DISM /Image:DIR /Get-CurrentEdition` gives its edition ID (Windows 11 or Server on build 26100, an ESU-exempt
 *   edition: the knowledge decides by it).
 * Nothing is read from the host's registry or from `/Online`.
 */
import type { Host } from '../host/host.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import type { PlanScope } from '../../preload/model/plan.ts'
import { parseDismImageInfo } from '../parse/dism-image-info.ts'
import { parseDismPackages } from '../parse/dism-packages.ts'
import { parseDismCurrentEdition } from '../parse/dism-edition.ts'
import type { ImageFacts } from './planner.ts'

const MACHINE_ARCHES: readonly string[] = ['x86', 'x64', 'arm64', 'arm']

/** The architecture most of an image's packages carry (language-neutral and WOW64 parts left aside), or null. */
export function imageArchOf(archs: Array<string | null>): MachineArch | null {
  const count = new Map<string, number>()
  for (const a of archs) if (a && MACHINE_ARCHES.includes(a)) count.set(a, (count.get(a) ?? 0) + 1)
  const top = [...count.entries()].sort((x, y) => y[1] - x[1])[0]
  return top ? (top[0] as MachineArch) : null
}

export async function readImageFacts(host: Host, scope: Extract<PlanScope, { kind: 'image' }>): Promise<ImageFacts> {
  if (scope.wim) {
    const r = await host.run({
      name: 'install.dism-get-wiminfo',
      file: 'dism.exe',
      args: ['/English', '/Get-WimInfo', `/WimFile:${scope.wim.path}`, `/Index:${scope.wim.index}`],
      timeoutMs: 5 * 60_000,
    })
    const images = parseDismImageInfo(r.stdout).images
    const image = images.find((i) => i.index === scope.wim!.index) ?? (images.length === 1 ? images[0] : undefined)
    const build = image?.version ? /^10\.0\.(\d+)/.exec(image.version)?.[1] : undefined
    return {
      build: r.ok && build ? Number(build) : null,
      ubr: r.ok ? (image?.spBuild ?? null) : null,
      arch: r.ok ? (image?.arch ?? null) : null,
      edition: r.ok ? (image?.edition ?? null) : null,
      installedKbs: [],
      evidence: r.commandLine,
    }
  }
  const r = await host.run({
    name: 'install.dism-image-get-packages',
    file: 'dism.exe',
    args: ['/English', `/Image:${scope.dir}`, '/Get-Packages'],
    timeoutMs: 10 * 60_000,
  })
  const parsed = parseDismPackages(r.stdout)
  if (!r.ok || parsed.packages.length === 0)
    return { build: null, ubr: null, arch: null, edition: null, installedKbs: [], evidence: r.commandLine }
  const v = /^10\.0\.(\d+)\.(\d+)$/.exec(parsed.imageVersion ?? '')
  const e = await host.run({
    name: 'install.dism-image-get-edition',
    file: 'dism.exe',
    args: ['/English', `/Image:${scope.dir}`, '/Get-CurrentEdition'],
    timeoutMs: 5 * 60_000,
  })
  const edition = e.ok ? parseDismCurrentEdition(e.stdout).edition : null
  return {
    build: v ? Number(v[1]) : null,
    ubr: v ? Number(v[2]) : null,
    arch: imageArchOf(parsed.packages.map((p) => p.arch)),
    edition,
    installedKbs: [
      ...new Set(
        parsed.packages
          .filter((p) => p.kb && (p.state === 'installed' || p.state === 'superseded'))
          .map((p) => p.kb as string),
      ),
    ],
    evidence: edition ? `${r.commandLine}; ${e.commandLine}` : r.commandLine,
  }
}
