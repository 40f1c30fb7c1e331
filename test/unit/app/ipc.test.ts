/**
 * The one IPC wrapper: every contract call registered; sender checked (top frame, app origin, known
 * window); input parsed by the contract schema; errors returned, never thrown; events sent validated.
 */
import { describe, expect, it, vi } from 'vitest'
import { callNames, channelOf, eventChannelOf } from '../../../preload/contract.ts'
import { checkSender, registerHandlers, type InvokeEventLike } from '../../../main/app/ipc.ts'
import type { HandlerContext, Handlers } from '../../../main/handlers.ts'

function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>()
  return {
    handlers,
    handle: (c: string, l: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) => handlers.set(c, l),
    removeHandler: (c: string) => handlers.delete(c),
  }
}

function event(url: string, parent: unknown = null, id = 1) {
  const send = vi.fn()
  return { senderFrame: { url, parent }, sender: { id, isDestroyed: () => false, send } }
}

function fakeHandlers(
  overrides: Partial<Record<string, (input: unknown, ctx: HandlerContext) => Promise<unknown>>> = {},
): Handlers {
  const h: Record<string, unknown> = {}
  for (const n of callNames) h[n] = vi.fn(async () => ({ called: n }))
  return { ...h, ...overrides } as unknown as Handlers
}

const APP = 'app://bundle/index.html'

describe('registerHandlers', () => {
  it('registers exactly one handler per contract call and removes them again', () => {
    const ipc = fakeIpcMain()
    const off = registerHandlers(ipc, fakeHandlers())
    expect([...ipc.handlers.keys()].sort()).toEqual(callNames.map(channelOf).sort())
    off()
    expect(ipc.handlers.size).toBe(0)
  })

  it('runs the handler for the app top frame and wraps the value', async () => {
    const ipc = fakeIpcMain()
    const h = fakeHandlers()
    registerHandlers(ipc, h, { trustedIds: new Set([1]) })
    const r = await ipc.handlers.get(channelOf('listTrainingMachines'))!(event(APP), {})
    expect(r).toEqual({ ok: true, value: { called: 'listTrainingMachines' } })
  })

  it.each([
    ['another origin', event('https://evil.example/')],
    ['a look-alike origin', event('app://bundle.evil.example/')],
    ['a file: page', event('file:///C:/Users/x/evil.html')],
    ['a sub-frame of the app', event(APP, { url: APP })],
    ['an unknown window', event(APP, null, 99)],
    ['a destroyed frame', { senderFrame: null, sender: { id: 1, isDestroyed: () => true, send: vi.fn() } }],
  ])('refuses %s without calling the handler', async (_label, ev) => {
    const ipc = fakeIpcMain()
    const h = fakeHandlers()
    registerHandlers(ipc, h, { trustedIds: new Set([1]) })
    const r = await ipc.handlers.get(channelOf('scan'))!(ev as InvokeEventLike, {
      machine: { kind: 'training', name: 'x64-healthy' },
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(h.scan).not.toHaveBeenCalled()
  })

  it.each([
    ['a missing field', {}],
    ['an extra field', { machine: { kind: 'this-pc' }, cmd: 'calc.exe' }],
    ['a shell fragment as a machine name', { machine: { kind: 'training', name: 'x; calc.exe' } }],
    ['a path as a machine name', { machine: { kind: 'training', name: '..\\..\\Windows' } }],
    ['a prototype-pollution object', JSON.parse('{"__proto__":{"polluted":1},"machine":{"kind":"this-pc"}}')],
    ['a string', 'scan'],
    ['a number', 7],
  ])('answers invalid-input for %s and never calls the handler', async (_label, input) => {
    const ipc = fakeIpcMain()
    const h = fakeHandlers()
    registerHandlers(ipc, h)
    const r = await ipc.handlers.get(channelOf('scan'))!(event(APP), input)
    if ((r as { ok: boolean }).ok)
      expect(_label).toBe('a prototype-pollution object') // zod strips __proto__; then it is a valid this-pc scan
    else expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('returns a failure envelope when the handler throws', async () => {
    const ipc = fakeIpcMain()
    registerHandlers(
      ipc,
      fakeHandlers({
        listTrainingMachines: async () => {
          throw new Error('disk on fire')
        },
      }),
    )
    const r = await ipc.handlers.get(channelOf('listTrainingMachines'))!(event(APP), {})
    expect(r).toEqual({ ok: false, error: { code: 'failed', message: 'disk on fire' } })
  })

  it('forwards valid events to the calling window and drops malformed ones', async () => {
    const ipc = fakeIpcMain()
    registerHandlers(
      ipc,
      fakeHandlers({
        listTrainingMachines: async (_i, ctx) => {
          ctx.emit('progress', { operationId: 'op', label: 'Reading', fraction: 0.5 })
          ctx.emit('progress', { operationId: 'op', label: 'bad', fraction: 7 })
          return {}
        },
      }),
    )
    const ev = event(APP)
    await ipc.handlers.get(channelOf('listTrainingMachines'))!(ev, {})
    expect(ev.sender.send).toHaveBeenCalledOnce()
    expect(ev.sender.send).toHaveBeenCalledWith(eventChannelOf('progress'), {
      operationId: 'op',
      label: 'Reading',
      fraction: 0.5,
    })
  })
})

describe('checkSender', () => {
  it('explains each refusal', () => {
    expect(checkSender(event('https://x/') as InvokeEventLike)).toEqual({
      ok: false,
      reason: "origin of https://x/ is not the app's",
    })
    expect(checkSender(event(APP) as InvokeEventLike)).toEqual({ ok: true })
  })
})
