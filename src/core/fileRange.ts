/** Reading one byte range of a file whole (a read may return less than asked: it reads on until the range or the file ends). */
import { open } from 'node:fs/promises';
import { fileError } from './errors';

/** `flags`: 'r', or READ_NO_FOLLOW (confinedPath.ts) for a workspace file, which must not be a symbolic link. */
export async function readFileRange(file: string, start: number, length: number, flags: string | number = 'r'): Promise<Buffer> {
  let fh;
  try {
    fh = await open(file, flags);
  } catch (e) {
    throw fileError(e, file, 'read');
  }
  try {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}
