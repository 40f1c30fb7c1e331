/**
 * Setup file of every unit test file (vitest.config.ts `setupFiles`): the file's test and hook timeouts are the
 * config's idle hang detectors stretched by the machine's load as the file starts (test/load.ts), so a busy machine
 * never fails a correct test by its timeout while a real hang still ends the run. A test or suite that sets its own
 * timeout writes it as `hangMs(idle figure)` for the same reason.
 */
import { vi } from 'vitest'
import { hangMs, IDLE_HANG_MS } from '../load.ts'

vi.setConfig({ testTimeout: hangMs(IDLE_HANG_MS), hookTimeout: hangMs(IDLE_HANG_MS) })
