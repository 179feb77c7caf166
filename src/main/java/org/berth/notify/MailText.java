package org.berth.notify;

/**
 * Makes text safe to put in a mail. A subject is a header, so a raw CR or LF in it would start a
 * header of its own; a line break inside a value that a body quotes (a purpose, a reason) would
 * pass for a line Berth wrote, such as an approval or a link. Control characters and the Unicode
 * line and paragraph separators become spaces; a body keeps the line breaks Berth put in it.
 */
public final class MailText {

  private MailText() {}

  /** {@code text} on one line: every control character and line separator becomes a space. */
  public static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(breaksLines(c) ? ' ' : c));
    return out.toString();
  }

  /** A subject: one line, without leading or trailing space. */
  public static String subject(String text) {
    return oneLine(text).strip();
  }

  /**
   * A body: CR LF and lone CRs become LF, the line break Berth writes; other control characters
   * (tabs aside) and line separators become spaces.
   */
  public static String body(String text) {
    if (text == null) {
      return "";
    }
    String lines = text.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder out = new StringBuilder(lines.length());
    lines
        .codePoints()
        .forEach(c -> out.appendCodePoint(c == '\n' || c == '\t' || !breaksLines(c) ? c : ' '));
    return out.toString();
  }

  private static boolean breaksLines(int c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
