/**
 * Folder handles: the only way a front end refers to a folder for kit export, import and verify.
 *
 * API (contract `pickFolder`, preload/contract.ts):
 *   pickFolder({ purpose: 'kit-export' | 'kit-import' | 'kit-verify' | 'fix-package', previewName? })
 *     → { handle: 'fh-…', label: '<the path, for display>' } | null (cancelled)
 *   exportKit({ folder: handle, … })   needs a handle picked for 'kit-export' (it writes there)
 *   buildFixPackage({ folder: handle, … })   needs one picked for 'fix-package' (the folder, and its zip beside it)
 *   fleetBuildFix({ folder: handle, … })   needs one picked for 'fleet-fix' (a fleet group's fix files)
 *   importKit({ folder: handle, … }), verifyKit({ folder: handle })   take any handle (they only read)
 *
 * In the Electron app the picker is the main process's own `dialog.showOpenDialog` (main/app), so every
 * folder was chosen by the person; `previewName` is refused there. A handle is 128 random bits, lives in
 * this process's memory only (a restart forgets it) and maps to the path the dialog returned: the
 * renderer can never name a path, and a UNC path (`\\server\share`, `\\?\UNC\…`) is used only when the
 * person picked it in the dialog. Device paths (`\\.\…`, `\\?\` other than UNC and drive letters) are
 * refused even then.
 *
 * In the preview bridge (a browser, no dialog) the picker is `previewFolderPicker`: folders inside
 * `<dataDir>/preview-folders/` only (see SECURITY.md).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, sep } from 'node:path'
import type { FolderPurpose, PickedFolder } from '../../preload/model/folders.ts'
import { AppError } from '../errors.ts'

/** Shows the front end's folder chooser; resolves to an absolute path, or null when cancelled. */
export type FolderPicker = (purpose: FolderPurpose, previewName?: string) => Promise<string | null>

export type FolderUse = 'write' | 'read'

/** The purposes a folder is picked to be written to; every other is only read. */
const WRITABLE: ReadonlySet<FolderPurpose> = new Set(['kit-export', 'fix-package', 'fleet-fix'])

const MAX_HANDLES = 64

