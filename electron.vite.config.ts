/**
 * Builds the three parts: main (ESM, Node), a sandboxed preload (must be CommonJS), the renderer (React); and after
 * main, the command line as its own Node build (vite.cli.config.ts), which the app does not ship.
 * Output: out/main/index.js, out/preload/index.cjs, out/renderer/index.html + assets, out/cli/servicing-desk.js.
 */
import { defineConfig } from 'electron-vite'
import { build, type Plugin } from 'vite'
import { rendererOptions } from './vite.renderer.config.ts'
import { cliBuildConfig } from './vite.cli.config.ts'
import { resolve } from 'node:path'

/** The CLI's build, run once the main process is built (not in `electron-vite dev`, which watches main). */
function cliBuild(): Plugin {
  let watching = false
  return {
    name: 'servicing-desk:cli-build',
    apply: 'build',
    configResolved(config) {
      watching = Boolean(config.build.watch)
    },
    async closeBundle() {
      if (!watching) await build(cliBuildConfig())
    },
  }
}

export default defineConfig({
  main: {
    plugins: [cliBuild()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'main/app/index.ts'),
          // The worker thread that analyses pasted text off the event loop (main/analyze/analyze-off-thread.ts).
          'analyze-worker': resolve(import.meta.dirname, 'main/analyze/analyze-worker.ts'),
          // The same reading with the diagnosis's verdict, for the app's analyze calls (main/diagnose/verdict-off-thread.ts).
          'verdict-worker': resolve(import.meta.dirname, 'main/diagnose/verdict-worker.ts'),
          // The worker threads that scan parts of a large log file (main/diagnose/log-scan-file.ts).
          'log-scan-worker': resolve(import.meta.dirname, 'main/diagnose/log-scan-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron` (and a few Node built-ins): bundle zod in.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererOptions,
})
