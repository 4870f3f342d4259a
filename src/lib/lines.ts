import fs from 'node:fs';

/**
 * The lines of a file (without their \n), read synchronously a block at a time: only the block
 * and the current line are in memory, whatever the file's size. A line longer than `maxLine`
 * bytes is an error.
 */
export function* fileLines(file: string, maxLine = 64 * 1024 * 1024): Iterable<string> {
  const fd = fs.openSync(file, 'r');
  const block = Buffer.allocUnsafe(1024 * 1024);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = block.indexOf(10, start); nl !== -1 && nl < n; nl = block.indexOf(10, start)) {
        pending.push(block.subarray(start, nl));
        yield Buffer.concat(pending).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (start < n) {
        pending.push(Buffer.from(block.subarray(start, n)));
        pendingBytes += n - start;
        if (pendingBytes > maxLine) throw new RangeError(`a line of ${file} is longer than ${maxLine} bytes`);
      }
    }
    if (pendingBytes > 0) yield Buffer.concat(pending).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
