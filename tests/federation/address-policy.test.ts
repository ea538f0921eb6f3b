// The address policy itself: which addresses are public, how KOMINN_ALLOW_HOSTS
// relaxes it, and that a fetch is refused where the connection is made. Only
// the pure classification sees the non-loopback forms; every request made
// here goes to a loopback address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressPolicy, isPublicAddress } from "../../core/address-policy.ts";
import { fetchActivityJson } from "../../federation/fetch-guard.ts";
import { ConfigError, loadConfig } from "../../core/config.ts";
import { startCanary, type Canary } from "./network-peer.ts";

describe("isPublicAddress", () => {
  it("refuses private, loopback, link-local, shared, reserved and multicast IPv4", () => {
    for (const address of [
      "0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.5.6.7", "169.254.169.254", "172.16.0.1", "172.31.255.255",
      "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255",
    ]) expect(isPublicAddress(address), address).toBe(false);
  });

  it("refuses loopback, unspecified, ULA, link-local, site-local, multicast and documentation IPv6", () => {
    for (const address of ["::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "100::1", "3fff::1"]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("sees through IPv4 embedded in IPv6: mapped, 6to4, NAT64, and refuses IPv4-compatible forms", () => {
    for (const address of [
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
      "2002:7f00:1::", "2002:0a00:0001::1", "2002:c0a8:0101:1::1", "2002:a9fe:a9fe::",
      "64:ff9b::127.0.0.1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::8.8.8.8",
      "::127.0.0.1", "::10.0.0.1", "::8.8.8.8", "::ffff:0:8.8.8.8",
      "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    ]) expect(isPublicAddress(address), address).toBe(false);
    for (const address of ["::ffff:8.8.8.8", "2002:0808:0808::1", "64:ff9b::8.8.8.8", "64:ff9b::808:808"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("lets ordinary public addresses through", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "151.101.1.1", "2a00:1450:4001:80b::200e", "2606:4700::6810:84e5"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("treats anything that is not an address as not public", () => {
    for (const address of ["", "localhost", "example.org", "1.2.3", "fe80::1%eth0"]) expect(isPublicAddress(address), address).toBe(false);
  });
});

describe("AddressPolicy with KOMINN_ALLOW_HOSTS entries", () => {
  const policy = new AddressPolicy(["127.0.0.1:4101", "peer.internal", "[::1]:8080"]);

  it("allows a private address only for the host:port or host an entry names", () => {
    expect(policy.allows({ host: "127.0.0.1", port: 4101 }, "127.0.0.1")).toBe(true);
    expect(policy.allows({ host: "127.0.0.1", port: 4102 }, "127.0.0.1")).toBe(false);
    expect(policy.allows({ host: "127.0.0.2", port: 4101 }, "127.0.0.2")).toBe(false);
    // The entry names an address: a name that resolves to it, on that port, reaches it; the same name on another address does not.
    expect(policy.allows({ host: "a.example", port: 4101 }, "127.0.0.1")).toBe(true);
    expect(policy.allows({ host: "a.example", port: 4101 }, "127.0.0.2")).toBe(false);
    // The entry names a host: its private addresses, on any port.
    expect(policy.allows({ host: "peer.internal", port: 443 }, "10.0.0.5")).toBe(true);
    expect(policy.allows({ host: "other.internal", port: 443 }, "10.0.0.5")).toBe(false);
    expect(policy.allows({ host: "[::1]", port: 8080 }, "::1")).toBe(true);
    expect(policy.allows({ host: "[::1]", port: 8081 }, "::1")).toBe(false);
    expect(policy.allows({ host: "127.0.0.1", port: 4101 }, "::ffff:127.0.0.1")).toBe(true);
  });

  it("allows public addresses whatever the entries, and nothing private without one", () => {
    expect(policy.allows({ host: "example.org", port: 443 }, "93.184.215.14")).toBe(true);
    expect(new AddressPolicy([]).allows({ host: "127.0.0.1", port: 4101 }, "127.0.0.1")).toBe(false);
  });
});

describe("configuration", () => {
  it("reads KOMINN_ALLOW_HOSTS as host or host:port entries", () => {
    const config = loadConfig({ KOMINN_ALLOW_HOSTS: "127.0.0.1, 127.0.0.1:4101 ,[::1]:80,Peer.Internal" });
    expect(config.allowHosts).toEqual(["127.0.0.1", "127.0.0.1:4101", "[::1]:80", "peer.internal"]);
    expect(loadConfig({}).allowHosts).toEqual([]);
  });

  it("refuses an entry that is not a host or host:port", () => {
    for (const bad of ["http://127.0.0.1", "127.0.0.1:99999", "a b", "127.0.0.1/8"]) {
      expect(() => loadConfig({ KOMINN_ALLOW_HOSTS: bad }), bad).toThrow(/KOMINN_ALLOW_HOSTS/);
    }
  });

  it("stops at start when the old KOMINN_ALLOW_PRIVATE_ADDRESS is set, and names the new variable", () => {
    for (const value of ["true", "false"]) {
      let error: unknown;
      try {
        loadConfig({ KOMINN_ALLOW_PRIVATE_ADDRESS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/KOMINN_ALLOW_PRIVATE_ADDRESS/);
      expect((error as Error).message).toMatch(/KOMINN_ALLOW_HOSTS/);
    }
  });

  it("reads KOMINN_DNS_SERVERS as address or address:port entries", () => {
    expect(loadConfig({ KOMINN_DNS_SERVERS: "127.0.0.1:5353,::1" }).dnsServers).toEqual(["127.0.0.1:5353", "::1"]);
    expect(() => loadConfig({ KOMINN_DNS_SERVERS: "dns.example" })).toThrow(/KOMINN_DNS_SERVERS/);
  });
});

describe("a fetch is refused where the connection is made", () => {
  let canary: Canary;
  beforeAll(async () => {
    canary = await startCanary("127.0.0.1");
  });
  afterAll(async () => {
    await canary.close();
  });

  it("refuses loopback in any spelling unless the host is named, and never connects", async () => {
    const network = { origin: "http://127.0.0.1:1", allowHosts: [] as string[], dnsServers: [] as string[] };
    for (const url of [
      `http://127.0.0.1:${canary.port}/`,
      `http://[::ffff:127.0.0.1]:${canary.port}/`,
      `http://[::ffff:7f00:1]:${canary.port}/`,
      `http://0x7f.1:${canary.port}/`,
      `http://2130706433:${canary.port}/`,
    ]) {
      await expect(fetchActivityJson(url, { network }), url).rejects.toThrow(/refused/);
    }
    await expect(fetchActivityJson("file:///etc/passwd", { network })).rejects.toThrow(/scheme/);
    expect(canary.connections()).toBe(0);
    // Named, the same address is reached.
    const allowed = { ...network, allowHosts: [`127.0.0.1:${canary.port}`] };
    await expect(fetchActivityJson(`http://127.0.0.1:${canary.port}/`, { network: allowed })).rejects.toThrow();
    expect(canary.connections()).toBe(1);
  });
});
