// Crafts the hostile inputs of issue 15 ("Bounded parsers") into .cache/bad-inputs and runs each
// through the CLI under /usr/bin/time -v, printing exit code, elapsed time, peak RSS and the error.
// Usage: node scripts/measure-bad-inputs.mjs [case ...]   (cases: startup baseline huge-mlp huge-cnn npz-bomb npz-shared mnist-trailing)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const OUT = '.cache/bad-inputs';
const MNIST = '../shared/data/mnist';
const MIB = 1 << 20;
const CLASSES = JSON.stringify(Array.from({ length: 10 }, (_, i) => String(i)));

function safetensors(metadata, tensors) {
  const header = { __metadata__: metadata };
  let offset = 0;
  for (const [name, shape] of tensors) {
    const bytes = 4 * shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, Buffer.alloc(offset)]);
}

function weightMeta(model, config) {
  return { format: 'scratchnet/1', model, config: JSON.stringify(config), classes: CLASSES };
}

function npyHeader(shape, dataBytes) {
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  const pad = (64 - ((10 + dict.length + 1) % 64)) % 64;
  const text = dict + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(text.length, 8);
  return { bytes: Buffer.concat([head, Buffer.from(text, 'latin1')]), total: 10 + text.length + dataBytes };
}

/** A zip with one deflated member (npy header + `dataBytes` zeros) listed `listings` times in the directory. */
async function zipBomb(dataBytes, listings) {
  const name = Buffer.from('fc1.weight.npy');
  const header = npyHeader([dataBytes], dataBytes);
  // header then zeros, deflated as one stream: compress the header with a sync flush, then the zeros.
  const z = zlib.createDeflateRaw({ level: 9 });
  const parts = [];
  z.on('data', (c) => parts.push(c));
  let crc = zlib.crc32(header.bytes);
  const done = new Promise((resolve) => z.on('end', resolve));
  z.write(header.bytes);
  const block = Buffer.alloc(MIB);
  for (let left = dataBytes; left > 0; left -= MIB) {
    const n = Math.min(left, MIB);
    crc = zlib.crc32(block.subarray(0, n), crc);
    if (!z.write(block.subarray(0, n))) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  const packed = Buffer.concat(parts);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(header.total, 22);
  local.writeUInt16LE(name.length, 26);
  const central = [];
  for (let i = 0; i < listings; i++) {
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(header.total, 24);
    dir.writeUInt16LE(name.length, 28);
    central.push(dir, name);
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listings, 8);
  end.writeUInt16LE(listings, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(30 + name.length + packed.length, 16);
  return Buffer.concat([local, name, packed, cd, end]);
}

const CASES = {
  // Reference: CLI start-up alone (tsx compiling the sources), the floor under every figure below.
  startup: async () => ['--help'],
  // Reference: a valid file and folder, i.e. CLI start-up plus reading MNIST (not a hostile input).
  baseline: async () => ['predict', '../shared/fixtures/pytorch/mlp_tanh_64_32.safetensors', '--data', MNIST, '--index', '0'],
  'huge-mlp': async () => {
    const file = path.join(OUT, 'huge-mlp.safetensors');
    writeFileSync(file, safetensors(weightMeta('mlp', { hidden: [20000, 20000], activation: 'relu' }), [['fc1.weight', [1, 1]]]));
    return ['predict', file, '--data', MNIST, '--index', '0'];
  },
  'huge-cnn': async () => {
    const file = path.join(OUT, 'huge-cnn.safetensors');
    writeFileSync(file, safetensors(weightMeta('cnn', { padding: 1, channels: [4096, 4096], fc: 4096 }), [['conv1.weight', [1, 1, 1, 1]]]));
    return ['predict', file, '--data', MNIST, '--index', '0'];
  },
  'npz-bomb': async () => {
    const file = path.join(OUT, 'npz-bomb.npz');
    writeFileSync(file, await zipBomb(1024 * MIB - 128, 1));
    return ['predict', file, '--data', MNIST, '--index', '0'];
  },
  'npz-shared': async () => {
    const file = path.join(OUT, 'npz-shared.npz');
    writeFileSync(file, await zipBomb(256 * MIB - 128, 8));
    return ['predict', file, '--data', MNIST, '--index', '0'];
  },
  'mnist-trailing': async () => {
    const dir = path.join(OUT, 'mnist-trailing');
    mkdirSync(dir, { recursive: true });
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
      copyFileSync(path.join(MNIST, f), path.join(dir, f));
    }
    const target = path.join(dir, 't10k-images-idx3-ubyte.gz');
    if (!existsSync(target)) {
      const { readFileSync } = await import('node:fs');
      const data = zlib.gunzipSync(readFileSync(path.join(MNIST, 't10k-images-idx3-ubyte.gz')));
      const gz = zlib.createGzip({ level: 9 });
      const parts = [];
      gz.on('data', (c) => parts.push(c));
      const done = new Promise((r) => gz.on('end', r));
      gz.write(data);
      const block = Buffer.alloc(MIB);
      for (let i = 0; i < 1024; i++) if (!gz.write(block)) await new Promise((r) => gz.once('drain', r));
      gz.end();
      await done;
      writeFileSync(target, Buffer.concat(parts));
    }
    return ['predict', '../shared/fixtures/pytorch/mlp_tanh_64_32.safetensors', '--data', dir, '--index', '0'];
  },
};

mkdirSync(OUT, { recursive: true });
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(CASES);
for (const name of names) {
  const args = await CASES[name]();
  const run = spawnSync('/usr/bin/time', ['-v', 'npx', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const field = (label) => new RegExp(`${label}: (.*)`).exec(run.stderr)?.[1]?.trim();
  const error = run.stderr.split('\n').find((l) => l.startsWith('error:')) ?? '(no error line)';
  const rssMb = Math.round(Number(field('Maximum resident set size \\(kbytes\\)')) / 1024);
  console.log(`${name}: exit ${field('Exit status')}, elapsed ${field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)')}, peak RSS ${rssMb} MB`);
  console.log(`  ${error}`);
}
