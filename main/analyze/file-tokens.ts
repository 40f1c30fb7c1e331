/**
 * Dropped-file tokens: a 50 MB file dropped on the Paste screen reaches main as a path, not as a
 * 50 MB string through IPC, and main reads it itself with the bounded reader (main/bounded-input.ts).
 *
 * Only a path the person dropped or chose is read: the page never sends a path. The preload (preload/index.ts)
 * asks Electron for the path of a File object the page hands it (`webUtils.getPathForFile`: a File built in
 * JS has none, so the page cannot invent one) and sends it to main on a channel that is not a contract call;
 * main registers it here and the page gets back a token of 128 random bits. A token is used once, lives in
 * this process's memory only (a restart forgets it) and at most MAX_TOKENS wait at a time. A relative path,
 * a device path (`\\.\…`) or anything that is not a regular file is refused at registration.
 */
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { AppError } from '../errors.ts'
import { isDevicePath } from '../folders/folder-handles.ts'

const MAX_TOKENS = 16

export function createFileTokens() {
  const tokens = new Map<string, string>()

  /** A token for a path the preload got from a dropped or chosen File; throws AppError when it is no plain file. */
  function register(path: string): string {
    if (!isAbsolute(path) && !/^[A-Za-z]:[\\/]|^\\\\/.test(path))
      throw new AppError('invalid-input', `A dropped file has an absolute path; ${path} is relative.`)
    if (isDevicePath(path)) throw new AppError('forbidden', `${path} is a device path, not a file.`)
    const st = statSync(path, { throwIfNoEntry: false })
    if (!st?.isFile()) throw new AppError('not-found', `${path} is not a file that can be read (drop a text file).`)
    const token = `ft-${randomBytes(16).toString('base64url')}`
    tokens.set(token, path)
    while (tokens.size > MAX_TOKENS) tokens.delete(tokens.keys().next().value as string)
    return token
  }

  /** The path behind a token, once: the token is gone after. */
  function take(token: string): string {
    const path = tokens.get(token)
    if (path === undefined)
      throw new AppError(
        'forbidden',
        'That file was not dropped or chosen in this session (or was already read); drop it again.',
      )
    tokens.delete(token)
    return path
  }

  return { register, take }
}

export type FileTokens = ReturnType<typeof createFileTokens>
