/** The banner that always says which machine is shown: this PC, a training machine, or a snapshot. */
import { strings } from '../strings.ts'
import { useMachine } from '../stores/index.ts'

export function MachineBanner() {
  const machine = useMachine((s) => s.machine)
  const snapshot = useMachine((s) => s.snapshot)
  const list = useMachine((s) => s.list)
  let text: string = strings.banner.none
  let note: string | null = null
  let kind = 'none'
  if (machine?.kind === 'this-pc') {
    kind = 'this-pc'
    text = strings.banner.thisPc(snapshot?.origin.name ?? '')
  }
  if (machine?.kind === 'training') {
    kind = 'training'
    text = strings.banner.training(list?.machines.find((m) => m.name === machine.name)?.title ?? machine.name)
    note = strings.banner.practice
    // Over the training transport: the same words a real remote PC gets, "on HD-DESK-114 over WinRM".
    if (machine.via === 'winrm')
      text = strings.banner.remoteTraining(
        list?.machines.find((m) => m.name === machine.name)?.title ?? machine.name,
        snapshot?.origin.kind === 'remote' ? snapshot.origin.title : 'a training machine over WinRM',
      )
  }
  if (machine?.kind === 'remote') {
    kind = 'remote'
    text = strings.banner.remote(
      snapshot?.origin.kind === 'remote' ? snapshot.origin.title : `${machine.computer.toUpperCase()} over WinRM`,
    )
  }
  if (machine?.kind === 'snapshot' && snapshot) {
    kind = 'snapshot'
    const name = (snapshot.os.status === 'known' ? snapshot.os.value.computerName : null) ?? snapshot.origin.name
    text = strings.banner.snapshot(name, new Date(snapshot.takenAt).toLocaleString())
    note = strings.banner.readOnly
  }
  return (
    <div className={`banner banner-${kind}`} role="status" aria-live="polite" data-testid="machine-banner">
      <span className="banner-text">{text}</span>
      {note && <span className="banner-note">{note}</span>}
    </div>
  )
}
