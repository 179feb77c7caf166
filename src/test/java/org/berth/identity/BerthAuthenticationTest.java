package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BerthAuthenticationTest {

  private static String basic(String raw) {
    return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsUserAndPasswordFromBasicHeader() {
    assertThat(BerthAuthentication.basicCredentials(basic("alice:alice")))
        .hasValueSatisfying(c -> assertThat(c).containsExactly("alice", "alice"));
  }

  @Test
  void keepsColonsInThePassword() {
    assertThat(BerthAuthentication.basicCredentials(basic("alice:a:b:c")))
        .hasValueSatisfying(c -> assertThat(c).containsExactly("alice", "a:b:c"));
  }

  @Test
  void ignoresMalformedOrOtherHeaders() {
    assertThat(BerthAuthentication.basicCredentials(null)).isEmpty();
    assertThat(BerthAuthentication.basicCredentials("Bearer abc")).isEmpty();
    assertThat(BerthAuthentication.basicCredentials("Basic %%%notbase64")).isEmpty();
    assertThat(BerthAuthentication.basicCredentials(basic("no-colon"))).isEmpty();
  }

  @Test
  void returnsOnlyToPagesAfterSignIn() {
    assertThat(BerthAuthentication.isPage("/")).isTrue();
    assertThat(BerthAuthentication.isPage("")).isTrue();
    assertThat(BerthAuthentication.isPage("/guests/index.xhtml")).isTrue();
    assertThat(BerthAuthentication.isPage("/favicon.ico")).isFalse();
    assertThat(BerthAuthentication.isPage("/api/requests")).isFalse();
  }
}
