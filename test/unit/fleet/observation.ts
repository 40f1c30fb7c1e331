/** An active alert observation of one device, for the store's tests: each test sets only what it is about. */
import type { Observation } from '../../../preload/model/fleet.ts'

export const obs = (name: string, over: Partial<Observation>): Observation => ({
  device: { name, aadId: null, intuneId: null },
  source: 'uc-update-alert',
  at: '2026-11-20T08:00:00.000Z',
  kind: 'alert',
  line: null,
  codes: [],
  status: 'active',
  file: null,
  detail: '',
  ...over,
})
