/** A progress bar with an accessible name; indeterminate when `value` is null. */
export function ProgressBar({ label, value }: { label: string; value: number | null }) {
  const pct = value === null ? undefined : Math.round(value * 100)
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div
        className={value === null ? 'progress-fill indeterminate' : 'progress-fill'}
        style={value === null ? undefined : { width: `${pct}%` }}
      />
    </div>
  )
}
