package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in demo login: {@code alice}/{@code alice} and {@code bob}/{@code bob} (developers) and
 * {@code admin}/{@code admin}. Pages that show it say it is a demo.
 */
@ApplicationScoped
public class DemoUsers {

  private record DemoUser(Account account, String password) {}

  private static final Map<String, DemoUser> USERS =
      Map.of(
          "alice",
          new DemoUser(
              new Account("alice", "Alice Example", "alice@example.com", Set.of(Role.DEVELOPER)),
              "alice"),
          "bob",
          new DemoUser(
              new Account("bob", "Bob Example", "bob@example.com", Set.of(Role.DEVELOPER)), "bob"),
          "admin",
          new DemoUser(
              new Account(
                  "admin", "Ada Admin", "admin@example.com", Set.of(Role.ADMIN, Role.DEVELOPER)),
              "admin"));

  /** The account if the password is right; compared in constant time. */
  public Optional<Account> verify(String username, String password) {
    DemoUser user = username == null ? null : USERS.get(username);
    byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
    byte[] expected = (user == null ? "\u0000" : user.password()).getBytes(StandardCharsets.UTF_8);
    boolean matches = MessageDigest.isEqual(given, expected);
    return user != null && matches ? Optional.of(user.account()) : Optional.empty();
  }

  /** The account of a signed-in user. */
  public Optional<Account> find(String username) {
    return Optional.ofNullable(USERS.get(username)).map(DemoUser::account);
  }
}
