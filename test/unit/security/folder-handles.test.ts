/**
 * Folders come from the person: kit calls take an opaque handle from `pickFolder`, never
 * a path; in Electron the handle comes from main's own dialog, in the preview from folders inside
 * `<dataDir>/preview-folders` only. Every attack goes through `invokeCall`, the wrapper both IPC and the
 * preview bridge use.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { dialogFolderPicker, isDevicePath } from '../../../main/folders/folder-handles.ts'

const home = mkdtempSync(join(tmpdir(), 'sd-folders-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const training = { kind: 'training' as const, name: 'arm64-missing-checkpoint' }

/** Stands in for Electron's dialog.showOpenDialog (the OS boundary): answers with what the person "picked". */
function fakeDialog(answers: Array<{ canceled: boolean; filePaths: string[] }>) {
  const asked: unknown[] = []
  return {
    asked,
    show: async (o: unknown) => {
      asked.push(o)
      return answers.shift() ?? { canceled: true, filePaths: [] }
    },
  }
}

describe('kit calls refuse paths from the renderer', () => {
  const handlers = createHandlers(createServices({ dataDir: join(home, 'data-a'), platform: 'linux' }))
  const victim = join(home, 'unrelated')
  mkdirSync(victim)
  writeFileSync(join(victim, 'keep.txt'), 'mine')

  it.each([
    ['exportKit', { kb: 'KB5086672', arch: 'arm64', outDir: victim, operationId: 'x1', machine: training }],
    ['exportKit', { kb: 'KB5086672', arch: 'arm64', folder: victim, operationId: 'x2', machine: training }],
    [
      'exportKit',
      { kb: 'KB5086672', arch: 'arm64', folder: '\\\\evil.example\\share', operationId: 'x3', machine: training },
    ],
    ['importKit', { dir: victim, arch: 'arm64' }],
    ['importKit', { folder: '\\\\?\\UNC\\evil.example\\share', arch: 'arm64' }],
    ['verifyKit', { dir: victim }],
    ['verifyKit', { folder: '../../etc' }],
  ] as const)('%s with a path (%j) is invalid input', async (name, input) => {
    const r = await invokeCall(handlers, name, input as never, { emit: () => {} })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(readdirSync(victim)).toEqual(['keep.txt'])
  })

  it('a well-formed handle nobody picked is refused (forbidden), for every kit call', async () => {
    const forged = `fh-${'A'.repeat(22)}`
    for (const [name, input] of [
      ['exportKit', { kb: 'KB5086672', arch: 'arm64', folder: forged, operationId: 'x4', machine: training }],
      ['importKit', { folder: forged, arch: 'arm64' }],
      ['verifyKit', { folder: forged }],
    ] as const) {
      expect(await invokeCall(handlers, name, input as never, { emit: () => {} })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/choose the folder again/) },
      })
    }
  })

  it('a handle picked to be read cannot be written to', async () => {
    const data = join(home, 'data-a')
    mkdirSync(join(data, 'preview-folders', 'readme'), { recursive: true })
    const p = await invokeCall(handlers, 'pickFolder', { purpose: 'kit-verify', previewName: 'readme' })
    if (!p.ok || !p.value) throw new Error(JSON.stringify(p))
    const r = await invokeCall(
      handlers,
      'exportKit',
      { kb: 'KB5086672', arch: 'arm64', folder: p.value.handle, operationId: 'x5', machine: training },
      { emit: () => {} },
    )
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/chosen to be read/) },
    })
    expect(readdirSync(join(data, 'preview-folders', 'readme'))).toEqual([])
  })
})

