package org.berth.ledger.control;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv4Prefix;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;

/**
 * A batch of new entries an admin generates: consecutive IPv4 addresses, each with a MAC counted up
 * from a start, an optional IPv6 address in a prefix (carrying the IPv4 address in its last 32
 * bits, as many IPAMs do), and a host name from a pattern such as {@code pvm{n:03}.example.com}.
 *
 * @param ipv4 a range {@code 192.0.2.100-192.0.2.119} or a CIDR block {@code 192.0.2.128/28}
 * @param ipv6Prefix an IPv6 prefix such as {@code 2001:db8:0:160::/64}, or blank for none
 * @param macStart the first MAC; the others count up from it
 * @param hostPattern the host name, with {@code {n}} or {@code {n:03}} for the running number
 * @param firstNumber the running number of the first entry
 */
public record AddressBatch(
    String ipv4, String ipv6Prefix, String macStart, String hostPattern, int firstNumber) {

  public static final int MAX_ENTRIES = 4096;
  private static final Pattern NUMBER = Pattern.compile("\\{n(?::0(\\d))?}");

  /** The entries, or every field that is wrong, named with its rule. */
  public List<LedgerFile.NewEntry> entries() {
    Map<String, String> errors = new LinkedHashMap<>();
    List<Ipv4Address> v4 = List.of();
    try {
      v4 = ipv4Addresses(ipv4);
    } catch (IllegalArgumentException e) {
      errors.put("ipv4", e.getMessage());
    }
    Ipv6Address prefix = null;
    if (ipv6Prefix != null && !ipv6Prefix.isBlank()) {
      IPAddress p = new IPAddressString(ipv6Prefix.strip()).getAddress();
      if (p == null
          || !p.isIPv6()
          || p.getNetworkPrefixLength() == null
          || p.getNetworkPrefixLength() > 96) {
        errors.put(
            "ipv6Prefix", "must be an IPv6 prefix of at most /96, such as 2001:db8:0:160::/64");
      } else {
        prefix = Ipv6Address.parse(p.toPrefixBlock().getLower().withoutPrefixLength().toString());
      }
    }
    long mac0 = 0;
    try {
      mac0 = MacAddress.of(macStart).bits();
    } catch (IllegalArgumentException e) {
      errors.put("macStart", e.getMessage());
    }
    if (hostPattern == null || !NUMBER.matcher(hostPattern).find()) {
      errors.put(
          "hostPattern",
          "must contain {n} or {n:03} for the running number, such as pvm{n:03}.example.com");
    }
    if (firstNumber < 0) {
      errors.put("firstNumber", "must be 0 or more");
    }
    if (!errors.isEmpty()) {
      throw new InvalidBatchSpec(errors);
    }
    if (mac0 + v4.size() - 1 > 0xFFFFFFFFFFFFL) {
      throw new InvalidBatchSpec(Map.of("macStart", "the MACs would run past ff:ff:ff:ff:ff:ff"));
    }
    List<LedgerFile.NewEntry> out = new ArrayList<>(v4.size());
    for (int i = 0; i < v4.size(); i++) {
      String host = hostName(firstNumber + i);
      Hostname name;
      try {
        name = Hostname.of(host);
      } catch (IllegalArgumentException e) {
        throw new InvalidBatchSpec(Map.of("hostPattern", e.getMessage()));
      }
      // As many IPAMs do, the IPv6 address carries the IPv4 address in its last 32 bits.
      Ipv6Address v6 = prefix == null ? null : Ipv6Address.embedding(prefix, v4.get(i));
      out.add(new LedgerFile.NewEntry(name, v4.get(i), v6, MacAddress.ofBits(mac0 + i)));
    }
    return out;
  }

  private String hostName(int n) {
    Matcher m = NUMBER.matcher(hostPattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String width = m.group(1);
      m.appendReplacement(
          out, width == null ? Integer.toString(n) : String.format("%0" + width + "d", n));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static List<Ipv4Address> ipv4Addresses(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "is required: a range such as 192.0.2.100-192.0.2.119 or a block such as 192.0.2.128/28");
    }
    String s = spec.strip();
    Ipv4Address first;
    Ipv4Address last;
    if (s.contains("/")) {
      Ipv4Prefix block = Ipv4Prefix.parse(s);
      if (block.length() < 20) {
        throw new IllegalArgumentException("the prefix length must be between 20 and 32");
      }
      first = block.network();
      last = block.broadcast();
      if (block.length() <= 30) {
        first = first.plus(1); // the network address
        last = last.plus(-1); // the broadcast address
      }
    } else if (s.contains("-")) {
      String[] parts = s.split("-", 2);
      first = Ipv4Address.parse(parts[0]);
      last = Ipv4Address.parse(parts[1]);
      if (last.compareTo(first) < 0) {
        throw new IllegalArgumentException("the range must go up: " + s);
      }
    } else {
      first = Ipv4Address.parse(s);
      last = first;
    }
    if (last.bits() - first.bits() + 1 > MAX_ENTRIES) {
      throw new IllegalArgumentException("at most " + MAX_ENTRIES + " addresses in one batch");
    }
    List<Ipv4Address> out = new ArrayList<>();
    for (Ipv4Address a = first; a.compareTo(last) <= 0; a = a.plus(1)) {
      out.add(a);
    }
    return out;
  }
}
