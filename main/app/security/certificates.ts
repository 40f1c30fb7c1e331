/**
 * Never accepts a bad TLS certificate, a client-certificate prompt or an HTTP auth prompt.
 *
 * Why explicit: Electron's default already rejects, but an explicit handler documents the decision and
 * stops a later "just accept it" edit from passing review (GitHub Desktop main.ts does the same).
 * The app loads nothing remote; downloads run in Node with their own TLS checks.
 */
type PreventableEvent = { preventDefault(): void }

/** The part of Electron's `app` used here: its three events, with the arguments the handlers below read. */
export interface CertificateEventSource {
  on(
    event: 'certificate-error',
    listener: (
      event: PreventableEvent,
      webContents: unknown,
      url: string,
      error: string,
      certificate: unknown,
      callback: (trusted: boolean) => void,
    ) => void,
  ): unknown
  on(
    event: 'select-client-certificate',
    listener: (
      event: PreventableEvent,
      webContents: unknown,
      url: string,
      certificateList: unknown[],
      callback: () => void,
    ) => void,
  ): unknown
  on(
    event: 'login',
    listener: (
      event: PreventableEvent,
      webContents: unknown,
      details: unknown,
      authInfo: unknown,
      callback: () => void,
    ) => void,
  ): unknown
}

export function rejectCertificateErrors(
  app: CertificateEventSource,
  onRejected: (url: string, error: string) => void = () => {},
): void {
  app.on(
    'certificate-error',
    (
      _event: PreventableEvent,
      _wc: unknown,
      url: string,
      error: string,
      _cert: unknown,
      callback: (trusted: boolean) => void,
    ) => {
      onRejected(url, error)
      callback(false)
    },
  )
  app.on(
    'select-client-certificate',
    (event: PreventableEvent, _wc: unknown, _url: string, _list: unknown[], callback: () => void) => {
      event.preventDefault()
      callback()
    },
  )
  app.on(
    'login',
    (event: PreventableEvent, _wc: unknown, _details: unknown, _authInfo: unknown, callback: () => void) => {
      event.preventDefault()
      callback()
    },
  )
}
