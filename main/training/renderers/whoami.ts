/**
 * `whoami /groups /fo csv /nh`: the token's groups, one CSV row each (name, type, SID, attributes), no header
 * (learn.microsoft.com/windows-server/administration/windows-commands/whoami). What the app and the collector read is
 * the Mandatory Label row's SID: S-1-16-12288 (High) for an elevated administrator, S-1-16-8192 (Medium) otherwise,
 * where Administrators is a "Group used for deny only" (learn.microsoft.com/windows/win32/secauthz/well-known-sids,
 * main/parse/whoami-groups.ts). The machine's `os.elevated` says which.
 */
import type { TrainingCommand } from '../command.ts'

const ENABLED = 'Mandatory group, Enabled by default, Enabled group'

export const renderWhoamiGroups: TrainingCommand = ({ state }) => {
  const elevated = state.os.elevated
  const rows = [
    ['Everyone', 'Well-known group', 'S-1-1-0', ENABLED],
    [
      'NT AUTHORITY\\Local account and member of Administrators group',
      'Well-known group',
      'S-1-5-114',
      elevated ? ENABLED : 'Group used for deny only',
    ],
    [
      'BUILTIN\\Administrators',
      'Alias',
      'S-1-5-32-544',
      elevated ? `${ENABLED}, Group owner` : 'Group used for deny only',
    ],
    ['BUILTIN\\Users', 'Alias', 'S-1-5-32-545', ENABLED],
    ['NT AUTHORITY\\INTERACTIVE', 'Well-known group', 'S-1-5-4', ENABLED],
    ['NT AUTHORITY\\Authenticated Users', 'Well-known group', 'S-1-5-11', ENABLED],
    ['NT AUTHORITY\\This Organization', 'Well-known group', 'S-1-5-15', ENABLED],
    [
      elevated ? 'Mandatory Label\\High Mandatory Level' : 'Mandatory Label\\Medium Mandatory Level',
      'Label',
      elevated ? 'S-1-16-12288' : 'S-1-16-8192',
      '',
    ],
  ]
  return { exitCode: 0, stdout: `${rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n')}\r\n` }
}
