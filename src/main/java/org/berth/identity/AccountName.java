package org.berth.identity;

import java.util.regex.Pattern;

/**
 * The rule for account names that come from an identity provider: a lower-case letter or {@code _},
 * then up to 31 lower-case letters, digits, {@code _} or {@code -}. That is the portable user name
 * of POSIX systems and Debian's {@code adduser}, so the same name works as the person's account on
 * the SSH jump host, in {@code ~/.ssh/config} blocks and in guests' cloud-init users.
 */
public final class AccountName {

  /** The rule as a sentence, for pages and logs. */
  public static final String RULE =
      "must start with a lower-case letter or '_' and have at most 32 lower-case letters, digits,"
          + " '_' or '-'";

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  private AccountName() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
