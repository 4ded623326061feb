// Draws the app icon (a white ring, "zéro", around a leaf on green) as
// public/icon.svg and as full-bleed PNGs (public/icon-192.png, icon-512.png,
// safe for maskable use: everything sits inside the central 80 % circle).
// Run by hand (`npm run icons`) when the design changes; the PNGs are
// committed, so the build does not depend on this script.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'public');

// Geometry on a 512 × 512 canvas.
const GREEN = [0x1b, 0x6b, 0x3a];
const WHITE = [0xff, 0xff, 0xff];
const C = 256;
const RING_R = 150;
const RING_W = 44;
const TIP = 70; // leaf tips at (C - TIP, C + TIP) and (C + TIP, C - TIP)
const LEAF_R = 131.4; // radius of the two arcs that make the leaf
const LEAF_OFF = 61.1; // their centres sit at C ± LEAF_OFF on both axes
const RIB_W = 12;
const STEM = 26;

const p1 = [C - TIP, C + TIP];
const p2 = [C + TIP, C - TIP];
const ribEnd = [p1[0] + (p2[0] - p1[0]) * 0.72, p1[1] + (p2[1] - p1[1]) * 0.72];
const stemEnd = [p1[0] - STEM / Math.SQRT2, p1[1] + STEM / Math.SQRT2];

function svg() {
  const f = (n) => Number(n.toFixed(1));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
<rect width="512" height="512" rx="112" fill="#1b6b3a"/>
<circle cx="${C}" cy="${C}" r="${RING_R}" fill="none" stroke="#fff" stroke-width="${RING_W}"/>
<path d="M${p1[0]} ${p1[1]}A${LEAF_R} ${LEAF_R} 0 0 1 ${p2[0]} ${p2[1]}A${LEAF_R} ${LEAF_R} 0 0 1 ${p1[0]} ${p1[1]}Z" fill="#fff"/>
<path d="M${p1[0]} ${p1[1]}L${f(ribEnd[0])} ${f(ribEnd[1])}" stroke="#1b6b3a" stroke-width="${RIB_W}" stroke-linecap="round"/>
<path d="M${p1[0]} ${p1[1]}L${f(stemEnd[0])} ${f(stemEnd[1])}" stroke="#fff" stroke-width="${RIB_W}" stroke-linecap="round"/>
</svg>
`;
}

function segDist(x, y, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t = ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy);
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

// Colour of one point of the 512 canvas (later layers paint over earlier ones).
function colourAt(x, y) {
  let c = GREEN;
  if (Math.abs(Math.hypot(x - C, y - C) - RING_R) <= RING_W / 2) c = WHITE;
  const inA = Math.hypot(x - (C + LEAF_OFF), y - (C + LEAF_OFF)) <= LEAF_R;
  const inB = Math.hypot(x - (C - LEAF_OFF), y - (C - LEAF_OFF)) <= LEAF_R;
  if (inA && inB) c = WHITE;
  if (segDist(x, y, p1, ribEnd) <= RIB_W / 2) c = GREEN;
  if (segDist(x, y, p1, stemEnd) <= RIB_W / 2) c = WHITE;
  return c;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size) {
  const SS = 4; // 4 × 4 samples per pixel for smooth edges
  const scale = 512 / size;
  const raw = Buffer.alloc(size * (1 + size * 3));
  let o = 0;
  for (let py = 0; py < size; py++) {
    raw[o++] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = colourAt((px + (sx + 0.5) / SS) * scale, (py + (sy + 0.5) / SS) * scale);
          sum[0] += c[0];
          sum[1] += c[1];
          sum[2] += c[2];
        }
      }
      for (let i = 0; i < 3; i++) raw[o++] = Math.round(sum[i] / (SS * SS));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(join(out, 'icon.svg'), svg());
for (const size of [192, 512]) writeFileSync(join(out, `icon-${size}.png`), png(size));
console.log('icons written to', out);
