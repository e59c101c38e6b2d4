import fs from 'node:fs';

/**
 * The owners (uids) of the TCP sockets that listen on a port, from /proc/net/tcp and tcp6 (any
 * user may read them; they are this network namespace's, the one the runner shares). The health
 * port must be the runner's own: a process of another user that took it first (the runner then
 * only warns and runs without /healthz) would answer for it, its runner_id on the dashboard and a
 * hung runner never found out (issue 28). Checked at every start, by the first poll of the watch.
 */
export function listenerUids(port: number, tables: readonly string[] = ['/proc/net/tcp', '/proc/net/tcp6']): number[] {
  const uids = new Set<number>();
  for (const table of tables) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (fields[3] !== '0A' || local === undefined) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      const uid = Number(fields[7]);
      if (Number.isInteger(uid)) uids.add(uid);
    }
  }
  return [...uids];
}

/**
 * Why the port's listener is not the expected user's, or undefined when every listener is;
 * `uids` are the listeners' owners when the caller has read them already.
 */
export function foreignListener(
  port: number,
  expectedUid: number,
  tables?: readonly string[],
  uids: readonly number[] = listenerUids(port, tables),
): string | undefined {
  const foreign = uids.filter((uid) => uid !== expectedUid);
  if (foreign.length === 0) return undefined;
  return `its health port ${port} is held by a process of uid ${foreign.join(', ')}, not by the runner (uid ${expectedUid})`;
}
