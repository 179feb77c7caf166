package org.berth.requests.control;

import java.util.List;

/**
 * A request as the caller typed it, before any rule is checked: every field may be missing or
 * wrong. Numbers are longs so that values too large for a size are reported, not wrapped.
 *
 * @param networkMode {@code ledger} or {@code nat}
 */
public record RequestDraft(
    String kind,
    String name,
    String template,
    Long cores,
    Long memoryMiB,
    Long diskGiB,
    String networkMode,
    String host,
    Long httpPort,
    List<String> sshKeys,
    Long leaseDays,
    String purpose) {}
