package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoUsersTest {

  private final DemoUsers users = new DemoUsers();

  @Test
  void signsInTheDemoUsersWithTheirPasswords() {
    assertThat(users.verify("alice", "alice"))
        .hasValueSatisfying(a -> assertThat(a.roles()).containsExactly(Role.DEVELOPER));
    assertThat(users.verify("bob", "bob"))
        .hasValueSatisfying(a -> assertThat(a.isAdmin()).isFalse());
    assertThat(users.verify("admin", "admin"))
        .hasValueSatisfying(a -> assertThat(a.mainRole()).isEqualTo(Role.ADMIN));
  }

  @Test
  void refusesWrongPasswordsAndUnknownUsers() {
    assertThat(users.verify("alice", "bob")).isEmpty();
    assertThat(users.verify("alice", "")).isEmpty();
    assertThat(users.verify("alice", null)).isEmpty();
    assertThat(users.verify("mallory", "mallory")).isEmpty();
    assertThat(users.verify(null, "alice")).isEmpty();
  }
}
