/**
 * A status tag: its meaning in words (always) and in colour (ok green, warn amber, bad red, info blue,
 * neutral grey), so colour is never the only signal. `data-tone` lets the browser tests check that an "ok"
 * tag never sits on a warning or a problem.
 */
import type { ReactNode } from 'react'

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral'

/** The tone of a status or severity word used in the app's data (check status, finding severity, step result). Pure. */
export function toneOf(status: string | null | undefined): Tone {
  switch (status) {
    case 'pass':
    case 'ok':
    case 'success':
    case 'installed':
    case 'verified':
    case 'already-installed':
      return 'ok'
    case 'warn':
    case 'warning':
    case 'restart-required':
    case 'cancelled':
    case 'attention':
      return 'warn'
    case 'fail':
    case 'failed':
    case 'error':
    case 'critical':
    case 'bad':
    case 'problem':
      return 'bad'
    case 'info':
    case 'note':
      return 'info'
    default:
      return 'neutral'
  }
}

export function StatusTag({
  tone,
  children,
  testId,
  className,
}: {
  tone: Tone
  children: ReactNode
  testId?: string
  className?: string
}) {
  return (
    <span className={`tag tag-${tone}${className ? ` ${className}` : ''}`} data-tone={tone} data-testid={testId}>
      {children}
    </span>
  )
}
