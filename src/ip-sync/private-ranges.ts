// The private IPv4 ranges an NLB accepts as IP targets (RFC 1918 and RFC 6598): the one list that
// synthesis-time validation, the plan-time DNS check and the IP sync Lambda all use. It lives
// beside the Lambda handler because that folder is what the Lambda's zip holds; no imports.

/** The ranges, as CIDR blocks. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Parses a dotted IPv4 address into a 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
  if (typeof text !== "string" || !IPV4.test(text)) return undefined;
  return text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** True when `text` is an IPv4 address in one of the private ranges. */
export function isPrivateIpv4(text: string): boolean {
  const ip = parseIpv4(text);
  return ip !== undefined && PRIVATE_RANGES.some((cidr) => {
    const [base, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(ip / size) * size === parseIpv4(base);
  });
}
