/**
 * `npm start` without Electron: the browser preview, with the interface built once and reused while its sources are
 * unchanged.
 *
 * - The interface's inputs are every file under renderer/ and preload/ (the renderer imports the contract and its
 *   models), vite.renderer.config.ts, package.json and package-lock.json (the toolchain and the libraries). Their
 *   content hash is recorded in out/renderer.inputs.json after a build; the next start with the same hash reuses
 *   out/renderer at once. A content hash, not file times: a fresh clone or a `git checkout` gives every file a new
 *   time and the same content.
 * - A build goes to a folder of its own (out/renderer.building-<pid>) and replaces out/renderer only when it
 *   succeeded, so a failed or stopped build never leaves half an interface to be served.
 * - While it builds, the preview starts beside it and listens at once, loading its services after (about as long as
 *   the build; the page's first calls wait for them): until the build is in place its page says the interface is building and reloads
 *   itself into the app (main/preview/preview-server.ts BUILDING_PAGE), so the first screen no longer waits for the
 *   build. Before (build, then preview) a fresh clone took 17.4 s to the first screen at load 11; with the preview
 *   waiting for the build, 10.7-12.4 s at load 10-21; see docs/operations.md.
 */
import { createHash } from 'node:crypto'
import type { Dirent } from 'node:fs'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

export const RENDERER_INPUTS = [
  'renderer',
  'preload',
  'vite.renderer.config.ts',
  'package.json',
  'package-lock.json',
] as const

/** The content hash of the interface's inputs under `root` (paths and bytes, in a stable order). */
export function rendererInputsHash(root: string): string {
  const files: string[] = []
  const walk = (abs: string) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(abs, { withFileTypes: true })
    } catch {
      files.push(abs)
      return
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.DS_Store') continue
      const p = join(abs, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) files.push(p)
    }
  }
  for (const input of RENDERER_INPUTS) if (existsSync(join(root, input))) walk(join(root, input))
  const h = createHash('sha256')
  for (const f of files.map((abs) => relative(root, abs).split(sep).join('/')).sort()) {
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0')
  }
  return h.digest('hex')
}

export const inputsFile = (root: string) => join(root, 'out', 'renderer.inputs.json')
export const rendererDir = (root: string) => join(root, 'out', 'renderer')

/** Whether out/renderer was built from the sources as they are now; else why not. */
export function builtRenderer(root: string, hash = rendererInputsHash(root)): { current: boolean; reason: string } {
  if (!existsSync(join(rendererDir(root), 'index.html'))) return { current: false, reason: 'no interface is built yet' }
  let recorded: unknown
  try {
    recorded = (JSON.parse(readFileSync(inputsFile(root), 'utf8')) as { hash?: unknown }).hash
  } catch {
    recorded = null
  }
  if (recorded !== hash)
    return {
      current: false,
      reason: recorded
        ? 'its sources changed since the last build'
        : 'the built interface does not say what it was built from',
    }
  return { current: true, reason: 'built from these sources' }
}

export interface RunningPreview {
  done: Promise<number>
  stop(): void
}

export interface StartDeps {
  root: string
  print: (line: string) => void
  /** Builds the interface into `outDir`; resolves to the exit code. */
  build: (outDir: string) => Promise<number>
  /** Starts the preview serving `rendererDir`; with `waitFor`, it listens only once that file exists. */
  preview: (opts: { rendererDir: string; waitFor: string | null }) => RunningPreview
  now?: () => number
}

/** Reuses or builds the interface and runs the preview; resolves to the exit code. */
export async function startPreview(deps: StartDeps): Promise<number> {
  const now = deps.now ?? (() => performance.now())
  const hash = rendererInputsHash(deps.root)
  const state = builtRenderer(deps.root, hash)
  if (state.current) {
    deps.print('The interface is already built from these sources (out/renderer): reusing it.')
    return deps.preview({ rendererDir: rendererDir(deps.root), waitFor: null }).done
  }
  deps.print(
    `Building the interface (${state.reason}): about 10-20 s on a small machine. The preview starts beside the build and prints its address at once; until the build is in place its page says so and then opens the app by itself.`,
  )
  rmSync(inputsFile(deps.root), { force: true })
  const building = join(deps.root, 'out', `renderer.building-${process.pid}`)
  rmSync(building, { recursive: true, force: true })
  mkdirSync(join(deps.root, 'out'), { recursive: true })
  const preview = deps.preview({ rendererDir: rendererDir(deps.root), waitFor: inputsFile(deps.root) })
  const t0 = now()
  const code = await deps.build(building)
  if (code !== 0) {
    rmSync(building, { recursive: true, force: true })
    deps.print(`The interface did not build (exit code ${code}); its errors are above. The preview is stopped.`)
    preview.stop()
    await preview.done
    return code
  }
  rmSync(rendererDir(deps.root), { recursive: true, force: true })
  renameSync(building, rendererDir(deps.root))
  // Sources edited during the build: the build may hold either version, so it is not recorded as current.
  const after = rendererInputsHash(deps.root)
  writeFileSync(
    inputsFile(deps.root),
    `${JSON.stringify({ hash: after === hash ? hash : null, builtAt: new Date().toISOString() })}\n`,
  )
  deps.print(
    `Interface built in ${((now() - t0) / 1000).toFixed(1)} s (out/renderer); the next start reuses it while these sources are unchanged.`,
  )
  return preview.done
}
