/**
 * Writes log lines in the exact layout of real CBS.log / DISM.log lines (captured in test/fixtures):
 * `2023-09-04 15:01:53, Error                 CBS    <message>` — the level padded to 22 columns, the
 * component to 7 — and CRLF line ends as Windows writes them.
 */
export type Level = 'Info' | 'Warning' | 'Error' | 'Perf'

export class LogWriter {
  private lines: string[] = []
  private t: number

  constructor(startIso: string) {
    this.t = Date.parse(startIso)
  }

  /** Advances the clock by seconds. */
  tick(seconds = 1): this {
    this.t += seconds * 1000
    return this
  }

  line(level: Level, component: string, message: string): this {
    const d = new Date(this.t)
    const p = (n: number) => String(n).padStart(2, '0')
    const ts = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
    this.lines.push(`${ts}, ${level.padEnd(22)}${component.padEnd(7)}${message}`)
    return this
  }

  /** A line continuing the previous entry (CSI writes multi-line records). */
  raw(text: string): this {
    this.lines.push(text)
    return this
  }

  text(): string {
    return `${this.lines.join('\r\n')}\r\n`
  }
}

/** Deterministic hex ids like CSI's `00000c61` sequence numbers. */
export function csiSeq(n: number): string {
  return n.toString(16).padStart(8, '0')
}

/** A realistic, error-free stretch of servicing activity for one package (applicability and planning). */
export function routineActivity(
  w: LogWriter,
  pkg: string,
  client: string,
  sessionId: string,
  lines: number,
  parent: string,
): void {
  w.line(
    'Info',
    'CBS',
    `Session: ${sessionId} initialized by client ${client}, external staging directory: (null), external registry directory: (null)`,
  )
  for (let i = 0; i < lines; i++) {
    if (i % 3 === 0)
      w.line(
        'Info',
        'CBS',
        `Appl: detect Parent, Package: ${pkg}, Parent: ${parent}, Disposition = Detect, VersionComp: EQ, ServiceComp: GE, BuildComp: EQ, DistributionComp: GE, RevisionComp: GE, Exist: present`,
      )
    else if (i % 3 === 1)
      w.line(
        'Info',
        'CBS',
        `Plan: Package: ${pkg}, current: Installed, pending: Default, start: Installed, applicable: Installed, targeted: Installed, limit: Installed, status: 0x0, failure source: None, reboot required: False, client id: ${client}, initiated offline: False, execution sequence: ${1200 + i}, first merged sequence: ${1200 + i}, reboot reason: REBOOT_NOT_REQUIRED RM App Info: (null) RM Service Info: (null) FileInUse Info: (null)`,
      )
    else w.line('Info', 'CSI', `${csiSeq(0x400 + i)} Performing 1 operations as follows:`)
    if (i % 25 === 0) w.tick(1)
  }
  w.line(
    'Info',
    'CBS',
    `Exec: Processing complete.  Session: ${sessionId}, Package: ${pkg} [HRESULT = 0x00000000 - S_OK]`,
  )
  w.line('Info', 'CBS', `Session: ${sessionId} finalized. Reboot required: no [HRESULT = 0x00000000 - S_OK]`)
}
