package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.berth.platform.refusal.InvalidInput;
import org.berth.testing.Components;
import org.berth.testing.Standalone;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The keys people keep in their profile, stored through the entity on a real database. */
@Standalone
class SshKeysComponentTest {

  static Components components;
  static SshKeys keys;

  @BeforeAll
  static void start() {
    components = Components.start();
    keys = components.store(SshKeys.class);
  }

  @AfterAll
  static void stop() {
    components.close();
  }

  @Test
  void keysAreKeptOncePerPersonOldestFirstAndRemovedOnlyByTheirOwner() throws Exception {
    String laptop = TestKeys.ed25519("carol@laptop");
    String desk = TestKeys.ed25519("carol@desk");
    SshKeys.Saved first = keys.add("carol", "laptop", laptop);
    keys.add("carol", "desk", desk);
    keys.add("dave", "shared", laptop);

    assertThat(keys.of("carol")).extracting(SshKeys.Saved::label).containsExactly("laptop", "desk");
    assertThat(keys.of("carol").get(0).fingerprint()).startsWith("SHA256:");
    assertThatThrownBy(() -> keys.add("carol", "again", laptop + " other comment"))
        .isInstanceOf(KeyAlreadySaved.class)
        .hasMessage("key: is already in your profile as 'laptop'");

    assertThat(keys.remove("dave", first.id())).as("someone else's key").isFalse();
    assertThat(keys.remove("carol", first.id())).isTrue();
    assertThat(keys.of("carol")).extracting(SshKeys.Saved::label).containsExactly("desk");
    assertThat(rows("carol")).isEqualTo(1);
  }

  @Test
  void aRefusedKeyLeavesNothingStored() throws Exception {
    assertThatThrownBy(() -> keys.add("erin", "", "ssh-ed25519 not-a-key"))
        .isInstanceOfSatisfying(
            InvalidInput.class, e -> assertThat(e.fields()).containsOnlyKeys("label", "key"));
    assertThat(rows("erin")).isZero();
  }

  @Test
  void aPersonKeepsAtMostFiftyKeys() throws Exception {
    for (int i = 0; i < SshKeys.MAX_KEYS; i++) {
      keys.add("frank", "key " + i, TestKeys.ed25519("frank@" + i));
    }
    assertThatThrownBy(() -> keys.add("frank", "one more", TestKeys.ed25519("frank@more")))
        .hasMessage("key: you keep 50 keys already; remove one first");
    assertThat(rows("frank")).isEqualTo(SshKeys.MAX_KEYS);
  }

  static int rows(String username) throws Exception {
    try (Connection c = components.database().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT count(*) FROM ssh_key WHERE username = '" + username + "'")) {
      r.next();
      return r.getInt(1);
    }
  }
}
