/**
 * An error meant for the person using the app: a stable code and a plain message. Anything else that
 * escapes a handler is reported as `failed` with its message, never with a stack trace.
 */
export type AppErrorCode = 'invalid-input' | 'not-found' | 'forbidden' | 'failed' | 'cancelled' | 'unsupported'

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly details?: unknown
  constructor(code: AppErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }
}
