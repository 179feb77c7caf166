package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.berth.platform.refusal.InvalidInput;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;

class SshKeyTest {

  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void aKeyIsKeptAsOneCheckedLineUnderItsLabel() {
    String line = TestKeys.ed25519("alice@laptop");
    SshKey k = SshKey.of("alice", "  laptop ", line, T0);
    assertThat(k.label()).isEqualTo("laptop");
    assertThat(k.fingerprint()).startsWith("SHA256:");
  }

  @Test
  void aBadLabelAndABadKeyAreRefusedTogetherByField() {
    assertThatThrownBy(() -> SshKey.of("alice", "x".repeat(101), "ssh-ed25519 nonsense", T0))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e -> {
              assertThat(e.fields()).containsOnlyKeys("label", "key");
              assertThat(e.fields().get("label")).isEqualTo("must be at most 100 characters");
            });
    assertThatThrownBy(() -> SshKey.of("alice", "bad\u0007bell", TestKeys.ed25519("a@b"), T0))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e ->
                assertThat(e.fields())
                    .containsEntry("label", "must not contain control characters"));
  }

  @Test
  void aKeySavedAlreadySaysUnderWhichLabelWhenThatIsKnown() {
    assertThat(new KeyAlreadySaved("laptop").fields())
        .containsEntry("key", "is already in your profile as 'laptop'");
    assertThat(new KeyAlreadySaved(null).fields())
        .containsEntry("key", "is already in your profile");
  }
}
