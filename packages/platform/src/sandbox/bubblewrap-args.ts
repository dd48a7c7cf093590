import type { SandboxBind } from '../shared-ports/sandbox.js';

export interface BubblewrapPlan {
  argv: string[];
  cwd: string;
  uid: number;
  gid: number;
  binds: SandboxBind[];
  /** Files the sandbox gets as /etc/passwd and /etc/group (naming the app's user). */
  passwdFile: string;
  groupFile: string;
  /**
   * Without a terminal our init (a file on the host) runs the command and passes SIGTERM on;
   * with one, the command runs directly and the terminal delivers Ctrl-C. bwrap's own reaper is
   * pid 1 either way.
   */
  initFile: string | null;
  /** The size of its private /tmp in bytes; null: tmpfs's default (half the host's memory). */
  tmpBytes?: number | null;
  /** The init reports a command that exits 0 leaving processes behind (sandbox-init.ts). */
  reportLeftovers?: boolean;
}

/** Read-only views of the host that every sandbox gets; anything else of the host is absent. */
const HOST_FILES = ['/etc/ssl', '/etc/ca-certificates', '/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/localtime', '/etc/mime.types'];
export const INIT_PATH = '/run/dozen-init';
export const REPORT_LEFTOVERS = '--report-leftovers';

/**
 * The bubblewrap command line (after `bwrap`) for one sandboxed program. Run as root: root bwrap
 * can bind paths under the platform's 0700 data dir, and `setpriv` then drops to the app's real
 * uid inside (a uid of a user namespace started as root would map to host root).
 */
export function bubblewrapArgs(plan: BubblewrapPlan): string[] {
  const args = [
    '--ro-bind', '/usr', '/usr',
    '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin',
    // Directories bwrap creates for binds are 0700 root; the app's user must be able to traverse them.
    '--perms', '0755', '--dir', '/etc',
    ...HOST_FILES.flatMap((path) => ['--ro-bind-try', path, path]),
    '--ro-bind', plan.passwdFile, '/etc/passwd',
    '--ro-bind', plan.groupFile, '/etc/group',
    '--perms', '1777', ...(plan.tmpBytes ? ['--size', String(plan.tmpBytes)] : []), '--tmpfs', '/tmp',
    '--perms', '0755', '--dir', '/run',
    '--proc', '/proc', '--dev', '/dev',
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--die-with-parent',
  ];
  const made = new Set(['/', '/etc', '/run', '/tmp', '/usr', '/proc', '/dev']);
  for (const bind of plan.binds) {
    for (const dir of ancestors(bind.target)) {
      if (made.has(dir)) continue;
      made.add(dir);
      args.push('--perms', '0755', '--dir', dir);
    }
    args.push(bind.writable ? '--bind' : '--ro-bind', bind.source, bind.target);
  }
  if (plan.initFile !== null) args.push('--ro-bind', plan.initFile, INIT_PATH, '--info-fd', '3');
  args.push('--chdir', plan.cwd, '--');
  args.push('/usr/bin/setpriv', '--reuid', String(plan.uid), '--regid', String(plan.gid), '--clear-groups', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all', '--');
  if (plan.initFile !== null) args.push('/bin/sh', INIT_PATH, ...(plan.reportLeftovers ? [REPORT_LEFTOVERS] : []));
  args.push(...plan.argv);
  return args;
}

/** /etc/passwd and /etc/group naming the app's user, so that tools that look it up work. */
export function userFiles(uid: number, gid: number): { passwd: string; group: string } {
  return {
    passwd: `root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:${uid}:${gid}:app:/app:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    group: `root:x:0:\napp:x:${gid}:\nnogroup:x:65534:\n`,
  };
}

/** `/opt/node/bin` -> `/opt`, `/opt/node`: bwrap would create them 0700. */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}
