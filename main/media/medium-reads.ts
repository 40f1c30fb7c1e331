/**
 * What a media update asks the medium without changing it (the resume rule book's questions and the final
 * proof): the mounted images (`DISM /Get-MountedImageInfo`), a mounted image's packages (`/Image:<dir>
 * /Get-Packages`) and a .wim's indexes (`/Get-WimInfo`). Reads only; changes go through the engine.
 */
import type { Host } from '../host/host.ts'
import { parseDismMountedImages, type DismMountedImage } from '../parse/dism-mounted.ts'
import { parseDismPackages } from '../parse/dism-packages.ts'
import { parseDismImageInfo, type ImageInfo } from '../parse/dism-image-info.ts'

const dism = (host: Host, ...args: string[]) =>
  host.run({
    name: 'media.read',
    file: 'dism.exe',
    args: ['/English', ...args],
    timeoutMs: 10 * 60 * 1000,
    outputEncoding: 'console',
  })

export async function mountedImages(host: Host): Promise<DismMountedImage[]> {
  return parseDismMountedImages((await dism(host, '/Get-MountedImageInfo')).stdout).mounts
}

/** Package identities (lower case) with their state, of the image mounted at `dir`. */
export async function mountedPackages(host: Host, dir: string): Promise<Array<{ identity: string; state: string }>> {
  return parseDismPackages((await dism(host, `/Image:${dir}`, '/Get-Packages')).stdout).packages.map((p) => ({
    identity: p.identity.toLowerCase(),
    state: String(p.state),
  }))
}

/** The images of a .wim (with `index`: that index's details); null when DISM cannot open it. */
export async function wimImages(host: Host, file: string, index?: number): Promise<ImageInfo[] | null> {
  const r = await dism(host, '/Get-WimInfo', `/WimFile:${file}`, ...(index ? [`/Index:${index}`] : []))
  return r.exitCode === 0 ? parseDismImageInfo(r.stdout).images : null
}
