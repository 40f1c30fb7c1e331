/**
 * The preload: exposes `window.servicingDesk`, a frozen object with one named function per contract
 * call and `on(event, listener)`. Never ipcRenderer itself, never the IpcRendererEvent (it carries
 * `sender`, i.e. ipcRenderer) — security checklist #20.
 * Sandboxed preloads are CommonJS and may import only `electron` renderer modules; the contract is
 * bundled in (it imports zod, which has no Node dependencies).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { callNames, channelOf, eventChannelOf, eventNames, type DeskApi, type EventName } from './contract.ts'

export function buildApi(): DeskApi {
  const api: Record<string, unknown> = {}
  for (const name of callNames) {
    api[name] = (input: unknown) => ipcRenderer.invoke(channelOf(name), input)
  }
  api.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!eventNames.includes(event)) throw new Error(`Unknown event '${String(event)}'.`)
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(eventChannelOf(event), wrapped)
    return () => {
      ipcRenderer.removeListener(eventChannelOf(event), wrapped)
    }
  }
  return Object.freeze(api) as DeskApi
}

contextBridge.exposeInMainWorld('servicingDesk', buildApi())
