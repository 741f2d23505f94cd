import { isIP } from 'node:net';

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is IPv4. */
export type IpBytes = Uint8Array;

/** The 4 bytes of a valid dotted IPv4 literal (already checked by `isIP`). */
function ipv4Bytes(text: string): IpBytes {
  const bytes = new Uint8Array(4);
  let part = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) part += 1;
    else bytes[part] = bytes[part]! * 10 + code - 48;
  }
  return bytes;
}

/** The 16 bytes of a valid IPv6 literal (already checked by `isIP`), zone id dropped. */
function ipv6Bytes(text: string): IpBytes {
  let address = text.split('%')[0]!;
  const bytes = new Uint8Array(16);
  let tail: IpBytes | undefined;
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    tail = ipv4Bytes(address.slice(lastColon + 1));
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const front = groups(head);
  const back = groups(rest);
  const all = rest === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

const isMappedIpv4 = (b: IpBytes) => b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** The bytes of an IP address, or undefined when `text` is not one. */
export function parseIp(text: string): IpBytes | undefined {
  const version = isIP(text);
  if (version === 4) return ipv4Bytes(text);
  if (version !== 6) return undefined;
  const bytes = ipv6Bytes(text);
  return isMappedIpv4(bytes) ? bytes.slice(12) : bytes;
}

export const formatIp = (b: IpBytes): string =>
  b.length === 4
    ? b.join('.')
    : Array.from({ length: 8 }, (_, i) => ((b[i * 2]! << 8) | b[i * 2 + 1]!).toString(16)).join(':');

export interface IpRange {
  bytes: IpBytes;
  prefix: number;
}

/** `10.0.0.0/8`, `fd00::/8` or a single address; undefined when malformed. */
export function parseRange(text: string): IpRange | undefined {
  const [address, prefixText, extra] = text.split('/');
  const bytes = parseIp(address!);
  if (!bytes || extra !== undefined) return undefined;
  const bits = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  // A mapped-IPv4 range like ::ffff:10.0.0.0/104 counts in IPv4 bits once mapped.
  const prefix = Number(prefixText) - (isIP(address!) === 6 && bytes.length === 4 ? 96 : 0);
  return prefix >= 0 && prefix <= bits ? { bytes, prefix } : undefined;
}

export function inRange(address: IpBytes, range: IpRange): boolean {
  if (address.length !== range.bytes.length) return false;
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== range.bytes[i]) return false;
  const rest = range.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole]! & mask) === (range.bytes[whole]! & mask);
}
