/**
 * Generates resources/icon.png (512×512, RGBA): a blue rounded square holding a white oval mirror
 * with a reflection stripe. Dependency-free (zlib only). Run: node resources/make-icon.ts
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // supersampling per axis, for smooth edges

type Rgba = [number, number, number, number];
const BLUE: Rgba = [37, 99, 235, 255];
const DARK_BLUE: Rgba = [30, 64, 175, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const GLASS: Rgba = [191, 219, 254, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

function insideRoundedSquare(x: number, y: number, margin: number, radius: number): boolean {
  const min = margin;
  const max = SIZE - margin;
  if (x < min || x > max || y < min || y > max) return false;
  const cx = Math.min(Math.max(x, min + radius), max - radius);
  const cy = Math.min(Math.max(y, min + radius), max - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function insideEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}

function colorAt(x: number, y: number): Rgba {
  if (!insideRoundedSquare(x, y, 24, 96)) return CLEAR;
  const cx = 256;
  const cy = 236;
  // Stand of the mirror.
  if (x >= 244 && x <= 268 && y >= 380 && y <= 420) return WHITE;
  if (insideEllipse(x, y, 256, 428, 70, 16)) return WHITE;
  // Frame, glass and a diagonal reflection.
  if (insideEllipse(x, y, cx, cy, 128, 158)) {
    if (!insideEllipse(x, y, cx, cy, 104, 134)) return WHITE;
    const diagonal = x + y;
    if ((diagonal > 390 && diagonal < 430) || (diagonal > 450 && diagonal < 470)) return WHITE;
    return GLASS;
  }
  // A subtle lower half shade on the background.
  return y > 300 ? DARK_BLUE : BLUE;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [r, g, b, a] = colorAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        sum[0] += r * a;
        sum[1] += g * a;
        sum[2] += b * a;
        sum[3] += a;
      }
    }
    const alpha = sum[3]! / (SAMPLES * SAMPLES);
    const offset = row + 1 + x * 4;
    raw[offset] = alpha ? Math.round(sum[0]! / sum[3]!) : 0;
    raw[offset + 1] = alpha ? Math.round(sum[1]! / sum[3]!) : 0;
    raw[offset + 2] = alpha ? Math.round(sum[2]! / sum[3]!) : 0;
    raw[offset + 3] = Math.round(alpha);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
