/** Windows Update history as our QueryHistory script prints it (ConvertTo-Json of IUpdateHistoryEntry). */
import type { TrainingCommand } from '../command.ts'
import { psJson } from './ps-json.ts'

export const renderUpdateHistory: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: psJson(
    state.history.map((h, i) => ({
      Title: h.title,
      // DateTime.ToString("o") on a UTC value: seven fractional digits and Z.
      Date: new Date(h.date).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z'),
      Operation: h.operation === 'install' ? 1 : 2,
      ResultCode: h.resultCode,
      HResult: h.hresult,
      UpdateId: `${(0x5e1a0000 + i).toString(16)}-${state.name.length.toString(16).padStart(4, '0')}-4a1b-9c2d-${(h.hresult >>> 0).toString(16).padStart(12, '0')}`,
    })),
  ),
})
