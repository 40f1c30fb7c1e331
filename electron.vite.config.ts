/**
 * Builds the three parts: main (ESM, Node), a sandboxed preload (must be CommonJS), the renderer (React).
 * Output: out/main/index.js, out/preload/index.cjs, out/renderer/index.html + assets.
 */
import { defineConfig } from 'electron-vite'
import { rendererOptions } from './vite.renderer.config.ts'
import { resolve } from 'node:path'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'main/app/index.ts'),
          // The worker thread that analyses pasted text off the event loop (main/analyze/analyze-off-thread.ts).
          'analyze-worker': resolve(import.meta.dirname, 'main/analyze/analyze-worker.ts'),
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
