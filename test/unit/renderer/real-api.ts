/**
 * The renderer's API served by the real handlers in-process (the same ones the preview bridge serves),
 * so component tests exercise real services, not a fake back end.
 */
import { callNames, type DeskApi } from '../../../preload/contract.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { createFileTokens, type FileTokens } from '../../../main/analyze/file-tokens.ts'
import { tempDirSync } from '../temp-dirs.ts'

/** `fileTokens`: the dropped-file registry behind `analyzeFile` (a test registers a path as the app's preload would). */
export function realApi(): { api: DeskApi; dataDir: string; fileTokens: FileTokens } {
  const dataDir = tempDirSync('sd-renderer-')
  const fileTokens = createFileTokens()
  const handlers = createHandlers(createServices({ dataDir, platform: 'linux' }), { fileTokens })
  const api: Record<string, unknown> = {}
  for (const name of callNames) api[name] = (input: unknown) => invokeCall(handlers, name, input)
  api.on = () => () => {}
  return { api: api as unknown as DeskApi, dataDir, fileTokens }
}
