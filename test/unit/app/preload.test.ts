/** The preload exposes one function per contract call plus `on`, frozen, and never ipcRenderer or its event. */
import { describe, expect, it, vi } from 'vitest'
import { callNames, channelOf, eventChannelOf } from '../../../preload/contract.ts'

const exposed: Record<string, unknown> = {}
const listeners = new Map<string, Set<(...a: unknown[]) => void>>()
const ipcRenderer = {
  invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
  on: vi.fn((c: string, l: (...a: unknown[]) => void) => {
    if (!listeners.has(c)) listeners.set(c, new Set())
    listeners.get(c)!.add(l)
  }),
  removeListener: vi.fn((c: string, l: (...a: unknown[]) => void) => {
    listeners.get(c)?.delete(l)
  }),
}
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (k: string, v: unknown) => {
      exposed[k] = v
    },
  },
  ipcRenderer,
}))
await import('../../../preload/index.ts')
const api = exposed.servicingDesk as Record<string, (...a: unknown[]) => unknown>

describe('preload', () => {
  it('exposes only servicingDesk, whose keys are the contract calls plus on and fileToken', () => {
    expect(Object.keys(exposed)).toEqual(['servicingDesk'])
    expect(Object.keys(api).sort()).toEqual([...callNames, 'on', 'fileToken'].sort())
    expect(Object.isFrozen(api)).toBe(true)
    for (const v of Object.values(api)) expect(typeof v).toBe('function')
    expect(Object.values(api)).not.toContain(ipcRenderer)
  })

  it('invokes the call channel with the input', async () => {
    const r = await api.scan({ machine: { kind: 'this-pc' } })
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(channelOf('scan'), { machine: { kind: 'this-pc' } })
    expect(r).toEqual({ ok: true, value: { channel: 'sd:scan', input: { machine: { kind: 'this-pc' } } } })
  })

  it('sends a paste to the analyze call as its UTF-8 bytes (main moves them to the worker)', async () => {
    await api.analyze({ text: 'Error: 0x800f0922 — é', kind: 'dism-output' })
    const [channel, sent] = ipcRenderer.invoke.mock.calls.at(-1) as [string, { text: Uint8Array; kind: string }]
    expect(channel).toBe(channelOf('analyze'))
    expect(sent.text).toBeInstanceOf(Uint8Array)
    expect(new TextDecoder().decode(sent.text)).toBe('Error: 0x800f0922 — é')
    expect(sent.kind).toBe('dism-output')
  })

  it('passes only the payload to listeners and unsubscribes', () => {
    const got: unknown[][] = []
    const off = api.on('progress', (...args: unknown[]) => got.push(args)) as () => void
    const fakeEvent = { sender: ipcRenderer, senderId: 0 }
    for (const l of listeners.get(eventChannelOf('progress'))!)
      l(fakeEvent, { operationId: 'a', label: 'x', fraction: null })
    expect(got).toEqual([[{ operationId: 'a', label: 'x', fraction: null }]])
    off()
    expect(listeners.get(eventChannelOf('progress'))!.size).toBe(0)
  })

  it('refuses unknown events and non-function listeners', () => {
    expect(() => api.on('ipc-anything', () => {})).toThrow(/Unknown event/)
    expect(() => api.on('progress', 'x')).toThrow(/function/)
  })
})
