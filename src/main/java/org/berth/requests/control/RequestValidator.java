package org.berth.requests.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.berth.identity.SshPublicKey;
import org.berth.ledger.control.Hostname;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestForm;
import org.berth.requests.entity.TemplateSpec;

/**
 * Checks every field of a request against its rules and the chosen template's limits, and reports
 * all broken rules at once, each with its field (API field names; pages show them beside their
 * inputs). Checks that need the ledger, other requests or quotas come after, in the boundary.
 */
public final class RequestValidator {

  private static final Pattern LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int MAX_KEYS = 20;

  private final RequestPolicy policy;
  private final Function<String, Optional<TemplateSpec>> templates;

  /**
   * @param templates finds an active template by name
   */
  public RequestValidator(
      RequestPolicy policy, Function<String, Optional<TemplateSpec>> templates) {
    this.policy = policy;
    this.templates = templates;
  }

  /** The checked form; throws {@link InvalidInput} naming every broken rule. */
  public RequestForm check(RequestDraft draft) {
    return check(draft, Map.of());
  }

  /**
   * As {@link #check(RequestDraft)}, adding {@code earlier} problems (such as a number that was not
   * a number) to the report.
   */
  public RequestForm check(RequestDraft draft, Map<String, String> earlier) {
    Map<String, String> wrong = new LinkedHashMap<>(earlier);
    GuestKind kind = null;
    try {
      kind = GuestKind.fromApi(draft.kind());
    } catch (IllegalArgumentException e) {
      wrong.put("kind", e.getMessage());
    }
    String name = draft.name();
    String nameProblem = nameProblem(name);
    if (nameProblem != null) {
      wrong.put("name", nameProblem);
    }
    TemplateSpec template = null;
    if (draft.template() == null || draft.template().isBlank()) {
      wrong.put("template", "must be given");
    } else {
      template = templates.apply(draft.template()).orElse(null);
      if (template == null) {
        wrong.put("template", "there is no template '" + shorten(draft.template()) + "'");
      } else if (kind != null && template.kind() != kind) {
        wrong.put(
            "template",
            "'"
                + template.name()
                + "' is a "
                + template.kind().apiName()
                + " template, not a "
                + kind.apiName()
                + " one");
        template = null;
      }
    }
    int cores =
        size(
            wrong,
            "cores",
            draft.cores(),
            template == null ? null : template.defaultCores(),
            template == null ? 512 : template.maxCores(),
            "");
    int memory =
        size(
            wrong,
            "memoryMiB",
            draft.memoryMiB(),
            template == null ? null : template.defaultMemoryMib(),
            template == null ? 4_194_304 : template.maxMemoryMib(),
            " MiB");
    int disk =
        size(
            wrong,
            "diskGiB",
            draft.diskGiB(),
            template == null ? null : template.defaultDiskGib(),
            template == null ? 65_536 : template.maxDiskGib(),
            " GiB");
    NetworkMode mode = null;
    String host = null;
    Integer httpPort = null;
    if ("ledger".equals(draft.networkMode())) {
      mode = NetworkMode.LEDGER;
      if (draft.host() == null || draft.host().isBlank()) {
        wrong.put("network.host", "must name a free ledger entry");
      } else {
        try {
          host = Hostname.of(draft.host()).value();
        } catch (IllegalArgumentException e) {
          wrong.put("network.host", e.getMessage());
        }
      }
      if (draft.httpPort() != null) {
        wrong.put("network.httpPort", "is for NAT guests only; a ledger guest has its own address");
      }
    } else if ("nat".equals(draft.networkMode())) {
      mode = NetworkMode.NAT;
      if (draft.host() != null && !draft.host().isBlank()) {
        wrong.put("network.host", "is for ledger guests only; leave it out with mode nat");
      }
      if (draft.httpPort() != null) {
        if (draft.httpPort() < 1 || draft.httpPort() > 65535) {
          wrong.put("network.httpPort", "must be a port between 1 and 65535");
        } else {
          httpPort = draft.httpPort().intValue();
        }
      }
    } else {
      wrong.put("network.mode", "must be ledger or nat");
    }
    List<String> keys = keys(wrong, draft.sshKeys());
    int lease = policy.leaseDefaultDays();
    if (draft.leaseDays() != null) {
      if (draft.leaseDays() < 1 || draft.leaseDays() > policy.leaseMaxDays()) {
        wrong.put(
            "leaseDays", "must be between 1 and " + policy.leaseMaxDays() + " days (the maximum)");
      } else {
        lease = draft.leaseDays().intValue();
      }
    }
    String purpose = draft.purpose() == null ? "" : draft.purpose().strip();
    if (purpose.isEmpty()) {
      wrong.put("purpose", "must say what the guest is for");
    } else {
      String problem = freeTextProblem(purpose, 500);
      if (problem != null) {
        wrong.put("purpose", problem);
      }
    }
    if (!wrong.isEmpty()) {
      throw new InvalidInput(wrong);
    }
    return new RequestForm(
        kind,
        name,
        template.name(),
        cores,
        memory,
        disk,
        mode,
        host,
        httpPort,
        keys,
        lease,
        purpose);
  }

