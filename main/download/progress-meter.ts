/** Bytes, rate and ETA for progress events; the rate is averaged over the last few seconds. */
export class ProgressMeter {
  private readonly samples: Array<[number, number]> = []
  private readonly windowMs: number

  constructor(windowMs = 3000) {
    this.windowMs = windowMs
  }

  /** Records `bytesDone` at `now`; returns bytes per second and seconds left (null when unknown). */
  sample(
    bytesDone: number,
    bytesTotal: number | null,
    now = Date.now(),
  ): { bytesPerSecond: number; etaSeconds: number | null } {
    this.samples.push([now, bytesDone])
    while (this.samples.length > 2 && now - this.samples[0][0] > this.windowMs) this.samples.shift()
    const [t0, b0] = this.samples[0]
    const dt = (now - t0) / 1000
    const rate = dt > 0 ? Math.max(0, (bytesDone - b0) / dt) : 0
    const eta = bytesTotal !== null && rate > 0 ? Math.max(0, (bytesTotal - bytesDone) / rate) : null
    return { bytesPerSecond: Math.round(rate), etaSeconds: eta === null ? null : Math.round(eta * 10) / 10 }
  }
}
