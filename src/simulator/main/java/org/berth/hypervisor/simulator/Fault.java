package org.berth.hypervisor.simulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A failure the simulated cluster shows on the next {@code times} matching API requests, then
 * forgets.
 *
 * <ul>
 *   <li>{@link Kind#HTTP_500}, {@link Kind#HTTP_503}: that status with {@code message}; the request
 *       is not carried out.
 *   <li>{@link Kind#TIMEOUT}: waits {@code delay}, then answers 500; not carried out.
 *   <li>{@link Kind#LOST_RESPONSE}: carried out, then the connection is closed without an answer.
 *   <li>{@link Kind#TASK_FAILURE}: the request starts its task as usual, but the task ends with
 *       {@code message} as its exit status and has no effect. Only requests that start a task use
 *       it up.
 * </ul>
 *
 * @param kind what goes wrong
 * @param method the HTTP method it affects; null for any
 * @param path a regular expression found in the path after {@code /api2/json} (anchor it for an
 *     exact match); null for any
 * @param times how many matching requests it affects, at least 1
 * @param message the error message; null for a default that says it is simulated
 * @param delay how long a timeout stalls; null for 30 s (ignored by other kinds)
 */
public record Fault(
    Kind kind, String method, String path, int times, String message, Duration delay) {

  /** The kinds of failure, each with the name the control API uses. */
  public enum Kind {
    HTTP_500("http500", "Internal Server Error (simulated fault)"),
    HTTP_503("http503", "Service Unavailable (simulated fault)"),
    TIMEOUT("timeout", "got timeout (simulated fault)"),
    LOST_RESPONSE("lost-response", "connection closed (simulated fault)"),
    TASK_FAILURE("task-failure", "simulated task failure");

    private final String controlName;
    private final String defaultMessage;

    Kind(String controlName, String defaultMessage) {
      this.controlName = controlName;
      this.defaultMessage = defaultMessage;
    }

    /** The name in the control API, such as {@code lost-response}. */
    public String controlName() {
      return controlName;
    }

    /** The kind with this control API name. */
    public static Kind ofControlName(String name) {
      return Arrays.stream(values())
          .filter(k -> k.controlName.equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "kind must be one of http500, http503, timeout, lost-response,"
                          + " task-failure"));
    }
  }

  public Fault {
    Objects.requireNonNull(kind, "kind");
    method = method == null || method.isBlank() ? null : method.strip().toUpperCase(Locale.ROOT);
    path = path == null || path.isEmpty() ? null : path;
    if (path != null) {
      Pattern.compile(path);
    }
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    message = message == null || message.isBlank() ? kind.defaultMessage : message;
    if (delay == null) {
      delay = kind == Kind.TIMEOUT ? Duration.ofSeconds(30) : Duration.ZERO;
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
  }

  /** A fault that affects the next matching request only, with the default message and delay. */
  public static Fault once(Kind kind, String method, String path) {
    return new Fault(kind, method, path, 1, null, null);
  }

  boolean matches(String requestMethod, String requestPath) {
    return (method == null || method.equals(requestMethod))
        && (path == null || Pattern.compile(path).matcher(requestPath).find());
  }
}
