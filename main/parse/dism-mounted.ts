/**
 * `DISM /Get-MountedImageInfo` (alias `/Get-MountedWimInfo`): `Mounted images:`, then per mount `Mount Dir :`,
 * `Image File :`, `Image Index :`, `Mounted Read/Write :` and `Status :` (the layout of the capture in
 * test/fixtures/dism-media/en-get-mountedimageinfo-windeployic.txt). English labels only (`/English`).
 */
export interface DismMountedImage {
  mountDir: string
  imageFile: string | null
  index: number | null
  readWrite: boolean | null
  /** `Ok`, `Needs Remount`, `Invalid`, … as DISM prints it. */
  status: string | null
}

export interface DismMountedImages {
  mounts: DismMountedImage[]
  /** True when the output ends with DISM's success line. */
  completed: boolean
}

export function parseDismMountedImages(text: string): DismMountedImages {
  const mounts: DismMountedImage[] = []
  let cur: DismMountedImage | null = null
  for (const raw of String(text ?? '').split(/\r\n|\r|\n/)) {
    // The value is trimmed after the match: `(.*?)\s*$` tries the trailing blanks once per character (quadratic).
    const m = /^\s*(Mount Dir|Image File|Image Index|Mounted Read\/Write|Status)\s*:(.*)$/i.exec(raw)
    if (!m) continue
    const label = m[1].toLowerCase()
    const value = m[2].trim()
    if (label === 'mount dir') {
      cur = { mountDir: value, imageFile: null, index: null, readWrite: null, status: null }
      mounts.push(cur)
      continue
    }
    if (!cur) continue
    if (label === 'image file') cur.imageFile = value
    else if (label === 'image index') cur.index = /^\d+$/.test(value) ? Number(value) : null
    else if (label === 'mounted read/write')
      cur.readWrite = /^yes$/i.test(value) ? true : /^no$/i.test(value) ? false : null
    else cur.status = value || null
  }
  return { mounts, completed: /The operation completed successfully\./.test(String(text ?? '')) }
}
