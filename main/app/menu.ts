/** The application menu: quit, reload, zoom, and help links through openExternalSafely only. */
import { Menu, type MenuItemConstructorOptions } from 'electron'
import { openExternalSafely } from './security/open-external.ts'

export function buildMenu(isPackaged: boolean): Menu {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
  ]
  // Developer tools only in unpackaged builds: a packaged, elevated app should not offer a console.
  if (!isPackaged) view.push({ type: 'separator' }, { role: 'toggleDevTools' })
  return Menu.buildFromTemplate([
    { label: 'File', submenu: [{ role: 'quit' }] },
    { label: 'Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    { label: 'View', submenu: view },
    {
      label: 'Help',
      submenu: [
        {
          label: 'Windows Update troubleshooting (Microsoft Learn)',
          click: () =>
            void openExternalSafely(
              'https://learn.microsoft.com/en-us/troubleshoot/windows-client/installing-updates-features-roles/windows-update-issues-troubleshooting',
            ),
        },
        {
          label: 'Microsoft Update Catalog',
          click: () => void openExternalSafely('https://www.catalog.update.microsoft.com/Home.aspx'),
        },
      ],
    },
  ])
}
