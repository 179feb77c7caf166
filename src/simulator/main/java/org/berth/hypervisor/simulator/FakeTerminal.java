package org.berth.hypervisor.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a simulated guest's terminal shows: a getty that logs root in by itself, then a shell that
 * echoes what is typed and knows a handful of commands ({@code hostname}, {@code whoami}, {@code
 * echo}, {@code uname}, {@code stty size}, {@code exit}). A VM's terminal opened without a serial
 * port is the QEMU monitor instead, as {@code qm monitor} is. Nothing runs: it is text.
 */
final class FakeTerminal {

  /** The longest line kept; what is typed beyond it rings the bell. */
  static final int MAX_LINE = 4096;

  private final String name;
  private final boolean monitor;
  private final String banner;
  private final StringBuilder line = new StringBuilder();
  private int columns = 80;
  private int rows = 24;
  private int escape; // 0: none, 1: after ESC, 2: inside a CSI sequence
  private boolean ended;

  /**
   * @param name the guest's host name
   * @param vmid its VMID
   * @param device where the terminal is: {@code ttyS0}, {@code console}, or null for the monitor
   */
  FakeTerminal(String name, int vmid, String device) {
    this.name = name;
    this.monitor = device == null;
    this.banner =
        monitor
            ? "Entering QEMU Monitor for VM " + vmid + " - type 'help' for help\r\n"
            : "\r\nDebian GNU/Linux 12 "
                + name
                + " "
                + device
                + "\r\n\r\n"
                + name
                + " login: root (automatic login)\r\n\r\n"
                + "This is a guest of the simulated Proxmox VE cluster: nothing runs here.\r\n";
  }

  /** What the terminal shows when it is opened. */
  byte[] open() {
    return bytes(banner + prompt());
  }

  void resize(int columns, int rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /** Whether the shell (or monitor) has ended, after {@code exit} or Ctrl-D. */
  boolean ended() {
    return ended;
  }

  /** Types {@code input}; answers what the terminal shows in return. */
  byte[] type(byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String text = new String(input, StandardCharsets.UTF_8);
    for (int i = 0; i < text.length() && !ended; i++) {
      char c = text.charAt(i);
      if (escape == 1) {
        escape = c == '[' ? 2 : 0;
        continue;
      }
      if (escape == 2) {
        escape = c >= 0x40 && c <= 0x7e ? 0 : 2; // arrows and the like end in a letter
        continue;
      }
      switch (c) {
        case 0x1b -> escape = 1;
        case '\r', '\n' -> {
          if (c == '\n' && i > 0 && text.charAt(i - 1) == '\r') {
            continue;
          }
          write(out, "\r\n");
          String command = line.toString().strip();
          line.setLength(0);
          write(out, monitor ? monitor(command) : run(command));
          if (!ended) {
            write(out, prompt());
          }
        }
        case 0x7f, 0x08 -> {
          if (line.length() > 0) {
            line.setLength(line.length() - 1);
            write(out, "\b \b");
          }
        }
        case 0x03 -> {
          line.setLength(0);
          write(out, "^C\r\n" + prompt());
        }
        case 0x04 -> {
          if (line.length() == 0) {
            write(out, "logout\r\n");
            ended = true;
          }
        }
        default -> {
          if (c < 0x20) {
            continue;
          }
          if (line.length() >= MAX_LINE) {
            write(out, "\u0007");
          } else {
            line.append(c);
            write(out, String.valueOf(c));
          }
        }
      }
    }
    return out.toByteArray();
  }

  private String prompt() {
    return monitor ? "qm> " : "root@" + name + ":~# ";
  }

  private String run(String command) {
    String[] words = command.split("\\s+", 2);
    return switch (words[0]) {
      case "" -> "";
      case "hostname" -> name + "\r\n";
      case "whoami" -> "root\r\n";
      case "echo" -> (words.length > 1 ? words[1] : "") + "\r\n";
      case "uname" -> (words.length > 1 && words[1].equals("-n") ? name : "Linux") + "\r\n";
      case "stty" ->
          words.length > 1 && words[1].equals("size")
              ? rows + " " + columns + "\r\n"
              : "stty: only 'stty size' is simulated\r\n";
      case "exit", "logout" -> {
        ended = true;
        yield "logout\r\n";
      }
      default -> "-bash: " + words[0] + ": command not found\r\n";
    };
  }

  private String monitor(String command) {
    return switch (command) {
      case "" -> "";
      case "help" -> "info version -- show the version of QEMU\r\nquit -- quit the monitor\r\n";
      case "info version" -> "9.0.2 (pve-qemu-kvm, simulated)\r\n";
      case "quit", "q" -> {
        ended = true;
        yield "";
      }
      default -> "unknown command: '" + command.split("\\s+")[0] + "'\r\n";
    };
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(bytes(text));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
