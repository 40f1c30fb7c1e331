#!/usr/bin/env node
/**
 * Starts the preview bridge: `node main/preview/bin.ts [--port N] [--renderer DIR] [--open] [--wait-for FILE]`.
 * Prints the URL on stdout (one line) and serves until stopped.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { startPreviewServer } from './preview-server.ts'
import { systemToolPath } from '../host/system-tools.ts'
import { openBrowser } from './open-browser.ts'
import type { Handlers } from '../handlers.ts'

const args = process.argv.slice(2)
const arg = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const rendererDir = resolve(arg('--renderer') ?? 'out/renderer')
// --wait-for FILE (npm start while it builds the interface): the server listens at once and the services load beside
// the build; until FILE exists (the build is in place) a page request is answered with a page
// that says the interface is building and reloads itself into the app (preview-server.ts BUILDING_PAGE).
const waitFor = arg('--wait-for')
if (!waitFor && !existsSync(resolve(rendererDir, 'index.html'))) {
  process.stderr.write(`preview: no built renderer at ${rendererDir}; run \`npm run build\` first.\n`)
  process.exit(1)
}
// The services: most of the app, seconds of CPU from the TypeScript sources on a busy machine. With --wait-for (npm
// start) they load once the server listens and its address is printed: the page comes at once, and its first calls
// wait for them. Otherwise (the browser tests' servers) the server listens once they are loaded, as a ready server.
const loading = () =>
  Promise.all([import('../services.ts'), import('../handlers.ts')]).then(([m, h]) =>
    h.createHandlers(m.createServices()),
  )
let loadHandlers!: (h: Promise<Handlers>) => void
const handlers = new Promise<Handlers>((ok) => {
  loadHandlers = ok
})
handlers.catch((err: unknown) => {
  process.stderr.write(`preview: the services could not be loaded: ${(err as Error).message ?? String(err)}\n`)
  process.exit(1)
})
let built = false
if (!waitFor) {
  loadHandlers(loading())
  await handlers
}
// SD_PREVIEW_TOKEN: a token chosen by whoever starts the preview (the browser tests send it as a header).
const presetToken =
  process.env.SD_PREVIEW_TOKEN && /^[0-9a-f]{32,128}$/.test(process.env.SD_PREVIEW_TOKEN)
    ? process.env.SD_PREVIEW_TOKEN
    : undefined
const server = await startPreviewServer({
  handlers,
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
if (waitFor) loadHandlers(loading())
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
