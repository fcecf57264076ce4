/**
 * Generates every icon in resources/ from shapes, with Node alone (zlib for PNG):
 *   icon.png (512) and icon.ico (16–256)            the app and installer icon
 *   icons/tray/linux/<state>.png + @2x              coloured, for AppIndicator
 *   icons/tray/mac/<state>Template.png + @2x        black + alpha template images (macOS tints them)
 *   icons/tray/win/<state>.ico                      16–64 px in one .ico
 *   icons/notification/{failure,recovery}.png       shown beside Linux and Windows notifications
 * States: idle (the mirror), syncing (an amber badge with a turning arc), failed (a red badge with
 * "!"). Run: node scripts/make-icons.ts — and commit the files it writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** A picture in unit coordinates: (0,0) top left, (1,1) bottom right. */
type Paint = (x: number, y: number) => Rgba;

const BLUE: Rgba = [37, 99, 235, 255];
const DARK_BLUE: Rgba = [30, 64, 175, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const GLASS: Rgba = [191, 219, 254, 255];
const AMBER: Rgba = [217, 119, 6, 255];
const RED: Rgba = [220, 38, 38, 255];
const GREEN: Rgba = [22, 163, 74, 255];
const BLACK: Rgba = [0, 0, 0, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

const insideEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
  ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const insideCircle = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function insideRoundedSquare(x: number, y: number, margin: number, radius: number): boolean {
  const min = margin;
  const max = 1 - margin;
  if (x < min || x > max || y < min || y > max) return false;
  const cx = Math.min(Math.max(x, min + radius), max - radius);
  const cy = Math.min(Math.max(y, min + radius), max - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** The app icon (as resources/icon.png always looked): a white oval mirror on a stand, on blue. */
const appIcon: Paint = (x, y) => {
  if (!insideRoundedSquare(x, y, 0.047, 0.1875)) return CLEAR;
  if (x >= 0.4766 && x <= 0.5234 && y >= 0.742 && y <= 0.82) return WHITE;
  if (insideEllipse(x, y, 0.5, 0.836, 0.137, 0.031)) return WHITE;
  if (insideEllipse(x, y, 0.5, 0.461, 0.25, 0.309)) {
    if (!insideEllipse(x, y, 0.5, 0.461, 0.203, 0.262)) return WHITE;
    const diagonal = (x + y) * 512;
    if ((diagonal > 390 && diagonal < 430) || (diagonal > 450 && diagonal < 470)) return WHITE;
    return GLASS;
  }
  return y > 0.586 ? DARK_BLUE : BLUE;
};

const BADGE = { cx: 0.72, cy: 0.72, r: 0.27, gap: 0.06 } as const;

/** The tray's base: a bold mirror frame, legible at 16 px. */
function trayBase(x: number, y: number, tone: 'colour' | 'template'): Rgba {
  if (tone === 'colour') {
    if (!insideRoundedSquare(x, y, 0.03, 0.2)) return CLEAR;
    if (insideEllipse(x, y, 0.5, 0.5, 0.3, 0.38)) return insideEllipse(x, y, 0.5, 0.5, 0.18, 0.26) ? GLASS : WHITE;
    return BLUE;
  }
  if (insideEllipse(x, y, 0.5, 0.5, 0.36, 0.46) && !insideEllipse(x, y, 0.5, 0.5, 0.22, 0.32)) return BLACK;
  return CLEAR;
}

type Glyph = 'arc' | 'bang' | 'check';

function insideGlyph(glyph: Glyph, x: number, y: number): boolean {
  const { cx, cy, r } = BADGE;
  const dx = x - cx;
  const dy = y - cy;
  if (glyph === 'arc') {
    // A ring open at the top right, with an arrow head at its top end pointing clockwise: "↻".
    const angle = Math.atan2(dy, dx);
    const inGap = angle > -Math.PI / 2 && angle < -Math.PI / 6;
    if (Math.hypot(dx, dy) > r * 0.38 && Math.hypot(dx, dy) < r * 0.68 && !inGap) return true;
    const mid = r * 0.53;
    const half = r * 0.3;
    return insideTriangle(x, y, [cx - r * 0.02, cy - mid - half], [cx - r * 0.02, cy - mid + half], [cx + r * 0.36, cy - mid]);
  }
  if (glyph === 'bang') {
    if (Math.abs(dx) < r * 0.16 && dy > -r * 0.62 && dy < r * 0.18) return true;
    return insideCircle(x, y, cx, cy + r * 0.45, r * 0.17);
  }
  // A tick: two strokes meeting low left of centre.
  const strokeA = distance(x, y, cx - r * 0.45, cy, cx - r * 0.1, cy + r * 0.35) < r * 0.15;
  const strokeB = distance(x, y, cx - r * 0.1, cy + r * 0.35, cx + r * 0.5, cy - r * 0.35) < r * 0.15;
  return strokeA || strokeB;
}

function insideTriangle(x: number, y: number, a: [number, number], b: [number, number], c: [number, number]): boolean {
  const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const ab = side(a, b);
  const bc = side(b, c);
  const ca = side(c, a);
  return (ab >= 0 && bc >= 0 && ca >= 0) || (ab <= 0 && bc <= 0 && ca <= 0);
}

/** Distance from (x, y) to the segment (ax, ay)–(bx, by). */
function distance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** Adds a badge: a clear gap around it, the badge, its glyph (white on colour; cut out of a template). */
function withBadge(base: (x: number, y: number) => Rgba, colour: Rgba | 'template', glyph: Glyph): Paint {
  return (x, y) => {
    const { cx, cy, r, gap } = BADGE;
    if (!insideCircle(x, y, cx, cy, r + gap)) return base(x, y);
    if (!insideCircle(x, y, cx, cy, r)) return CLEAR;
    if (colour === 'template') return insideGlyph(glyph, x, y) ? CLEAR : BLACK;
    return insideGlyph(glyph, x, y) ? WHITE : colour;
  };
}

const STATES = ['idle', 'syncing', 'failed'] as const;

function trayPaint(state: (typeof STATES)[number], tone: 'colour' | 'template'): Paint {
  const base = (x: number, y: number) => trayBase(x, y, tone);
  if (state === 'idle') return base;
  const colour = tone === 'template' ? 'template' : state === 'syncing' ? AMBER : RED;
  return withBadge(base, colour, state === 'syncing' ? 'arc' : 'bang');
}

function notificationPaint(kind: 'failure' | 'recovery'): Paint {
  return withBadge(appIcon, kind === 'failure' ? RED : GREEN, kind === 'failure' ? 'bang' : 'check');
}

/** Renders `paint` at size×size with 4×4 supersampling (premultiplied, so edges stay clean). */
function rasterize(paint: Paint, size: number): Buffer {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const offset = (py * size + px) * 4;
      pixels[offset] = a ? Math.round(r / a) : 0;
      pixels[offset + 1] = a ? Math.round(g / a) : 0;
      pixels[offset + 2] = a ? Math.round(b / a) : 0;
      pixels[offset + 3] = Math.round(a / (samples * samples));
    }
  }
  return pixels;
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

export function encodePng(pixels: Buffer, size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An .ico holding one PNG per size (supported since Windows Vista). */
export function encodeIco(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

const png = (paint: Paint, size: number) => encodePng(rasterize(paint, size), size);
const ico = (paint: Paint, sizes: number[]) => encodeIco(sizes.map((size) => ({ size, png: png(paint, size) })));

const resources = new URL('../resources/', import.meta.url);
const written: string[] = [];
function write(path: string, data: Buffer): void {
  const file = join(resources.pathname, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  written.push(`${path} (${data.length} bytes)`);
}

write('icon.png', png(appIcon, 512));
write('icon.ico', ico(appIcon, [16, 24, 32, 48, 64, 128, 256]));
for (const state of STATES) {
  write(`icons/tray/linux/${state}.png`, png(trayPaint(state, 'colour'), 32));
  write(`icons/tray/linux/${state}@2x.png`, png(trayPaint(state, 'colour'), 64));
  write(`icons/tray/mac/${state}Template.png`, png(trayPaint(state, 'template'), 16));
  write(`icons/tray/mac/${state}Template@2x.png`, png(trayPaint(state, 'template'), 32));
  write(`icons/tray/win/${state}.ico`, ico(trayPaint(state, 'colour'), [16, 20, 24, 32, 40, 48, 64]));
}
write('icons/notification/failure.png', png(notificationPaint('failure'), 128));
write('icons/notification/recovery.png', png(notificationPaint('recovery'), 128));
console.log(`wrote, under resources/:\n  ${written.join('\n  ')}`);
