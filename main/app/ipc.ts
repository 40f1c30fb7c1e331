/**
 * Registers every contract call on ipcMain through one wrapper: sender check → schema parse →
 * handler → `{ok, value} | {ok, error}`. It never throws across IPC.
 *
 * Why the sender check: a sub-frame or a page that got navigated elsewhere must not reach an elevated
 * main process. The frame must be the top frame (`parent === null`) of the app's own origin
 * (security checklist item 17; VS Code validates `senderFrame` the same way).
 */
import {
  callNames,
  channelOf,
  eventChannelOf,
  events,
  FILE_TOKEN_CHANNEL,
  type CallName,
  type CallResult,
  type EventName,
  type EventPayload,
} from '../../preload/contract.ts'
import { invokeCall, type Handlers } from '../handlers.ts'
import { isAppUrl } from './origin.ts'
import { FileTokenRequestSchema } from '../../preload/model/files.ts'
import type { FileTokens } from '../analyze/file-tokens.ts'
import { AppError } from '../errors.ts'

/** The parts of IpcMainInvokeEvent the wrapper reads (a fake in tests). */
export interface InvokeEventLike {
  senderFrame?: { url: string; parent: unknown } | null
  sender: { id: number; isDestroyed(): boolean; send(channel: string, payload: unknown): void }
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string }

/** Pure: is this invoke from the top frame of the app's own page? */
export function checkSender(event: InvokeEventLike, trustedIds?: ReadonlySet<number>): SenderVerdict {
  const frame = event?.senderFrame
  if (!frame) return { ok: false, reason: 'the sending frame is gone' }
  if (frame.parent !== null) return { ok: false, reason: 'only the top frame may call' }
  if (!isAppUrl(frame.url))
    return { ok: false, reason: `origin of ${String(frame.url).slice(0, 200)} is not the app's` }
  if (trustedIds && !trustedIds.has(event.sender.id)) return { ok: false, reason: 'unknown window' }
  return { ok: true }
}

/** Sends a validated event to the renderer that made the call (dropped if the payload is malformed). */
export function sendEvent<K extends EventName>(
  sender: InvokeEventLike['sender'],
  name: K,
  payload: EventPayload<K>,
): void {
  if (sender.isDestroyed()) return
  const parsed = events[name].safeParse(payload)
  if (!parsed.success) return
  sender.send(eventChannelOf(name), parsed.data)
}

export interface RegisterOptions {
  /** WebContents ids of our own windows; when given, other senders are refused. */
  trustedIds?: ReadonlySet<number>
  log?: (msg: string) => void
  /** Told when a call starts and ends (the close guard counts running calls that change the PC). */
  onCallStart?: (name: CallName) => void
  onCallEnd?: (name: CallName) => void
}

/** Registers all calls; returns a function that removes them again. */
export function registerHandlers(ipcMain: IpcMainLike, handlers: Handlers, options: RegisterOptions = {}): () => void {
  for (const name of callNames) {
    ipcMain.handle(channelOf(name), async (event, input): Promise<CallResult<unknown>> => {
      const verdict = checkSender(event, options.trustedIds)
      if (!verdict.ok) {
        options.log?.(`refused ${name}: ${verdict.reason}`)
        return { ok: false, error: { code: 'forbidden', message: `Refused: ${verdict.reason}.` } }
      }
      options.onCallStart?.(name)
      try {
        return await invokeCall(handlers, name as CallName, input, {
          emit: (ev, payload) => sendEvent(event.sender, ev, payload),
        })
      } catch (err) {
        return { ok: false, error: { code: 'failed', message: (err as Error)?.message ?? 'unexpected failure' } }
      } finally {
        options.onCallEnd?.(name)
      }
    })
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(channelOf(name))
  }
}

/**
 * The preload's file-token channel: the path Electron gave for a File the person dropped or chose
 * (webUtils.getPathForFile in preload/index.ts) becomes a one-time token for `analyzeFile`. Same sender check as
 * the calls; the path is checked by `tokens.register` (absolute, a regular file, no device path).
 */
export function registerFileTokens(
  ipcMain: IpcMainLike,
  tokens: FileTokens,
  options: Pick<RegisterOptions, 'trustedIds' | 'log'> = {},
): () => void {
  ipcMain.handle(FILE_TOKEN_CHANNEL, async (event, input): Promise<CallResult<{ token: string }>> => {
    const verdict = checkSender(event, options.trustedIds)
    if (!verdict.ok) {
      options.log?.(`refused a file token: ${verdict.reason}`)
      return { ok: false, error: { code: 'forbidden', message: `Refused: ${verdict.reason}.` } }
    }
    const parsed = FileTokenRequestSchema.safeParse(input)
    if (!parsed.success)
      return {
        ok: false,
        error: { code: 'invalid-input', message: 'A file token is asked for with the path of a dropped file.' },
      }
    try {
      return { ok: true, value: { token: tokens.register(parsed.data.path) } }
    } catch (err) {
      return {
        ok: false,
        error: { code: err instanceof AppError ? err.code : 'failed', message: (err as Error).message },
      }
    }
  })
  return () => ipcMain.removeHandler(FILE_TOKEN_CHANNEL)
}
