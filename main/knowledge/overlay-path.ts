/** Where a data folder keeps the knowledge overlay (overlay.ts). Apart from overlay.ts's schema (zod), so a start that finds no overlay loads none. */
import { join } from 'node:path'

export function overlayPath(dataDir: string): string {
  return join(dataDir, 'knowledge', 'overlay.json')
}
