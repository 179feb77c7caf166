package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  static Throttle throttle(int perAccount, int perAddress) {
    Throttle throttle = new Throttle();
    throttle.settings =
        new IdentitySettings() {
          @Override
          public int maxFailures() {
            return perAccount;
          }

          @Override
          public int maxAddressFailures() {
            return perAddress;
          }

          @Override
          public Duration failureWindow() {
            return Duration.ofMinutes(5);
          }
        };
    return throttle;
  }

  @Test
  void anAccountIsThrottledAfterItsFailuresUntilTheOldestLeavesTheWindow() {
    Throttle throttle = throttle(3, 100);
    String mallory = Throttle.account("mallory");
    String address = Throttle.address("192.0.2.7");

    throttle.failed(mallory, address);
    throttle.failed(mallory, address);
    assertThat(throttle.retryAfter(mallory, address)).isEmpty();
    throttle.failed(mallory, address);

    assertThat(throttle.retryAfter(mallory, address))
        .hasValueSatisfying(
            wait -> assertThat(wait).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5)));
    assertThat(throttle.retryAfter(Throttle.account("alice"), address)).isEmpty();
  }

  @Test
  void anAddressIsThrottledForEveryAccountPastItsOwnLimit() {
    Throttle throttle = throttle(3, 5);
    String address = Throttle.address("192.0.2.8");
    for (int i = 0; i < 5; i++) {
      throttle.failed(Throttle.account("guess" + i), address);
    }

    assertThat(throttle.retryAfter(Throttle.account("alice"), address)).isPresent();
    assertThat(throttle.retryAfter(Throttle.account("alice"), Throttle.address("192.0.2.9")))
        .isEmpty();
  }

  @Test
  void aSuccessfulSignInClearsTheAccountButNotTheAddress() {
    Throttle throttle = throttle(2, 2);
    String bob = Throttle.account("bob");
    String address = Throttle.address("192.0.2.10");
    throttle.failed(bob, address);
    throttle.failed(bob, address);

    throttle.succeeded(bob);

    assertThat(throttle.retryAfter(bob)).isEmpty();
    assertThat(throttle.retryAfter(address)).isPresent();
  }
}
