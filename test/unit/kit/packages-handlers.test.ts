import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { calls, events } from '../../../preload/contract.ts'

let home: string
let handlers: ReturnType<typeof createHandlers>

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sd-h-'))
  handlers = createHandlers(createServices({ dataDir: join(home, 'data'), platform: 'linux' }))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('packages calls through the contract (local Catalog off Windows)', () => {
  it('catalogSearch returns rows that satisfy the output schema', async () => {
    const r = await invokeCall(handlers, 'catalogSearch', { query: 'KB5086672', arch: 'arm64' })
    expect(r.ok).toBe(true)
    if (r.ok) expect(calls.catalogSearch.output.parse(r.value).updates).toHaveLength(2)
  })

  it('download emits per-file downloadProgress events and returns verified files', async () => {
    const seen: string[] = []
    const r = await invokeCall(
      handlers,
      'download',
      { kb: 'KB5086672', arch: 'x64', operationId: 'op1' },
      {
        emit: (name, payload) => {
          expect(name).toBe('downloadProgress')
          const p = events.downloadProgress.parse(payload)
          seen.push(`${p.operationId}:${p.state}`)
        },
      },
    )
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value.chain.files.map((f) => f.role)).toEqual(['checkpoint', 'target'])
      expect(r.value.files.every((f) => f.signature.status === 'not-checked')).toBe(true)
    }
    expect(seen).toContain('op1:verified')
  })

  it('exportKit for a training machine, then verifyKit and importKit', async () => {
    const picked = await invokeCall(handlers, 'pickFolder', { purpose: 'kit-export', previewName: 'kit' })
    if (!picked.ok || !picked.value) throw new Error('no folder')
    const folder = picked.value.handle
    const r = await invokeCall(
      handlers,
      'exportKit',
      {
        kb: 'KB5086672',
        arch: 'arm64',
        folder,
        operationId: 'k1',
        machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
      },
      { emit: () => {} },
    )
    expect(r.ok && r.value.manifest.files.map((f) => f.kb)).toEqual(['KB5043080', 'KB5086672'])
    const v = await invokeCall(handlers, 'verifyKit', { folder })
    expect(v.ok && v.value.ok).toBe(true)
    const i = await invokeCall(handlers, 'importKit', { folder, arch: 'x64' })
    expect(i.ok && i.value.files.map((f) => f.accepted)).toEqual([false, false])
  })

  it('answers bad input and refusals with codes, never a throw', async () => {
    expect(await invokeCall(handlers, 'catalogSearch', { query: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    expect(await invokeCall(handlers, 'download', { kb: 'KB5086672', arch: 'x64', operationId: 'a b' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    expect(await invokeCall(handlers, 'catalogChain', { kb: 'KB5034441', arch: 'arm64' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    const k2 = await invokeCall(handlers, 'pickFolder', { purpose: 'kit-export', previewName: 'k2' })
    expect(
      await invokeCall(
        handlers,
        'exportKit',
        {
          kb: 'KB5086672',
          arch: 'x64',
          folder: k2.ok && k2.value ? k2.value.handle : '',
          operationId: 'k2',
          machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
        },
        { emit: () => {} },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/is arm64; a x64 kit would not install there/) },
    })
  })
})
