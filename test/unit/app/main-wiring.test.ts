/**
 * main/app/index.ts wired against a fake Electron: sandbox on, app:// registered privileged and handled,
 * every guard installed, every contract call registered, the window built with the CommonJS preload,
 * single-instance lock taken. Then a real call through the registered IPC handler reaches the services.
 */
import type { BrowserWindowConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { callNames, channelOf, FILE_TOKEN_CHANNEL } from '../../../preload/contract.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

process.env.SERVICING_DESK_HOME = tempDirSync('sd-wiring-')

const calls: string[] = []
const opened: unknown[][] = []
const appListeners = new Map<string, (...a: unknown[]) => void>()
const ipcHandlers = new Map<string, (...a: unknown[]) => Promise<unknown>>()
const protocolHandlers = new Map<string, (r: Request) => Promise<Response>>()
const windows: {
  options: BrowserWindowConstructorOptions
  url?: string
  listeners: Map<string, (...a: unknown[]) => void>
}[] = []
let ready!: () => void
const whenReady = new Promise<void>((r) => {
  ready = r
})
const session = {
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
  setDevicePermissionHandler: vi.fn(),
  webRequest: { onBeforeRequest: vi.fn() },
}

vi.mock('electron', () => ({
  app: {
    requestSingleInstanceLock: () => {
      calls.push('lock')
      return true
    },
    enableSandbox: () => calls.push('enableSandbox'),
    getPath: (name: string) => `/tmp/fake-${name}`,
    on: (name: string, l: (...a: unknown[]) => void) => {
      appListeners.set(name, l)
    },
    whenReady: () => whenReady,
    quit: () => calls.push('quit'),
    exit: (code: number) => calls.push(`exit ${code}`),
    isPackaged: true,
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`privileged ${JSON.stringify(schemes)}`),
    handle: (scheme: string, h: (r: Request) => Promise<Response>) => {
      protocolHandlers.set(scheme, h)
    },
  },
  session: { defaultSession: session },
  ipcMain: {
    handle: (c: string, l: (...a: unknown[]) => Promise<unknown>) => {
      ipcHandlers.set(c, l)
    },
    removeHandler: (c: string) => ipcHandlers.delete(c),
  },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => calls.push('menu') },
  dialog: {
    showMessageBoxSync: () => 0,
    // The person "picks" a folder in main's own dialog (pickFolder); recorded with its parent window.
    showOpenDialog: async (...a: unknown[]) => {
      opened.push(a)
      return { canceled: false, filePaths: ['/media/usb/kit'] }
    },
  },
  shell: { openExternal: vi.fn() },
  BrowserWindow: class {
    webContents = { id: 7 }
    listeners = new Map<string, (...a: unknown[]) => void>()
    constructor(options: BrowserWindowConstructorOptions) {
      windows.push({ options, listeners: this.listeners })
    }
    once(name: string, l: () => void) {
      this.listeners.set(name, l)
    }
    on(name: string, l: () => void) {
      this.listeners.set(name, l)
    }
    show() {}
    isMinimized() {
      return false
    }
    restore() {}
    focus() {}
    loadURL(url: string) {
      windows.at(-1)!.url = url
      return Promise.resolve()
    }
  },
}))

await import('../../../main/app/index.ts')

