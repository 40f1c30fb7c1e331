/**
 * The Media screen's store reads a real folder through main's own folder dialog pattern (the preview
 * chooser here: folders inside `<data>/preview-folders`): the page names no path, only the handle it got back.
 */
import { describe, expect, it } from 'vitest'
import { cpSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { callNames, type DeskApi } from '../../../preload/contract.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { createServices } from '../../../main/services.ts'
import { createMediaStore } from '../../../renderer/src/stores/media-store.ts'
import { tempDirSync } from '../temp-dirs.ts'

const tree = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/media-tree')

function api(dataDir: string): DeskApi {
  const handlers = createHandlers(createServices({ dataDir, platform: 'linux' }))
  const out: Record<string, unknown> = { on: () => () => {} }
  for (const name of callNames)
    out[name] = (input: unknown) => invokeCall(handlers, name, input, { emit: () => {} } as never)
  return out as unknown as DeskApi
}

describe('the Media screen reads a chosen folder', () => {
  it('the chosen ISO tree is read and planned; the steps that need Windows are said; no update is offered', async () => {
    const data = tempDirSync('sd-media-folder-ui-')
    cpSync(join(tree, 'iso-x64'), join(data, 'preview-folders', 'iso-x64'), { recursive: true })
    const a = api(data)
    const store = createMediaStore(() => a)
    await store.getState().chooseFolder()
    const s = store.getState()
    expect(s.error).toBeNull()
    expect(s.folder?.label).toBe(join(data, 'preview-folders', 'iso-x64'))
    expect(s.scan?.layers.filter((l) => l.layer === 'install').map((l) => l.version)).toEqual([
      '10.0.26100.1742',
      '10.0.26100.1742',
    ])
    expect(s.scan?.layers.find((l) => l.layer === 'setup')?.version).toBe('10.0.26100.1150')
    expect(s.scan?.needsWindows?.length).toBeGreaterThan(0)
    expect(s.plan?.steps.some((x) => x.kind === 'copy-package')).toBe(true)
    expect(s.files?.installFileBytes).toBeGreaterThan(0)
  })

  it('the page cannot name a path, nor a folder it was not given', async () => {
    const a = api(tempDirSync('sd-media-folder-ui-bad-'))
    const byPath = await a.mediaScan({ medium: '/etc' } as never)
    expect(byPath.ok).toBe(false)
    const forged = await a.mediaScan({ folder: 'fh-AAAAAAAAAAAAAAAAAAAAAAAA' })
    expect(forged.ok === false && forged.error.message).toMatch(/not chosen in this session/)
  })

  it('a chosen folder that is no medium: one clear sentence', async () => {
    const data = tempDirSync('sd-media-folder-ui-none-')
    cpSync(join(tree, 'hostile'), join(data, 'preview-folders', 'hostile'), { recursive: true })
    const a = api(data)
    const store = createMediaStore(() => a)
    await store.getState().chooseFolder()
    expect(store.getState().error).toMatch(/has no sources folder, so it is not Windows installation media/)
    expect(store.getState().scan).toBeNull()
  })
})
