package org.berth.requests.boundary;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;

/**
 * READY guests as Ansible's dynamic inventory ({@code ansible-inventory -i script --list}): one
 * host per guest, named like the guest; groups by kind, template, node and owner ({@code kind_vm},
 * {@code template_debian_12}, {@code node_pve1}, {@code owner_alice}); host variables with the
 * address, the template's user, and for NAT guests the jump host as {@code ProxyJump}.
 */
final class AnsibleInventory {

  private AnsibleInventory() {}

  static JsonObject of(List<RequestView> guests, AccessPoints points) {
    Map<String, TreeSet<String>> groups = new TreeMap<>();
    JsonObjectBuilder hostvars = Json.createObjectBuilder();
    for (RequestView g : guests) {
      if (g.state() != RequestState.READY) {
        continue;
      }
      Optional<JsonObject> vars = hostVars(g, points);
      if (vars.isEmpty()) {
        continue;
      }
      hostvars.add(g.name(), vars.get());
      for (String[] by :
          new String[][] {
            {"kind", g.kind().name()},
            {"template", g.template()},
            {"node", g.guestNode()},
            {"owner", g.owner()}
          }) {
        if (by[1] != null) {
          group(groups, by[0], by[1]).add(g.name());
        }
      }
    }
    JsonObjectBuilder out = Json.createObjectBuilder();
    JsonArrayBuilder children = Json.createArrayBuilder();
    groups.forEach(
        (name, hosts) -> {
          children.add(name);
          JsonArrayBuilder list = Json.createArrayBuilder();
          hosts.forEach(list::add);
          out.add(name, Json.createObjectBuilder().add("hosts", list));
        });
    out.add("all", Json.createObjectBuilder().add("children", children));
    out.add("_meta", Json.createObjectBuilder().add("hostvars", hostvars));
    return out.build();
  }

  private static TreeSet<String> group(Map<String, TreeSet<String>> groups, String by, String v) {
    return groups.computeIfAbsent(groupName(by, v), k -> new TreeSet<>());
  }

  /** A valid Ansible group name: letters, digits and underscores. */
  static String groupName(String by, String value) {
    return by + "_" + value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  private static Optional<JsonObject> hostVars(RequestView g, AccessPoints points) {
    boolean nat = g.networkMode() == NetworkMode.NAT;
    String address = nat ? (g.ipv4() == null ? null : g.ipv4().toString()) : g.host();
    if (address == null || (nat && points.jumpHost() == null)) {
      return Optional.empty(); // nothing Ansible could reach
    }
    JsonObjectBuilder vars =
        Json.createObjectBuilder().add("ansible_host", address).add("ansible_user", g.osUser());
    if (points.guestSshPort() != 22) {
      vars.add("ansible_port", points.guestSshPort());
    }
    if (nat) {
      vars.add(
          "ansible_ssh_common_args",
          "-o ProxyJump="
              + g.owner()
              + "@"
              + points.jumpHost()
              + (points.jumpPort() == 22 ? "" : ":" + points.jumpPort()));
    }
    vars.add("berth_request", g.id())
        .add("berth_kind", g.kind().name().toLowerCase(Locale.ROOT))
        .add("berth_template", g.template())
        .add("berth_owner", g.owner())
        .add("berth_network", nat ? "nat" : "ledger");
    if (g.ipv4() != null) {
      vars.add("berth_ipv4", g.ipv4().toString());
    }
    if (g.ipv6() != null) {
      vars.add("berth_ipv6", g.ipv6().toString());
    }
    if (g.guestNode() != null) {
      vars.add("berth_node", g.guestNode());
    }
    if (g.leaseEnds() != null) {
      vars.add("berth_lease_ends", g.leaseEnds().toString());
    }
    return Optional.of(vars.build());
  }
}
