package org.berth.ledger.bench;

import static org.berth.testing.GitCli.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.berth.ledger.control.Hostname;

/**
 * A generated ledger of {@code size} free entries in 10.1.0.0/16 (at most 65,536), laid out as one
 * file or as one file per /24, and a bare remote on local disk seeded with it by the git command
 * line.
 */
record GeneratedLedger(Layout layout, int size) {

  /** How the entries are spread over files. */
  enum Layout {
    ONE_FILE("one file"),
    PER_24("file per /24");

    final String label;

    Layout(String label) {
      this.label = label;
    }
  }

  GeneratedLedger {
    if (size < 1 || size > 65_536) {
      throw new IllegalArgumentException("size must be 1 to 65536");
    }
  }

  /** The ledger path Berth is configured with: a file or a directory. */
  String ledgerPath() {
    return layout == Layout.ONE_FILE ? "addresses.yaml" : "nets";
  }

  int files() {
    return layout == Layout.ONE_FILE ? 1 : (size + 255) / 256;
  }

  static String host(int i) {
    return "pvm%05d.example.com".formatted(i);
  }

  static Hostname hostname(int i) {
    return Hostname.of(host(i));
  }

  /** The file, relative to the repository root, that holds entry {@code i}. */
  String fileOf(int i) {
    return layout == Layout.ONE_FILE ? "addresses.yaml" : "nets/10.1.%d.yaml".formatted(i / 256);
  }

  /** Path to text of every file of the ledger. */
  Map<String, String> texts() {
    Map<String, StringBuilder> texts = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      texts
          .computeIfAbsent(
              fileOf(i), f -> new StringBuilder("# generated ledger for the benchmark\n"))
          .append("- Host: ")
          .append(host(i))
          .append("\n  IPv4: 10.1.")
          .append(i / 256)
          .append('.')
          .append(i % 256)
          .append(
              "\n  MAC:  52:54:00:%02X:%02X:%02X\n"
                  .formatted(i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff));
    }
    Map<String, String> out = new LinkedHashMap<>();
    texts.forEach((path, text) -> out.put(path, text.toString()));
    return out;
  }

  /** Creates {@code root/remote.git}, a bare repository whose branch main holds the ledger. */
  Path seedRemote(Path root) throws IOException {
    Path remote = root.resolve("remote.git");
    Path seed = root.resolve("seed");
    git(root, "init", "-q", "--bare", "-b", "main", remote.toString());
    git(root, "clone", "-q", remote.toString(), seed.toString());
    for (Map.Entry<String, String> f : texts().entrySet()) {
      Path file = seed.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
    }
    git(seed, "add", "-A");
    git(seed, "commit", "-q", "-m", "Seed a ledger of " + size + " entries");
    git(seed, "push", "-q", "origin", "main");
    return remote;
  }
}
