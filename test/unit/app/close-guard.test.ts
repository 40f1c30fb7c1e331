/** Closing the window while a call changes the PC asks first; read-only calls never hold it open. */
import { describe, expect, it, vi } from 'vitest'
import { CHANGING_CALLS, guardWindowClose, InflightCalls, closeQuestion } from '../../../main/app/close-guard.ts'
import { registerHandlers, type InvokeEventLike } from '../../../main/app/ipc.ts'
import { callNames, channelOf } from '../../../preload/contract.ts'
import type { Handlers } from '../../../main/handlers.ts'

function fakeWindow() {
  let listener: ((e: { preventDefault(): void }) => void) | undefined
  return {
    on: (_: 'close', l: (e: { preventDefault(): void }) => void) => {
      listener = l
    },
    close: () => {
      const e = { preventDefault: vi.fn() }
      listener!(e)
      return e
    },
  }
}

describe('close guard', () => {
  it('closes freely when nothing changing runs', () => {
    const inflight = new InflightCalls()
    inflight.start('scan')
    const win = fakeWindow()
    const confirm = vi.fn(() => false)
    guardWindowClose(win, inflight, confirm)
    expect(win.close().preventDefault).not.toHaveBeenCalled()
    expect(confirm).not.toHaveBeenCalled()
  })

  it('asks while a repair runs, and keeps the window when the user says so', () => {
    const inflight = new InflightCalls()
    inflight.start('winreRepair')
    const win = fakeWindow()
    guardWindowClose(win, inflight, (running) => {
      expect(running).toEqual(['winreRepair'])
      return false
    })
    expect(win.close().preventDefault).toHaveBeenCalledOnce()
    inflight.end('winreRepair')
    expect(win.close().preventDefault).not.toHaveBeenCalled() // nothing changing runs now
  })

  it('counts calls through the IPC wrapper, also when the handler fails', async () => {
    const inflight = new InflightCalls()
    const handlers: Record<string, unknown> = {}
    let release!: () => void
    let entered!: () => void
    const inHandler = new Promise<void>((r) => {
      entered = r
    })
    for (const n of callNames) handlers[n] = async () => ({})
    handlers.winreRepair = () =>
      new Promise((_r, reject) => {
        release = () => reject(new Error('stopped'))
        entered()
      })
    const map = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>()
    registerHandlers({ handle: (c, l) => map.set(c, l), removeHandler: () => {} }, handlers as unknown as Handlers, {
      onCallStart: (n) => inflight.start(n),
      onCallEnd: (n) => inflight.end(n),
    })
    const ev = {
      senderFrame: { url: 'app://bundle/index.html', parent: null },
      sender: { id: 1, isDestroyed: () => false, send: () => {} },
    }
    const input = { machine: { kind: 'training', name: 'x64-healthy' }, repairId: 'x', confirmed: true }
    const pending = map.get(channelOf('winreRepair'))!(ev, input)
    // The handler runs (an event, not a wait of some milliseconds a busy machine may outlast).
    await inHandler
    expect(inflight.changing()).toEqual(['winreRepair'])
    release()
    await pending
    expect(inflight.changing()).toEqual([])
    expect(CHANGING_CALLS.has('winreRepair')).toBe(true)
    expect(CHANGING_CALLS.has('mediaUpdate')).toBe(true)
  })

  it('the close question says what runs in words: a medium is not this PC', () => {
    expect(closeQuestion(['mediaUpdate'])).toBe('Servicing Desk is running an update of an installation medium.')
    expect(closeQuestion(['install', 'install', 'repairRun'])).toBe(
      'Servicing Desk is running an update install on this PC and a repair on this PC.',
    )
    expect(closeQuestion(['winreRepair'])).not.toMatch(/winreRepair/)
  })
})
