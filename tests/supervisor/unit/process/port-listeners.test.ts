import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foreignListener, listenerUids } from '../../../../supervisor/src/process/port-listeners.js';

// /proc/net/tcp as Linux writes it: port 8080 (1F90) listened on by uid 1001 and uid 65534, a
// connection (state 01) of uid 7 from that port, and port 8081 listened on by uid 1001.
const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 111 1 0 100 0 0 10 0
   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65534        0 112 1 0 100 0 0 10 0
   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     7        0 113 1 0 20 4 30 10 -1
   3: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 114 1 0 100 0 0 10 0
`;

describe('the owners of a port’s listeners', () => {
  it('reads the listening sockets of the port only, with their uids', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-tcp-'));
    try {
      const file = path.join(dir, 'tcp');
      fs.writeFileSync(file, table);
      expect(listenerUids(8080, [file, path.join(dir, 'missing')]).sort()).toEqual([1001, 65534]);
      expect(listenerUids(8081, [file])).toEqual([1001]);
      expect(listenerUids(9, [file])).toEqual([]);
      expect(foreignListener(8081, 1001, [file])).toBeUndefined();
      expect(foreignListener(8080, 1001, [file])).toBe(
        'its health port 8080 is held by a process of uid 65534, not by the runner (uid 1001)',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
