package org.berth.requests.control;

import java.util.Arrays;
import java.util.List;
import org.berth.platform.config.InvalidSetting;
import org.eclipse.microprofile.config.Config;

/**
 * The rules requests follow, from configuration (see docs/configuration.md).
 *
 * @param leaseDefaultDays the lease a request gets when it names none
 * @param leaseMaxDays the longest lease, also the furthest an extension may reach from now
 * @param leaseWarningDays days before the end at which the owner is warned, largest first
 * @param graceDays days between a lease's end (guest stopped) and the guest's deletion
 * @param autoApprove the limits under which a request within quota is approved at once
 * @param defaultQuota every user's quota unless an admin sets another
 */
public record RequestPolicy(
    int leaseDefaultDays,
    int leaseMaxDays,
    List<Integer> leaseWarningDays,
    int graceDays,
    AutoApprove autoApprove,
    QuotaLimits defaultQuota) {

  /** Requests at or below every limit (and within quota) are approved without an admin. */
  public record AutoApprove(
      boolean enabled, int maxCores, int maxMemoryMib, int maxDiskGib, int maxLeaseDays) {

    public boolean allows(int cores, int memoryMib, int diskGib, int leaseDays) {
      return enabled
          && cores <= maxCores
          && memoryMib <= maxMemoryMib
          && diskGib <= maxDiskGib
          && leaseDays <= maxLeaseDays;
    }
  }

  public RequestPolicy {
    if (leaseMaxDays < 1 || leaseMaxDays > 3650) {
      throw new InvalidSetting("berth.requests.lease-max-days", "must be between 1 and 3650");
    }
    if (leaseDefaultDays < 1 || leaseDefaultDays > leaseMaxDays) {
      throw new InvalidSetting(
          "berth.requests.lease-default-days",
          "must be between 1 and berth.requests.lease-max-days");
    }
    if (leaseWarningDays.stream().anyMatch(d -> d < 1 || d > 365)) {
      throw new InvalidSetting(
          "berth.requests.lease-warning-days", "must be a list of days between 1 and 365");
    }
    leaseWarningDays =
        leaseWarningDays.stream().distinct().sorted(java.util.Comparator.reverseOrder()).toList();
    if (graceDays < 0 || graceDays > 365) {
      throw new InvalidSetting("berth.requests.grace-days", "must be between 0 and 365");
    }
  }

  public static RequestPolicy from(Config config) {
    return new RequestPolicy(
        integer(config, "berth.requests.lease-default-days", 14),
        integer(config, "berth.requests.lease-max-days", 90),
        days(
            config
                .getOptionalValue("berth.requests.lease-warning-days", String.class)
                .orElse("7,3,1")),
        integer(config, "berth.requests.grace-days", 7),
        new AutoApprove(
            config.getOptionalValue("berth.requests.auto-approve", Boolean.class).orElse(true),
            integer(config, "berth.requests.auto-approve.max-cores", 1),
            integer(config, "berth.requests.auto-approve.max-memory-mib", 1024),
            integer(config, "berth.requests.auto-approve.max-disk-gib", 10),
            integer(config, "berth.requests.auto-approve.max-lease-days", 7)),
        new QuotaLimits(
            integer(config, "berth.quota.guests", 3),
            integer(config, "berth.quota.cores", 8),
            integer(config, "berth.quota.memory-mib", 16384),
            integer(config, "berth.quota.disk-gib", 200)));
  }

  private static int integer(Config config, String name, int otherwise) {
    String text = config.getOptionalValue(name, String.class).orElse(null);
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidSetting(name, "must be a whole number");
    }
  }

  private static List<Integer> days(String text) {
    if (text.isBlank()) {
      return List.of();
    }
    try {
      return Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
    } catch (NumberFormatException e) {
      throw new InvalidSetting(
          "berth.requests.lease-warning-days", "must be a comma-separated list of days");
    }
  }
}
