/**
 * Saving a report where the user chooses, for the Electron window: the main process shows its save
 * dialog and writes the file itself (the renderer never names a path). The dialog is injected
 * (Electron's `dialog` in main/app), so this file needs no Electron and is tested with a stand-in.
 */
import { extname, join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.ts'

export interface SaveDialogLike {
  showSaveDialog(options: {
    title: string
    defaultPath: string
    filters: { name: string; extensions: string[] }[]
  }): Promise<{ canceled: boolean; filePath?: string }>
}

const filters: Record<string, { name: string; extensions: string[] }> = {
  '.html': { name: 'Report (HTML)', extensions: ['html'] },
  '.json': { name: 'Report (JSON)', extensions: ['json'] },
  '.txt': { name: 'Summary (text)', extensions: ['txt'] },
  // A snapshot's repair, saved as the script its PC runs (main/repair/script.ts).
  '.ps1': { name: 'PowerShell script', extensions: ['ps1'] },
}

/** A `saveFile` for `exportReport`: resolves to the saved path, or null when the user cancels. */
export function createDialogSaver(
  dialog: SaveDialogLike,
  defaultDir: string,
): (fileName: string, content: string) => Promise<string | null> {
  return async (fileName, content) => {
    const ext = extname(fileName).toLowerCase()
    const filter = filters[ext]
    if (!filter) throw new Error(`Refusing to save a report as '${ext || 'no extension'}'.`)
    const r = await dialog.showSaveDialog({
      title: 'Save the report',
      defaultPath: join(defaultDir, fileName),
      filters: [filter],
    })
    if (r.canceled || !r.filePath) return null
    const path = extname(r.filePath) ? r.filePath : `${r.filePath}${ext}`
    await writeFileAtomic(path, content, { what: 'the report' })
    return path
  }
}
