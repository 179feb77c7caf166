package org.berth.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.berth.testing.Standalone;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database holds the NAT address rules on its own (migration V006), whatever code writes the
 * rows: no two live NAT guests share an address or a MAC, a released one may be held again, and an
 * address comes with its MAC.
 */
@Standalone
class NatAddressConstraintsIT {

  DataSource db;
  long template;

  @BeforeEach
  void schema() throws SQLException {
    db = TestDatabase.fresh();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO template (name, kind, hypervisor_ref, os_user, default_cores,"
                    + " max_cores, default_memory_mib, max_memory_mib, default_disk_gib,"
                    + " max_disk_gib) VALUES ('ct', 'CONTAINER', 'local:vztmpl/x.tar.zst', 'root',"
                    + " 1, 2, 256, 512, 2, 4) RETURNING id")) {
      var rs = s.executeQuery();
      rs.next();
      template = rs.getLong(1);
    }
  }

  long request(String name, String ipv4, String mac) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO guest_request (owner, state, kind, name, template_id, cores,"
                    + " memory_mib, disk_gib, network_mode, ipv4, mac, ssh_keys, lease_days,"
                    + " purpose) VALUES ('alice', 'READY', 'CONTAINER', ?, ?, 1, 256, 2, 'NAT', ?,"
                    + " ?, ARRAY['ssh-ed25519 AAAA'], 5, 'tests') RETURNING id")) {
      s.setString(1, name);
      s.setLong(2, template);
      s.setString(3, ipv4);
      s.setString(4, mac);
      var rs = s.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  void release(long id) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE guest_request SET state = 'DELETED', address_released_at = now()"
                    + " WHERE id = ?")) {
      s.setLong(1, id);
      s.executeUpdate();
    }
  }

  @Test
  void twoLiveNatGuestsNeverShareAnAddressOrAMac() throws SQLException {
    request("a", "10.77.0.2", "02:BE:27:00:00:02");
    assertThatThrownBy(() -> request("b", "10.77.0.2", "02:BE:27:00:00:09"))
        .hasMessageContaining("guest_request_nat_ipv4");
    assertThatThrownBy(() -> request("c", "10.77.0.9", "02:be:27:00:00:02"))
        .as("a MAC differing only in case")
        .hasMessageContaining("guest_request_nat_mac");
  }

  @Test
  void aReleasedAddressAndMacMayBeHeldAgain() throws SQLException {
    long first = request("a", "10.77.0.2", "02:BE:27:00:00:02");
    release(first);
    assertThat(request("b", "10.77.0.2", "02:BE:27:00:00:02")).isGreaterThan(first);
  }

  @Test
  void anAddressComesWithItsMacAndAMacHasItsFormat() {
    assertThatThrownBy(() -> request("a", "10.77.0.2", null))
        .hasMessageContaining("guest_request_nat_address");
    assertThatThrownBy(() -> request("b", null, "02:BE:27:00:00:02"))
        .hasMessageContaining("guest_request_nat_address");
    assertThatThrownBy(() -> request("c", "10.77.0.3", "02-BE-27-00-00-03"))
        .hasMessageContaining("guest_request_mac_format");
  }
}
