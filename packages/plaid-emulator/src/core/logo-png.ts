import { deflateSync } from 'node:zlib';

/**
 * Draws a small institution logo as a real PNG (RGBA, 8-bit) with node:zlib: a rounded square in
 * the institution's colour with a white shape on it. Returned base64, as Plaid returns `logo`.
 */
export type LogoShape = 'circle' | 'diamond' | 'ring' | 'bars' | 'triangle' | 'cross';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function inShape(shape: LogoShape, x: number, y: number): boolean {
  // x, y in [-1, 1]
  const r = Math.hypot(x, y);
  switch (shape) {
    case 'circle': return r < 0.5;
    case 'ring': return r < 0.55 && r > 0.32;
    case 'diamond': return Math.abs(x) + Math.abs(y) < 0.6;
    case 'bars': return Math.abs(y) < 0.5 && Math.abs(x) < 0.55 && Math.floor((x + 0.55) / 0.22) % 2 === 0;
    case 'triangle': return y < 0.45 && y > -0.5 && Math.abs(x) < (y + 0.5) * 0.6;
    case 'cross': return (Math.abs(x) < 0.15 && Math.abs(y) < 0.55) || (Math.abs(y) < 0.15 && Math.abs(x) < 0.55);
  }
}

export function drawLogoPng(colorHex: string, shape: LogoShape, size = 64): string {
  const [r, g, b] = parseHex(colorHex);
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const radius = size * 0.2;
  for (let py = 0; py < size; py++) {
    const row = py * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      const o = row + 1 + px * 4;
      // rounded-corner mask
      const cx = Math.min(Math.max(px + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(py + 0.5, radius), size - radius);
      const inside = Math.hypot(px + 0.5 - cx, py + 0.5 - cy) <= radius;
      if (!inside) continue; // transparent
      const x = ((px + 0.5) / size) * 2 - 1;
      const y = ((py + 0.5) / size) * 2 - 1;
      const white = inShape(shape, x, y);
      raw[o] = white ? 255 : r;
      raw[o + 1] = white ? 255 : g;
      raw[o + 2] = white ? 255 : b;
      raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return png.toString('base64');
}
