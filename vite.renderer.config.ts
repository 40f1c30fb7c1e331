/**
 * The renderer alone (no Electron main or preload): what the browser preview and its tests serve.
 * `electron.vite.config.ts` uses the same options for the renderer part of the full build.
 */
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'

export const rendererOptions = {
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
  },
  plugins: [react()],
}

export default defineConfig(rendererOptions)
