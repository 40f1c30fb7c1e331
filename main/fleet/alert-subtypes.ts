/**
 * What an update alert's own words mean: every AlertSubtype of Microsoft's enumerated types for Windows Update for
 * Business reports (learn.microsoft.com/windows/deployment/update/wufb-reports-schema-enumerated-types, "AlertSubtype"),
 * the service substates that hold an update back ("ServiceSubstate" there) and UCDeviceAlert's DeviceRegistrationIssues
 * (wufb-reports-schema-ucdevicealert), each mapped to the cause it names. An alert carries its subtype whether or not its
 * ErrorCode is one this app can read (the schema page's own example is an extended code), so the subtype alone puts a
 * device in a group: a device with an active DiskFull alert is failing for a full disk, never "not reported".
 * Where a subtype names a cause the app already tests and fixes on a device (a restart pending, Windows Update's damaged
 * working data, a corrupted component store), it is that cause; the others are causes of their own, with Microsoft's
 * description as the evidence. `held`: nothing on the device is broken (a hold, a pause, a cancelled offer).
 */
import type { Finding } from '../../preload/model/diagnosis.ts'

export interface AlertMeaning {
  cause: string
  /** Microsoft's description of the subtype (the enumerated types page). */
  says: string
  held?: boolean
}

interface CauseWords {
  title: string
  severity: Finding['severity']
  next: string
}

const CAUSES: Record<string, CauseWords> = {
  'safeguard-hold': {
    title: 'Microsoft is holding this update back from these devices (a safeguard hold)',
    severity: 'warning',
    next: 'Look up the hold on Windows release health; the devices get the update when Microsoft releases it.',
  },
  'update-paused': {
    title: 'The update is paused for these devices (by an administrator or the deployment service)',
    severity: 'warning',
    next: 'Resume the deployment (Intune: the update ring or policy) if the pause is not meant.',
  },
  'offer-cancelled': {
    title: 'The update offer was cancelled or removed for these devices',
    severity: 'warning',
    next: 'Check the deployment in Intune / Windows Autopatch: the devices were removed from it or the offer was cancelled.',
  },
  'service-registration': {
    title: 'These devices are not registered correctly with the Windows Update deployment service',
    severity: 'error',
    next: 'Check the devices are Microsoft Entra joined (not only workplace joined) and enrolled for update management.',
  },
  'end-of-service': {
    title: 'These devices run a Windows version that is no longer serviced',
    severity: 'error',
    next: 'Move them to a serviced version (a feature update); no monthly update is offered to them until then.',
  },
  'end-of-service-approaching': {
    title: "These devices' Windows version stops being serviced within 60 days",
    severity: 'warning',
    next: 'Plan their feature update before the end of service.',
  },
  'update-cancelled': {
    title: 'The update was cancelled on these devices (by the user or Windows)',
    severity: 'warning',
    next: 'Nothing on the device is known broken: let the update run again (Intune: it retries; or start it from Settings).',
  },
  'pending-restart': {
    title: 'A restart is needed before servicing can go on',
    severity: 'warning',
    next: 'Restart the devices (schedule it with your device management tool).',
  },
  'disk-full': {
    title: 'The disk is too full for the update',
    severity: 'error',
    next: 'Free space on the system drive (Storage Sense, Disk Cleanup of old updates), then let the update run again.',
  },
  'disk-corruption': {
    title: 'Windows Update found disk corruption',
    severity: 'error',
    next: 'Check the disk (chkdsk /scan) and its health before anything else.',
  },
  'download-blocked': {
    title: 'The update could not be downloaded (network, proxy credentials, timeout or a disabled service)',
    severity: 'error',
    next: 'Check the devices reach Windows Update (proxy, firewall, Delivery Optimization and BITS services running).',
  },
  'certificate-issue': {
    title: 'An expired certificate stopped the update',
    severity: 'error',
    next: 'Check the device clock and any TLS-inspecting proxy between the devices and Windows Update.',
  },
  'insufficient-connectivity': {
    title: 'These devices are not online long enough for Windows Update to make progress',
    severity: 'warning',
    next: 'Keep the devices on and connected for some hours, or deliver the update from a local source.',
  },
  'setup-blocked': {
    title: 'An app or driver blocks the upgrade',
    severity: 'error',
    next: 'Find the blocking app or driver (SetupDiag on one device reads the compatibility data) and update or remove it.',
  },
  'setup-error': {
    title: 'Windows Setup failed installing the new version',
    severity: 'error',
    next: 'Collect a file from one device (its Panther logs and SetupDiag say which phase failed).',
  },
  'component-store-corruption': {
    title: 'A Windows component is corrupted (the component store)',
    severity: 'error',
    next: 'Repair the component store (DISM /RestoreHealth) on the devices.',
  },
  'wu-components': {
    title: "Windows Update's downloaded files or working data are damaged",
    severity: 'error',
    next: "Reset Windows Update's working data on the devices (the group's fix).",
  },
  'install-interference': {
    title: 'Another program or installation held files the update needed',
    severity: 'warning',
    next: 'Let the update run again after a restart; if it recurs, find the program (security software, another installer).',
  },
  'files-not-found': {
    title: 'The installer could not find a file or path it needs',
    severity: 'error',
    next: 'Collect a file from one device: its CBS and DISM logs name the missing file.',
  },
  'install-issue': {
    title: 'The update failed to install (no more detail in the alert)',
    severity: 'error',
    next: 'Collect a file from one device: its logs name the cause the alert does not.',
  },
  'security-updates-missing': {
    title: 'These devices miss several security updates',
    severity: 'error',
    next: 'See which updates fail on them (their failure codes and collected files).',
  },
}

