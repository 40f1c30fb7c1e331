/**
 * The renderer's API served by the real handlers in-process (the same ones the preview bridge serves),
 * so component tests exercise real services, not a fake back end.
 */
import { callNames, type DeskApi } from '../../../preload/contract.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { tempDirSync } from '../temp-dirs.ts'

export function realApi(): { api: DeskApi; dataDir: string } {
  const dataDir = tempDirSync('sd-renderer-')
  const handlers = createHandlers(createServices({ dataDir, platform: 'linux' }))
  const api: Record<string, unknown> = {}
  for (const name of callNames) api[name] = (input: unknown) => invokeCall(handlers, name, input)
  api.on = () => () => {}
  return { api: api as unknown as DeskApi, dataDir }
}
