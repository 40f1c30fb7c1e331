/**
 * Electron smoke test on a real Windows runner (the smoke build, test/windows/electron-builder.smoke.yml:
 * the shipped configuration with the --inspect fuse on, which Playwright needs): start the packaged app, scan this PC, see the runner's
 * build and native architecture on the Overview, check the window's security settings, save a
 * screenshot, close cleanly. Skipped (with a note) where there is no packaged app to start.
 */
import { test, expect, _electron as electron } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const exe = process.env.SD_APP_EXE
const runnable = process.platform === 'win32' && !!exe && existsSync(exe)
if (!runnable)
  console.log(
    `test/windows: skipped the Electron smoke test — it needs Windows and SD_APP_EXE pointing at the packaged app (platform ${process.platform}, SD_APP_EXE ${exe ?? 'unset'}).`,
  )

/** build.UBR from the registry, read independently of the app. */
function registryBuild(): string {
  const out = execFileSync('reg.exe', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'], {
    encoding: 'utf8',
  })
  const build = out.match(/^\s+CurrentBuild\s+REG_SZ\s+(\d+)/m)?.[1]
  const ubr = out.match(/^\s+UBR\s+REG_DWORD\s+0x([0-9a-f]+)/im)?.[1]
  return `${build}.${Number.parseInt(ubr ?? 'NaN', 16)}`
}

test.skip(!runnable, 'needs Windows and a packaged app')

test('starts, scans this PC, shows build and architecture, closes', async () => {
  const app = await electron.launch({ executablePath: exe!, args: [], timeout: 120_000 })
  try {
    const page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
    expect(page.url().startsWith('app://bundle/index.html')).toBe(true)
    // The renderer has no Node and sees only the named API.
    expect(
      await page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
        typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
      ]),
    ).toEqual(['undefined', 'undefined', 'undefined'])
    expect(
      await page.evaluate(() => Object.isFrozen((window as unknown as { servicingDesk: object }).servicingDesk)),
    ).toBe(true)
    // getLastWebPreferences is in Electron's API docs but not in its typings.
    const prefs = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map(
        (w) =>
          (w.webContents as unknown as { getLastWebPreferences?: () => unknown }).getLastWebPreferences?.() ?? null,
      ),
    )
    for (const p of prefs)
      if (p)
        expect(p).toMatchObject({
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          webSecurity: true,
          webviewTag: false,
        })

    await page.getByRole('button', { name: 'Check this PC' }).click()
    await expect(page.getByTestId('fact-build')).toHaveText(registryBuild(), { timeout: 240_000 })
    if (process.env.SD_EXPECT_ARCH)
      await expect(page.getByTestId('fact-native-arch')).toHaveText(process.env.SD_EXPECT_ARCH)
    await page.screenshot({ path: test.info().outputPath('overview-this-pc.png'), fullPage: true })

    // Navigation away from the app is refused.
    await page.evaluate(() => {
      location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url().startsWith('app://bundle/')).toBe(true)
  } finally {
    await app.close()
  }
})
