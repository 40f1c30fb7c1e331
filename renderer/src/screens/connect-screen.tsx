/**
 * "Connect to a PC": a PC the technician is not sitting at, reached over PowerShell remoting with
 * their own Windows logon, or with "Use other credentials" Windows' own credential prompt (Get-Credential in the
 * technician's powershell.exe): the app never sees, stores or passes a password. A training machine can be reached the
 * same way, through the training transport, to rehearse a remote repair. The scan's pre-flight names any
 * failure (WinRM off, firewall, access denied, TrustedHosts …) in one sentence with the command that fixes it.
 */
import { useState, type FormEvent } from 'react'
import { machineStore, useMachine } from '../stores/index.ts'
import { navigate } from '../router.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import type { MachineRef } from '../../../preload/model/common.ts'

export const connectStrings = {
  nav: 'Connect to a PC',
  title: 'Connect to a PC',
  intro:
    'Check and fix a PC at another desk over PowerShell remoting, with your own Windows logon: Kerberos inside a domain, HTTPS (5986) outside one. Nothing is installed on that PC, and no password is stored.',
  computer: 'Computer name or address',
  computerHint: 'For example FRONTDESK-03 or frontdesk-03.contoso.com',
  connect: 'Connect',
  otherCredentials: 'Use other credentials',
  otherCredentialsHint:
    'Windows asks for the account in its own prompt each time the app reaches the PC (a check: twice; an install or a repair: once per step and per file); the password goes from that prompt straight to the session, never to this app.',
  rehearse: 'Rehearse with a training machine over WinRM',
  rehearseHint: 'The same remote route, with a training machine at the other end: safe practice.',
  invalid: 'Type a computer name, a full DNS name or an address (letters, digits, dots and dashes).',
  scanning: 'Connecting and reading the PC…',
  unavailable:
    'Reaching another PC needs the app on Windows (its own powershell.exe); here you can rehearse with a training machine.',
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/

export function ConnectScreen() {
  const list = useMachine((s) => s.list)
  const scanning = useMachine((s) => s.scanning)
  const fraction = useMachine((s) => s.scanFraction)
  const scanError = useMachine((s) => s.scanError)
  const [computer, setComputer] = useState('')
  const [invalid, setInvalid] = useState(false)
  const [training, setTraining] = useState('')
  const [otherCredentials, setOtherCredentials] = useState(false)

  const go = async (ref: MachineRef) => {
    await machineStore.getState().choose(ref)
    if (!machineStore.getState().scanError) navigate('overview')
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    const name = computer.trim()
    if (!NAME.test(name)) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    void go(
      otherCredentials ? { kind: 'remote', computer: name, credential: 'prompt' } : { kind: 'remote', computer: name },
    )
  }
  const onWindows = list?.platform === 'win32'

  return (
    <section aria-labelledby="connect-title" className="screen">
      <h1 id="connect-title">{connectStrings.title}</h1>
      <p className="lead">{connectStrings.intro}</p>
      {scanError && (
        <p role="alert" className="error" data-testid="connect-error">
          {scanError}
        </p>
      )}
      {scanning && <ProgressBar label={connectStrings.scanning} value={fraction} />}
      <div className="card-row">
        <form className="card connect-card" onSubmit={onSubmit} aria-label={connectStrings.title}>
          <label htmlFor="connect-computer">{connectStrings.computer}</label>
          <input
            id="connect-computer"
            className="connect-field"
            value={computer}
            onChange={(e) => setComputer(e.target.value)}
            placeholder="FRONTDESK-03"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="connect-computer-hint"
            aria-invalid={invalid}
            disabled={!onWindows}
            data-testid="connect-computer"
          />
          <p id="connect-computer-hint" className="muted small">
            {onWindows ? connectStrings.computerHint : connectStrings.unavailable}
          </p>
          {invalid && (
            <p role="alert" className="error">
              {connectStrings.invalid}
            </p>
          )}
          <label>
            <input
              type="checkbox"
              checked={otherCredentials}
              onChange={(e) => setOtherCredentials(e.target.checked)}
              disabled={!onWindows}
              aria-describedby="connect-credential-hint"
              data-testid="connect-credential"
            />{' '}
            {connectStrings.otherCredentials}
          </label>
          <p id="connect-credential-hint" className="muted small">
            {connectStrings.otherCredentialsHint}
          </p>
          <button type="submit" disabled={!onWindows || scanning} data-testid="connect-go">
            {connectStrings.connect}
          </button>
        </form>
        <div className="card connect-card">
          <label htmlFor="connect-training">{connectStrings.rehearse}</label>
          <select
            id="connect-training"
            className="connect-field"
            value={training}
            onChange={(e) => setTraining(e.target.value)}
            data-testid="connect-training"
          >
            <option value="">—</option>
            {list?.machines.map((m) => (
              <option key={m.name} value={m.name}>
                {m.title}
              </option>
            ))}
          </select>
          <p className="muted small">{connectStrings.rehearseHint}</p>
          <button
            type="button"
            disabled={!training || scanning}
            onClick={() => void go({ kind: 'training', name: training, via: 'winrm' })}
            data-testid="connect-training-go"
          >
            {connectStrings.connect}
          </button>
        </div>
      </div>
    </section>
  )
}
