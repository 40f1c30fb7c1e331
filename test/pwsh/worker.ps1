# A PowerShell that runs many scripts, one after another, each as its own `pwsh -File run-script.ps1` would
# (test/pwsh/harness.ts, PwshWorker). Starting PowerShell costs ~0.7 s of CPU and the preamble's first compile ~0.45 s;
# a warm process pays neither again. What a fresh process would give each run, it gets here:
#  - a fresh runspace (no variable, function, alias, drive, type data or module of an earlier run), bound to this
#    console host, so output, Write-Host and errors reach stdout/stderr formatted as the console host formats them;
#  - exactly the run's environment variables (plus what pwsh adds at its start, PSModulePath) and working folder;
#  - the console's encodings as this process started with them;
#  - the script run as -File runs it: one command with its errors merged into Out-Default, and an error that ends it
#    reported as the console host reports it (the harness reads "no result file" as exit code 1, as -File gives).
# Requests come on fd 3 (a JSON line each: env, cwd, marker); after a run the marker is written to stdout and stderr
# (so the harness knows where this run's output ends) and `{"error":bool}` goes back on fd 3. fd 3 closing (the test
# process gone) ends the loop.
# A kill of a run: when the harness caught the script waiting on its answer to a request (a program by the call
# operator, a cmdlet stand-in, a mark) and nothing else of the run is running (no process of this one's), it sends
# `{"abandon":true}` during the run and answers the request with `{"sdhFrozen":true}`, on which the preamble's
# Invoke-SdhRequest sleeps for good: the script never runs another line (no catch, no finally, as a killed process
# runs none), its runspace is left as it is (not disposed: that would stop the pipeline and run its finally blocks),
# and this process takes the next run, without a second PowerShell start (~2 s of CPU). Any other kill ends this
# process, as before.
$ErrorActionPreference = 'Stop'
$ctl = [System.IO.FileStream]::new([Microsoft.Win32.SafeHandles.SafeFileHandle]::new([IntPtr]3, $false), [System.IO.FileAccess]::ReadWrite, 1)
$utf8 = [System.Text.UTF8Encoding]::new($false)
$reader = [System.IO.StreamReader]::new($ctl, $utf8)
# Writes through a stream of their own: a read of fd 3 is pending while a run goes on (an abandon may come).
$ctlOut = [System.IO.FileStream]::new([Microsoft.Win32.SafeHandles.SafeFileHandle]::new([IntPtr]3, $false), [System.IO.FileAccess]::Write, 1)
$writer = [System.IO.StreamWriter]::new($ctlOut, $utf8)
$writer.AutoFlush = $true
$runScript = Join-Path $PSScriptRoot 'run-script.ps1'
# The console host itself (what $Host wraps): the runs' runspaces are bound to it as the process's own runspace is, so
# the host's own rendering applies (error records to stderr, as -File writes them).
$hostRef = $Host.GetType().GetField('_externalHostRef', [System.Reflection.BindingFlags]'NonPublic,Instance').GetValue($Host)
$consoleHost = $hostRef.GetType().GetProperty('Value', [System.Reflection.BindingFlags]'Public,NonPublic,Instance').GetValue($hostRef)
$iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
$outEncoding = [Console]::OutputEncoding
# The console host's writer is made at its first output, in the encoding of that moment, and kept: made here, before
# any run, as a process of its own has it when its script wrote anything before changing [Console]::OutputEncoding.
$Host.UI.Write('')
$stdout = [Console]::OpenStandardOutput()
$stderr = [Console]::OpenStandardError()
# What pwsh itself added to the environment at its start (PSModulePath): a fresh process of a run would add it too.
$spawned = [System.Collections.Generic.HashSet[string]]::new([string[]]@(ConvertFrom-Json $env:SDH_WORKER_KEYS), [System.StringComparer]::Ordinal)
$added = @{}
foreach ($e in [System.Environment]::GetEnvironmentVariables().GetEnumerator()) {
  if (-not $spawned.Contains([string]$e.Key)) { $added[[string]$e.Key] = [string]$e.Value }
}

