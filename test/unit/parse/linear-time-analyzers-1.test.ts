/**
 * Every analyzer of pasted text reads in linear time, part 1 of 2 (the inputs and the check:
 * linear-time-inputs.ts; the parsers: linear-time.test.ts). In parts so that they run beside the other test files.
 */
import { analyzersInLinearTime } from './linear-time-inputs.ts'

analyzersInLinearTime(0, 2)