export const ALERT_SUBTYPES: Readonly<Record<string, AlertMeaning>> = {
  // AlertSubtype, as the enumerated types page lists them.
  CancelledByUser: { cause: 'update-cancelled', says: 'The user canceled the update.' },
  CertificateIssue: { cause: 'certificate-issue', says: 'An expired certificate was encountered.' },
  DamagedMedia: { cause: 'wu-components', says: 'The update file appears to be damaged.' },
  DeviceRegistrationInvalidAzureADJoin: {
    cause: 'service-registration',
    says: "Device isn't able to register or authenticate properly with the deployment service due to not being device-level Entra ID joined.",
    held: true,
  },
  DiskFull: { cause: 'disk-full', says: "An operation couldn't be completed because the disk is full." },
  DiskIssue: { cause: 'disk-corruption', says: 'Windows Update has found disk corruption.' },
  DownloadCancelled: { cause: 'update-cancelled', says: 'The download was canceled.' },
  DownloadCredentialsIssue: {
    cause: 'download-blocked',
    says: 'A proxy server or firewall on your network might require credentials.',
  },
  DownloadIssue: { cause: 'download-blocked', says: 'There was a download issue.' },
  DownloadIssueServiceDisabled: { cause: 'download-blocked', says: 'The service the download depends on is disabled.' },
  DownloadTimeout: { cause: 'download-blocked', says: 'A timeout occurred.' },
  EndOfService: { cause: 'end-of-service', says: 'Client OS is no longer being serviced.' },
  EndOfServiceApproaching: {
    cause: 'end-of-service-approaching',
    says: 'Client OS servicing period completes in less than 60 days.',
  },
  FileNotFound: { cause: 'files-not-found', says: "The installer couldn't find a Windows component that it needs." },
  InstallAccessDenied: { cause: 'install-interference', says: 'Access denied.' },
  InstallCancelled: { cause: 'update-cancelled', says: 'Install canceled.' },
  InstallFileLocked: { cause: 'install-interference', says: "Couldn't access the file because it's already in use." },
  InstallIssue: { cause: 'install-issue', says: 'There was an installation issue.' },
  InstallSetupBlock: { cause: 'setup-blocked', says: "There's an application or driver blocking the upgrade." },
  InstallSetupError: {
    cause: 'setup-error',
    says: 'Encountered an error while installing the new version of Windows.',
  },
  InstallSetupRestartRequired: { cause: 'pending-restart', says: 'A restart is required.' },
  InstallSharingViolation: {
    cause: 'install-interference',
    says: 'An application is likely interfering with Windows Update.',
  },
  InstallSystemError: {
    cause: 'setup-error',
    says: 'A system error occurred while installing the new version of Windows.',
  },
  InsufficientUpdateConnectivity: {
    cause: 'insufficient-connectivity',
    says: "Device hasn't had sufficient connectivity to Windows Update to progress through the update process and will experience delays.",
  },
  MultipleSecurityUpdatesMissing: {
    cause: 'security-updates-missing',
    says: 'Client is missing multiple security updates.',
  },
  NetworkIssue: { cause: 'download-blocked', says: 'The server timed out waiting for the requested.' },
  PathNotFound: { cause: 'files-not-found', says: "The specified path can't be found." },
  RestartIssue: {
    cause: 'pending-restart',
    says: 'The restart to apply updates is being blocked by one or more applications.',
  },
  SafeguardHold: {
    cause: 'safeguard-hold',
    says: "Update can't be installed due to a known Safeguard Hold.",
    held: true,
  },
  UnexpectedShutdown: {
    cause: 'setup-error',
    says: 'The installation stopped because Windows was shutting down or restarting.',
  },
  WindowsComponentCorruption: {
    cause: 'component-store-corruption',
    says: 'This device has a corrupted Windows component.',
  },
  WUBusy: {
    cause: 'install-interference',
    says: 'Windows Update tried to install an update while another installation process was already running.',
  },
  WUComponentMissing: {
    cause: 'wu-components',
    says: 'Windows Update might be missing a component or the update file might be damaged.',
  },
  WUDamaged: { cause: 'wu-components', says: 'The update file might be damaged.' },
  WUFileCorruption: { cause: 'wu-components', says: 'Windows Update encountered corrupted files.' },
  WUIssue: { cause: 'install-issue', says: 'An unexpected issue was encountered during the installation.' },
  WUSetupError: { cause: 'setup-error', says: 'The setup process was suspended.' },
  // UCDeviceAlert's service-side example.
  DeviceRegistrationIssues: {
    cause: 'service-registration',
    says: 'The device is not correctly registered with the deployment service.',
    held: true,
  },
  // ServiceSubstate values that hold the update back (UCServiceUpdateStatus).
  Validation: {
    cause: 'service-registration',
    says: "Update can't be offered to the device because a validation issue with the device and deployment service.",
    held: true,
  },
  AdminPaused: {
    cause: 'update-paused',
    says: 'Update is on hold because the deployment was paused with an explicit administrator action.',
    held: true,
  },
  ServicePaused: {
    cause: 'update-paused',
    says: 'Update is on hold because of an automatic action by the deployment service.',
    held: true,
  },
  AdminCancelled: {
    cause: 'offer-cancelled',
    says: 'Update offering was canceled because of an explicit administrator action.',
    held: true,
  },
  ServiceCancelled: {
    cause: 'offer-cancelled',
    says: 'Update offering was canceled because of an automatic action by the deployment service.',
    held: true,
  },
  RemovedFromDeployment: {
    cause: 'offer-cancelled',
    says: 'Update offering was canceled because it was removed from the deployment because of an explicit administrator action.',
    held: true,
  },
}

