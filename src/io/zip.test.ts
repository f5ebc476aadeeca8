import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, isZip, readZip, writeZip } from './zip';

const text = (s: string) => new TextEncoder().encode(s);

/** A zip whose members are deflated (what np.savez_compressed writes), built independently of writeZip. */
function deflatedZip(members: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const packed = zlib.deflateRawSync(m.data);
    const name = Buffer.from(m.name);
    const crc = crc32(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(m.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(dir, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('writeZip / readZip', () => {
  it('round-trips members, names and order', () => {
    const entries = [
      { name: 'a.npy', data: text('hello') },
      { name: 'empty.npy', data: new Uint8Array(0) },
      { name: 'größe/ß.bin', data: new Uint8Array(70_000).map((_, i) => i * 7) },
    ];
    const zip = writeZip(entries);
    expect(isZip(zip)).toBe(true);
    const back = readZip(zip);
    expect(back.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    back.forEach((e, i) => expect(Array.from(e.data)).toEqual(Array.from(entries[i].data)));
  });

  it('reads an archive that sits at an odd offset inside a larger buffer', () => {
    const zip = writeZip([{ name: 'x', data: text('xyz') }]);
    const holder = new Uint8Array(zip.length + 5);
    holder.set(zip, 5);
    expect(new TextDecoder().decode(readZip(holder.subarray(5))[0].data)).toBe('xyz');
  });

  it('reads deflated members', () => {
    const big = new Uint8Array(100_000).map((_, i) => (i % 251) ^ (i >> 9));
    const back = readZip(deflatedZip([{ name: 'big.npy', data: big }, { name: 't.txt', data: text('tiny') }]));
    expect(back.map((e) => e.name)).toEqual(['big.npy', 't.txt']);
    expect(Buffer.from(back[0].data).equals(Buffer.from(big))).toBe(true);
    expect(new TextDecoder().decode(back[1].data)).toBe('tiny');
  });
});

describe('readZip on bad input', () => {
  it('rejects a tiny file', () => {
    expect(() => readZip(text('PK\x03\x04'))).toThrow(/zip archive is truncated: only 4 bytes/);
  });

  it('rejects an archive without its central directory', () => {
    const zip = writeZip([{ name: 'a', data: new Uint8Array(100) }]);
    expect(() => readZip(zip.subarray(0, 120))).toThrow(/end of central directory not found/);
  });

  it('detects a corrupted member through its CRC', () => {
    const zip = writeZip([{ name: 'a', data: text('some member data') }]);
    zip[32] ^= 1; // inside the data of the first member (30-byte header + 1-byte name)
    expect(() => readZip(zip)).toThrow(/zip entry a: CRC-32 mismatch/);
  });

  it('refuses unsupported compression methods', () => {
    const zip = writeZip([{ name: 'a', data: text('abc') }]);
    const cd = zip.length - 22 - 47;
    new DataView(zip.buffer).setUint16(cd + 10, 12, true); // bzip2
    expect(() => readZip(zip)).toThrow(/compression method 12/);
  });

  it('refuses encrypted members', () => {
    const zip = writeZip([{ name: 'a', data: text('abc') }]);
    const cd = zip.length - 22 - 47;
    new DataView(zip.buffer).setUint16(cd + 8, 1, true);
    expect(() => readZip(zip)).toThrow(/encrypted/);
  });
});
