/** webPreferences of the main window, CSP string, and integrity-level parsing for the elevation note. */
import { describe, expect, it, vi } from 'vitest'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'
const constructed: BrowserWindowConstructorOptions[] = []
const loaded: string[] = []
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: BrowserWindowConstructorOptions) {
      constructed.push(options)
    }
    once() {}
    show() {}
    loadURL(url: string) {
      loaded.push(url)
      return Promise.resolve()
    }
  },
}))
const { createMainWindow } = await import('../../../main/app/window.ts')
import { CONTENT_SECURITY_POLICY, cspFromHtml } from '../../../main/app/security/csp.ts'
import { parseIntegrityLevel, isElevatedLevel } from '../../../main/parse/whoami-groups.ts'
import { selectThisPcHost } from '../../../main/host/this-pc.ts'
import { elevationNoteFor, ELEVATION_NOTE } from '../../../main/app/elevation.ts'

describe('main window', () => {
  it('is isolated, sandboxed, without Node, webviews or relaxed web security, and loads app://', () => {
    createMainWindow('/p/preload/index.cjs')
    expect(loaded).toEqual(['app://bundle/index.html'])
    const prefs = constructed[0]!.webPreferences!
    expect(prefs).toMatchObject({
      preload: '/p/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs.disableBlinkFeatures).toBe('Auxclick')
  })

  it("opens on a resume route of the app's own (resume-args.ts), and on the start page for anything else (each case counted)", () => {
    const good = [
      '#/install?resume=20261123T040000-AbC_dEf-this-pc-KB5086672',
      '#/repair?repair=restore-health&resume=1',
    ]
    const bad = [
      'https://evil.example/',
      '#/install?resume=<script>',
      'javascript:alert(1)',
      '#//evil.example',
      '#/install?resume=a b',
      '/etc/passwd',
      '#/Install',
    ]
    for (const r of [...good, ...bad]) createMainWindow('/p/preload/index.cjs', r)
    const urls = loaded.slice(-(good.length + bad.length))
    expect(urls).toEqual([
      ...good.map((r) => `app://bundle/index.html${r}`),
      ...bad.map(() => 'app://bundle/index.html'),
    ])
    expect(urls).toHaveLength(9)
  })
})

describe('CSP', () => {
  it('has no unsafe sources and no remote hosts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/)
  })

  it('is the same in renderer/index.html (and in the built page when it exists)', () => {
    const root = join(import.meta.dirname, '../../..')
    for (const f of ['renderer/index.html', 'out/renderer/index.html']) {
      const p = join(root, f)
      if (!existsSync(p)) continue
      expect(cspFromHtml(readFileSync(p, 'utf8')), f).toBe(CONTENT_SECURITY_POLICY)
    }
  })
})

describe('elevation', () => {
  it('reads the mandatory label SID from whoami /groups /fo csv /nh', () => {
    const high =
      '"Everyone","Well-known group","S-1-1-0","Mandatory group, Enabled by default, Enabled group"\r\n"Mandatory Label\\High Mandatory Level","Label","S-1-16-12288",""\r\n'
    const medium = '"Etiqueta obligatoria\\Nivel obligatorio medio","Etiqueta","S-1-16-8192",""\r\n'
    expect(parseIntegrityLevel(high)).toBe('high')
    expect(isElevatedLevel(parseIntegrityLevel(high))).toBe(true)
    expect(parseIntegrityLevel(medium)).toBe('medium')
    expect(isElevatedLevel(parseIntegrityLevel(medium))).toBe(false)
    expect(parseIntegrityLevel('S-1-16-16384')).toBe('system')
    expect(parseIntegrityLevel('')).toBeNull()
    expect(isElevatedLevel(null)).toBe(false)
  })

  it('shows the limited-mode note only on Windows without elevation', () => {
    expect(elevationNoteFor('win32', false)).toBe(ELEVATION_NOTE)
    expect(elevationNoteFor('win32', true)).toBeNull()
    expect(elevationNoteFor('linux', false)).toBeNull()
    expect(ELEVATION_NOTE).toMatch(/administrator/)
  })
})

describe('this PC host', () => {
  it('is WindowsHost on win32 and absent elsewhere', () => {
    expect(selectThisPcHost('linux', false)).toBeUndefined()
    const make = selectThisPcHost('win32', true)
    expect(make!().info()).toMatchObject({ kind: 'this-pc', elevated: true })
  })
})