  /**
   * Why {@code text} is not acceptable free text (a purpose, a reason), or null when it is. Free
   * text goes into the admins' and owners' mail and the audit trail, so it is one line: a line
   * break or another control character could pass for a line of the mail Berth writes.
   */
  public static String freeTextProblem(String text, int maxLength) {
    if (text.length() > maxLength) {
      return "must be at most " + maxLength + " characters";
    }
    if (text.codePoints().anyMatch(RequestValidator::isControl)) {
      return "must be one line without control characters";
    }
    return null;
  }

  /**
   * Control characters, and the Unicode line and paragraph separators, which mail readers may also
   * show as line breaks.
   */
  private static boolean isControl(int c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }

  /** Why {@code name} is not a guest name, or null when it is one. */
  public static String nameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "must be given";
    }
    if (name.codePointCount(0, name.length()) > 63) {
      return "must be at most 63 characters (a DNS label)";
    }
    if (LABEL.matcher(name).matches()) {
      return null;
    }
    if (!name.equals(name.toLowerCase(Locale.ROOT))
        && LABEL.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
      return "must be lower case, such as '" + name.toLowerCase(Locale.ROOT) + "'";
    }
    if (name.contains(".")) {
      return "must be a single DNS label, without dots";
    }
    return "must be a DNS label: lower-case letters a-z, digits and inner hyphens, starting with a"
        + " letter";
  }

  private static int size(
      Map<String, String> wrong,
      String field,
      Long given,
      Integer byDefault,
      int max,
      String unit) {
    if (given == null) {
      if (byDefault == null) {
        if (!wrong.containsKey(field) && !wrong.containsKey("template")) {
          wrong.put(field, "must be given");
        }
        return 0;
      }
      return byDefault;
    }
    if (wrong.containsKey(field)) {
      return 0;
    }
    if (given < 1) {
      wrong.put(field, "must be at least 1");
    } else if (given > max) {
      wrong.put(field, "must be at most " + max + unit + " (the template's maximum)");
    } else {
      return given.intValue();
    }
    return 0;
  }

  private static List<String> keys(Map<String, String> wrong, List<String> given) {
    List<String> keys = new ArrayList<>();
    if (given == null || given.isEmpty()) {
      wrong.put("sshKeys", "must hold at least one public key");
      return keys;
    }
    if (given.size() > MAX_KEYS) {
      wrong.put("sshKeys", "must hold at most " + MAX_KEYS + " keys");
      return keys;
    }
    for (int i = 0; i < given.size(); i++) {
      try {
        SshPublicKey key = SshPublicKey.parse(given.get(i));
        if (keys.contains(key.line())) {
          wrong.put("sshKeys[" + i + "]", "is the same key as an earlier one");
        }
        keys.add(key.line());
      } catch (IllegalArgumentException e) {
        wrong.put("sshKeys[" + i + "]", e.getMessage());
      }
    }
    return keys;
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
