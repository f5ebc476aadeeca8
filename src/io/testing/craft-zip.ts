/** Test helper: zip archives built independently of writeZip, including hostile ones (not used by the app). */
import zlib from 'node:zlib';
import { crc32 } from '../zip';

export interface CraftedMember {
  name: string;
  data: Uint8Array;
  /** Uncompressed size written to the headers (default: the real one). */
  declaredSize?: number;
  stored?: boolean;
}

/**
 * A zip built independently of writeZip: members deflated (what np.savez_compressed writes) unless
 * `stored`, and a directory listing the members `listings` names (default: each once, in order).
 */
export function craftZip(members: CraftedMember[], listings = members.map((_, i) => i)): Uint8Array {
  const parts: Buffer[] = [];
  const records: Array<{ local: Buffer; name: Buffer; offset: number }> = [];
  let offset = 0;
  for (const m of members) {
    const packed = m.stored ? Buffer.from(m.data) : zlib.deflateRawSync(m.data);
    const name = Buffer.from(m.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc32(m.data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(m.declaredSize ?? m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, packed);
    records.push({ local, name, offset });
    offset += 30 + name.length + packed.length;
  }
  const central: Buffer[] = [];
  for (const i of listings) {
    const { local, name, offset: at } = records[i];
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 6);
    local.copy(dir, 8, 6, 28); // flags, method, time, date, crc, sizes, name length
    dir.writeUInt32LE(at, 42);
    central.push(dir, name);
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listings.length, 8);
  end.writeUInt16LE(listings.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}
