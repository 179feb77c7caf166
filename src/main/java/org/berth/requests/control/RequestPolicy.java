package org.berth.requests.control;

import java.util.List;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Settings;
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
      return beyond(cores, memoryMib, diskGib, leaseDays).isEmpty();
    }

    /**
     * Why a request of this size waits for an admin, one reason per limit it passes, in words a
     * requester reads ("2 cores, more than the 1 approved at once"); empty when it does not wait.
     */
    public List<String> beyond(int cores, int memoryMib, int diskGib, int leaseDays) {
      if (!enabled) {
        return List.of("every request is approved by an admin");
      }
      List<String> reasons = new java.util.ArrayList<>();
      if (cores > maxCores) {
        reasons.add(cores + " cores, more than the " + maxCores + " approved at once");
      }
      if (memoryMib > maxMemoryMib) {
        reasons.add(
            memoryMib + " MiB of memory, more than the " + maxMemoryMib + " MiB approved at once");
      }
      if (diskGib > maxDiskGib) {
        reasons.add(
            diskGib + " GiB of disk, more than the " + maxDiskGib + " GiB approved at once");
      }
      if (leaseDays > maxLeaseDays) {
        reasons.add(
            "a lease of "
                + leaseDays
                + " days, longer than the "
                + maxLeaseDays
                + " approved at once");
      }
      return List.copyOf(reasons);
    }
  }

  /** The rules between settings; each setting's own range is checked where it is read. */
  public RequestPolicy {
    if (leaseDefaultDays < 1 || leaseDefaultDays > leaseMaxDays) {
      throw new InvalidSetting(
          "berth.requests.lease-default-days", "must be from 1 to berth.requests.lease-max-days");
    }
    leaseWarningDays =
        leaseWarningDays.stream().distinct().sorted(java.util.Comparator.reverseOrder()).toList();
  }

  public static RequestPolicy from(Config config) {
    Settings settings = new Settings(config);
    return new RequestPolicy(
        settings.whole("berth.requests.lease-default-days", 14, 1, 3650),
        settings.whole("berth.requests.lease-max-days", 90, 1, 3650),
        days(settings),
        settings.whole("berth.requests.grace-days", 7, 0, 365),
        new AutoApprove(
            settings.flag("berth.requests.auto-approve", true),
            settings.whole("berth.requests.auto-approve.max-cores", 1, 0),
            settings.whole("berth.requests.auto-approve.max-memory-mib", 1024, 0),
            settings.whole("berth.requests.auto-approve.max-disk-gib", 10, 0),
            settings.whole("berth.requests.auto-approve.max-lease-days", 7, 0)),
        new QuotaLimits(
            settings.whole("berth.quota.guests", 3, 0),
            settings.whole("berth.quota.cores", 8, 0),
            settings.whole("berth.quota.memory-mib", 16384, 0),
            settings.whole("berth.quota.disk-gib", 200, 0)));
  }

  private static List<Integer> days(Settings settings) {
    String key = "berth.requests.lease-warning-days";
    List<Integer> days = new java.util.ArrayList<>();
    for (String day : settings.text(key, "7,3,1").split(",")) {
      try {
        int n = Integer.parseInt(day.strip());
        if (n >= 1 && n <= 365) {
          days.add(n);
          continue;
        }
      } catch (NumberFormatException e) {
        // the rule below says what is wanted
      }
      throw new InvalidSetting(key, "must be a comma-separated list of days from 1 to 365");
    }
    return days;
  }
}
