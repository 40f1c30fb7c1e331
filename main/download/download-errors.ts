/** Errors of a download, each with a stable code; `transient` ones are retried (and resume). */
export type DownloadErrorCode =
  | 'refused'
  | 'hash-mismatch'
  | 'too-large'
  | 'no-space'
  | 'not-writable'
  | 'http'
  | 'truncated'
  | 'network'
  | 'cancelled'
  | 'bad-input'
  | 'bad-signature'

export class DownloadError extends Error {
  readonly code: DownloadErrorCode
  readonly transient: boolean
  constructor(code: DownloadErrorCode, message: string, transient = false) {
    super(message)
    this.name = 'DownloadError'
    this.code = code
    this.transient = transient
  }
}