describe('the preview chooser offers folders inside <dataDir>/preview-folders only', () => {
  const data = join(home, 'data-p')
  const handlers = createHandlers(createServices({ dataDir: data, platform: 'linux' }))

  it.each(['../x', '..', '/etc', 'a/b', 'a\\b', '\\\\server\\share', 'C:\\Windows', '', '.hidden', 'x'.repeat(65)])(
    'previewName %j is invalid input',
    async (previewName) => {
      expect(await invokeCall(handlers, 'pickFolder', { purpose: 'kit-export', previewName })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      })
    },
  )

  it('a link inside the area that leads out is refused', async () => {
    mkdirSync(join(data, 'preview-folders'), { recursive: true })
    symlinkSync(join(home, 'unrelated'), join(data, 'preview-folders', 'out-link'))
    expect(await invokeCall(handlers, 'pickFolder', { purpose: 'kit-verify', previewName: 'out-link' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })

  it('export without a name gets a new empty folder; import then finds it; the handles are unguessable and distinct', async () => {
    const a = await invokeCall(handlers, 'pickFolder', { purpose: 'kit-export' })
    const b = await invokeCall(handlers, 'pickFolder', { purpose: 'kit-export' })
    if (!a.ok || !a.value || !b.ok || !b.value) throw new Error('no folder')
    expect(a.value.handle).toMatch(/^fh-[A-Za-z0-9_-]{22}$/)
    expect(a.value.handle).not.toBe(b.value.handle)
    expect(a.value.label.startsWith(`${join(data, 'preview-folders')}/`)).toBe(true)
    expect(readdirSync(a.value.label)).toEqual([])
    const e = await invokeCall(
      handlers,
      'exportKit',
      { kb: 'KB5086672', arch: 'arm64', folder: a.value.handle, operationId: 'p1', machine: training },
      { emit: () => {} },
    )
    expect(e.ok).toBe(true)
    const v = await invokeCall(handlers, 'verifyKit', { folder: a.value.handle })
    expect(v.ok && v.value.ok).toBe(true)
  })
})

describe("the Electron chooser is main's own dialog", () => {
  it('the handle maps to what the person picked; cancel gives null; a page-given name is refused', async () => {
    const picked = join(home, 'usb')
    const d = fakeDialog([
      { canceled: false, filePaths: [picked] },
      { canceled: true, filePaths: [] },
    ])
    const handlers = createHandlers(createServices({ dataDir: join(home, 'data-e'), platform: 'linux' }), {
      pickFolder: dialogFolderPicker(d.show as never),
    })
    const r = await invokeCall(handlers, 'pickFolder', { purpose: 'kit-export' })
    expect(r).toMatchObject({ ok: true, value: { label: picked } })
    expect(d.asked[0]).toMatchObject({ properties: expect.arrayContaining(['openDirectory', 'createDirectory']) })
    if (!r.ok || !r.value) throw new Error('no folder')
    const e = await invokeCall(
      handlers,
      'exportKit',
      { kb: 'KB5086672', arch: 'arm64', folder: r.value.handle, operationId: 'e1', machine: training },
      { emit: () => {} },
    )
    expect(e.ok).toBe(true)
    expect(existsSync(join(picked, 'Install-Kit.ps1'))).toBe(true)
    expect(await invokeCall(handlers, 'pickFolder', { purpose: 'kit-import' })).toEqual({ ok: true, value: null })
    expect(await invokeCall(handlers, 'pickFolder', { purpose: 'kit-import', previewName: 'usb' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(d.asked).toHaveLength(2)
  })

  it('a UNC folder is used only because the person picked it; device paths are refused even then', async () => {
    for (const unc of ['\\\\server\\share\\kits', '\\\\?\\UNC\\server\\share\\kits']) {
      const handlers = createHandlers(createServices({ dataDir: join(home, 'data-u'), platform: 'linux' }), {
        pickFolder: dialogFolderPicker(fakeDialog([{ canceled: false, filePaths: [unc] }]).show as never),
      })
      expect(await invokeCall(handlers, 'pickFolder', { purpose: 'kit-verify' })).toMatchObject({
        ok: true,
        value: { label: unc },
      })
    }
    for (const dev of ['\\\\.\\PhysicalDrive0', '\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1', '//./pipe/x']) {
      expect(isDevicePath(dev)).toBe(true)
      const handlers = createHandlers(createServices({ dataDir: join(home, 'data-u'), platform: 'linux' }), {
        pickFolder: dialogFolderPicker(fakeDialog([{ canceled: false, filePaths: [dev] }]).show as never),
      })
      expect(await invokeCall(handlers, 'pickFolder', { purpose: 'kit-verify' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      })
    }
    expect(isDevicePath('\\\\?\\C:\\kits')).toBe(false)
  })
})
