package org.berth.platform.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Reads settings and checks each against its rule: the one place for what every settings class
 * needs (text, whole and decimal numbers in a range, switches, lists, readable files, URLs). A
 * value that breaks its rule is an {@link InvalidSetting} naming the setting and the rule, never
 * the value, which may be a secret. A value that is empty or only blanks counts as not set.
 */
public final class Settings {

  private final Config config;

  public Settings(Config config) {
    this.config = config;
  }

  /** The setting's text, stripped; empty when it is not set or blank. */
  public Optional<String> text(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** The setting's text, or {@code fallback} when it is not set. */
  public String text(String key, String fallback) {
    return text(key).orElse(fallback);
  }

  /** {@code true} or {@code false} (any case); {@code fallback} when not set. */
  public boolean flag(String key, boolean fallback) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidSetting(key, "must be true or false");
    };
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when not set. */
  public int whole(String key, int fallback, int min, int max) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the rule below says what is wanted
    }
    throw new InvalidSetting(key, wholeRule(min, max));
  }

  /** A whole number of at least {@code min}; {@code fallback} when not set. */
  public int whole(String key, int fallback, int min) {
    return whole(key, fallback, min, Integer.MAX_VALUE);
  }

  /** A number, decimals allowed, from {@code min} to {@code max}; {@code fallback} when not set. */
  public double decimal(String key, double fallback, double min, double max) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      double n = Double.parseDouble(value.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the rule below says what is wanted
    }
    throw new InvalidSetting(key, "must be a number from " + plain(min) + " to " + plain(max));
  }

  /** Values separated by commas or blanks; empty when not set. */
  public List<String> list(String key) {
    return text(key)
        .map(s -> Arrays.stream(s.split("[,\\s]+")).filter(p -> !p.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A file Berth can read; empty when not set. */
  public Optional<Path> readableFile(String key) {
    Optional<Path> file = text(key).map(Path::of);
    if (file.isPresent() && !(Files.isRegularFile(file.get()) && Files.isReadable(file.get()))) {
      throw new InvalidSetting(key, "must name a readable file");
    }
    return file;
  }

  /**
   * An {@code http} or {@code https} URL with a host and no user part; empty when not set.
   *
   * @param example shown in the rule, such as {@code https://pve1:8006}
   */
  public Optional<URI> httpUrl(String key, String example) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String rule = "must be an http(s) URL such as " + example;
    URI uri;
    try {
      uri = new URI(value.get());
    } catch (java.net.URISyntaxException e) {
      throw new InvalidSetting(key, rule);
    }
    if (uri.getScheme() == null
        || !uri.getScheme().matches("(?i)https?")
        || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
      throw new InvalidSetting(key, rule);
    }
    return Optional.of(uri);
  }

  /** The rule of a whole number in a range, as settings and their docs word it. */
  static String wholeRule(int min, int max) {
    return max == Integer.MAX_VALUE
        ? "must be a whole number, at least " + min
        : "must be a whole number from " + min + " to " + max;
  }

  private static String plain(double n) {
    return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
  }
}
