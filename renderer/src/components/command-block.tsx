/**
 * A command a technician can run, exactly as the app would run it, with a Copy button (one component for
 * every command shown). Copies through navigator.clipboard, else through a hidden text area and the
 * browser's copy command; says what happened in a live region, so a screen reader hears it too.
 */
import { useState } from 'react'
import { strings } from '../strings.ts'
import { groupCommands, shownLines, type Shell } from './command-shell.ts'
import { withContentKeys } from './list-keys.ts'

/** Puts `text` on the clipboard; true when it got there. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    /* not allowed here: try the fallback */
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

/**
 * One box per shell and per restart (command-shell.ts): each box says where it runs and copies only its own
 * lines, so what is pasted runs there as shown. `shell` fixes the shell of every line (a PowerShell script).
 */
export function CommandBlock({
  command,
  label,
  testId,
  shell,
}: {
  command: string | readonly string[]
  label?: string
  testId?: string
  shell?: Shell
}) {
  const lines = shownLines(typeof command === 'string' ? [command] : [...command])
  if (!lines.length) return null
  const groups = shell ? [{ shell, lines, afterRestart: false }] : groupCommands(lines)
  return (
    <>
      {withContentKeys(groups).map(([key, g]) => (
        <CommandBox
          key={key}
          text={g.lines.join('\n')}
          shell={g.shell}
          afterRestart={g.afterRestart}
          label={label}
          testId={testId}
        />
      ))}
    </>
  )
}

function CommandBox({
  text,
  shell,
  afterRestart,
  label,
  testId,
}: {
  text: string
  shell: Shell
  afterRestart: boolean
  label?: string
  testId?: string
}) {
  const t = strings.command
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <div className="command-block" data-shell={shell}>
      <p className="command-shell muted" data-testid="command-shell">
        {afterRestart ? `${t.afterRestart} ` : ''}
        {t.shells[shell]}
      </p>
      <div className="command-row">
        {/* The label names the copy button: ARIA gives a <pre> no name of its own (aria-label is prohibited there). */}
        <pre className="mono command" data-testid={testId}>
          {text}
        </pre>
        <button
          type="button"
          className="secondary copy"
          onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}
          aria-label={label ? t.copyLabel(label) : t.copyCommand}
          data-testid="copy-command"
        >
          {state === 'copied' ? t.copied : t.copy}
        </button>
      </div>
      <span role="status" className="visually-hidden">
        {state === 'copied' ? t.copiedAnnounce : state === 'failed' ? t.copyFailed : ''}
      </span>
    </div>
  )
}
