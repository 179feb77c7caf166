package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;

class SshPublicKeyTest {

  static final String KEY = TestKeys.ed25519("alice@laptop");

  @Test
  void readsAnEd25519KeyWithItsComment() {
    SshPublicKey key = SshPublicKey.parse("  " + KEY + "  ");

    assertThat(key.type()).isEqualTo("ssh-ed25519");
    assertThat(key.comment()).isEqualTo("alice@laptop");
    assertThat(key.line()).isEqualTo(KEY);
    assertThat(key.fingerprint()).startsWith("SHA256:").hasSize(7 + 43);
  }

  @Test
  void refusesKeyOptions() {
    assertThatThrownBy(() -> SshPublicKey.parse("command=\"/bin/sh\" " + KEY))
        .hasMessageContaining("options such as command=");
    assertThatThrownBy(() -> SshPublicKey.parse("no-pty,restrict " + KEY))
        .hasMessageContaining("options");
  }

  @Test
  void refusesTruncatedKeys() {
    String blob = KEY.split(" ")[1];
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + blob.substring(0, 30)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + blob.substring(0, 40)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519")).hasMessageContaining("no key data");
  }

  @Test
  void refusesUnknownTypesAndMislabelledKeys() {
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-foo AAAAB3NzaC1yc2E="))
        .hasMessageContaining("'ssh-foo' is not a supported key type");
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-dss " + KEY.split(" ")[1]))
        .hasMessageContaining("not a supported key type");
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa " + KEY.split(" ")[1]))
        .hasMessageContaining("is a 'ssh-ed25519' key, but the line says ssh-rsa");
  }

  @Test
  void refusesSeveralKeysOnOneLine() {
    assertThatThrownBy(() -> SshPublicKey.parse(KEY + " " + TestKeys.ed25519("bob")))
        .hasMessageContaining("one key per line");
    assertThatThrownBy(() -> SshPublicKey.parse(KEY + "\n" + TestKeys.ed25519("bob")))
        .hasMessageContaining("one key per line");
  }

  @Test
  void refusesShortRsaKeysAndPrivateKeys() {
    String rsa1024 =
        "ssh-rsa "
            + TestKeys.blob(
                "ssh-rsa",
                BigInteger.valueOf(65537).toByteArray(),
                BigInteger.ONE.shiftLeft(1023).add(BigInteger.ONE).toByteArray());
    assertThatThrownBy(() -> SshPublicKey.parse(rsa1024)).hasMessageContaining("2048 bits");
    assertThatThrownBy(() -> SshPublicKey.parse("-----BEGIN OPENSSH PRIVATE KEY-----"))
        .hasMessageContaining("private key");
  }
}
