/**
 * The Electron main process: security policy first, then the app:// protocol, the services, the IPC
 * registration and the window. Servicing logic lives in services.ts, never here.
 */
import { app, dialog, ipcMain, Menu, protocol, session, type BrowserWindow } from 'electron'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { createServices } from '../services.ts'
import { defaultDataDir } from '../data-dir.ts'
import { DataDirRefused, guardDataDir } from '../security/data-dir-guard.ts'
import { createHandlers } from '../handlers.ts'
import { createDialogSaver } from '../report/dialog-saver.ts'
import { APP_SCHEME } from './origin.ts'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.ts'
import { hardenAllWebContents } from './security/harden.ts'
import { installPermissionPolicy } from './security/permissions.ts'
import { blockRemoteRequests } from './security/remote-requests.ts'
import { rejectCertificateErrors } from './security/certificates.ts'
import { openExternalSafely } from './security/open-external.ts'
import { registerFileTokens, registerHandlers } from './ipc.ts'
import { createFileTokens } from '../analyze/file-tokens.ts'
import { createMainWindow, entryUrl } from './window.ts'
import { buildMenu } from './menu.ts'
import { elevationNoteFor } from './elevation.ts'
import { thisPcHostFor } from '../host/this-pc.ts'
import { closeQuestion, guardWindowClose, InflightCalls } from './close-guard.ts'
import { dialogFolderPicker } from '../folders/folder-handles.ts'
import { appResumeLaunchers, parseResumeArgs, resumeRoute } from './resume-args.ts'
import { REPAIR_RUNNER_IDS } from '../../preload/model/repair.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const rendererDir = join(here, '../renderer')
const preloadPath = join(here, '../preload/index.cjs')
const log = (msg: string) => console.log(`servicing-desk: ${msg}`)

// Two elevated instances running DISM at once would fight over the component store.
if (app.requestSingleInstanceLock()) start()
else app.quit()

/** Installs the security policy before ready, then the services, IPC and the window. */
function start(): void {
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
  hardenAllWebContents(app, (url) => openExternalSafely(url), log)
  rejectCertificateErrors(app, (url, error) => log(`rejected certificate for ${url}: ${error}`))

  app.on('window-all-closed', () => app.quit())

  app
    .whenReady()
    .then(async () => {
      installPermissionPolicy(session.defaultSession)
      blockRemoteRequests(session.defaultSession, (url) => log(`blocked request to ${url.slice(0, 200)}`))
      protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir))

      const { thisPcHost, elevated } = await thisPcHostFor(process.platform)
      // The data folder belongs to the app (main/security/data-dir-guard.ts): refused when others can change it.
      try {
        await guardDataDir({
          dir: defaultDataDir(),
          platform: process.platform,
          host: thisPcHost?.() ?? null,
          elevated,
        })
      } catch (err) {
        if (!(err instanceof DataDirRefused)) throw err
        dialog.showErrorBox('Servicing Desk cannot use its data folder', err.message)
        app.exit(1)
        return
      }
      // After a restart the RunOnce entry starts the app with --resume-install/--resume-repair (resume-args.ts):
      // read only after the single-instance lock, validated, and ignored with a logged reason otherwise.
      const identity = {
        execPath: process.execPath,
        defaultApp: Boolean(process.defaultApp),
        appPath: process.defaultApp ? app.getAppPath() : '',
      }
      const dataDir = defaultDataDir()
      const resume = parseResumeArgs(process.argv, {
        ...identity,
        plansDir: join(dataDir, 'plans'),
        repairIds: REPAIR_RUNNER_IDS,
        platform: process.platform,
      })
      if (resume.ignored) log(`resume arguments ignored: ${resume.ignored}`)
      const services = createServices({
        dataDir,
        platform: process.platform,
        thisPcHost,
        resumeLaunchers: appResumeLaunchers(identity),
      })
      const trustedIds = new Set<number>()
      const inflight = new InflightCalls()
      // Kit folders come from main's own dialog, parented to our window; the renderer gets an opaque handle.
      let dialogParent: BrowserWindow | null = null
      const pickFolder = dialogFolderPicker((options) =>
        dialogParent ? dialog.showOpenDialog(dialogParent, options) : dialog.showOpenDialog(options),
      )
      // A dropped file reaches main as a one-time token for its path, never as its text.
      const fileTokens = createFileTokens()
      registerFileTokens(ipcMain, fileTokens, { trustedIds, log })
      registerHandlers(
        ipcMain,
        createHandlers(services, {
          saveFile: createDialogSaver(dialog, app.getPath('documents')),
          pickFolder,
          fileTokens,
        }),
        { trustedIds, log, onCallStart: (n) => inflight.start(n), onCallEnd: (n) => inflight.end(n) },
      )

      Menu.setApplicationMenu(buildMenu(app.isPackaged))
      // A resumed run opens on its screen, which continues it through the same call as its Continue button.
      const win = createMainWindow(preloadPath, resume.intent && thisPcHost ? resumeRoute(resume.intent) : '')
      dialogParent = win
      trustedIds.add(win.webContents.id)
      guardWindowClose(
        win,
        inflight,
        (running) =>
          dialog.showMessageBoxSync(win, {
            type: 'warning',
            buttons: ['Keep working', 'Close anyway'],
            defaultId: 0,
            cancelId: 0,
            title: 'A change is in progress',
            message: closeQuestion(running),
            detail:
              'Closing now stops it part-way. The journal lets the next start resume, but it is safer to wait until it finishes.',
          }) === 1,
      )
      const note = elevationNoteFor(process.platform, elevated)
      if (note)
        win.once(
          'ready-to-show',
          () =>
            void dialog.showMessageBox(win, {
              type: 'info',
              title: 'Not running as administrator',
              message: 'Limited mode',
              detail: note,
            }),
        )
      app.on('second-instance', (_event, argv) => {
        if (win.isMinimized()) win.restore()
        win.focus()
        // RunOnce started a second copy while this one is open: the open window continues that run, read as
        // strictly as at start — unless something that changes the PC is running here now (then only focus).
        const again = parseResumeArgs(argv, {
          ...identity,
          plansDir: join(dataDir, 'plans'),
          repairIds: REPAIR_RUNNER_IDS,
          platform: process.platform,
        })
        if (again.ignored) log(`resume arguments of a second start ignored: ${again.ignored}`)
        if (!again.intent || !thisPcHost) return
        if (inflight.changing().length > 0) {
          log('a second start asked to resume a run while another change is running here; not switched')
          return
        }
        void win.loadURL(entryUrl(resumeRoute(again.intent)))
      })
    })
    .catch((err: unknown) => {
      console.error('servicing-desk: failed to start', err)
      app.exit(1)
    })
}