describe('main process wiring', () => {
  it('sets policy before ready: lock, sandbox, privileged app://, guards on every WebContents and certificates', () => {
    expect(calls.slice(0, 3)).toEqual(['lock', 'enableSandbox', expect.stringContaining('"scheme":"app"')])
    expect(calls[2]).toContain('"secure":true')
    expect(calls[2]).toContain('"standard":true')
    for (const e of [
      'web-contents-created',
      'certificate-error',
      'select-client-certificate',
      'login',
      'window-all-closed',
    ])
      expect(appListeners.has(e), e).toBe(true)
  })

  it('after ready: permission handlers, app:// handler, every call and the file-token channel registered, a sandboxed window on app://', async () => {
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1), { timeout: hangMs(120_000) }) // 1 s by default: too short for a loaded machine
    expect(session.setPermissionRequestHandler).toHaveBeenCalledOnce()
    expect(session.setPermissionCheckHandler).toHaveBeenCalledOnce()
    expect(session.webRequest.onBeforeRequest).toHaveBeenCalledOnce()
    expect(protocolHandlers.has('app')).toBe(true)
    expect([...ipcHandlers.keys()].sort()).toEqual([...callNames.map(channelOf), FILE_TOKEN_CHANNEL].sort())
    const w = windows[0]
    expect(w.url).toBe('app://bundle/index.html')
    expect(w.options.webPreferences?.preload).toMatch(/preload[\\/]index\.cjs$/)
    expect(w.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(w.listeners.has('close')).toBe(true)
    expect(calls).toContain('menu')
  })

  it('answers a real call from the window and refuses the same call from elsewhere', async () => {
    const handler = ipcHandlers.get(channelOf('listTrainingMachines'))!
    const sender = { id: 7, isDestroyed: () => false, send: vi.fn() }
    const ok = (await handler(
      { senderFrame: { url: 'app://bundle/index.html#/start', parent: null }, sender },
      {},
    )) as { ok: boolean; value: { machines: unknown[]; thisPcAvailable: boolean } }
    expect(ok.ok).toBe(true)
    expect(ok.value.machines.length).toBeGreaterThanOrEqual(6)
    expect(ok.value.thisPcAvailable).toBe(process.platform === 'win32')
    const other = await handler(
      { senderFrame: { url: 'app://bundle/index.html', parent: null }, sender: { ...sender, id: 8 } },
      {},
    )
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it("pickFolder shows main's own folder dialog, parented to the window; the renderer gets a handle, never names a path", async () => {
    const handler = ipcHandlers.get(channelOf('pickFolder'))!
    const event = {
      senderFrame: { url: 'app://bundle/index.html', parent: null },
      sender: { id: 7, isDestroyed: () => false, send: vi.fn() },
    }
    const r = (await handler(event, { purpose: 'kit-verify' })) as {
      ok: boolean
      value: { handle: string; label: string }
    }
    expect(r).toMatchObject({ ok: true, value: { handle: expect.stringMatching(/^fh-/), label: '/media/usb/kit' } })
    expect(opened).toHaveLength(1)
    expect(opened[0][0]).toHaveProperty('webContents')
    expect(opened[0][1]).toMatchObject({ properties: expect.arrayContaining(['openDirectory']) })
    expect(await handler(event, { purpose: 'kit-verify', previewName: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await ipcHandlers.get(channelOf('verifyKit'))!(event, { dir: '/etc' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    expect(opened).toHaveLength(1)
  })

  it('a second start (RunOnce while the app is open) focuses the window; its arguments are read strictly and a hostile or unusable one navigates nowhere', () => {
    const second = appListeners.get('second-instance')!
    expect(second).toBeTypeOf('function')
    const cases = [
      ['app.exe', '--resume-install', '/etc/passwd'],
      ['app.exe', '--resume-install', '..\\..\\plans\\x.json'],
      ['app.exe', '--resume-repair', 'format-c'],
      ['app.exe', '--resume-repair', 'restart', '--resume-install', 'x'],
      ['app.exe', '--inspect=9229'],
      // A valid repair id: on a computer with no "this PC" (not Windows) there is nothing to resume either.
      ['app.exe', '--resume-repair', 'restart'],
    ]
    for (const argv of cases) second({}, argv)
    expect(cases).toHaveLength(6)
    expect(windows).toHaveLength(1)
    expect(windows[0].url).toBe('app://bundle/index.html')
  })

  it('serves the renderer through app:// with the CSP header, and nothing outside it', async () => {
    const h = protocolHandlers.get('app')!
    const outside = await h(new Request('app://bundle/..%2F..%2Fpackage.json'))
    expect(outside.status).toBe(404)
  })
})
