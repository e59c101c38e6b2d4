import writeFileAtomic from 'write-file-atomic';

/**
 * Writes a file atomically (temp file in the same directory, fsync, rename), with its mode set
 * before the rename, so a reader never sees a half-written file nor a secret with loose
 * permissions, and a failed write leaves the old file intact.
 */
export async function writeFileAtomically(file: string, data: string, mode: number): Promise<void> {
  await writeFileAtomic(file, data, { mode, fsync: true });
}
