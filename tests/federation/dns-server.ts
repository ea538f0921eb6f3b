// A tiny DNS server on 127.0.0.1 for tests: answers A queries from a script the
// test sets per name (first query gets the first address, and so on; the last
// one repeats), answers AAAA with no records, and NXDOMAIN for unknown names.
// With KOMINN_DNS_SERVERS pointing here, no name lookup leaves the machine.
import { createSocket, type RemoteInfo } from "node:dgram";

export interface TestDns {
  /** "127.0.0.1:<port>", the value for KOMINN_DNS_SERVERS. */
  server: string;
  /** Every question asked, in order. */
  queries: { name: string; type: "A" | "AAAA" | number }[];
  /** Scripted IPv4 answers for `name`: one per A query, the last repeated. */
  answer(name: string, addresses: readonly string[]): void;
  close(): Promise<void>;
}

function readName(packet: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (packet[at] !== 0) {
    const length = packet[at];
    labels.push(packet.subarray(at + 1, at + 1 + length).toString("latin1"));
    at += 1 + length;
  }
  return { name: labels.join(".").toLowerCase(), end: at + 1 };
}

export async function startTestDns(): Promise<TestDns> {
  const scripts = new Map<string, { addresses: readonly string[]; used: number }>();
  const queries: TestDns["queries"] = [];
  const socket = createSocket("udp4");

  socket.on("message", (packet: Buffer, from: RemoteInfo) => {
    if (packet.length < 12) return;
    const { name, end } = readName(packet, 12);
    const qtype = packet.readUInt16BE(end);
    const question = packet.subarray(12, end + 4);
    const type = qtype === 1 ? "A" : qtype === 28 ? "AAAA" : qtype;
    queries.push({ name, type });
    const script = scripts.get(name);
    let addresses: string[] = [];
    if (script && qtype === 1) {
      addresses = [script.addresses[Math.min(script.used, script.addresses.length - 1)]];
      script.used++;
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(packet.readUInt16BE(0), 0); // id
    const recursionDesired = packet[2] & 0x01;
    header.writeUInt16BE(0x8400 | (recursionDesired << 8) | 0x0080 | (script ? 0 : 3), 2); // QR, AA, RD, RA, rcode
    header.writeUInt16BE(1, 4); // one question
    header.writeUInt16BE(addresses.length, 6);
    const answers = addresses.map((address) => {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(0, 6); // TTL 0: never cached
      record.writeUInt16BE(4, 10);
      address.split(".").forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
      return record;
    });
    socket.send(Buffer.concat([header, question, ...answers]), from.port, from.address);
  });

  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    answer(name, addresses) {
      scripts.set(name.toLowerCase(), { addresses, used: 0 });
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
