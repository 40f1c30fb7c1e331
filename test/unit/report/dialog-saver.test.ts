/** Saving a report through the window's save dialog: the main process writes where the user chose. */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDialogSaver, type SaveDialogLike } from '../../../main/report/dialog-saver.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'

const dir = mkdtempSync(join(tmpdir(), 'sd-save-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Stands in for Electron's dialog (the OS boundary): answers with a fixed choice and records what it was asked. */
function dialog(answer: { canceled: boolean; filePath?: string }) {
  const asked: Parameters<SaveDialogLike['showSaveDialog']>[0][] = []
  return {
    asked,
    d: {
      showSaveDialog: async (o: Parameters<SaveDialogLike['showSaveDialog']>[0]) => {
        asked.push(o)
        return answer
      },
    },
  }
}

describe('createDialogSaver', () => {
  it('writes the file where the user chose, offering the suggested name and only its type', async () => {
    const { asked, d } = dialog({ canceled: false, filePath: join(dir, 'ticket-4711.html') })
    const path = await createDialogSaver(d, '/home/me/Documents')(
      'servicing-report-PC-2026-05-01.html',
      '<!doctype html>',
    )
    expect(path).toBe(join(dir, 'ticket-4711.html'))
    expect(readFileSync(path!, 'utf8')).toBe('<!doctype html>')
    expect(asked[0].defaultPath).toBe(join('/home/me/Documents', 'servicing-report-PC-2026-05-01.html'))
    expect(asked[0].filters).toEqual([{ name: 'Report (HTML)', extensions: ['html'] }])
  })
  it('adds the extension when the user typed a bare name', async () => {
    const { d } = dialog({ canceled: false, filePath: join(dir, 'bare') })
    expect(await createDialogSaver(d, dir)('r.json', '{}')).toBe(join(dir, 'bare.json'))
  })
  it('returns null when the user cancels, and refuses unknown types', async () => {
    expect(await createDialogSaver(dialog({ canceled: true }).d, dir)('r.html', 'x')).toBeNull()
    await expect(
      createDialogSaver(dialog({ canceled: false, filePath: join(dir, 'x.exe') }).d, dir)('r.exe', 'x'),
    ).rejects.toThrow(/Refusing/)
  })
  it('exportReport with save: the window front end saves and says where', async () => {
    const { d } = dialog({ canceled: false, filePath: join(dir, 'saved.html') })
    const handlers = createHandlers(createServices({ dataDir: join(dir, 'home'), platform: 'linux' }), {
      saveFile: createDialogSaver(d, dir),
    })
    const r = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'training', name: 'x64-healthy' },
      format: 'html',
      save: true,
    })
    expect(r.ok && r.value.savedPath).toBe(join(dir, 'saved.html'))
    expect(readFileSync(join(dir, 'saved.html'), 'utf8')).toContain('Servicing Desk report')
  })
})