# The runs abandoned at a kill, kept referenced (their threads sleep in the preamble for good).
$frozen = [System.Collections.Generic.List[object]]::new()
$pending = $reader.ReadLineAsync()
while ($null -ne ($line = $pending.GetAwaiter().GetResult())) {
  $pending = $reader.ReadLineAsync()
  $req = ConvertFrom-Json $line
  # An abandon that came after its run ended (the run was over by then): nothing to leave.
  if ($req.PSObject.Properties['abandon']) { continue }
  $want = @{}
  foreach ($k in $added.Keys) { $want[$k] = $added[$k] }
  foreach ($p in $req.env.PSObject.Properties) { $want[$p.Name] = [string]$p.Value }
  foreach ($k in @([System.Environment]::GetEnvironmentVariables().Keys)) {
    if (-not $want.ContainsKey([string]$k)) { [System.Environment]::SetEnvironmentVariable([string]$k, $null) }
  }
  foreach ($k in $want.Keys) { [System.Environment]::SetEnvironmentVariable($k, $want[$k]) }
  [System.Environment]::CurrentDirectory = [string]$req.cwd

  $failed = $false
  $abandoned = $false
  $rs = [runspacefactory]::CreateRunspace($consoleHost, $iss)
  $rs.Open()
  $ps = [powershell]::Create()
  $ps.Runspace = $rs
  try {
    [void]$ps.AddCommand($runScript)
    $ps.Commands.Commands[0].MergeMyResults('Error', 'Output')
    [void]$ps.AddCommand('Out-Default')
    try {
      # Run, and meanwhile listen on fd 3 for an abandon (a kill that leaves this process: see the top).
      $async = $ps.BeginInvoke()
      while (-not $async.IsCompleted) {
        if ([System.Threading.WaitHandle]::WaitAny(@($async.AsyncWaitHandle, ([System.IAsyncResult]$pending).AsyncWaitHandle)) -ne 1) { continue }
        $next = $pending.GetAwaiter().GetResult()
        # fd 3 closed: the test process is gone.
        if ($null -eq $next) { [System.Environment]::Exit(0) }
        $pending = $reader.ReadLineAsync()
        if ((ConvertFrom-Json $next).PSObject.Properties['abandon']) { $abandoned = $true; break }
      }
      if (-not $abandoned) { [void]$ps.EndInvoke($async) }
    } catch {
      $failed = $true
      # The error that ended the script, as the console host reports it on stderr: the record in its ErrorView
      # formatting (Out-String in the run's runspace, as Out-Default would format it), one line break at its end.
      # The pipeline's own record of why it failed (what the console host reports), not the exception as the call
      # to Invoke surfaced here (PowerShell may wrap it, "Exception calling Invoke").
      $e = $ps.InvocationStateInfo.Reason
      if ($null -eq $e) { $e = $_.Exception }
      $record = if ($e -is [System.Management.Automation.IContainsErrorRecord]) { $e.ErrorRecord } else { [System.Management.Automation.ErrorRecord]::new($e, 'ConsoleHost.ReportException', 'NotSpecified', $null) }
      $report = [powershell]::Create()
      $report.Runspace = $rs
      try {
        $text = -join @($report.AddCommand('Out-String').Invoke(@(, $record)))
        [Console]::Error.Write($text.TrimEnd("`r", "`n") + [Environment]::NewLine)
      } catch { [Console]::Error.WriteLine($e.Message) } finally { $report.Dispose() }
    }
  } finally {
    if ($abandoned) { $frozen.Add(@($ps, $rs)) } else {
      $ps.Dispose()
      $rs.Dispose()
    }
  }
  [Console]::Out.Flush()
  [Console]::Error.Flush()
  # The marker as raw ASCII bytes, whatever encoding the script gave the console (it is set back for the next run).
  if ([Console]::OutputEncoding.WebName -ne $outEncoding.WebName) { [Console]::OutputEncoding = $outEncoding }
  $bytes = [System.Text.Encoding]::ASCII.GetBytes([string]$req.marker)
  $stdout.Write($bytes, 0, $bytes.Length)
  $stdout.Flush()
  $stderr.Write($bytes, 0, $bytes.Length)
  $stderr.Flush()
  $writer.WriteLine((ConvertTo-Json -Compress @{ error = $failed }))
}
