/**
 * The first process of a sandbox without a terminal, as the app's user (pid 2: bubblewrap's own
 * reaper, which stays root and so keeps `--die-with-parent`, is pid 1).
 *
 * - The command runs as a child with stdin passed on and SIGINT and SIGQUIT at their defaults (an
 *   asynchronous command of a non-interactive shell would otherwise read /dev/null, whatever its
 *   own redirections say, hence the copy on fd 3, and ignore both signals).
 * - SIGTERM goes to every process of the sandbox (`kill -1`), as Heroku signals every process of
 *   a dyno; the init then waits until all of them have exited, so that children started through
 *   `sh -c` finish their own shutdown. The platform sends SIGKILL at the end of the grace period.
 *   The trap comes first; a SIGTERM that arrives before the command started is passed on once it has
 *   (the platform signals the init only once the trap is installed).
 * - When the command exits on its own, the init exits with its status at once: bubblewrap then
 *   ends, its reaper dies with it, and the kernel kills whatever else is left in the pid namespace
 *   (a daemon it forked), so nothing outlives the process.
 * - With `--report-leftovers` first (app processes of the formation), a command that exits 0 on
 *   its own while processes it started still run (it daemonized) is reported on stderr as
 *   `dozen-init: exited 0 leaving N` (the runtime's evidence, issue 18).
 * - A command that is not found fails like a shell's would: `NAME: command not found`, 127.
 * - Nothing is added to the environment (dash exports PWD; it is unset).
 */
export const SANDBOX_INIT = `main=
stopping=
report=
if [ "$1" = --report-leftovers ]; then report=1; shift; fi
trap 'stopping=1; kill -TERM -1 2>/dev/null' TERM
unset PWD
if ! command -v "$1" >/dev/null 2>&1; then echo "$1: command not found" >&2; exit 127; fi
exec 3<&0
/usr/bin/env --default-signal=INT,QUIT "$@" <&3 3<&- &
main=$!
exec 3<&-
if [ -n "$stopping" ]; then kill -TERM "$main" 2>/dev/null; fi
while :; do
  wait "$main" 2>/dev/null
  status=$?
  kill -0 "$main" 2>/dev/null || break
done
if [ -n "$report" ] && [ -z "$stopping" ] && [ "$status" = 0 ]; then
  set -- /proc/[0-9]*
  if [ "$#" -gt 2 ]; then echo "dozen-init: exited $status leaving $(($# - 2))" >&2; fi
fi
if [ -n "$stopping" ]; then
  while set -- /proc/[0-9]*; [ "$#" -gt 2 ]; do /usr/bin/sleep 0.05; done
fi
exit "$status"
`;
