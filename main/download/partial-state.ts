/**
 * The sidecar of a `.partial` file: what it is a part of, so a restarted download resumes only the
 * same file (same expected SHA-1, same total size and validator) and otherwise starts over.
 *
 * The partial file's length is the truth for how much is done (bytes are written before they are
 * counted); the sidecar is small and rewritten atomically (write + rename).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { z } from 'zod'

export const PartialStateSchema = z.object({
  version: z.literal(1),
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
  url: z.string(),
  totalBytes: z.number().int().nonnegative().nullable(),
  /** ETag or Last-Modified of the first response, sent back as If-Range. */
  validator: z.string().nullable(),
  updated: z.string(),
})
export type PartialState = z.infer<typeof PartialStateSchema>

export async function readPartialState(path: string): Promise<PartialState | null> {
  try {
    const parsed = PartialStateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export async function writePartialState(path: string, state: PartialState): Promise<void> {
  const tmp = `${path}.tmp`
  await writeFile(tmp, JSON.stringify(state))
  await rename(tmp, path)
}

export async function removePartial(partialPath: string, statePath: string): Promise<void> {
  await rm(partialPath, { force: true })
  await rm(statePath, { force: true })
}
