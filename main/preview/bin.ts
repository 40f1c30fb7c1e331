#!/usr/bin/env node
/**
 * Starts the preview bridge: `node main/preview/bin.ts [--port N] [--renderer DIR] [--open] [--wait-for FILE]`.
 * Prints the URL on stdout (one line) and serves until stopped.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createServices } from '../services.ts'
import { createHandlers } from '../handlers.ts'
import { startPreviewServer } from './preview-server.ts'
import { systemToolPath } from '../host/system-tools.ts'
import { openBrowser } from './open-browser.ts'

const args = process.argv.slice(2)
const arg = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const rendererDir = resolve(arg('--renderer') ?? 'out/renderer')
// --wait-for FILE (npm start while it builds the interface): the services load beside the build and the server
// listens as soon as they are loaded; until FILE exists (the build is in place) a page request is answered with a page
// that says the interface is building and reloads itself into the app (preview-server.ts BUILDING_PAGE).
const waitFor = arg('--wait-for')
if (!waitFor && !existsSync(resolve(rendererDir, 'index.html'))) {
  process.stderr.write(`preview: no built renderer at ${rendererDir}; run \`npm run build\` first.\n`)
  process.exit(1)
}
const services = createServices()
let built = false
// SD_PREVIEW_TOKEN: a token chosen by whoever starts the preview (the browser tests send it as a header).
const presetToken =
  process.env.SD_PREVIEW_TOKEN && /^[0-9a-f]{32,128}$/.test(process.env.SD_PREVIEW_TOKEN)
    ? process.env.SD_PREVIEW_TOKEN
    : undefined
const server = await startPreviewServer({
  handlers: createHandlers(services),
  rendererDir,
  port: arg('--port') ? Number(arg('--port')) : 0,
  token: presetToken,
  // Once the build is in place it stays so (start-preview.ts replaces the interface only before it writes FILE).
  ...(waitFor
    ? {
        building: () => {
          built = built || existsSync(waitFor)
          return !built
        },
      }
    : {}),
})
// The address carries the token once (the page trades it for a session cookie); only this process's owner sees it.
const openUrl = `${server.url}?token=${server.token}`
process.stdout.write(`${openUrl}\n`)
if (args.includes('--open')) {
  // The browser gets a private file leading to a one-time code, never the token on a command line (open-browser.ts).
  const opener =
    process.platform === 'win32'
      ? systemToolPath('explorer.exe', process.env.SystemRoot ?? 'C:\\Windows')
      : process.platform === 'darwin'
        ? 'open'
        : 'xdg-open'
  openBrowser(server.url, (ttl) => server.oneTimeCode(ttl), {
    opener,
    spawn: (file, argv) => {
      try {
        spawn(file, argv, { stdio: 'ignore', detached: true })
          .on('error', () => {})
          .unref()
      } catch {
        /* no browser: the URL is printed */
      }
    },
  })
}
const stop = () => {
  void server.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