/** The alert's subtype, from its detail (classification · subtype · …, as the readers write it), or null. */
export function alertSubtypeOf(detail: string | null | undefined): string | null {
  for (const x of (detail ?? '').split(' · ')) if (Object.hasOwn(ALERT_SUBTYPES, x)) return x
  return null
}

/** The diagnosis key of a subtype's cause (one per cause, shared by its devices). */
export const subtypeDiagKey = (cause: string): string => `alert-cause:${cause}`

/** Whether a cause is one where nothing on the device is broken (a hold, a pause, a cancelled offer, registration). */
export function heldCause(cause: string): boolean {
  return Object.values(ALERT_SUBTYPES).some((m) => m.cause === cause && m.held)
}

/** The finding a subtype's cause stands for, with the subtypes' own words as its evidence. */
export function subtypeFinding(cause: string, subtypes: readonly string[]): Finding {
  const w = CAUSES[cause]!
  const says = subtypes.map((s) => `AlertSubtype ${s}: ${ALERT_SUBTYPES[s]?.says ?? ''}`)
  return {
    id: cause,
    title: w.title,
    technical: `Update alert subtype ${subtypes.join(', ')} (Windows Update for Business reports)`,
    severity: w.severity,
    confidence: 0.6,
    causes: subtypes.map((s) => ALERT_SUBTYPES[s]?.says ?? s),
    remedies: [
      {
        id: `alert-${cause}`,
        title: 'What to do',
        text: w.next,
        commands: [],
        repair: null,
        sources: [],
        verified: true,
        steps: [],
      },
    ],
    evidence: says.map((excerpt) => ({ source: 'Update alert (Windows Update for Business reports)', excerpt })),
    repair: null,
    codes: [],
    state: 'current',
  } as Finding
}

export const ALERT_CAUSES: readonly string[] = Object.keys(CAUSES)
