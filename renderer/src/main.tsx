/** Renderer entry: mounts the app. No Node here; the back end is reached through the bridge only. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { previewToken } from './bridge/api.ts'
import './styles.css'

const root = document.getElementById('root')!
// In a plain browser without the preview's token (a new tab, another port's page): say how to open it, run nothing.
if (!window.servicingDesk && !previewToken())
  root.textContent = "Open the address the preview printed when it started (it carries this run's key)."
else
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