/** `\\.\X`, `\\?\GLOBALROOT…`, `\\?\Volume{…}`: device namespaces no folder dialog returns. UNC and `\\?\C:\` are fine. */
export function isDevicePath(p: string): boolean {
  const s = p.replace(/\//g, '\\')
  if (/^\\\\\.\\/.test(s)) return true
  if (/^\\\\\?\\/.test(s)) return !/^\\\\\?\\(UNC\\|[A-Za-z]:\\)/i.test(s)
  return false
}

export function createFolderHandles(picker: FolderPicker) {
  const handles = new Map<string, { path: string; purpose: FolderPurpose }>()

  async function pick(input: { purpose: FolderPurpose; previewName?: string }): Promise<PickedFolder> {
    const path = await picker(input.purpose, input.previewName)
    if (path === null) return null
    if (!isAbsolute(path) && !/^[A-Za-z]:[\\/]|^\\\\/.test(path))
      throw new AppError('invalid-input', `The folder chooser gave a relative path (${path}); choose the folder again.`)
    if (isDevicePath(path))
      throw new AppError(
        'forbidden',
        `${path} is a device path, not a folder; choose a folder on a drive or a network share.`,
      )
    const handle = `fh-${randomBytes(16).toString('base64url')}`
    handles.set(handle, { path, purpose: input.purpose })
    while (handles.size > MAX_HANDLES) handles.delete(handles.keys().next().value as string)
    return { handle, label: path }
  }

  /** The path behind a handle; `write` needs a handle picked for that purpose (`kit-export` by default). */
  function resolve(handle: string, use: FolderUse, writeFor: FolderPurpose = 'kit-export'): string {
    const h = handles.get(handle)
    if (!h)
      throw new AppError(
        'forbidden',
        'That folder was not chosen in this session (or the app restarted since); choose the folder again.',
      )
    if (use === 'write' && h.purpose !== writeFor) {
      throw new AppError(
        'forbidden',
        WRITABLE.has(h.purpose)
          ? 'That folder was chosen for something else; choose the folder again.'
          : 'That folder was chosen to be read, not written to; choose the folder for the kit again.',
      )
    }
    return h.path
  }

  return { pick, resolve }
}

export type FolderHandles = ReturnType<typeof createFolderHandles>

/**
 * The preview bridge's chooser: no dialog exists in a browser, and the bridge must not let a page name
 * a path on the disk, so it offers only folders inside `area` (`<dataDir>/preview-folders`).
 * `previewName` names one (created for `kit-export`, must exist otherwise); without it, `kit-export`
 * gets a new empty folder and import/verify get the most recently changed folder there.
 */
export function previewFolderPicker(area: string): FolderPicker {
  return async (purpose, previewName) => {
    await mkdir(area, { recursive: true })
    const root = await realpath(area)
    if (previewName === undefined) {
      if (WRITABLE.has(purpose)) {
        const dir = join(
          root,
          `${purpose === 'fix-package' ? 'fix' : purpose === 'fleet-fix' ? 'fleet-fix' : 'kit'}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`,
        )
        await mkdir(dir)
        return dir
      }
      const dirs: { p: string; t: number }[] = []
      for (const n of await readdir(root)) {
        const st = await stat(join(root, n)).catch(() => null)
        if (st?.isDirectory()) dirs.push({ p: join(root, n), t: st.mtimeMs })
      }
      if (dirs.length === 0)
        throw new AppError(
          'not-found',
          `The preview offers only folders in ${root}, and there are none yet: export a kit first.`,
        )
      const newest = dirs.sort((a, b) => b.t - a.t)[0].p
      return inside(root, newest)
    }
    const dir = join(root, previewName)
    if (WRITABLE.has(purpose)) await mkdir(dir, { recursive: true })
    const st = await stat(dir).catch(() => null)
    if (!st?.isDirectory())
      throw new AppError('not-found', `No folder ${previewName} in ${root} (the preview offers only folders there).`)
    return inside(root, dir)
  }
}

/** The folder's real path, refused when a link leads out of the area. */
async function inside(root: string, dir: string): Promise<string> {
  const real = await realpath(dir)
  if (!real.startsWith(root + sep))
    throw new AppError('forbidden', `${dir} leads outside ${root}; the preview offers only folders there.`)
  return real
}

/** Electron's picker: refuses `previewName` (the person picks in the dialog). `show` wraps dialog.showOpenDialog. */
export function dialogFolderPicker(
  show: (options: {
    title: string
    buttonLabel: string
    properties: Array<'openDirectory' | 'createDirectory' | 'dontAddToRecent'>
  }) => Promise<{ canceled: boolean; filePaths: string[] }>,
): FolderPicker {
  const titles: Record<FolderPurpose, [string, string]> = {
    'kit-export': ['Choose an empty folder for the repair kit', 'Use this folder'],
    'kit-import': ['Choose the kit folder to import', 'Import'],
    'kit-verify': ['Choose the kit folder to check', 'Check'],
    'fix-package': ['Choose an empty folder for the fix package (its zip goes next to it)', 'Use this folder'],
    'media-read': ['Choose the installation medium: a USB stick or an extracted ISO folder', 'Read this medium'],
    'fleet-fix': ["Choose a folder for the group's fix files", 'Use this folder'],
  }
  return async (purpose, previewName) => {
    if (previewName !== undefined)
      throw new AppError(
        'forbidden',
        'The app chooses folders in its own dialog; a folder name from the page is refused.',
      )
    const [title, buttonLabel] = titles[purpose]
    const r = await show({
      title,
      buttonLabel,
      properties: WRITABLE.has(purpose)
        ? ['openDirectory', 'createDirectory', 'dontAddToRecent']
        : ['openDirectory', 'dontAddToRecent'],
    })
    if (r.canceled || r.filePaths.length !== 1) return null
    return r.filePaths[0]
  }
}
