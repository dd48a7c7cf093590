/**
 * pid 1 of a sandbox without a terminal (`bwrap --as-pid-1`), running as the app's user.
 *
 * - The command runs as a child with SIGINT and SIGQUIT at their defaults and stdin passed on
 *   (an asynchronous command of a non-interactive shell would otherwise ignore them and read
 *   /dev/null, whatever its own redirections say: hence the copy on fd 3).
 * - SIGTERM goes to every process of the sandbox (`kill -1`), as Heroku signals every process of
 *   a dyno; the init then waits until all of them have exited, so that children started through
 *   `sh -c` finish their own shutdown. The platform sends SIGKILL at the end of the grace period.
 * - SIGINT goes to the command (Ctrl-C of a one-off without a terminal).
 * - When the command exits on its own, the init exits with its status at once: the kernel then
 *   kills whatever else is left in the pid namespace (a daemon it forked), so nothing outlives it.
 * - A command that is not found fails like a shell's would: `NAME: command not found`, 127.
 * - Nothing is added to the environment (dash exports PWD; it is unset).
 */
export const SANDBOX_INIT = `unset PWD
if ! command -v "$1" >/dev/null 2>&1; then echo "$1: command not found" >&2; exit 127; fi
exec 3<&0
/usr/bin/env --default-signal=INT,QUIT "$@" <&3 3<&- &
main=$!
exec 3<&-
stopping=
trap 'stopping=1; kill -TERM -1 2>/dev/null' TERM
trap 'kill -INT "$main" 2>/dev/null' INT
while :; do
  wait "$main" 2>/dev/null
  status=$?
  kill -0 "$main" 2>/dev/null || break
done
if [ -n "$stopping" ]; then
  while set -- /proc/[0-9]*; [ "$#" -gt 1 ]; do /usr/bin/sleep 0.05; done
fi
exit "$status"
`;
