/**
 * The ACL of one add-on's user: its keys (`~prefix*`) and pub/sub channels (`&prefix*`), and the
 * commands an app needs. Everything data-related is allowed (@all), then taken away:
 * - @admin and @dangerous: server-wide power (CONFIG, FLUSHALL, KEYS, MONITOR, DEBUG, SHUTDOWN...).
 * - commands that see past the prefix or act on the whole server: SCAN and RANDOMKEY (they list
 *   other add-ons' key names), DBSIZE, SELECT and SWAPDB (one keyspace), PUBSUB (lists channels),
 *   FUNCTION/FCALL (the function library is shared by all users), SCRIPT FLUSH/KILL.
 * Given back: INFO (ioredis and queue libraries check the server version with it; it shows
 * server-wide counters but no key names), CLIENT SETNAME/GETNAME/ID/INFO (connection
 * bookkeeping of client libraries), SCRIPT LOAD/EXISTS (EVALSHA).
 * Scripts (EVAL) run with the user's permissions, so they cannot reach other keys either.
 */
export function addonAclRules(prefix: string, password: string): string[] {
  return [
    'reset',
    'on',
    `>${password}`,
    `~${prefix}*`,
    `&${prefix}*`,
    '+@all',
    '-@admin',
    '-@dangerous',
    '+info',
    '-scan',
    '-randomkey',
    '-dbsize',
    '-select',
    '-swapdb',
    '-pubsub',
    '-function',
    '-fcall',
    '-fcall_ro',
    '-script',
    '+script|load',
    '+script|exists',
    '-client',
    '+client|setname',
    '+client|getname',
    '+client|id',
    '+client|info',
  ];
}
