package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"alice", "_svc", "a", "jo-ann", "user_2", "service-account-berth-automation"})
  void acceptsPortableUserNames(String name) {
    assertThat(AccountName.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Alice",
        "1abc",
        "-abc",
        "dot.name",
        "a@example.org",
        "with space",
        "tab\tname",
        "line\nbreak",
        "ümlaut",
        "abcdefghijklmnopqrstuvwxyz0123456"
      })
  void refusesNamesTheJumpHostCannotUse(String name) {
    assertThat(AccountName.isValid(name)).isFalse();
  }

  @Test
  void refusesNoName() {
    assertThat(AccountName.isValid(null)).isFalse();
  }
}
