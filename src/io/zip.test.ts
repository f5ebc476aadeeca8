import { describe, expect, it } from 'vitest';
import { craftZip } from './testing/craft-zip';
import { crc32, isZip, readZip, writeZip } from './zip';

const text = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('writeZip / readZip', () => {
  it('round-trips members, names and order', async () => {
    const entries = [
      { name: 'a.npy', data: text('hello') },
      { name: 'empty.npy', data: new Uint8Array(0) },
      { name: 'größe/ß.bin', data: new Uint8Array(70_000).map((_, i) => i * 7) },
    ];
    const zip = writeZip(entries);
    expect(isZip(zip)).toBe(true);
    const back = await readZip(zip);
    expect(back.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    back.forEach((e, i) => expect(Array.from(e.data)).toEqual(Array.from(entries[i].data)));
  });

  it('reads an archive that sits at an odd offset inside a larger buffer', async () => {
    const zip = writeZip([{ name: 'x', data: text('xyz') }]);
    const holder = new Uint8Array(zip.length + 5);
    holder.set(zip, 5);
    expect(new TextDecoder().decode((await readZip(holder.subarray(5)))[0].data)).toBe('xyz');
  });

  it('reads deflated members', async () => {
    const big = new Uint8Array(100_000).map((_, i) => (i % 251) ^ (i >> 9));
    const back = await readZip(craftZip([{ name: 'big.npy', data: big }, { name: 't.txt', data: text('tiny') }]));
    expect(back.map((e) => e.name)).toEqual(['big.npy', 't.txt']);
    expect(Buffer.from(back[0].data).equals(Buffer.from(big))).toBe(true);
    expect(new TextDecoder().decode(back[1].data)).toBe('tiny');
  });

  it('inflates only the wanted members', async () => {
    const stats = { inflated: 0 };
    const zip = craftZip([{ name: 'skip.txt', data: new Uint8Array(50_000) }, { name: 'a.npy', data: text('kept') }]);
    const back = await readZip(zip, { wanted: (name) => name.endsWith('.npy'), stats });
    expect(back.map((e) => e.name)).toEqual(['a.npy']);
    expect(stats.inflated).toBe(4);
  });
});

describe('readZip on bad input', () => {
  it('rejects a tiny file', async () => {
    await expect(readZip(text('PK\x03\x04'))).rejects.toThrow(/zip archive is truncated: only 4 bytes/);
  });

  it('rejects an archive without its central directory, or cut inside a member', async () => {
    const zip = writeZip([{ name: 'a', data: new Uint8Array(100) }]);
    await expect(readZip(zip.subarray(0, 120))).rejects.toThrow(/end of central directory not found/);
    const deflated = craftZip([{ name: 'a', data: new Uint8Array(100).map((_, i) => i) }]);
    const cut = deflated.slice();
    // The directory claims more compressed bytes than the file holds before it.
    new DataView(cut.buffer).setUint32(cut.length - 22 - 47 + 20, 10_000, true);
    await expect(readZip(cut)).rejects.toThrow(/zip entry a is truncated/);
  });

  it('detects a corrupted member through its CRC', async () => {
    const zip = writeZip([{ name: 'a', data: text('some member data') }]);
    zip[32] ^= 1; // inside the data of the first member (30-byte header + 1-byte name)
    await expect(readZip(zip)).rejects.toThrow(/zip entry a: CRC-32 mismatch/);
  });

  it('refuses corrupt deflate data with the member name', async () => {
    const zip = craftZip([{ name: 'a.npy', data: new Uint8Array(1000).map((_, i) => i * 31) }]);
    zip.fill(0xff, 31, 40);
    await expect(readZip(zip)).rejects.toThrow(/zip entry a.npy: /);
  });

  it('refuses unsupported compression methods', async () => {
    const zip = writeZip([{ name: 'a', data: text('abc') }]);
    const cd = zip.length - 22 - 47;
    new DataView(zip.buffer).setUint16(cd + 10, 12, true); // bzip2
    await expect(readZip(zip)).rejects.toThrow(/compression method 12/);
  });

  it('refuses encrypted members', async () => {
    const zip = writeZip([{ name: 'a', data: text('abc') }]);
    const cd = zip.length - 22 - 47;
    new DataView(zip.buffer).setUint16(cd + 8, 1, true);
    await expect(readZip(zip)).rejects.toThrow(/encrypted/);
  });
});

describe('readZip bounds the work on hostile archives', () => {
  const zeros = (n: number) => new Uint8Array(n);

  it('refuses a bomb whose declared size exceeds the budget without inflating anything', async () => {
    const stats = { inflated: 0 };
    const zip = craftZip([{ name: 'a.npy', data: zeros(4 << 20) }]);
    expect(zip.length).toBeLessThan(8 << 10);
    await expect(readZip(zip, { maxTotalBytes: 1 << 20, stats })).rejects.toThrow(
      'zip members declare 4194304 bytes uncompressed, more than the 1048576-byte limit',
    );
    expect(stats.inflated).toBe(0);
  });

  it('refuses a declared size deflate cannot reach from the compressed size', async () => {
    const zip = craftZip([{ name: 'a.npy', data: text('abc'), declaredSize: 1 << 30 }]);
    await expect(readZip(zip)).rejects.toThrow(/declares 1073741824 bytes from 5 compressed, more than deflate can produce/);
  });

  it('stops a member that inflates to more than it declares, after at most one chunk beyond', async () => {
    const stats = { inflated: 0 };
    const zip = craftZip([{ name: 'a.npy', data: zeros(8 << 20), declaredSize: 1000 }]);
    await expect(readZip(zip, { stats })).rejects.toThrow('zip entry a.npy: inflates to more than the 1000 bytes the zip directory declares');
    expect(stats.inflated).toBeLessThanOrEqual(1000 + (64 << 10));
  });

  it('refuses a member that inflates to less than it declares', async () => {
    const zip = craftZip([{ name: 'a.npy', data: zeros(1000), declaredSize: 2000 }]);
    await expect(readZip(zip)).rejects.toThrow('zip entry a.npy: inflates to 1000 bytes, the zip directory declares 2000');
  });

  it('refuses many directory entries pointing at one member before inflating', async () => {
    const stats = { inflated: 0 };
    const zip = craftZip([{ name: 'a.npy', data: zeros(1 << 20) }], [0, 0, 0, 0, 0, 0, 0, 0]);
    await expect(readZip(zip, { stats })).rejects.toThrow('zip entries a.npy and a.npy overlap');
    expect(stats.inflated).toBe(0);
  });

  it('refuses members whose data ranges overlap', async () => {
    const zip = craftZip([{ name: 'a.npy', data: text('first member'), stored: true }, { name: 'b.npy', data: text('second'), stored: true }]);
    // Point b's directory entry 4 bytes into a's data.
    const view = new DataView(zip.buffer);
    const secondRecord = zip.length - 22 - 46 - 5;
    view.setUint32(secondRecord + 42, 30 + 5 + 4, true);
    await expect(readZip(zip)).rejects.toThrow(/overlap|local header missing/);
  });

  it('refuses a directory with more entries than the limit, or than the file can hold', async () => {
    const zip = craftZip([{ name: 'a', data: text('x'), stored: true }, { name: 'b', data: text('y'), stored: true }]);
    await expect(readZip(zip, { maxEntries: 1 })).rejects.toThrow('zip archive claims 2 entries (the limit is 1)');
    const lying = zip.slice();
    new DataView(lying.buffer).setUint16(lying.length - 22 + 10, 60_000, true);
    await expect(readZip(lying)).rejects.toThrow('zip archive claims 60000 entries');
  });

  it('refuses a stored member whose declared size differs from its stored bytes', async () => {
    const zip = craftZip([{ name: 'a.npy', data: text('abc'), stored: true, declaredSize: 9 }]);
    await expect(readZip(zip)).rejects.toThrow('zip entry a.npy: stored member declares 9 bytes but holds 3');
  });
});
