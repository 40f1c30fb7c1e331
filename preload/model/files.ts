/**
 * Files the person dropped or chose: the renderer never names a path. In the app the preload turns
 * the dropped File into a path (Electron's webUtils.getPathForFile), main registers it and hands back a
 * one-time token; `analyzeFile` takes the token, and main reads the file itself, bounded.
 */
import { z } from 'zod'

/** An opaque, unguessable, one-time reference to a file dropped or chosen in this session. */
export const FileTokenSchema = z.string().regex(/^ft-[A-Za-z0-9_-]{22,64}$/, 'a file token from a drop')
export type FileToken = z.infer<typeof FileTokenSchema>

export const AnalyzeFileInputSchema = z.object({ file: FileTokenSchema, kind: z.string().max(64).optional() }).strict()

/** What the preload sends main on its own channel (not a contract call: the page cannot send a path). */
export const FileTokenRequestSchema = z.object({ path: z.string().min(1).max(32_767) }).strict()
