/**
 * Disks, partitions, volumes, `reagentc /info` and BitLocker as our storage script prints them, and
 * `manage-bde -status` text (format of Microsoft's manage-bde status documentation, en-US).
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { psJson } from './ps-json.ts'

/** A stable, GUID-shaped volume path per partition (Windows assigns random ones). */
function volumePath(state: TrainingState, disk: number, part: number): string {
  const seed = [...state.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)
  const hex = (n: number, w: number) => (n >>> 0).toString(16).padStart(w, '0').slice(-w)
  return `\\\\?\\Volume{${hex(seed, 8)}-${hex(disk, 4)}-${hex(part, 4)}-a1b2-${hex(seed ^ (part * 0x9e3779b1), 12)}}\\`
}

export function reagentcInfoText(state: TrainingState): string {
  const w = state.winre
  return [
    '',
    'Windows Recovery Environment (Windows RE) and system reset configuration',
    'Information:',
    '',
    `    Windows RE status:         ${w.enabled ? 'Enabled' : 'Disabled'}`,
    `    Windows RE location:       ${w.enabled ? `\\\\?\\GLOBALROOT\\device\\harddisk${w.diskNumber}\\partition${w.partitionNumber}\\Recovery\\WindowsRE` : ''}`,
    `    Boot Configuration Data (BCD) identifier: ${w.bcdId.replace(/^\{|\}$/g, '')}`,
    '    Recovery image location:   ',
    '    Recovery image index:      0',
    '    Custom image location:     ',
    '    Custom image index:        0',
    '',
    'REAGENTC.EXE: Operation Successful.',
    '',
    '',
  ].join('\r\n')
}

export const renderStorageLayout: TrainingCommand = ({ state }) => {
  const partitions = state.disks.flatMap((d) => d.partitions.map((p) => ({ d, p })))
  const sys = state.systemDrive
  const out = {
    SystemDrive: `${sys.letter}:`,
    Disks: state.disks.map((d) => ({ Number: d.number, Size: d.sizeBytes, PartitionStyle: d.partitionStyle })),
    Partitions: partitions.map(({ d, p }) => ({
      DiskNumber: d.number,
      PartitionNumber: p.number,
      Offset: p.offsetBytes,
      Size: p.sizeBytes,
      GptType: d.partitionStyle === 'GPT' ? p.gptType : null,
      MbrType: d.partitionStyle === 'MBR' ? 7 : null,
      DriveLetter: p.driveLetter,
      AccessPaths: [
        ...(p.driveLetter ? [`${p.driveLetter}:\\`] : []),
        ...(p.fileSystem ? [volumePath(state, d.number, p.number)] : []),
      ],
    })),
    Volumes: partitions
      .filter(({ p }) => p.fileSystem)
      .map(({ d, p }) => {
        const isSys = p.driveLetter === sys.letter
        return {
          DriveLetter: p.driveLetter,
          Path: volumePath(state, d.number, p.number),
          FileSystemLabel: p.label ?? '',
          Size: isSys ? sys.sizeBytes : p.sizeBytes,
          SizeRemaining: isSys ? sys.freeBytes : p.sizeBytes - (p.usedBytes ?? 0),
        }
      }),
    ReagentcInfo: reagentcInfoText(state),
    BitLocker: {
      ProtectionStatus: state.bitlocker.protectionStatus,
      EncryptionPercentage: state.bitlocker.encryptionPercentage,
      VolumeStatus:
        state.bitlocker.encryptionPercentage >= 100
          ? 'FullyEncrypted'
          : state.bitlocker.encryptionPercentage === 0
            ? 'FullyDecrypted'
            : 'EncryptionInProgress',
      KeyProtectorTypes: state.bitlocker.protectorsUnread
        ? null
        : [
            ...(state.bitlocker.tpmProtector ? ['Tpm'] : []),
            ...(hasRecoveryPassword(state) ? ['RecoveryPassword'] : []),
          ],
    },
  }
  return { exitCode: 0, stdout: psJson(out) }
}

/** A recovery password protector: as the state says, else wherever protection (or a TPM protector) is set up, as before. */
const hasRecoveryPassword = (state: TrainingState) =>
  state.bitlocker.recoveryPassword ?? (state.bitlocker.tpmProtector || state.bitlocker.protectionStatus === 'On')

export const renderManageBdeStatus: TrainingCommand = ({ state }) => {
  const b = state.bitlocker
  const sys = state.systemDrive
  const lines = [
    `BitLocker Drive Encryption: Configuration Tool version 10.0.${state.os.currentBuild}`,
    'Copyright (C) 2013 Microsoft Corporation. All rights reserved.',
    '',
    `Volume ${sys.letter}: [Windows]`,
    '[OS Volume]',
    '',
    `    Size:                 ${(sys.sizeBytes / 1024 ** 3).toFixed(2)} GB`,
    `    BitLocker Version:    ${b.encryptionPercentage > 0 ? '2.0' : 'None'}`,
    `    Conversion Status:    ${b.encryptionPercentage >= 100 ? 'Used Space Only Encrypted' : b.encryptionPercentage === 0 ? 'Fully Decrypted' : 'Encryption in Progress'}`,
    `    Percentage Encrypted: ${b.encryptionPercentage.toFixed(1)}%`,
    `    Encryption Method:    ${b.encryptionPercentage > 0 ? 'XTS-AES 128' : 'None'}`,
    `    Protection Status:    Protection ${b.protectionStatus}`,
    '    Lock Status:          Unlocked',
    '    Identification Field: Unknown',
    `    Key Protectors:${b.tpmProtector || hasRecoveryPassword(state) ? '' : '       None Found'}`,
    ...(b.tpmProtector ? ['        TPM'] : []),
    ...(hasRecoveryPassword(state) ? ['        Numerical Password'] : []),
    '',
    '',
  ]
  return { exitCode: 0, stdout: lines.join('\r\n') }
}
