/**
 * The preload: exposes `window.servicingDesk`, a frozen object with one named function per contract
 * call and `on(event, listener)`. Never ipcRenderer itself, never the IpcRendererEvent (it carries
 * `sender`, i.e. ipcRenderer) — security checklist item 20.
 * Sandboxed preloads are CommonJS and may import only `electron` renderer modules; the contract is
 * bundled in (it imports zod, which has no Node dependencies).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import {
  callNames,
  channelOf,
  eventChannelOf,
  eventNames,
  FILE_TOKEN_CHANNEL,
  type DeskApi,
  type EventName,
} from './contract.ts'

/**
 * A one-time token for a File the person dropped or chose: Electron gives its path here in the
 * preload (the page never sees or sends it), main registers it (main/app/ipc.ts registerFileTokens). A File
 * built in the page has no path: null. `pathOf` is webUtils.getPathForFile (a fake in tests).
 */
export async function fileTokenOf(
  file: unknown,
  pathOf: (file: File) => string,
  invoke: (channel: string, input: unknown) => Promise<unknown>,
): Promise<string | null> {
  let path = ''
  try {
    path = pathOf(file as File)
  } catch {
    return null
  } // not a File
  if (!path) return null
  const r = (await invoke(FILE_TOKEN_CHANNEL, { path })) as { ok: true; value: { token: string } } | { ok: false }
  return r.ok ? r.value.token : null
}

/**
 * A paste goes to main as its UTF-8 bytes: main moves them to the analysis worker without a copy,
 * where a string would stay in main beside the worker's own copy (measured on 50 MB: 311-320 MB as a string,
 * 267-269 MB as bytes; test/bench/input-bounds.bench.ts). Text whose bytes pass the contract's limit goes as text.
 */
export function pasteAsBytes(input: unknown): unknown {
  if (!input || typeof input !== 'object' || typeof (input as { text?: unknown }).text !== 'string') return input
  const bytes = new TextEncoder().encode((input as { text: string }).text)
  return bytes.byteLength <= 50_000_000 ? { ...input, text: bytes } : input
}

export function buildApi(): DeskApi {
  const api: Record<string, unknown> = {}
  for (const name of callNames) {
    api[name] =
      name === 'analyze'
        ? (input: unknown) => ipcRenderer.invoke(channelOf(name), pasteAsBytes(input))
        : (input: unknown) => ipcRenderer.invoke(channelOf(name), input)
  }
  api.fileToken = (file: unknown) =>
    fileTokenOf(
      file,
      (f) => webUtils.getPathForFile(f),
      (channel, input) => ipcRenderer.invoke(channel, input),
    )
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
