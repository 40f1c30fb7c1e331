/**
 * The main window. Every webPreferences setting is the safe value, written out literally inside
 * `new BrowserWindow({…})`: electronegativity reads only literal options there (a helper call would
 * hide them and raise CONTEXT_ISOLATION/SANDBOX findings), and the unit test reads what the
 * constructor receives. The renderer has no Node, runs sandboxed and isolated, and reaches main only
 * through the preload.
 */
import { BrowserWindow } from 'electron'
import { APP_ENTRY_URL } from './origin.ts'

/** `route`: a hash route of the app's own (e.g. `#/install?resume=<plan id>` from resume-args.ts), or ''. */
export function createMainWindow(preloadPath: string, route = ''): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Servicing Desk',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // Middle-click opens links in new windows; there are none in this app (electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(entryUrl(route))
  return win
}

/** The app's entry page at one of its own hash routes; anything else is the start page. */
export function entryUrl(route: string): string {
  return /^#\/[a-z-]+(\?[A-Za-z0-9_=&%.-]*)?$/.test(route) ? `${APP_ENTRY_URL}${route}` : APP_ENTRY_URL
}
